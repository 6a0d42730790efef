#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The member path end to end: a real radiusd with rlm_cowork on loopback,
# eapol_test as the access point and supplicant, certificates and registry
# made by coworkctl.
. "$top_srcdir/tests/integration/harness.sh"

PORT=18120
CERTS=$TMP/certs
mkdir -p "$CERTS"

init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
base_space &&
cowork ssid add Staff --class staff >/dev/null &&
cowork tenant add acme >/dev/null &&
cowork member add alice --tenant acme --until 2027-12-31 >/dev/null &&
add_members bob dora || { not_ok "registry set-up"; exit 1; }

issue alice "$CERTS/alice" && ALICE=$SERIAL &&
issue bob "$CERTS/bob" && issue dora "$CERTS/dora" && DORA=$SERIAL ||
	{ not_ok "cert issue"; exit 1; }
A="$CERTS/alice/alice.pem $CERTS/alice/alice.key"
B="$CERTS/bob/bob.pem $CERTS/bob/bob.key"
D="$CERTS/dora/dora.pem $CERTS/dora/dora.key"

server_start "$TMP/state" $PORT || { not_ok "radiusd starts with rlm_cowork"; exit 1; }
ok "radiusd starts with rlm_cowork loaded"
PID=$server_pid
if [ -n "$RADIUSD_PRELOAD" ]; then
	has "sanitizer build: radiusd runs with the ASan runtime and the instrumented module" "libasan" \
		"/proc/$server_pid/maps"
fi

# shellcheck disable=SC2086
eap_accept "alice (tenant acme) gets Access-Accept on the tenant VLAN 100" 100 alice $A CoworkMembers
eap_accept "bob (no tenant) gets the shared members VLAN 190" 190 bob $B CoworkMembers
eap_accept "TLS 1.3 handshake: alice accepted on VLAN 100" 100 alice $A CoworkMembers "tls_disable_tlsv1_3=0"
has "the accept is logged with member, certificate and VLAN" \
	"cowork: accept: member alice of tenant acme, certificate $ALICE: VLAN 100" "$server_log"

eap_reject "a member certificate on the Staff SSID is rejected" alice $A Staff
has "the log names the staff SSID" 'reject \(bad-ssid\): SSID "Staff" is a staff SSID' "$server_log"
eap_reject "a member certificate on the guest SSID is rejected" alice $A CoworkGuest
eap_reject "an SSID the registry does not know is rejected" alice $A "Some Cafe"
has "the log names the unknown SSID" 'SSID "Some Cafe" is not in the registry' "$server_log"

# No Called-Station-Id at all: the SSID cannot be checked.
cat >"$TMP/eapol-nossid.conf" <<CONF
network={
	key_mgmt=WPA-EAP
	eap=TLS
	identity="alice"
	ca_cert="$STATE/ca/ca.pem"
	client_cert="$CERTS/alice/alice.pem"
	private_key="$CERTS/alice/alice.key"
}
CONF
if "$EAPOL_TEST" -c "$TMP/eapol-nossid.conf" -a 127.0.0.1 -p $PORT -s testing123 -t 10 >"$TMP/nossid.log" 2>&1; then
	not_ok "a request without Called-Station-Id is rejected"
else
	ok "a request without Called-Station-Id is rejected"
fi
has "the log says the SSID is unknown" "no Called-Station-Id" "$server_log"

# Revocation takes effect at the very next authentication, same server process.
cowork cert revoke "$ALICE" --reason key-compromise >/dev/null
eap_reject "alice's revoked certificate is rejected at the next attempt" alice $A CoworkMembers
eap_reject "... with TLS 1.3 as well" alice $A CoworkMembers "tls_disable_tlsv1_3=0"
has "the log gives the revocation reason" "reject \\(revoked\\): certificate $ALICE of alice was revoked .*key-compromise" \
	"$server_log"
[ "$server_pid" = "$PID" ] && server_running && ok "no restart happened (same radiusd process)" ||
	not_ok "no restart happened (same radiusd process)"
issue alice "$CERTS/alice2" && A2="$CERTS/alice2/alice.pem $CERTS/alice2/alice.key" ||
	not_ok "a new certificate for alice"
eap_accept "alice's new certificate is accepted" 100 alice $A2 CoworkMembers

# Suspension and resumption.
cowork member suspend bob >/dev/null
eap_reject "suspended bob is rejected" bob $B CoworkMembers
has "the log says bob is suspended" "reject \\(suspended\\): member bob is suspended" "$server_log"
cowork member resume bob >/dev/null
eap_accept "bob is accepted again after resume" 190 bob $B CoworkMembers

