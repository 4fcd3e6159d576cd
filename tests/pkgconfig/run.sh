#!/bin/sh
# run.sh - builds tests/pkgconfig/hello.c against the library in the build
# tree through `pkg-config jsengine` (which picks jsengine-uninstalled.pc),
# runs it and expects "42".
set -u
srcdir=${srcdir:-$(dirname "$0")/../..}
top_builddir=${top_builddir:-.}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
CC=${CC:-cc}
build=$(cd "$top_builddir" && pwd)
out="$build/tests/pkgconfig/hello"
mkdir -p "$build/tests/pkgconfig"

if [ ! -f "$build/jsengine-uninstalled.pc" ]; then
    echo "pkgconfig test: $build/jsengine-uninstalled.pc is missing" >&2
    exit 99
fi
PKG_CONFIG_PATH="$build${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
export PKG_CONFIG_PATH
unset PKG_CONFIG_DISABLE_UNINSTALLED
static=""
ls "$build"/lib/.libs/libjsengine.so* >/dev/null 2>&1 || static="--static"
flags=$($PKG_CONFIG --cflags --libs $static jsengine) || { echo "pkg-config failed" >&2; exit 1; }
echo "pkg-config --cflags --libs jsengine: $flags"
case $flags in
    *"$build"*) ;;
    *) echo "pkgconfig test: pkg-config did not pick the build tree's jsengine-uninstalled.pc" >&2; exit 1 ;;
esac
# shellcheck disable=SC2086
$CC ${CFLAGS:-} "$srcdir/tests/pkgconfig/hello.c" -o "$out" $flags ${LDFLAGS:-} || exit 1
got=$(LD_LIBRARY_PATH="$build/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$out") || { echo "hello exited with $?" >&2; exit 1; }
echo "hello printed: $got"
[ "$got" = 42 ] || exit 1
