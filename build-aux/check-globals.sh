#!/bin/sh
# check-globals.sh - the gate on process-global mutable state: every writable
# file-scope or static-local variable (thread-locals included) compiled into
# the library must have a ruling in doc/threads/bindings.md (its name in
# backticks). Reads the built convenience archive with objdump; constant
# tables (.rodata, .data.rel.ro) are fine and not listed.
#   build-aux/check-globals.sh [--list] [ARCHIVE]
set -u
list=no
if [ "${1:-}" = "--list" ]; then list=yes; shift; fi
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
archive=${1:-$top_builddir/lib/.libs/libjsengine-internal.a}
doc=$srcdir/doc/threads/bindings.md
OBJDUMP=${OBJDUMP:-objdump}

if [ ! -f "$archive" ]; then
    echo "check-globals: $archive not built" >&2
    exit 99
fi
command -v "$OBJDUMP" >/dev/null 2>&1 || { echo "check-globals: no $OBJDUMP" >&2; exit 77; }

# "member symbol section" for each writable data object.
found=$("$OBJDUMP" -t "$archive" | awk '
    / file format / { member = $1; sub(/:$/, "", member); next }
    NF >= 5 {
        sec = ""; name = $NF
        for (i = 1; i <= NF; i++) if ($i ~ /^(\.(data|bss|tdata|tbss)|\*COM\*)/) sec = $i
        if (sec == "" || sec ~ /^\.data\.rel\.ro/ || name == sec) next
        if ($0 !~ / O / && sec !~ /^\.t(data|bss)/) next   # thread-locals carry no O flag
        sub(/\.[0-9]+$/, "", name)             # static locals: name.N
        if (name ~ /^(\.|__)/) next             # compiler and sanitizer internals
        print member, name, sec
    }' | LC_ALL=C sort -u)

if [ $list = yes ]; then
    printf '%s\n' "$found"
    exit 0
fi
missing=0
for name in $(printf '%s\n' "$found" | awk 'NF { print $2 }' | LC_ALL=C sort -u); do
    if ! grep -q "\`$name\`" "$doc"; then
        where=$(printf '%s\n' "$found" | awk -v n="$name" '$2 == n { printf "%s(%s) ", $1, $3 }')
        echo "check-globals: mutable global '$name' in $where has no ruling in doc/threads/bindings.md" >&2
        missing=$((missing + 1))
    fi
done
if [ $missing -ne 0 ]; then
    echo "check-globals: FAIL: $missing without a ruling: move the state into js_runtime/js_thread/js_realm, or add a row" >&2
    exit 1
fi
echo "check-globals: every mutable global in the library has a ruling"
