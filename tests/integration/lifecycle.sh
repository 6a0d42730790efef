#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The certificate lifecycle end to end: renewal (the old certificate kept or
# revoked with --revoke-old), a membership whose --until date passes (the
# module's test clock), `member remove`, the CRL read back with openssl,
# and expiry as `cert list --expiring` and `status` report it; against a
# real radiusd with eapol_test, certificates and registry made by coworkctl.
. "$top_srcdir/tests/integration/harness.sh"

PORT=18200
CERTS=$TMP/certs
mkdir -p "$CERTS"

init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
ERIN_UNTIL=$(date -d tomorrow +%F)
member_space &&
cowork tenant add acme >/dev/null &&
cowork member add alice --tenant acme >/dev/null &&
add_members bob carol dave &&
cowork member add erin --until "$ERIN_UNTIL" >/dev/null || { not_ok "registry set-up"; exit 1; }

issue alice "$CERTS/a1" --days 10 && A1=$SERIAL &&
issue bob "$CERTS/b1" && B1=$SERIAL &&
issue carol "$CERTS/c1" && C1=$SERIAL &&
issue carol "$CERTS/c2" && C2=$SERIAL &&
issue dave "$CERTS/d1" && D1=$SERIAL &&
issue erin "$CERTS/e1" && E1=$SERIAL || { not_ok "cert issue"; exit 1; }
ok "issued alice's certificate for 10 days, and the others'"
files() {
	echo "$CERTS/$1/$2.pem $CERTS/$1/$2.key"
}

# ---- expiry before renewal -------------------------------------------------------

run_rc 0 "cert list --expiring 30" cowork cert list --expiring 30
cp "$TMP/out" "$TMP/expiring1"
has "... shows alice's 10-day certificate as not renewed" "^$A1 +alice +[0-9-]+ +(9|10) +NOT RENEWED" "$TMP/expiring1"
has "... shows erin's as ending with her membership" "^$E1 +erin .*ends with the membership \\(last day $ERIN_UNTIL\\)" \
	"$TMP/expiring1"
lacks "... leaves out bob's one-year certificate" "$B1" "$TMP/expiring1"
run_rc 0 "cert list --expiring 30 --member alice --json" cowork cert list --expiring 30 --member alice --json
has "... says in JSON that it needs renewal" "\"serial\":\"$A1\".*\"renewed_by\":null.*\"needs_renewal\":true" "$TMP/out"
run_rc 3 "status exits 3 (attention) with an expiring certificate not renewed" cowork status
has "... naming the member, the serial and the command" \
	"certificate $A1 of alice expires on [0-9-]+ and is not renewed: run coworkctl cert renew $A1" "$TMP/out"
has "... and counting the others" "2 expiring: 1 to renew, 0 renewed, 1 ending with their membership" "$TMP/out"
run_rc 3 "status --json" cowork status --json
has "status --json: the counts as data" \
	'"certificate_expiry":\{"window_days":30,"expiring":2,"to_renew":1,"renewed":0,"ending_with_membership":1\}' "$TMP/out"
has "status --json: erin's certificate ends with her membership" \
	"\"serial\":\"$E1\",\"member\":\"erin\",[^}]*\"ends_with_membership\":true,\"needs_renewal\":false" "$TMP/out"

# ---- the server ---------------------------------------------------------------------

server_start "$TMP/state" $PORT || { not_ok "radiusd starts with rlm_cowork"; exit 1; }
# shellcheck disable=SC2046
eap_accept "alice's first certificate is accepted" 100 alice $(files a1 alice) CoworkMembers
# shellcheck disable=SC2046
eap_accept "erin (member until $ERIN_UNTIL) is accepted today" 190 erin $(files e1 erin) CoworkMembers

# ---- renewal --------------------------------------------------------------------------

mkdir "$CERTS/a2"
( cd "$CERTS/a2" && "$COWORKCTL" -d "$STATE" cert renew "$A1" ) >"$TMP/renew1" 2>&1
A2=$(sed -n 's/^serial: //p' "$TMP/renew1")
if [ -n "$A2" ] && [ -f "$CERTS/a2/alice.key" ] && [ -f "$CERTS/a2/alice.pem" ] && [ -f "$CERTS/a2/alice.p12" ]; then
	ok "cert renew writes alice.key, .pem and .p12 into the current directory by default"
