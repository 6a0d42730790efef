#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# RadSec (RADIUS over TLS, RFC 6614): the shipped cowork-radsec listener
# serves a NAS whose client certificate comes from `nas add --radsec` (the
# NAS CA) and refuses every other TLS client: none, a member's certificate
# (member CA), a certificate from another CA. The test NAS is radsecproxy:
# radtest and eapol_test speak UDP to it on loopback, it forwards over TLS
# with a client certificate, as radsecproxy on an access point or at a site
# would.
. "$top_srcdir/tests/integration/harness.sh"

PORT=18560		# UDP auth (accounting 18561, OCSP 18562)
RADSEC=18563		# the RadSec listener
RSP_NAS=18564		# radsecproxy with the NAS certificate
RSP_MEMBER=18565	# ... with a member's certificate
RSP_OTHER=18566		# ... with a certificate of another CA
RSP_REMOVED=18567	# ... with the certificate of a removed NAS
RSP_AP2=18568		# ... with the certificate of a NAS still defined
RADSECPROXY=${RADSECPROXY:-radsecproxy}
CERTS=$TMP/certs
STA=AA-BB-CC-DD-EE-FF
GUEST=02-00-00-00-00-01:CoworkGuest
rsp_pids=

command -v "$RADSECPROXY" >/dev/null || { echo "1..0 # SKIP radsecproxy is not installed (scripts/install-deps.sh)"; exit 0; }

# Stop every radsecproxy this test started, then the harness's own cleanup.
stop_proxies() {
	for p in $rsp_pids; do stop_pid "$p" 30; done
	rsp_pids=
}
trap 'stop_proxies; finish' EXIT

init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
standard_space alice || { not_ok "registry set-up"; exit 1; }
mkdir -p "$CERTS"
issue alice || { not_ok "cert issue alice"; exit 1; }
P1=$(passphrase CoworkGuest)
printf 'radsec-test-secret-0123\n' >"$TMP/nas.secret"
chmod 0600 "$TMP/nas.secret"

# --- coworkctl nas add --radsec ---------------------------------------------------

if cowork nas add ap1 --address 127.0.0.1 --secret-file "$TMP/nas.secret" --radsec --out "$CERTS/ap1" \
	>"$TMP/nasadd.out" 2>&1; then
	ok "nas add --radsec issues a NAS certificate"
else
	not_ok "nas add --radsec issues a NAS certificate" "$(cat "$TMP/nasadd.out")"
fi
modes=$(stat -c '%n %a' "$CERTS/ap1/ap1.key" "$CERTS/ap1/ap1.pem" "$STATE/nas-ca/ca.key" | sed "s|$TMP/||g" | tr '\n' ' ')
[ "$modes" = "certs/ap1/ap1.key 600 certs/ap1/ap1.pem 644 state/nas-ca/ca.key 600 " ] &&
	ok "the NAS key and the NAS CA key are 0600" || not_ok "the NAS key and the NAS CA key are 0600" "$modes"

# subject_of FILE: the subject of a certificate, one line.
subject_of() { "$OPENSSL" x509 -in "$1" -noout -subject -nameopt RFC2253 | sed 's/^subject=//'; }
issuer_of() { "$OPENSSL" x509 -in "$1" -noout -issuer -nameopt RFC2253 | sed 's/^issuer=//'; }

if [ "$(issuer_of "$CERTS/ap1/ap1.pem")" = "$(subject_of "$STATE/nas-ca/ca.pem")" ] &&
	[ "$(issuer_of "$CERTS/ap1/ap1.pem")" != "$(subject_of "$STATE/ca/ca.pem")" ] &&
	"$OPENSSL" verify -CAfile "$STATE/nas-ca/ca.pem" "$CERTS/ap1/ap1.pem" >/dev/null 2>&1 &&
	! "$OPENSSL" verify -CAfile "$STATE/ca/ca.pem" "$CERTS/ap1/ap1.pem" >/dev/null 2>&1; then
	ok "the NAS certificate is signed by the NAS CA, not by the member CA"
else
	not_ok "the NAS certificate is signed by the NAS CA, not by the member CA" \
		"issuer $(issuer_of "$CERTS/ap1/ap1.pem"), NAS CA $(subject_of "$STATE/nas-ca/ca.pem")"
fi
if ! "$OPENSSL" verify -CAfile "$STATE/nas-ca/ca.pem" "$CERTS/alice/alice.pem" >/dev/null 2>&1 &&
	! cmp -s "$STATE/nas-ca/ca.pem" "$STATE/ca/ca.pem"; then
	ok "a member certificate does not verify against the NAS CA"
else
	not_ok "a member certificate does not verify against the NAS CA"