# A certificate signed by our CA but unknown to the registry.
"$SQLITE3" "$STATE/registry.db" "DELETE FROM cert WHERE serial = '$DORA'"
eap_reject "a certificate our CA signed but the registry does not hold is rejected" dora $D CoworkMembers
has "the log says it was not issued by this registry" "reject \\(unknown-cert\\): certificate $DORA" "$server_log"

# A membership that has ended (time passed since `member add`).
"$SQLITE3" "$STATE/registry.db" "UPDATE member SET valid_from = strftime('%s','now') - 3600, valid_until = strftime('%s','now') - 60, until_date = '2026-01-01' WHERE name = 'bob'"
eap_reject "a member whose membership has ended is rejected" bob $B CoworkMembers
has "the log says the membership ended" "reject \\(membership-ended\\): membership of bob ended" "$server_log"
"$SQLITE3" "$STATE/registry.db" "UPDATE member SET valid_until = NULL, until_date = NULL WHERE name = 'bob'"

# A staff VLAN slipped into the registry behind coworkctl's back is never sent.
"$SQLITE3" "$STATE/registry.db" "UPDATE tenant SET vlan = 10 WHERE name = 'acme'"
eap_reject "a tenant VLAN in the staff range gives a reject, not an accept" alice $A2 CoworkMembers
has "the log reports the staff VLAN as an error" "ERROR: .*reject \\(bad-vlan\\).*VLAN 10 is a staff VLAN" "$server_log"
"$SQLITE3" "$STATE/registry.db" "UPDATE tenant SET vlan = 100 WHERE name = 'acme'"

# A foreign CA with the same names, issuing a certificate with alice's CN and serial.
F=$TMP/foreign
mkdir -p "$F"
cat >"$F/req.cnf" <<'CNF'
[req]
distinguished_name = dn
prompt = no
[dn]
[ca]
basicConstraints = critical,CA:TRUE,pathlen:0
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[leaf]
basicConstraints = critical,CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
CNF
# The registry keeps both names in the form FreeRADIUS shows (X509_NAME_oneline).
CA_SUBJECT=$("$SQLITE3" "$STATE/registry.db" "SELECT value FROM setting WHERE key = 'ca_subject'")
SUBJECT=$("$SQLITE3" "$STATE/registry.db" "SELECT subject FROM cert WHERE serial = (SELECT serial FROM cert c JOIN member m ON m.id = c.member_id WHERE m.name = 'alice' AND c.revoked_at IS NULL)")
NEWSERIAL=$("$SQLITE3" "$STATE/registry.db" "SELECT c.serial FROM cert c JOIN member m ON m.id = c.member_id WHERE m.name = 'alice' AND c.revoked_at IS NULL")
"$OPENSSL" req -x509 -config "$F/req.cnf" -extensions ca -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$F/ca.key" -out "$F/ca.pem" -subj "$CA_SUBJECT" -days 30 >"$F/openssl.log" 2>&1 &&
"$OPENSSL" req -new -config "$F/req.cnf" -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$F/alice.key" \
	-out "$F/alice.csr" -subj "$SUBJECT" >>"$F/openssl.log" 2>&1 &&
"$OPENSSL" x509 -req -in "$F/alice.csr" -CA "$F/ca.pem" -CAkey "$F/ca.key" -set_serial "0x$NEWSERIAL" -days 30 \
	-extfile "$F/req.cnf" -extensions leaf -out "$F/alice.pem" >>"$F/openssl.log" 2>&1
if [ -s "$F/alice.pem" ]; then
	ok "made a foreign CA with our CA's name and a certificate with alice's subject and serial"
else
	not_ok "made a foreign CA with our CA's name and a certificate with alice's subject and serial" \
		"$(cat "$F/openssl.log")"
fi
eap_reject "the foreign certificate is rejected (the handshake trusts only our CA)" alice "$F/alice.pem" "$F/alice.key" \
	CoworkMembers

# The registry made unreadable, replaced by garbage, or removed while the
# server runs: rejects with the reason in the log, never a crash.
cp -p "$STATE/registry.db" "$TMP/registry.backup"
chmod 000 "$STATE/registry.db"
if [ -z "$RADIUS_USER" ] && [ "$(id -u)" = 0 ]; then
	ok "# SKIP radiusd runs as root here, which reads a mode-000 file anyway"
else
	eap_reject "a registry made unreadable mid-run gives a reject" alice $A2 CoworkMembers
	has "the log says the registry is not readable" "reject \\(internal-error\\): registry .* is not readable" \
		"$server_log"
