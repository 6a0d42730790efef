#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark (not a test): does the EAP-TLS member path grow with the
# registry? rlm_cowork as shipped (registry check inside the handshake,
# then check-eap-tls) with SIZES members, each with one valid and one revoked
# certificate (so SIZES valid and SIZES revoked certificates), generated
# with SQL; and stock FreeRADIUS `eap` with check_crl and CRLs of CRL_SIZES
# revoked serials (`coworkctl crl` from the same registries), which grows.
#
# All servers run side by side; each round sends the same load (PARALLEL
# eapol_test processes, REPEATS full TLS 1.2 handshakes each) to each in
# turn. Figures: radiusd CPU per authentication (/proc/PID/stat) and the
# p50/p99 wall time of each EAP exchange. Bar: rlm_cowork flat from the
# smallest to the largest size (ratio largest / smallest within noise,
# judged <= 1.05).
#
# Usage (from make bench): ROUNDS=3 PARALLEL=8 REPEATS=25 SIZES="1000 100000 1000000" \
#     CRL_SIZES="1000 100000 1000000" sh tests/bench/member_growth.sh
# Ports 18320-18339. Data sets cached in $BENCH_CACHE if set.
. "$top_srcdir/tests/integration/harness.sh"

ROUNDS=${ROUNDS:-3}
PARALLEL=${PARALLEL:-8}
REPEATS=${REPEATS:-25}
SIZES=${SIZES:-1000 100000 1000000}
CRL_SIZES=${CRL_SIZES:-1000 100000 1000000}
AUTHS=$((PARALLEL * REPEATS))

init_state "$TMP/state" >/dev/null &&
member_space alice && mkdir -p "$TMP/certs" &&
cowork cert issue alice --out "$TMP/certs/alice" >/dev/null || { not_ok "set-up"; exit 1; }
. "$top_srcdir/tests/bench/member_lib.sh"

SETUPS=
port=18330
for n in $SIZES; do
	t0=$(date +%s.%N)
	data=$(state_with "$n" 1) || { not_ok "registry with $n members"; exit 1; }
	t1=$(date +%s.%N)
	echo "$n $t0 $t1 $(du -k "$data/registry.db" | cut -f1)" |
		awk '{ printf "# data: %d members, %d valid + %d revoked certificates (SQL): %.1f s, registry %d MB\n", $1, $1, $1, $3 - $2, $4 / 1024 }'
	cowork_config "cowork-$n" "$data" $port hook || { not_ok "config cowork-$n"; exit 1; }
	SETUPS="$SETUPS cowork-$n"
	port=$((port + 3))
done
port=18320
for n in $CRL_SIZES; do
	t0=$(date +%s.%N)
	data=$(state_with "$n" 1) && capath=$(crl_dir "$data") || { not_ok "CRL of $n"; exit 1; }
	t1=$(date +%s.%N)
	echo "$n $t0 $t1 $(wc -c <"$capath/crl.pem")" |
		awk '{ printf "# data: CRL of %d serials (coworkctl crl): %.1f s, %d kB PEM\n", $1, $3 - $2, $4 / 1024 }'
	stock_config "crl-$n" "$data" $port "$capath" || { not_ok "config crl-$n"; exit 1; }
	SETUPS="$SETUPS crl-$n"
	port=$((port + 3))
done
for s in $SETUPS; do
	start "$s" || { not_ok "radiusd ($s) starts"; exit 1; }
done
ok "radiusd setups run side by side:$SETUPS"

# Warm-up: the first authentication loads the CRL (timed: that is the
# CRL setup's cold start) and opens the registry.
for s in $SETUPS; do
	pid=$(pid_of "$s")
	c0=$(cpu "$pid")
	t0=$(date +%s.%N)
	warm "$s"
	t1=$(date +%s.%N)
	echo "$s $t0 $t1 $(($(cpu "$pid") - c0)) $TICK $(awk '/VmRSS/ { print $2 }' "/proc/$pid/status")" |
		awk '{ printf "# warm-up %-14s 6 auths: %.2f s wall, %.3f s CPU; RSS after %d MB\n", $1, $3 - $2, $4 / $5, $6 / 1024 }'
done

rounds 14

echo
for s in $SETUPS; do
	echo "$s $(percentiles "$TMP/lat-all.$s")"
done >"$TMP/pct"
first_cw=cowork-$(echo $SIZES | cut -d' ' -f1)
last_cw=cowork-$(echo $SIZES | awk '{ print $NF }')
first_crl=crl-$(echo $CRL_SIZES | cut -d' ' -f1)
last_crl=crl-$(echo $CRL_SIZES | awk '{ print $NF }')
printf '%-14s %9s %8s %8s %14s\n' setup "ms CPU/a" "p50 ms" "p99 ms" "vs smallest"
awk -v tick="$TICK" -v order="$SETUPS" -v fc="$first_cw" -v lc="$last_cw" -v fr="$first_crl" -v lr="$last_crl" '
	FNR == NR { p50[$1] = $2; p99[$1] = $3; next }
	{ t[$1] += $2; n[$1] += $3 }
	END {
		k = split(order, o, " ")
		for (s in n) ms[s] = n[s] ? t[s] / tick * 1000 / n[s] : 0
		for (i = 1; i <= k; i++) {
			s = o[i]; base = (s ~ /^cowork/) ? fc : fr
			printf "%-14s %9.3f %8s %8s %14s\n", s, ms[s], p50[s], p99[s], ms[base] ? sprintf("%.2f", ms[s] / ms[base]) : "-"
		}
		if (ms[fc] > 0 && ms[fr] > 0)
			printf "summary: rlm_cowork %s -> %s: %.3f -> %.3f ms CPU/auth (x%.2f; bar flat, <= 1.05: %s), p99 %s -> %s ms; stock eap + CRL %s -> %s: %.3f -> %.3f ms (x%.2f), p99 %s -> %s ms\n",
				fc, lc, ms[fc], ms[lc], ms[lc] / ms[fc], ms[lc] / ms[fc] <= 1.05 ? "met" : "MISSED", p99[fc], p99[lc],
				fr, lr, ms[fr], ms[lr], ms[lr] / ms[fr], p99[fr], p99[lr]
	}' "$TMP/pct" "$TMP/results"

all_authenticated
