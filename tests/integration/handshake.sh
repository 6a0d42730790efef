#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Revocation inside the TLS handshake, as shipped: rlm_cowork hooks the
# certificate verification of cowork_eap's TLS context (eap_module) and
# checks the client certificate in the registry there. A revoked
# certificate, a suspended member or a certificate the registry does not
# know must fail the handshake itself (a TLS alert instead of the server's
# Finished, EAP-Failure), with the reason in radiusd's log and a row in the
# access log; a change in the registry counts at the next handshake; the
# hook survives a HUP; a wrong eap_module stops the server from starting.
# (The OCSP alternative: handshake_ocsp.sh.)
# Ports: 18240 (auth), 18241 (acct).
. "$top_srcdir/tests/integration/harness.sh"

PORT=18240
. "$top_srcdir/tests/integration/handshake_lib.sh"

server_start "$TMP/state" $PORT || { not_ok "radiusd starts"; exit 1; }
ok "radiusd starts with the shipped configuration"
has "the module hooked cowork_eap's handshakes" \
	"client certificates of cowork_eap are checked in the registry inside the TLS handshake" "$server_log"
lacks "... and runs no OCSP responder (the alternative is off)" "OCSP responder on" "$server_log"

# log_row DESC PATTERN: the access log gets a row matching PATTERN (JSON) within 5 s.
log_row() {
	i=0
	while [ $i -lt 50 ] && ! cowork log show --json | grep -q "$2"; do
		sleep 0.1
		i=$((i + 1))
	done
	cowork log show --json | grep -q "$2" && ok "$1" || not_ok "$1" "$(cowork log show | tail -n 5)"
}

# shellcheck disable=SC2086
eap_accept "a valid member is accepted (TLS 1.2)" 100 alice $A CoworkMembers
has "... the supplicant finished the handshake" "Handshake finished" "$TMP/eapol-alice.log"
eap_accept "a valid member is accepted (TLS 1.3)" 100 alice $A CoworkMembers "$TLS13"
lacks "no refusal for the valid member" "refused certificate $ALICE" "$server_log"

# The hook does not use the pre-signed OCSP answers.
"$SQLITE3" "$STATE/registry.db" "DELETE FROM cert_ocsp WHERE serial = '$ALICE'"
eap_accept "a certificate without an OCSP answer is accepted (the hook does not need one)" 100 alice $A CoworkMembers

# Revoked: refused while OpenSSL verifies the certificate.
cowork cert revoke "$CAROL" --reason key-compromise >/dev/null
eap_reject "a revoked certificate is rejected (TLS 1.2)" carol $C CoworkMembers
handshake_failed "... inside the handshake: EAP-Failure before the server's Finished" carol
has "... radiusd logged the refusal with the registry's reason" \
	"refused certificate $CAROL in the TLS handshake: reject \\(revoked\\): certificate $CAROL of carol was revoked .*key-compromise" \
	"$server_log"
has "... the server's TLS stack sent the alert certificate_revoked" "Alert write:fatal:certificate revoked" "$server_log"
has "... radiusd's auth line gives the reason" "Login incorrect \\(eap_tls: reject \\(revoked\\): certificate $CAROL of carol was revoked" \
	"$server_log"
lacks "... check-eap-tls never ran for it" "cowork: WARNING: reject \\(revoked\\)" "$server_log"
log_row "the access log has the refusal's row, with the SSID" \
	"\"reason\":\"revoked\",\"class\":\"member\",\"member\":\"carol\",\"device\":\"[0-9a-f]*\",\"nas\":\"127.0.0.1\",\"ssid\":\"CoworkMembers\""
eap_reject "a revoked certificate is rejected (TLS 1.3)" carol $C CoworkMembers "$TLS13"
has "... TLS 1.3: the supplicant gets CTRL-EVENT-EAP-FAILURE" "CTRL-EVENT-EAP-FAILURE" "$TMP/eapol-carol.log"
lacks "... TLS 1.3: no EAP-Success" "CTRL-EVENT-EAP-SUCCESS" "$TMP/eapol-carol.log"

