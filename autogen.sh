#!/bin/sh
# autogen.sh - generates configure and Makefile.in from a git checkout
# (release tarballs ship them). Needs autoconf, automake, libtool, pkgconf.
set -e
cd "$(dirname "$0")"
mkdir -p build-aux m4
autoreconf --force --install --verbose "$@"
echo "Now run ./configure (./configure --help lists the options)."