fi
"$OPENSSL" x509 -in "$CERTS/ap1/ap1.pem" -noout -ext extendedKeyUsage 2>/dev/null | grep -q 'TLS Web Client Authentication' &&
	! "$OPENSSL" x509 -in "$CERTS/ap1/ap1.pem" -noout -ext extendedKeyUsage | grep -q 'Server' &&
	[ "$(subject_of "$CERTS/ap1/ap1.pem")" = "CN=ap1,O=Test Space" ] &&
	ok "the NAS certificate is CN=<NAS name>, for TLS client authentication only" ||
	not_ok "the NAS certificate is CN=<NAS name>, for TLS client authentication only" "$(subject_of "$CERTS/ap1/ap1.pem")"
cmp -s "$CERTS/ap1/server-ca.pem" "$STATE/ca/ca.pem" &&
	"$OPENSSL" verify -CAfile "$CERTS/ap1/server-ca.pem" "$STATE/server/server.pem" >/dev/null 2>&1 &&
	cmp -s "$CERTS/ap1/nas-ca.pem" "$STATE/nas-ca/ca.pem" &&
	ok "server-ca.pem verifies the server certificate; nas-ca.pem is the NAS CA" ||
	not_ok "server-ca.pem verifies the server certificate; nas-ca.pem is the NAS CA"

SERIAL_AP1=$(sed -n 's/.*RadSec client certificate .* (serial \([0-9a-f]*\)).*/\1/p' "$TMP/nasadd.out")
AP1_CERT_SERIAL=$("$OPENSSL" x509 -in "$CERTS/ap1/ap1.pem" -noout -serial | sed 's/^serial=//' | tr 'A-F' 'a-f' | sed 's/^0*//')
cowork nas list --json >"$TMP/naslist.json" 2>&1
if [ -n "$SERIAL_AP1" ] && [ "$(echo "$SERIAL_AP1" | sed 's/^0*//')" = "$AP1_CERT_SERIAL" ] &&
	grep -q "\"radsec_serial\":\"$SERIAL_AP1\"" "$TMP/naslist.json"; then
	ok "nas list shows the NAS certificate's serial"
else
	not_ok "nas list shows the NAS certificate's serial" "printed '$SERIAL_AP1', certificate '$AP1_CERT_SERIAL'" "$(cat "$TMP/naslist.json")"
fi

# A second NAS reuses the same NAS CA.
cowork nas add ap2 --address 127.0.0.2 --secret-file "$TMP/nas.secret" --radsec --out "$CERTS/ap2" >/dev/null 2>&1 &&
	[ "$(issuer_of "$CERTS/ap2/ap2.pem")" = "$(subject_of "$STATE/nas-ca/ca.pem")" ] &&
	cmp -s "$CERTS/ap1/nas-ca.pem" "$CERTS/ap2/nas-ca.pem" &&
	ok "a second NAS gets its certificate from the same NAS CA" ||
	not_ok "a second NAS gets its certificate from the same NAS CA"

# A certificate of another CA, with the same organisation and CN.
"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj "/O=Test Space/CN=Test Space NAS CA" \
	-keyout "$CERTS/other-ca.key" -out "$CERTS/other-ca.pem" >/dev/null 2>&1 &&
"$OPENSSL" req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/O=Test Space/CN=ap1" \
	-keyout "$CERTS/other.key" -out "$CERTS/other.csr" >/dev/null 2>&1 &&
printf 'extendedKeyUsage = clientAuth\nbasicConstraints = critical,CA:FALSE\n' >"$CERTS/other.ext" &&
"$OPENSSL" x509 -req -in "$CERTS/other.csr" -CA "$CERTS/other-ca.pem" -CAkey "$CERTS/other-ca.key" -CAcreateserial \
	-days 30 -extfile "$CERTS/other.ext" -out "$CERTS/other.pem" >/dev/null 2>&1 || { not_ok "another CA"; exit 1; }

# --- the server with the RadSec listener ---------------------------------------------

server_config "$TMP/state" $PORT || { not_ok "radiusd config"; exit 1; }
sh "$top_srcdir/scripts/mkconfdir.sh" --src "$top_srcdir" --state "$TMP/state" --confdir "$CONF" --libdir "$TMP/lib" \
	--auth-port $PORT --acct-port $((PORT + 1)) --radsec-port $RADSEC ${RADIUS_USER:+--user "$RADIUS_USER"} ||
	{ not_ok "radiusd config with --radsec-port"; exit 1; }
