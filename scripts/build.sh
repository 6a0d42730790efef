#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# build.sh [BUILDDIR [CONFIGURE-OPTIONS...]] - configure and build out of tree
# (default: build/). Used by run-demo.sh and test.sh.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-build}
[ $# -gt 0 ] && shift
case $dir in /*) ;; *) dir=$top/$dir ;; esac

cd "$top"
[ -x configure ] && [ configure -nt configure.ac ] && [ -f Makefile.in ] && [ Makefile.in -nt Makefile.am ] ||
	autoreconf -fi
mkdir -p "$dir"
cd "$dir"
[ -f Makefile ] && [ config.status -nt "$top/configure" ] || "$top/configure" "$@"
make -j"$(nproc)"
