#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# test.sh - the README's test command: install what is needed, build, and run
# the whole test suite (unit and integration tests) twice: in a normal build
# (build/) and in an AddressSanitizer + UndefinedBehaviorSanitizer build
# (build-asan/), the module running inside the real radiusd in both.
set -u

top=$(cd "$(dirname "$0")/.." && pwd)
sh "$top/scripts/install-deps.sh" || exit 1

status=0
for flavour in build build-asan; do
	if [ $flavour = build-asan ]; then
		set -- --enable-sanitizers
	else
		set --
	fi
	echo "=== $flavour: build and make check ==="
	if ! sh "$top/scripts/build.sh" $flavour "$@"; then
		echo "test.sh: $flavour: build failed" >&2
		status=1
		continue
	fi
	# Parallel test jobs: each integration test has its own ports and files.
	if ! make -C "$top/$flavour" -j"$(nproc)" check; then
		status=1
		# Show what failed, bounded.
		for log in "$top/$flavour"/tests/*/*.log; do
			[ -f "$log" ] || continue
			grep -q '^not ok\|^ERROR:\|^FAIL:' "$log" 2>/dev/null || continue
			echo "--- $log (last 80 lines) ---"
			tail -n 80 "$log"
		done
	fi
done
exit $status