grep -q "ca_file = $TMP/state/nas-ca/trust.pem" "$CONF/sites-enabled/cowork-radsec" &&
	! grep -Eq "ca_file = .*/ca/ca.pem|ca_path" "$CONF/sites-enabled/cowork-radsec" &&
	[ "$(grep -c 'BEGIN CERTIFICATE' "$STATE/nas-ca/trust.pem")" = 1 ] &&
	"$OPENSSL" x509 -in "$STATE/nas-ca/trust.pem" -noout 2>/dev/null &&
	cmp -s "$STATE/nas-ca/ca.pem" "$("$OPENSSL" x509 -in "$STATE/nas-ca/trust.pem" -out "$TMP/trust-cert.pem"; echo "$TMP/trust-cert.pem")" &&
	"$OPENSSL" crl -in "$STATE/nas-ca/trust.pem" -noout -CAfile "$STATE/nas-ca/ca.pem" 2>&1 | grep -q 'verify OK' &&
	ok "the RadSec listener's only trust anchor is the NAS CA, with its CRL" ||
	not_ok "the RadSec listener's only trust anchor is the NAS CA, with its CRL" \
		"$(grep -n 'ca_' "$CONF/sites-enabled/cowork-radsec")" "$(cat "$STATE/nas-ca/trust.pem")"
server_run || { not_ok "radiusd starts with the RadSec listener"; exit 1; }
ok "radiusd starts with the RadSec listener on $RADSEC"

# proxy PORT CERT KEY: start radsecproxy on UDP 127.0.0.1:PORT forwarding
# over TLS to the RadSec listener with CERT/KEY; waits until it listens.
proxy() {
	px=$TMP/rsp-$1
	cat >"$px.conf" <<CONF
ListenUDP 127.0.0.1:$1
LogLevel 5
LogDestination file://$px.log
client localhost {
	host 127.0.0.1
	type udp
	secret testing123
}
tls nas {
	CACertificateFile $CERTS/ap1/server-ca.pem
	CertificateFile $2
	CertificateKeyFile $3
}
server radiusd {
	host 127.0.0.1
	port $RADSEC
	type tls
	tls nas
	secret radsec
	CertificateNameCheck off
	MatchCertificateAttribute SubjectAltName:DNS:/^radius\.test\.example\$/
	StatusServer off
}
realm * {
	server radiusd
	accountingServer radiusd
}
CONF
	: >"$px.log"
	"$RADSECPROXY" -f -c "$px.conf" >"$px.out" 2>&1 &
	rsp_pids="$rsp_pids $!"
	# Its log is buffered: wait for its UDP socket instead (at most 5 s).
	px_i=0
	while [ $px_i -lt 50 ]; do
		[ -n "$(ss -Hlun "sport = :$1" 2>/dev/null)" ] && return 0
		kill -0 $! 2>/dev/null || return 1
		sleep 0.1
		px_i=$((px_i + 1))
	done
	return 1
}

# rs_mac NAME UDPPORT: a hostapd-style guest MAC authentication through the proxy on UDPPORT.
rs_mac() {
	"$RADTEST" --server 127.0.0.1:$2 --secret testing123 --timeout 3000 --mac $STA --called "$GUEST" \
		>"$TMP/$1.out" 2>"$TMP/$1.err"
}

proxy $RSP_NAS "$CERTS/ap1/ap1.pem" "$CERTS/ap1/ap1.key" || { not_ok "radsecproxy with the NAS certificate starts"; exit 1; }
rs_mac nas $RSP_NAS
if [ "$(field nas code)" = Access-Accept ] && [ "$(field nas tunnel_password)" = "$P1" ]; then
	ok "over RadSec with the NAS certificate, a guest MAC authentication gets the Accept with the passphrase"
else
	not_ok "over RadSec with the NAS certificate, a guest MAC authentication gets the Accept with the passphrase" \
		"$(cat "$TMP/nas.out" "$TMP/nas.err")" "$(tail -n 20 "$TMP/rsp-$RSP_NAS.log")"
fi

AUTH_PORT_UDP=$AUTH_PORT
AUTH_PORT=$RSP_NAS
eap_accept "over RadSec with the NAS certificate, a member's EAP-TLS gets the Accept on its VLAN" 190 \
	alice "$CERTS/alice/alice.pem" "$CERTS/alice/alice.key" CoworkMembers
AUTH_PORT=$AUTH_PORT_UDP

# tls_refused NAME PORT CERT KEY DESC: radsecproxy with CERT gets no answer,
# and radiusd refused the handshake ("unknown CA" alert) once more than before.
tls_refused() {
	n_before=$(grep -c 'Alert write:fatal:unknown CA' "$server_log")
	proxy "$2" "$3" "$4" || { not_ok "$5" "radsecproxy did not start: $(cat "$TMP/rsp-$2.out")"; return; }
	rs_mac "$1" "$2"
	n_after=$(grep -c 'Alert write:fatal:unknown CA' "$server_log")
	if [ -n "$(field "$1" code)" ]; then
		not_ok "$5" "got an answer: $(cat "$TMP/$1.out")"
	elif [ "$n_after" -le "$n_before" ]; then
		not_ok "$5" "no TLS refusal in radiusd's log" "$(tail -n 20 "$TMP/rsp-$2.log")"
	else
		ok "$5"
	fi
}