else
	not_ok "cert renew writes alice.key, .pem and .p12 into the current directory by default" "$(cat "$TMP/renew1")"
fi
has "... and says the old certificate stays valid until it expires" "renews $A1, which stays valid until it expires" \
	"$TMP/renew1"
check "... the new certificate verifies against the CA" "$OPENSSL" verify -CAfile "$STATE/ca/ca.pem" "$CERTS/a2/alice.pem"
# shellcheck disable=SC2046
eap_accept "the renewed certificate is accepted" 100 alice $(files a2 alice) CoworkMembers
# shellcheck disable=SC2046
eap_accept "... and the old one still is" 100 alice $(files a1 alice) CoworkMembers
run_rc 0 "cert show of the new certificate" cowork cert show "$A2"
has "... names the certificate it renews" "^renews +$A1\$" "$TMP/out"
run_rc 0 "cert list --expiring 30 after renewal" cowork cert list --expiring 30
has "... shows alice's old certificate renewed by the new one" "^$A1 +alice .*renewed by $A2" "$TMP/out"
cowork status --json >"$TMP/status2.json"
lacks "status no longer asks to renew alice's certificate" "certificate $A1 of alice" "$TMP/status2.json"
has "... and counts it as renewed" '"to_renew":0,"renewed":1,"ending_with_membership":1' "$TMP/status2.json"

# A second renewal of the same certificate, revoking it in the same transaction.
run_rc 0 "cert renew --revoke-old --out DIR --json" cowork cert renew "$A1" --revoke-old --out "$CERTS/a3" --json
A3=$(sed -n 's/.*"serial":"\([0-9a-f]*\)","member".*/\1/p' "$TMP/out")
has "... reports the old certificate revoked (superseded)" \
	"\"renews\":\"$A1\",\"old_certificate\":\\{\"serial\":\"$A1\",\"fate\":\"revoked\".*\"revoke_reason\":\"superseded\"" \
	"$TMP/out"
# shellcheck disable=SC2046
eap_reject "the revoked old certificate fails at its next authentication" alice $(files a1 alice) CoworkMembers
has "... radiusd says it was revoked as superseded" "reject \\(revoked\\): certificate $A1 of alice was revoked .*superseded" \
	"$server_log"
# shellcheck disable=SC2046
eap_accept "the newest certificate is accepted" 100 alice $(files a3 alice) CoworkMembers
# shellcheck disable=SC2046
eap_accept "the first renewal, not revoked, still is" 100 alice $(files a2 alice) CoworkMembers

# ---- refusals: exit status, message, nothing changed ----------------------------------

refused 1 "cert renew of an unknown serial" 'unknown certificate serial 123456789abcdef' \
	cowork cert renew 0123456789abcdef --out "$TMP/nowhere"
refused 2 "cert renew of a malformed serial" 'serial.*hex' cowork cert renew xyz
refused 2 "cert renew --days 0" '--days must be 1 to 825' cowork cert renew "$A3" --days 0
refused 1 "cert renew into a directory that has alice.key names it and --out" \
	"$CERTS/a3/alice\\.key already exists: choose another --out" cowork cert renew "$A3" --out "$CERTS/a3"
refused 2 "cert list --expiring x" '--expiring must be a whole number \(got "x"\)' cowork cert list --expiring x
refused 2 "cert list --expiring 0" '--expiring must be 1 to 3650' cowork cert list --expiring 0
refused 1 "cert list --expiring with an unknown member" 'unknown member nobody' \
	cowork cert list --expiring 30 --member nobody
cowork member suspend dave >/dev/null
refused 1 "cert renew for a suspended member" 'dave is suspended: resume' cowork cert renew "$D1" --out "$TMP/d2"
if ls "$TMP/d2"/dave.* >/dev/null 2>&1; then
	not_ok "... wrote no files"
else
	ok "... wrote no files"
fi

# ---- member remove ----------------------------------------------------------------------

