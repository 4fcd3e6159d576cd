/*
 * jsparse.c - debug tool for the front end: parses a file and prints the AST
 * (or only "ok"), or the SyntaxError with file:line:column.
 * Uses only lib/compiler (and the pure number/Unicode helpers it links to).
 *   jsparse [-m module] [-s strict] [-q quiet] [-t time N] [-u utf16] file...
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "compiler/parser.h"

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        fclose(f);
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return buf;
}

/* Batch mode for test drivers: stdin lines "<m|s|-> <path>", stdout lines
 * "<path>\tok" or "<path>\terr <message>". */
static int batch(void)
{
    char line[4096];
    while (fgets(line, sizeof line, stdin)) {
        jsparse_options opt;
        jsparse_error err;
        jsast_program *prog;
        size_t len, l = strlen(line);
        char *src, *path;
        if (l && line[l - 1] == '\n')
            line[--l] = 0;
        if (l < 3)
            continue;
        memset(&opt, 0, sizeof opt);
        if (line[0] == 'm')
            opt.flags |= JSPARSE_MODULE;
        else if (line[0] == 's')
            opt.flags |= JSPARSE_STRICT;
        path = line + 2;
        src = read_file(path, &len);
        if (!src) {
            printf("%s\terr cannot read\n", path);
            continue;
        }
        prog = jsparse_utf8(src, len, &opt, &err);
        if (prog) {
            printf("%s\tok\n", path);
            jsast_program_free(prog);
        } else
            printf("%s\terr %u:%u: %s\n", path, err.line, err.col, err.msg);
        fflush(stdout);
        free(src);
    }
    return 0;
}

int main(int argc, char **argv)
{
    jsparse_options opt;
    int quiet = 0, repeat = 1, i, rc = 0, utf16 = 0;
    memset(&opt, 0, sizeof opt);
    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "-m"))
            opt.flags |= JSPARSE_MODULE;
        else if (!strcmp(argv[i], "-s"))
            opt.flags |= JSPARSE_STRICT;
        else if (!strcmp(argv[i], "-q"))
            quiet = 1;
        else if (!strcmp(argv[i], "-u"))
            utf16 = 1;
        else if (!strcmp(argv[i], "-b"))
            return batch();
        else if (!strcmp(argv[i], "-n"))
            opt.flags |= JSPARSE_NO_SCOPE;
        else if (!strcmp(argv[i], "-t") && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: jsparse [-m] [-s] [-q] [-u] [-n] [-t N] file...\n");
            return 2;
        }
    }
    for (; i < argc; i++) {
        size_t len;
        char *src = read_file(argv[i], &len);
        jsparse_error err;
        jsast_program *prog = NULL;
        clock_t t0;
        int r;
        if (!src) {
            fprintf(stderr, "%s: cannot read\n", argv[i]);
            rc = 2;
            continue;
        }
        t0 = clock();
        for (r = 0; r < repeat; r++) {
            if (prog)
                jsast_program_free(prog);
            if (utf16) {
                /* ASCII/Latin-1 widening is enough for a debug path */
                uint16_t *w = malloc((len + 1) * 2);
                size_t k;
                for (k = 0; k < len; k++)
                    w[k] = (unsigned char)src[k];
                prog = jsparse_utf16(w, len, &opt, &err);
                free(w);
            } else
                prog = jsparse_utf8(src, len, &opt, &err);
        }
        if (repeat > 1)
            fprintf(stderr, "%s: %.3f ms per parse\n", argv[i],
                    (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC / repeat);
        if (!prog) {
            char msg[512];
            jsparse_format_error(&err, argv[i], msg, sizeof msg);
            printf("%s\n", msg);
            rc = 1;
        } else {
            if (!quiet)
                jsast_dump(stdout, prog->root, 0);
            jsast_program_free(prog);
        }
        free(src);
    }
    return rc;
}