tls_refused member $RSP_MEMBER "$CERTS/alice/alice.pem" "$CERTS/alice/alice.key" \
	"with a member's certificate (member CA), the TLS handshake is refused and nothing is answered"
tls_refused other $RSP_OTHER "$CERTS/other.pem" "$CERTS/other.key" \
	"with a certificate of another CA (same names), the TLS handshake is refused and nothing is answered"

# No client certificate at all: openssl s_client, which sends none unless
# asked, its input held open (at most 2 s) so that it reads the server's alert.
n_before=$(grep -c 'Alert write:fatal:handshake failure' "$server_log")
sleep 2 | timeout 10 "$OPENSSL" s_client -connect 127.0.0.1:$RADSEC -CAfile "$CERTS/ap1/server-ca.pem" \
	-verify_return_error >"$TMP/nocert.out" 2>&1
nocert_rc=$?
n_after=$(grep -c 'Alert write:fatal:handshake failure' "$server_log")
# The server closes before its Finished: the client reads its alert or the end of the stream.
if [ "$nocert_rc" != 0 ] && grep -Eq 'alert handshake failure|unexpected eof while reading' "$TMP/nocert.out" &&
	[ "$n_after" -gt "$n_before" ]; then
	ok "without a client certificate, the TLS handshake is refused"
else
	not_ok "without a client certificate, the TLS handshake is refused" "s_client exit $nocert_rc" "$(grep -i 'alert\|error' "$TMP/nocert.out")"
fi

# --- nas remove revokes the certificate ------------------------------------------------

stop_proxies
if cowork nas remove ap1 >"$TMP/remove.out" 2>&1 && grep -q "RadSec certificate is revoked" "$TMP/remove.out" &&
	"$OPENSSL" crl -in "$STATE/nas-ca/trust.pem" -noout -text | grep -qi "Serial Number: *0*$(echo "$AP1_CERT_SERIAL" | tr 'a-f' 'A-F')" &&
	"$OPENSSL" crl -in "$STATE/nas-ca/trust.pem" -noout -text | grep -q "Cessation Of Operation"; then
	ok "nas remove puts the NAS certificate on the NAS CA's CRL (cessationOfOperation)"
else
	not_ok "nas remove puts the NAS certificate on the NAS CA's CRL (cessationOfOperation)" "$(cat "$TMP/remove.out")" \
		"$("$OPENSSL" crl -in "$STATE/nas-ca/trust.pem" -noout -text)"
fi
server_stop
server_run || { not_ok "radiusd restarts with the new CRL"; exit 1; }
n_before=$(grep -c 'certificate revoked' "$server_log")
proxy $RSP_REMOVED "$CERTS/ap1/ap1.pem" "$CERTS/ap1/ap1.key" || { not_ok "radsecproxy with ap1's certificate starts"; exit 1; }
rs_mac removed $RSP_REMOVED
n_after=$(grep -c 'certificate revoked' "$server_log")
if [ -z "$(field removed code)" ] && [ "$n_after" -gt "$n_before" ]; then
	ok "after nas remove and a restart, the removed NAS's certificate is refused (certificate revoked)"
else
	not_ok "after nas remove and a restart, the removed NAS's certificate is refused (certificate revoked)" \
		"answer: $(cat "$TMP/removed.out")"
fi
proxy $RSP_AP2 "$CERTS/ap2/ap2.pem" "$CERTS/ap2/ap2.key" || { not_ok "radsecproxy with ap2's certificate starts"; exit 1; }
rs_mac ap2 $RSP_AP2
[ "$(field ap2 code)" = Access-Accept ] && [ "$(field ap2 tunnel_password)" = "$P1" ] &&
	ok "... while another NAS's certificate is still served" ||
	not_ok "... while another NAS's certificate is still served" "$(cat "$TMP/ap2.out" "$TMP/ap2.err")"

# What radiusd trusts must not be writable by others: coworkctl refuses to work on it.
chmod o+w "$STATE/nas-ca/trust.pem"
if cowork nas list >"$TMP/modes.out" 2>&1; then
	not_ok "a world-writable nas-ca/trust.pem is refused" "$(cat "$TMP/modes.out")"
else
	grep -q "trust.pem is writable by" "$TMP/modes.out" && ok "a world-writable nas-ca/trust.pem is refused" ||
		not_ok "a world-writable nas-ca/trust.pem is refused" "$(cat "$TMP/modes.out")"
fi
chmod o-w "$STATE/nas-ca/trust.pem"

diag "radiusd's TLS refusals:" "$(grep -i 'tls\|certificate' "$server_log" | grep -i 'fail\|error\|alert\|verify' | head -n 12)"