run_rc 0 "member remove carol" cowork member remove carol
has "... prints her first certificate as revoked" "^  $C1\$" "$TMP/out"
has "... and her second" "^  $C2\$" "$TMP/out"
has "... with the default reason" "2 certificates revoked \\(cessation-of-operation\\)" "$TMP/out"
# shellcheck disable=SC2046
eap_reject "carol's first certificate fails at its next authentication" carol $(files c1 carol) CoworkMembers
# shellcheck disable=SC2046
eap_reject "... and her second" carol $(files c2 carol) CoworkMembers
has "radiusd says carol's certificate was revoked (cessation-of-operation)" \
	"reject \\(revoked\\): certificate $C2 of carol was revoked .*cessation-of-operation" "$server_log"
refused 1 "removing carol twice" 'member carol is already removed' cowork member remove carol
refused 1 "resuming a removed member" 'carol was removed: removal is final' cowork member resume carol
refused 1 "suspending a removed member" 'carol was removed: removal is final' cowork member suspend carol
refused 1 "issuing to a removed member" 'carol was removed: a removed member gets no certificate' \
	cowork cert issue carol --out "$TMP/c3"
refused 1 "renewing a removed member's certificate" 'carol was removed' cowork cert renew "$C1" --out "$TMP/c3"
refused 2 "member remove with an unknown reason" 'unknown revocation reason "lost"' cowork member remove bob --reason lost
refused 1 "member remove of an unknown member" 'unknown member nobody' cowork member remove nobody

# ---- the CRL ----------------------------------------------------------------------------------

CRL=$TMP/crl/cowork.crl
mkdir -p "$TMP/crl"
run_rc 0 "crl --out FILE" cowork crl --out "$CRL"
has "... prints the entries, the CRL number and nextUpdate" \
	"^CRL number 1 written to $CRL: 4 entries \\(3 revoked, 1 on hold\\), next update [0-9T:.-]+Z\$" "$TMP/out"
is_mode() {
	if [ "$(stat -c %a "$2")" = "$3" ]; then ok "$1"; else not_ok "$1" "mode $(stat -c %a "$2")"; fi
}
is_mode "... a 0644 file" "$CRL" 644
"$OPENSSL" crl -in "$CRL" -noout -text >"$TMP/crl.txt" 2>&1 && ok "openssl crl -text parses it" ||
	not_ok "openssl crl -text parses it" "$(cat "$TMP/crl.txt")"
"$OPENSSL" crl -in "$CRL" -CAfile "$STATE/ca/ca.pem" -noout >"$TMP/crlverify" 2>&1
if [ $? = 0 ] && grep -q "verify OK" "$TMP/crlverify"; then
	ok "openssl crl -CAfile ca.pem: signature ok"
else
	not_ok "openssl crl -CAfile ca.pem: signature ok" "$(cat "$TMP/crlverify")"
fi
has "it is a version 2 CRL" "Version 2 \\(0x1\\)" "$TMP/crl.txt"
has "... with a CRL number" "X509v3 CRL Number" "$TMP/crl.txt"
has "... and the CA's key identifier" "X509v3 Authority Key Identifier" "$TMP/crl.txt"

# "serial reason" per entry, serials as the registry writes them.
awk '/Serial Number:/ { s = tolower($3); sub(/^0+/, "", s) }
	/CRL Reason Code:/ { getline; sub(/^ +/, ""); print s, $0 }' "$TMP/crl.txt" | sort >"$TMP/crl.entries"
printf '%s\n' "$A1 Superseded" "$C1 Cessation Of Operation" "$C2 Cessation Of Operation" "$D1 Certificate Hold" |
	sort >"$TMP/crl.want"
if cmp -s "$TMP/crl.entries" "$TMP/crl.want"; then
	ok "the CRL lists exactly the revoked serials with their reasons, and suspended dave's as certificateHold"
else
	not_ok "the CRL lists exactly the revoked serials with their reasons, and suspended dave's as certificateHold" \
		"got: $(cat "$TMP/crl.entries")" "want: $(cat "$TMP/crl.want")"
fi

# crl_dates FILE [FORMAT]: "thisUpdate nextUpdate number" (Unix times, decimal number).
crl_dates() {
	"$OPENSSL" crl -in "$1" -inform "${2:-PEM}" -noout -lastupdate -nextupdate -crlnumber >"$TMP/dates" 2>&1
	last=$(date -d "$(sed -n 's/^lastUpdate=//p' "$TMP/dates")" +%s)
	next=$(date -d "$(sed -n 's/^nextUpdate=//p' "$TMP/dates")" +%s)
	number=$(printf '%d' "$(sed -n 's/^crlNumber=//p' "$TMP/dates")")
	echo "$last $next $number"
}
set -- $(crl_dates "$CRL")
if [ $(($2 - $1)) -le $((7 * 86400)) ] && [ $(($2 - $1)) -gt 0 ]; then
	ok "nextUpdate - lastUpdate is at most 7 days ($(($2 - $1)) s)"
