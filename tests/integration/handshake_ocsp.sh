#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Revocation inside the TLS handshake, the OCSP alternative (not the
# shipped default, see handshake.sh): a real radiusd whose cowork_eap asks
# rlm_cowork's OCSP responder while it verifies the client certificate.
# A revoked certificate or a suspended member must fail the handshake
# itself (no server Finished, EAP-Failure), with the reason in radiusd's
# log; resume works at once; an unreachable responder refuses everyone; a
# certificate without a pre-signed answer is refused until `cert ocsp-sign`.
# Ports: 18280 (auth), 18281 (acct), 18282 (OCSP), 18283 (closed on purpose),
# 18284-18285 (a second server that must not start).
. "$top_srcdir/tests/integration/harness.sh"

PORT=18280
OCSP_PORT=18282
CLOSED_PORT=18283
. "$top_srcdir/tests/integration/handshake_lib.sh"

answers=$("$SQLITE3" "$STATE/registry.db" "SELECT count(*) FROM cert_ocsp")
[ "$answers" = 4 ] && ok "cert issue stored a pre-signed OCSP answer with each certificate" ||
	not_ok "cert issue stored a pre-signed OCSP answer with each certificate" "cert_ocsp rows: $answers"

# ocsp_config: $CONF switched from the registry hook to OCSP, as the
# comments of mods-available/cowork and cowork_eap say.
ocsp_config() {
	sed -i -e "s|^#	ocsp_port = .*|	ocsp_port = $OCSP_PORT|" -e 's|^	eap_module = .*|	eap_module = ""|' \
		"$CONF/mods-enabled/cowork" &&
		sed -i '/ocsp {/,/}/s/enable = no/enable = yes/' "$CONF/mods-enabled/cowork_eap" &&
		grep -q "^	ocsp_port = $OCSP_PORT\$" "$CONF/mods-enabled/cowork" &&
		grep -q '^	eap_module = ""' "$CONF/mods-enabled/cowork" &&
		grep -q "enable = yes" "$CONF/mods-enabled/cowork_eap"
}

server_config "$TMP/state" $PORT && ocsp_config && server_run || { not_ok "radiusd starts with OCSP on"; exit 1; }
ok "radiusd starts with cowork_eap's OCSP check and the module's responder"
has "the responder listens on the auth port + 2" "OCSP responder on 127.0.0.1:$OCSP_PORT" "$server_log"

# shellcheck disable=SC2086
eap_accept "a valid member is accepted with OCSP on (TLS 1.2)" 100 alice $A CoworkMembers
has "... the supplicant finished the handshake" "Handshake finished" "$TMP/eapol-alice.log"
eap_accept "a valid member is accepted with OCSP on (TLS 1.3)" 100 alice $A CoworkMembers "$TLS13"
lacks "no OCSP refusal for the valid member" "refused certificate $ALICE" "$server_log"

# Revoked: refused by the responder during certificate verification.
cowork cert revoke "$CAROL" --reason key-compromise >/dev/null
eap_reject "a revoked certificate is rejected (TLS 1.2)" carol $C CoworkMembers
handshake_failed "... inside the handshake: EAP-Failure before the server's Finished" carol
has "... the responder logged the refusal with the registry's reason" \
	"OCSP: refused certificate $CAROL in the TLS handshake \\(unauthorized\\): reject \\(revoked\\): certificate $CAROL of carol was revoked .*key-compromise" \
	"$server_log"
has "... the server's TLS stack aborted the handshake with a fatal alert" "Alert write:fatal" "$server_log"
has "... radiusd's auth line names the OCSP failure" "Login incorrect \\(eap_tls: ocsp: Response status: unauthorized\\): \\[carol\\]" \
	"$server_log"
has "... post-auth logged the refusal (check-eap-tls never ran)" "cowork: WARNING: reject \\(revoked\\): certificate $CAROL" \
	"$server_log"
eap_reject "a revoked certificate is rejected (TLS 1.3)" carol $C CoworkMembers "$TLS13"
has "... TLS 1.3: the supplicant gets CTRL-EVENT-EAP-FAILURE" "CTRL-EVENT-EAP-FAILURE" "$TMP/eapol-carol.log"
lacks "... TLS 1.3: no EAP-Success" "CTRL-EVENT-EAP-SUCCESS" "$TMP/eapol-carol.log"

# The refusals are in the access log, as rows of the decision.
i=0
while [ $i -lt 50 ] && ! cowork log show --json | grep -q "\"reason\":\"revoked\",\"class\":\"member\",\"member\":\"carol\""; do
	sleep 0.1
	i=$((i + 1))
done
cowork log show --json | grep -q "\"reason\":\"revoked\",\"class\":\"member\",\"member\":\"carol\"" &&
	ok "the access log has the revoked certificate's refusal row" ||
	not_ok "the access log has the revoked certificate's refusal row" "$(cowork log show)"

# Suspended, then resumed: the next handshake follows the registry at once.
cowork member suspend bob >/dev/null
eap_reject "a suspended member is rejected" bob $B CoworkMembers
handshake_failed "... inside the handshake" bob
has "... the responder logged why" "OCSP: refused certificate $BOB in the TLS handshake \\(unauthorized\\): reject \\(suspended\\): member bob is suspended" \
	"$server_log"
cowork member resume bob >/dev/null
eap_accept "after resume the member is accepted at once, same server" 190 bob $B CoworkMembers

