# SPDX-License-Identifier: GPL-2.0-or-later
# guest_common.sh - shared by the guest-path benchmarks (guest_compare.sh,
# guest_growth.sh): radiusd's CPU time, one load run with radload, and the
# derivation of a stock radiusd config dir from rlm_cowork's.
#
# Source after tests/integration/harness.sh (which sets RADLOAD unless make did).

TICK=$(getconf CLK_TCK)

# cpu PID: utime + stime + cutime + cstime of radiusd (all its threads), in ticks.
cpu() {
	awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat"
}

# load PID PORT COUNT [STATIONS]: COUNT requests from radload with
# $PARALLEL outstanding; sets LOAD_TICKS, LOAD_ANSWERED, LOAD_ACCEPTED,
# LOAD_P50, LOAD_P99, LOAD_TIMEOUTS (the radload line stays in $TMP/radload.out).
# With LOAD_DUMP=FILE, every latency goes to FILE (radload --dump).
load() {
	ld_before=$(cpu "$1")
	"$RADLOAD" --server 127.0.0.1:"$2" --secret testing123 --count "$3" --stations "${4:-1000}" \
		--parallel "${PARALLEL:-32}" --timeout 2000 --retries 3 ${LOAD_DUMP:+--dump "$LOAD_DUMP"} \
		>"$TMP/radload.out" 2>"$TMP/radload.err"
	ld_rc=$?
	ld_after=$(cpu "$1")
	LOAD_TICKS=$((ld_after - ld_before))
	field() { sed -n "s/.*\<$1=\([0-9]*\).*/\1/p" "$TMP/radload.out"; }
	LOAD_ANSWERED=$(field answered); LOAD_ANSWERED=${LOAD_ANSWERED:-0}
	LOAD_ACCEPTED=$(field accepted); LOAD_ACCEPTED=${LOAD_ACCEPTED:-0}
	LOAD_TIMEOUTS=$(field timeouts); LOAD_TIMEOUTS=${LOAD_TIMEOUTS:-0}
	LOAD_P50=$(field p50_us); LOAD_P50=${LOAD_P50:-0}
	LOAD_P99=$(field p99_us); LOAD_P99=${LOAD_P99:-0}
	[ "$ld_rc" -le 1 ] || diag "radload exited $ld_rc: $(cat "$TMP/radload.err")"
}

# us_per_request TICKS ANSWERED: CPU microseconds per answered request.
us_per_request() {
	echo "$1 $TICK $2" | awk '{ if ($3) printf "%.1f", $1 / $2 * 1e6 / $3; else print "-" }'
}

# stock_confdir DIR FROM_CONF PORT: a config dir for stock radiusd derived
# from rlm_cowork's (same radiusd.conf and clients), with no module and no
# site yet; the caller adds them, then calls stock_confdir_done DIR.
stock_confdir() {
	mkdir -p "$1/mods-enabled" "$1/sites-enabled" "$1/mods-config" "$1/run" "$1/log"
	sed -e "s|^raddbdir = .*|raddbdir = $1|" -e "s|^logdir = .*|logdir = $1/log|" -e "s|^run_dir = .*|run_dir = $1/run|" \
		"$2/radiusd.conf" >"$1/radiusd.conf"
	cp "$2/clients.conf" "$1/"
}

stock_confdir_done() {
	chmod -R go-w "$1"
	if [ -n "$RADIUS_USER" ]; then
		chown -R "$RADIUS_USER" "$1/run" "$1/log" && chgrp -R "$RADIUS_USER" "$1"
	fi
}

# guest_requests_ok ANSWERED EXPECTED: at least 99 % answered.
guest_requests_ok() {
	[ "$1" -ge $(($2 * 99 / 100)) ]
}
