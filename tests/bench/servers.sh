# SPDX-License-Identifier: GPL-2.0-or-later
# servers.sh - radiusd processes side by side for the benchmarks (sourced
# after harness.sh): the module copied where radiusd's user can read it,
# start NAME for the config dir $TMP/raddb-NAME, pid_of NAME, and every
# started server killed at exit.

TICK=$(getconf CLK_TCK)
PIDS=
trap 'for p in $PIDS; do kill $p 2>/dev/null; done; finish' EXIT

# The module where radiusd's user can read it (as server_config does).
mkdir -p "$TMP/lib" && cp "$top_builddir/rlm_cowork/.libs/rlm_cowork.so" "$TMP/lib/" && chmod 0755 "$TMP/lib"

# start NAME: radiusd on $TMP/raddb-NAME, ready within 60 s (a large CRL
# or registry is not read at start, but be generous); PID in PID_<name>.
start() {
	log=$TMP/radiusd-$1.log
	if [ -n "${RADIUSD_PRELOAD:-}" ]; then
		LD_PRELOAD="${RADIUSD_PRELOAD:-}" ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0:verify_asan_link_order=0" \
			"$FREERADIUS" -f -l stdout -d "$TMP/raddb-$1" >"$log" 2>&1 &
	else
		"$FREERADIUS" -f -l stdout -d "$TMP/raddb-$1" >"$log" 2>&1 &
	fi
	pid=$!
	PIDS="$PIDS $pid"
	eval "PID_$(echo "$1" | tr -- - _)=$pid"
	i=0
	while [ $i -lt 600 ]; do
		grep -q "Ready to process requests" "$log" && return 0
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	diag "radiusd ($1) did not start" "$(tail -n 20 "$log")"
	return 1
}

pid_of() {
	eval "echo \$PID_$(echo "$1" | tr -- - _)"
}