fi
chmod 0640 "$STATE/registry.db"
eap_accept "... and accepts again once it is readable" 100 alice $A2 CoworkMembers
mv "$STATE/registry.db" "$TMP/registry.moved"
eap_reject "a missing registry gives a reject" alice $A2 CoworkMembers
has "the log says the registry is missing" "reject \\(internal-error\\): registry .*: No such file or directory" "$server_log"
head -c 4096 /dev/urandom >"$STATE/registry.db"
chmod 0644 "$STATE/registry.db"
eap_reject "a registry replaced by garbage gives a reject" alice $A2 CoworkMembers
has "the log says it is not a registry" "reject \\(internal-error\\).*(not a database|file is not a database)" "$server_log"
cp -p "$TMP/registry.backup" "$STATE/registry.db"
eap_accept "the restored registry is used at once" 100 alice $A2 CoworkMembers

# A registry locked by a writer beyond the module's wait (2 s) gives a reject.
( echo "BEGIN EXCLUSIVE;"; echo "UPDATE setting SET value = value WHERE key = 'org';"; sleep 4; echo "COMMIT;" ) |
	"$SQLITE3" "$STATE/registry.db" &
LOCKER=$!
sleep 0.5
eap_reject "a registry locked by a writer gives a reject after the busy timeout" alice $A2 CoworkMembers
has "the log says the registry is locked" "reject \\(internal-error\\).*locked" "$server_log"
wait $LOCKER
eap_accept "the lock released, alice is accepted again" 100 alice $A2 CoworkMembers

server_running && ok "radiusd is still running after all of this" || not_ok "radiusd is still running after all of this"
lacks "no crash or assertion in radiusd's log" "(Segmentation|SIGSEGV|Assertion|AddressSanitizer|runtime error)" \
	"$server_log"
lacks "no private key material in radiusd's log" "PRIVATE KEY" "$server_log"

# Misconfigured trust: cowork_eap trusting a second CA. The module still
# refuses the foreign certificate (its details differ from what we issued).
server_stop
cat "$STATE/ca/ca.pem" "$F/ca.pem" >"$TMP/both-cas.pem"
chmod 0644 "$TMP/both-cas.pem"
server_config "$TMP/state" $PORT &&
	sed -i "s|ca_file = .*|ca_file = $TMP/both-cas.pem|" "$CONF/mods-enabled/cowork_eap" &&
	server_run || not_ok "radiusd restarts trusting two CAs"
eap_reject "with a second CA trusted by mistake, the module still rejects the foreign certificate" alice \
	"$F/alice.pem" "$F/alice.key" CoworkMembers
has "the log says the certificate is not ours" "reject \\(wrong-issuer\\): certificate" "$server_log"
eap_accept "and still accepts alice's real certificate" 100 alice $A2 CoworkMembers

# Misconfigured site: cowork_eap without the certificate-check server. The
# outer post-auth decides again, so a revoked certificate still gets no Accept.
server_stop
server_config "$TMP/state" $PORT && sed -i "/virtual_server = cowork-check-eap-tls/d" "$CONF/mods-enabled/cowork_eap" &&
	server_run || not_ok "radiusd restarts without the check server"
eap_accept "without the check server, alice is still accepted with her VLAN (post-auth)" 100 alice $A2 CoworkMembers
eap_reject "without the check server, a revoked certificate is still rejected (post-auth)" alice $A CoworkMembers
has "the post-auth refusal is logged" "reject \\(revoked\\): certificate $ALICE" "$server_log"
# What the supplicant got: an Access-Reject with EAP-Failure (code 4), and no keys.
REJECT=$(awk '/RADIUS message: code=3 \(Access-Reject\)/ { r = 1; next } r && /RADIUS message:/ { exit }
	r && /Attribute 79 \(EAP-Message\)/ { getline; sub(/.*Value: /, ""); print "eap=" substr($0, 1, 2) }
	r && /Attribute 26 \(Vendor-Specific\)/ { print "vsa" }' "$TMP/eapol-alice.log" | tr '\n' ' ')
if [ "$REJECT" = "eap=04 " ]; then
	ok "... the Access-Reject carries an EAP-Failure and no MPPE keys"
else
	not_ok "... the Access-Reject carries an EAP-Failure and no MPPE keys" "got: $REJECT"
fi
lacks "... and a valid Message-Authenticator (eapol_test accepted it without the exemption)" \
	"without Message-Authenticator|Invalid Message-Authenticator" "$TMP/eapol-alice.log"