# A certificate from before this version: no pre-signed answer.
"$SQLITE3" "$STATE/registry.db" "DELETE FROM cert_ocsp WHERE serial = '$DAVE'"
eap_reject "a certificate without a pre-signed answer is refused" dave $D CoworkMembers
handshake_failed "... inside the handshake" dave
has "... the log names the command that fixes it" \
	"OCSP: refused certificate $DAVE .*has no pre-signed OCSP answer: run .coworkctl cert ocsp-sign." "$server_log"
run_rc 3 "status asks for attention" cowork status
has "... naming cert ocsp-sign" "1 certificate has no OCSP answer: with the OCSP alternative .*run coworkctl cert ocsp-sign" "$TMP/out"
run_rc 0 "cert ocsp-sign signs what is missing" cowork cert ocsp-sign
has "... exactly dave's" "^signed +$DAVE +dave" "$TMP/out"
has "... and says how many others had one" "1 OCSP answer signed; 2 certificates already had one" "$TMP/out"
eap_accept "after cert ocsp-sign the certificate is accepted" 190 dave $D CoworkMembers
cowork status --json >"$TMP/out" 2>&1
has "status counts no certificate without an answer" '"certificates_without_ocsp_answer":0' "$TMP/out"
lacks "... and no longer asks for cert ocsp-sign" "ocsp-sign" "$TMP/out"

run_rc 0 "cert ocsp-sign again signs nothing" cowork cert ocsp-sign --json
has "... an empty list" '"signed":\[\],"already_signed":3' "$TMP/out"
run_rc 0 "cert ocsp-sign --all re-signs every certificate that may connect" cowork cert ocsp-sign --all
has "... the three unrevoked ones" "3 OCSP answers signed" "$TMP/out"
lacks "... not the revoked one" "$CAROL" "$TMP/out"
eap_accept "a re-signed answer is served" 100 alice $A CoworkMembers
run_rc 0 "cert ocsp-sign SERIAL re-signs one" cowork cert ocsp-sign "$(echo "$BOB" | tr a-f A-F)"
has "... bob's" "^signed +$BOB +bob" "$TMP/out"
run_rc 1 "cert ocsp-sign refuses a revoked certificate" cowork cert ocsp-sign "$CAROL"
has "... saying why" "is unknown, revoked or expired" "$TMP/err"
run_rc 2 "cert ocsp-sign refuses a malformed serial" cowork cert ocsp-sign "xyz"
run_rc 2 "cert ocsp-sign refuses SERIALs with --all" cowork cert ocsp-sign --all "$BOB"
run_rc 0 "cert ocsp-sign --help" cowork cert ocsp-sign --help
chmod 0640 "$STATE/ca/ca.key"
run_rc 1 "cert ocsp-sign refuses a CA key that others can read" cowork cert ocsp-sign --all
chmod 0600 "$STATE/ca/ca.key"


# A configuration check while the server runs must not need the port.
config_check "radiusd -C succeeds while the server holds the OCSP port"

# HUP: the module is instantiated again while the old instance lives on;
# the new one shares the port instead of failing to bind it.
hup_cowork
lacks "... without an error about the port" "cannot listen on 127.0.0.1:$OCSP_PORT" "$server_log"
eap_accept "after the HUP a valid member is accepted" 100 alice $A CoworkMembers
eap_reject "after the HUP a revoked certificate is still refused in the handshake" carol $C CoworkMembers
handshake_failed "... inside the handshake" carol

# A second server wanting the same OCSP port fails to start, saying why.
R2=$TMP/raddb2
cp -a "$CONF" "$R2"
sed -i -e "s|$CONF|$R2|g" "$R2/radiusd.conf"
sed -i -e "s|port = $PORT\$|port = 18284|" -e "s|port = $((PORT + 1))\$|port = 18285|" "$R2/sites-enabled/cowork"
radiusd -f -l stdout -d "$R2" >"$TMP/radiusd2.log" 2>&1
rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -q "cannot listen on 127.0.0.1:$OCSP_PORT: Address already in use" "$TMP/radiusd2.log"; then
	ok "a second server on the same OCSP port refuses to start with a clear error"
else
	not_ok "a second server on the same OCSP port refuses to start with a clear error" "exit $rc" \
		"$(tail -n 5 "$TMP/radiusd2.log")"
fi

server_running && ok "radiusd is still running" || not_ok "radiusd is still running"
lacks "no crash or sanitizer report in radiusd's log" "(Segmentation|SIGSEGV|Assertion|AddressSanitizer|runtime error)" \
	"$server_log"

# Fail closed: cowork_eap pointed at a port where nothing listens.
server_stop
server_config "$TMP/state" $PORT && ocsp_config &&
	sed -i "s|url = \"http://127.0.0.1:$OCSP_PORT/\"|url = \"http://127.0.0.1:$CLOSED_PORT/\"|" "$CONF/mods-enabled/cowork_eap" &&
	grep -q "127.0.0.1:$CLOSED_PORT/" "$CONF/mods-enabled/cowork_eap" && server_run ||
	not_ok "radiusd starts with the OCSP url on a closed port"
eap_reject "with the responder unreachable a valid member is refused (fail closed)" alice $A CoworkMembers
handshake_failed "... inside the handshake" alice
has "... and the log says the registry would accept but the OCSP check failed" \
	"reject \\(internal-error\\): certificate $ALICE of alice failed the OCSP check in the TLS handshake although the registry accepts it" \
	"$server_log"
eap_reject "... and so is everyone else" bob $B CoworkMembers
lacks "no private key material in radiusd's log" "PRIVATE KEY" "$server_log"