else
	not_ok "nextUpdate - lastUpdate is at most 7 days" "$(cat "$TMP/dates")"
fi
FIRST_NUMBER=$3

cowork member resume dave >/dev/null
run_rc 0 "crl --der --days 1 --json, after resuming dave" cowork crl --out "$CRL" --der --days 1 --json
has "... reports the data as JSON" '"format":"der","crl_number":2,"entries":3,"revoked":3,"on_hold":0' "$TMP/out"
set -- $(crl_dates "$CRL" DER)
if [ "$3" -gt "$FIRST_NUMBER" ] && [ $(($2 - $1)) = 86400 ]; then
	ok "the CRL number grows between runs ($FIRST_NUMBER, then $3) and --days 1 gives one day"
else
	not_ok "the CRL number grows between runs and --days 1 gives one day" "$(cat "$TMP/dates")"
fi
"$OPENSSL" crl -in "$CRL" -inform DER -noout -text >"$TMP/crl2.txt" 2>&1
lacks "dave, resumed, is no longer on hold" "Certificate Hold" "$TMP/crl2.txt"
refused 2 "crl --days 0" '--days must be 1 to 7' cowork crl --out "$CRL" --days 0
refused 2 "crl --days 8" '--days must be 1 to 7' cowork crl --out "$CRL" --days 8
refused 2 "crl without --out" '--out FILE is required' cowork crl
refused 1 "crl into a missing directory takes no CRL number" 'the directory .*/missing does not exist' \
	cowork crl --out "$TMP/missing/x.crl"

# ---- a membership whose --until date passes (the module's clock) ----------------------

UNTIL=$("$SQLITE3" "$STATE/registry.db" "SELECT valid_until FROM member WHERE name = 'erin'")
server_stop
server_config "$TMP/state" $PORT &&
	sed -i "s|^cowork {|cowork {\n\ttest_clock_offset = $((UNTIL - $(date +%s) + 60))|" "$CONF/mods-enabled/cowork" &&
	server_run || not_ok "radiusd restarts a minute after erin's membership ends (test clock)"
# shellcheck disable=SC2046
eap_reject "erin's certificate fails once her membership has ended" erin $(files e1 erin) CoworkMembers
has "... radiusd says the membership ended" "reject \\(membership-ended\\): membership of erin ended" "$server_log"
# shellcheck disable=SC2046
eap_accept "bob, open-ended, is still accepted at that time" 190 bob $(files b1 bob) CoworkMembers

# Many certificates to renew: status names a few and counts the rest.
i=0
while [ $i -lt 6 ]; do
	issue bob "$CERTS/bob-short-$i" --days 5 || not_ok "a 5-day certificate for bob ($i)"
	i=$((i + 1))
done
run_rc 3 "status with six certificates to renew" cowork status
[ "$(grep -c "^  - certificate [0-9a-f]* of bob expires on" "$TMP/out")" = 5 ] &&
	ok "... names five of them in the attention list" ||
	not_ok "... names five of them in the attention list" "$(cat "$TMP/out")"
has "... and counts the sixth" "^  - 1 more certificate expires within 30 days without renewal: see coworkctl cert list --expiring 30" \
	"$TMP/out"
run_rc 3 "status --json with six certificates to renew" cowork status --json
has "... all of them are in the data" '"expiring":7,"to_renew":6,"renewed":0,"ending_with_membership":1' "$TMP/out"
[ "$(grep -o '"needs_renewal":true' "$TMP/out" | wc -l)" = 6 ] && ok "... each marked needs_renewal" ||
	not_ok "... each marked needs_renewal" "$(cat "$TMP/out")"

server_running && ok "radiusd is still running" || not_ok "radiusd is still running"
lacks "no crash or sanitizer report in radiusd's log" "(Segmentation|SIGSEGV|Assertion|AddressSanitizer|runtime error)" \
	"$server_log"
lacks "no private key material in radiusd's log" "PRIVATE KEY" "$server_log"
