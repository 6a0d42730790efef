#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Profile (not in make bench): perf record -g of radiusd during the same
# EAP-TLS load as member_compare.sh, for stock `eap`, rlm_cowork as shipped
# (registry check inside the handshake) and rlm_cowork with OCSP instead. Writes PROFILE_OUT/perf.SETUP.data and a
# `perf report --stdio --no-children` summary PROFILE_OUT/report.SETUP.txt
# (self time by symbol) and report-children.SETUP.txt (inclusive).
#
# Usage: PROFILE_OUT=/tmp/prof PARALLEL=8 REPEATS=100 sh tests/bench/member_profile.sh
# Ports 18320-18331.
. "$top_srcdir/tests/integration/harness.sh"

PARALLEL=${PARALLEL:-8}
REPEATS=${REPEATS:-100}
REVOKED=${REVOKED:-100000}
PROFILE_OUT=${PROFILE_OUT:-$TMP/profile}
SETUPS=${PROFILE_SETUPS:-stock cowork cowork-ocsp}
mkdir -p "$PROFILE_OUT"

init_state "$TMP/state" >/dev/null &&
member_space alice && mkdir -p "$TMP/certs" &&
cowork cert issue alice --out "$TMP/certs/alice" >/dev/null || { not_ok "set-up"; exit 1; }
. "$top_srcdir/tests/bench/member_lib.sh"

data=$(state_with "$REVOKED" 0) || { not_ok "data"; exit 1; }
stock_config stock "$data" 18320 && cowork_config cowork "$data" 18326 hook &&
	cowork_config cowork-ocsp "$data" 18329 ocsp || { not_ok "config dirs"; exit 1; }
for s in $SETUPS; do
	start "$s" || { not_ok "radiusd ($s) starts"; exit 1; }
	warm "$s"
done
for s in $SETUPS; do
	perf record -q -g -F 2000 -p "$(pid_of "$s")" -o "$PROFILE_OUT/perf.$s.data" >/dev/null 2>&1 &
	perf=$!
	sleep 0.5
	set -- $(measure "$s")
	kill -INT $perf
	wait $perf
	echo "$s $1 $2 $TICK" | awk '{ printf "%-13s %d auths, %.3f ms CPU/auth\n", $1, $3, $2 / $4 * 1000 / $3 }'
	perf report -i "$PROFILE_OUT/perf.$s.data" --stdio --no-children --sort dso,symbol 2>/dev/null |
		grep -v '^$' | grep '%' | head -n 60 >"$PROFILE_OUT/report.$s.txt"
	perf report -i "$PROFILE_OUT/perf.$s.data" --stdio --children --sort symbol -g none 2>/dev/null |
		grep '%' | head -n 80 >"$PROFILE_OUT/report-children.$s.txt"
done
ok "profiles in $PROFILE_OUT"
