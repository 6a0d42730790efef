#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# smoke.sh - the fuzz harnesses' smoke test for make check: each harness
# runs over its seed corpus and then 5 s of fresh inputs (TAP, one line per
# harness). Skips when configure found no clang with libFuzzer.
set -u
: "${top_srcdir:?run this through make check}"

if [ "${HAVE_FUZZER:-no}" != yes ]; then
	echo "1..0 # SKIP no clang with libFuzzer (install clang and libclang-rt-14-dev, then configure again)"
	exit 0
fi
exec sh "$top_srcdir/tests/fuzz/run.sh" --tap --bindir "$FUZZ_BINDIR" --corpus "$top_srcdir/tests/fuzz/corpus" \
	--seconds "${FUZZ_SMOKE_SECONDS:-5}" ${FUZZ_TARGETS:?run this through make check}