# Suspended, then resumed: the next handshake follows the registry at once.
cowork member suspend bob >/dev/null
eap_reject "a suspended member is rejected" bob $B CoworkMembers
handshake_failed "... inside the handshake" bob
has "... radiusd logged why" "refused certificate $BOB in the TLS handshake: reject \\(suspended\\): member bob is suspended" \
	"$server_log"
cowork member resume bob >/dev/null
eap_accept "after resume the member is accepted at once, same server" 190 bob $B CoworkMembers

# Signed by our CA but not in the registry (a registry restored from an old backup).
"$SQLITE3" "$STATE/registry.db" "PRAGMA foreign_keys = ON; DELETE FROM cert_ocsp WHERE serial = '$DAVE';
	DELETE FROM cert WHERE serial = '$DAVE'" || not_ok "dave's certificate removed from the registry"
eap_reject "a certificate the registry does not know is rejected" dave $D CoworkMembers
handshake_failed "... inside the handshake" dave
has "... radiusd says why" "refused certificate $DAVE in the TLS handshake: reject \\(unknown-cert\\): certificate $DAVE was not issued by this registry" "$server_log"
log_row "... and the access log has its row" "\"reason\":\"unknown-cert\",\"class\":\"member\",\"member\":null"


config_check "radiusd -C accepts the configuration while the server runs"

# HUP: the module is instantiated again (the eap module is not): the hook
# moves to the new instance.
hup_cowork
eap_accept "after the HUP a valid member is accepted" 100 alice $A CoworkMembers
eap_reject "after the HUP a revoked certificate is still refused in the handshake" carol $C CoworkMembers
handshake_failed "... inside the handshake" carol
cowork member suspend alice >/dev/null
eap_reject "after the HUP a suspension counts at the next handshake" alice $A CoworkMembers
handshake_failed "... inside the handshake" alice
cowork member resume alice >/dev/null

server_running && ok "radiusd is still running" || not_ok "radiusd is still running"
lacks "no crash or sanitizer report in radiusd's log" "(Segmentation|SIGSEGV|Assertion|AddressSanitizer|runtime error)" \
	"$server_log"
lacks "no private key material in radiusd's log" "PRIVATE KEY" "$server_log"
server_stop

# eap_module naming no eap module: the server does not start (fail closed).
server_config "$TMP/state" $PORT &&
	sed -i 's|^	eap_module = .*|	eap_module = nosuch_eap|' "$CONF/mods-enabled/cowork" || not_ok "config with eap_module = nosuch_eap"
radiusd -f -l stdout -d "$CONF" >"$TMP/radiusd-bad.log" 2>&1
rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 124 ] &&
	grep -q 'eap_module "nosuch_eap": there is no `eap nosuch_eap { ... }` in modules' "$TMP/radiusd-bad.log"; then
	ok "an eap_module that does not exist stops radiusd from starting, saying why"
else
	not_ok "an eap_module that does not exist stops radiusd from starting, saying why" "exit $rc" \
		"$(tail -n 5 "$TMP/radiusd-bad.log")"
fi

# eap_module = "": only the check after the handshake. The revoked device
# is still rejected, but only after its handshake completed.
server_config "$TMP/state" $PORT &&
	sed -i 's|^	eap_module = .*|	eap_module = ""|' "$CONF/mods-enabled/cowork" && server_run ||
	not_ok "radiusd starts with eap_module = \"\""
has "... warning that the handshake is not checked" "eap_module is empty: certificates are checked in the registry only after the TLS handshake" \
	"$server_log"
eap_reject "without the hook a revoked certificate is still rejected" carol $C CoworkMembers
has "... but only after the handshake finished on the supplicant's side" "Handshake finished" "$TMP/eapol-carol.log"
has "... by check-eap-tls" "cowork: WARNING: reject \\(revoked\\): certificate $CAROL" "$server_log"
eap_accept "... and a valid member is accepted" 100 alice $A CoworkMembers
server_stop

