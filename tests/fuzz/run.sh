#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# run.sh - run libFuzzer harnesses for a bounded time each and report.
#
#   run.sh --bindir DIR --corpus DIR [--seconds N | --runs N] [--tap] TARGET...
#
# Each harness DIR/fuzz_TARGET starts from a copy of the seed corpus
# CORPUS/TARGET (the repository's corpus is never modified) and runs for N
# seconds (or N inputs), with 1 GiB of memory at most. Prints a line per
# harness: executions, coverage, corpus size, and "crash" with the input
# that broke a check (kept under the work directory) or "ok". With --tap,
# prints TAP instead. Exit status 1 if any harness crashed, 2 on usage.
set -u

bindir= corpus= seconds= runs= tap=
while [ $# -gt 0 ]; do
	case $1 in
	--bindir) bindir=$2; shift 2 ;;
	--corpus) corpus=$2; shift 2 ;;
	--seconds) seconds=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--tap) tap=1; shift ;;
	--) shift; break ;;
	-*) echo "run.sh: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ -n "$bindir" ] && [ -n "$corpus" ] && [ $# -gt 0 ] && { [ -n "$seconds" ] || [ -n "$runs" ]; } || {
	echo "usage: run.sh --bindir DIR --corpus DIR (--seconds N | --runs N) [--tap] TARGET..." >&2
	exit 2
}
case ${seconds:-1}${runs:-1} in *[!0-9]*) echo "run.sh: --seconds and --runs take a whole number" >&2; exit 2 ;; esac

work=$(mktemp -d "${TMPDIR:-/tmp}/cowork-fuzz.XXXXXX") || exit 2
failed=0 n=0
[ -n "$tap" ] && echo "1..$#"
for t in "$@"; do
	n=$((n + 1))
	mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
	[ -d "$corpus/$t" ] && cp "$corpus/$t"/* "$work/$t/corpus/" 2>/dev/null
	seeds=$(ls "$work/$t/corpus" | wc -l)
	if [ -n "$runs" ]; then limit="-runs=$runs"; else limit="-max_total_time=$seconds"; fi
	# A hard stop in case a harness hangs: the time limit plus a minute.
	timeout $(( ${seconds:-60} + 60 )) "$bindir/fuzz_$t" $limit -rss_limit_mb=1024 -timeout=10 \
		-print_final_stats=1 -artifact_prefix="$work/$t/artifacts/" "$work/$t/corpus" >"$work/$t/log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t/log")
	cov=$(sed -n 's/^#[0-9]*[[:space:]]*DONE[[:space:]]*cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\).*/cov \1, features \2, corpus \3/p' "$work/$t/log")
	line="fuzz_$t: ${execs:-?} executions from $seeds seeds; ${cov:-no final stats}"
	if [ $rc -ne 0 ]; then
		failed=$((failed + 1))
		artifact=$(ls "$work/$t/artifacts" 2>/dev/null | head -n 1)
		if [ -n "$tap" ]; then
			echo "not ok $n - $line"
			grep -E "fuzz check failed|ERROR: |SUMMARY|runtime error" "$work/$t/log" | head -n 10 | sed 's/^/# /'
			echo "# input: $work/$t/artifacts/$artifact (exit $rc)"
		else
			echo "$line: CRASH (exit $rc), input $work/$t/artifacts/$artifact"
			grep -E "fuzz check failed|ERROR: |SUMMARY|runtime error" "$work/$t/log" | head -n 10
		fi
	else
		if [ -n "$tap" ]; then echo "ok $n - $line"; else echo "$line: ok"; fi
	fi
done
if [ $failed -eq 0 ]; then
	rm -rf "$work"
else
	echo "# logs and crashing inputs kept in $work"
fi
[ $failed -eq 0 ]
