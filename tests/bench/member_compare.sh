#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark (not a test): radiusd's CPU time and latency per EAP-TLS
# authentication (TLS 1.2, full handshake, same client certificate) for
#
#   stock      stock FreeRADIUS `eap` with the same CA and server certificate,
#              no revocation check
#   stock-crl  the same with check_crl = yes and a CRL of REVOKED serials
#              (`coworkctl crl` from the registry below: signed by the CA)
#   cowork     rlm_cowork as shipped (the registry check inside the TLS
#              handshake, eap_module; then check-eap-tls), with REVOKED
#              revoked certificates and their members in the registry
#   cowork-ocsp   the same with the OCSP alternative instead of the hook
#              (cowork_eap's ocsp asks rlm_cowork's responder)
#   cowork-after  the same with no check inside the handshake (registry
#              check after the handshake only)
#
# The five servers run side by side; each round sends the same load to each
# in turn (PARALLEL eapol_test processes, REPEATS authentications each). CPU:
# utime + stime (+ children) of radiusd from /proc/PID/stat. Latency: the
# wall time of each EAP exchange as seen by eapol_test (EAP start to
# success), p50 and p99 over all exchanges of the setup. Bar: cowork at most
# 1.05 x stock per authentication.
#
# Usage (from make bench): ROUNDS=5 PARALLEL=8 REPEATS=100 REVOKED=100000 sh tests/bench/member_compare.sh
# Ports 18320-18334. Data sets cached in $BENCH_CACHE if set.
. "$top_srcdir/tests/integration/harness.sh"

ROUNDS=${ROUNDS:-5}
PARALLEL=${PARALLEL:-8}
REPEATS=${REPEATS:-100}
REVOKED=${REVOKED:-100000}
AUTHS=$((PARALLEL * REPEATS))
SETUPS="stock stock-crl cowork cowork-ocsp cowork-after"

init_state "$TMP/state" >/dev/null &&
member_space alice && mkdir -p "$TMP/certs" &&
cowork cert issue alice --out "$TMP/certs/alice" >/dev/null || { not_ok "set-up"; exit 1; }
. "$top_srcdir/tests/bench/member_lib.sh"

t0=$(date +%s.%N)
data=$(state_with "$REVOKED" 0) || { not_ok "registry with $REVOKED revoked certificates"; exit 1; }
t1=$(date +%s.%N)
capath=$(crl_dir "$data") || { not_ok "CRL of $REVOKED serials"; exit 1; }
t2=$(date +%s.%N)
echo "$t0 $t1 $t2 $REVOKED $(wc -c <"$capath/crl.pem")" |
	awk '{ printf "# data: %d revoked certificates in the registry (SQL) %.1f s; CRL (coworkctl crl) %.1f s, %d bytes PEM\n", $4, $2 - $1, $3 - $2, $5 }'

stock_config stock "$data" 18320 &&
	stock_config stock-crl "$data" 18323 "$capath" &&
	cowork_config cowork "$data" 18326 hook &&
	cowork_config cowork-ocsp "$data" 18329 ocsp &&
	cowork_config cowork-after "$data" 18332 after || { not_ok "config dirs"; exit 1; }
for s in $SETUPS; do
	start "$s" || { not_ok "radiusd ($s) starts"; exit 1; }
done
ok "five radiusd setups run side by side"

# Warm-up: loads the CRL, opens the registry.
for s in $SETUPS; do warm "$s"; done

rounds 13

echo
printf '%-13s %9s %8s %8s %8s\n' setup "ms CPU/a" "p50 ms" "p99 ms" "ratio"
for s in $SETUPS; do
	echo "$s $(percentiles "$TMP/lat-all.$s")"
done >"$TMP/pct"
awk -v tick="$TICK" '
	FNR == NR { p50[$1] = $2; p99[$1] = $3; next }
	{ t[$1] += $2; n[$1] += $3 }
	END {
		split("stock stock-crl cowork cowork-ocsp cowork-after", order, " ")
		for (s in n) ms[s] = n[s] ? t[s] / tick * 1000 / n[s] : 0
		for (i = 1; i <= 5; i++) {
			s = order[i]
			printf "%-13s %9.3f %8s %8s %8s\n", s, ms[s], p50[s], p99[s], ms["stock"] ? sprintf("%.2f", ms[s] / ms["stock"]) : "-"
		}
		if (ms["stock"] > 0)
			printf "summary: rlm_cowork %.3f ms CPU/auth = %.2f x stock eap (%.3f ms; bar <= 1.05: %s); with OCSP instead %.2f x; no check in the handshake %.2f x; stock + CRL of %d %.2f x\n",
				ms["cowork"], ms["cowork"] / ms["stock"], ms["stock"],
				ms["cowork"] / ms["stock"] <= 1.05 ? "met" : "MISSED",
				ms["cowork-ocsp"] / ms["stock"], ms["cowork-after"] / ms["stock"], revoked, ms["stock-crl"] / ms["stock"]
	}' revoked="$REVOKED" "$TMP/pct" "$TMP/results"

all_authenticated
