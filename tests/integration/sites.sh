#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Sites (issue 18): a guest passphrase is per (site, SSID) and is served only
# to the access points of that site. Two sites, "shibuya" and "umeda", both
# offer CoworkGuest with passphrases of their own; umeda also offers
# UmedaOnly. Their access points are RADIUS clients on 127.0.0.1 (shibuya)
# and 127.0.0.2 (umeda); 127.0.0.3 is a RADIUS client too but no registered
# NAS. Requests go from each address through tests/tools/radtest --source,
# to a real radiusd with rlm_cowork; the replies are decoded from the raw
# packets. Ports 18540-18541.
. "$top_srcdir/tests/integration/harness.sh"

PORT=18540
STA=AA-BB-CC-DD-EE-FF
AP_A=127.0.0.1
AP_B=127.0.0.2
STRANGER=127.0.0.3
GUEST=02-00-00-00-00-01:CoworkGuest
ONLY_B=02-00-00-00-00-01:UmedaOnly

# from NAME ADDR [radtest options]: one MAC authentication sent from ADDR.
from() {
	fr_name=$1
	fr_addr=$2
	shift 2
	mac_auth "$fr_name" --source "$fr_addr" --mac $STA "$@"
}

# served NAME DESC PASSPHRASE: NAME's reply is an Access-Accept carrying
# exactly PASSPHRASE, with valid authenticators.
served() {
	if [ "$(field "$1" code)" = Access-Accept ] && [ "$(field "$1" tunnel_password)" = "$3" ] &&
		[ "$(field "$1" response_authenticator)" = ok ] && [ "$(field "$1" message_authenticator)" = ok ]; then
		ok "$2"
	else
		not_ok "$2" "want exactly '$3'; reply: $(cat "$TMP/$1.out")"
	fi
}

# site_psk SITE SSID: the passphrase `psk show --site` prints.
site_psk() {
	cowork psk show --ssid "$2" --site "$1" | sed -n 's/^passphrase  //p'
}

CERTS=$TMP/certs
mkdir -m 0700 "$CERTS"
init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
standard_space alice && cowork ssid add UmedaOnly --class guest >/dev/null && issue alice ||
	{ not_ok "registry set-up"; exit 1; }
P0=$(passphrase CoworkGuest)
secret=$TMP/nas.secret
printf 'a-nas-secret-of-24-chars\n' >"$secret"

server_config "$TMP/state" $PORT || { not_ok "radiusd config"; exit 1; }
for ip in $AP_B $STRANGER; do
	printf 'client ap-%s {\n\tipaddr = %s\n\tsecret = testing123\n\trequire_message_authenticator = yes\n}\n' \
		"$ip" "$ip" >>"$CONF/clients.conf"
done
server_run || { not_ok "radiusd starts"; exit 1; }

# --- no site: today's behaviour ----------------------------------------------------

from nosite_b $AP_B --called "$GUEST"
served nosite_b "no site defined: any RADIUS client (here an unregistered one) gets the SSID's passphrase" "$P0"
run_rc 2 "no site defined: psk rotate --site is a usage error (exit 2)" \
	cowork psk rotate --ssid CoworkGuest --site shibuya
has "... saying that no site is defined" "no site is defined" "$TMP/err"
run_rc 1 "nas add --site of an unknown site is refused" \
	cowork nas add ap-x --address 192.0.2.9 --secret-file "$secret" --site nowhere
has "... naming the unknown site" 'unknown site "nowhere"' "$TMP/err"
run_rc 2 "site add with a name outside the id rules is a usage error" cowork site add "Shibuya Office"

# --- two sites ----------------------------------------------------------------------

run_rc 0 "site add shibuya" cowork site add shibuya
has "the first site add says that unregistered clients now get no guest passphrase" \
	"any other client .* gets no guest passphrase" "$TMP/out"
has "... and that the passphrases made without --site are no longer served" \
	"made before \(without --site\) are no longer served" "$TMP/out"
from first_site $AP_A --called "$GUEST"
[ "$(field first_site code)" = Access-Reject ] && [ -z "$(field first_site tunnel_password)" ] &&
	ok "once a site exists, the site-less passphrase is served to nobody (fails closed)" ||
	not_ok "once a site exists, the site-less passphrase is served to nobody (fails closed)" \
		"$(cat "$TMP/first_site.out")"
cowork site add umeda >"$TMP/out" && ! grep -q "per site" "$TMP/out" &&
	ok "the second site add does not repeat the notice" || not_ok "the second site add does not repeat the notice"
run_rc 1 "site add of an existing site is refused" cowork site add umeda

check "nas add ap-shibuya --site shibuya" cowork nas add ap-shibuya --address $AP_A --secret-file "$secret" --site shibuya
check "nas add ap-umeda --site umeda" cowork nas add ap-umeda --address $AP_B --secret-file "$secret" --site umeda

run_rc 2 "with sites, psk rotate --ssid without --site is a usage error (exit 2)" \
	cowork psk rotate --ssid CoworkGuest
has "... saying the site is needed" "give --site SITE" "$TMP/err"
run_rc 2 "with sites, psk show --ssid without --site is a usage error (exit 2)" cowork psk show --ssid CoworkGuest
run_rc 1 "psk rotate --site of an unknown site is refused" cowork psk rotate --ssid CoworkGuest --site nowhere
cowork psk rotate --ssid CoworkGuest --site shibuya >/dev/null &&
	cowork psk rotate --ssid CoworkGuest --site umeda >/dev/null &&
	cowork psk rotate --ssid UmedaOnly --site umeda >/dev/null || not_ok "psk rotate --site"
PA=$(site_psk shibuya CoworkGuest)
PB=$(site_psk umeda CoworkGuest)
PBO=$(site_psk umeda UmedaOnly)
[ -n "$PA" ] && [ -n "$PB" ] && [ -n "$PBO" ] && [ "$PA" != "$PB" ] && [ "$PA" != "$P0" ] && [ "$PB" != "$P0" ] &&
	ok "each site has a passphrase of its own for CoworkGuest" ||
	not_ok "each site has a passphrase of its own for CoworkGuest" "A '$PA' B '$PB' site-less '$P0'"
run_rc 1 "psk show of an SSID the site does not offer fails" cowork psk show --ssid UmedaOnly --site shibuya
has "... saying the site does not offer it" "site shibuya does not offer SSID \"UmedaOnly\"" "$TMP/err"

from a_guest $AP_A --called "$GUEST"
served a_guest "shibuya's AP gets shibuya's passphrase, and only it" "$PA"
from b_guest $AP_B --called "$GUEST"
served b_guest "umeda's AP gets umeda's passphrase, and only it" "$PB"
from b_only $AP_B --called "$ONLY_B"
served b_only "umeda's AP gets umeda's passphrase of UmedaOnly" "$PBO"
expect_reject a_asks_b "shibuya's AP naming an SSID only umeda offers gets a reject and no passphrase" \
	--mac $STA --source $AP_A --called "$ONLY_B"
has "... and radiusd's log says why (not-at-site)" \
	'reject \(not-at-site\): site shibuya does not offer guest SSID "UmedaOnly" \(NAS ap-shibuya asked' "$server_log"
expect_reject stranger "a RADIUS client that is no registered NAS gets a reject and no passphrase" \
	--mac $STA --source $STRANGER --called "$GUEST"
has "... and radiusd's log says why (unknown-nas)" \
	"reject \(unknown-nas\): RADIUS client $STRANGER is not a registered NAS" "$server_log"

# The request's claims name umeda's AP; its source address is shibuya's.
# 4 = NAS-IP-Address (127.0.0.2), 32 = NAS-Identifier ("ap-umeda").
FORGE="--raw 4:7f000002 --raw 32:61702d756d656461"
# shellcheck disable=SC2086
expect_reject forged_only "a forged NAS-IP-Address/NAS-Identifier of umeda's AP from shibuya's address gains UmedaOnly nothing" \
	--mac $STA --source $AP_A --called "$ONLY_B" $FORGE
[ "$(grep -c 'cowork: WARNING: reject (not-at-site): site shibuya does not offer guest SSID "UmedaOnly"' "$server_log")" = 2 ] &&
	ok "... refused as not-at-site for shibuya, the site of its source address" ||
	not_ok "... refused as not-at-site for shibuya, the site of its source address" "$(grep 'not-at-site' "$server_log")"
# shellcheck disable=SC2086
from forged_guest $AP_A --called "$GUEST" $FORGE
served forged_guest "... and on CoworkGuest it still gets shibuya's passphrase, not umeda's" "$PA"
# shellcheck disable=SC2086
expect_reject forged_stranger "... nor does a client that is no NAS claiming to be umeda's AP" \
	--mac $STA --source $STRANGER --called "$GUEST" $FORGE

# radclient, as an AP would send it (from 127.0.0.1, shibuya's AP).
printf 'User-Name = "aabbccddeeff"\nUser-Password = "aabbccddeeff"\nCalling-Station-Id = "%s"\nCalled-Station-Id = "%s"\nNAS-IP-Address = 127.0.0.2\nNAS-Identifier = "ap-umeda"\nMessage-Authenticator = 0x00\n' \
	"$STA" "$GUEST" >"$TMP/radclient.req"
if "$RADCLIENT" -x -t 3 -r 1 -f "$TMP/radclient.req" 127.0.0.1:$PORT auth testing123 >"$TMP/radclient.out" 2>&1 &&
	grep -q "Received Access-Accept" "$TMP/radclient.out" && grep -q "Tunnel-Password:0 = \"$PA\"" "$TMP/radclient.out" &&
	! grep -q "$PB" "$TMP/radclient.out"; then
	ok "radclient from shibuya's AP, claiming umeda's, gets shibuya's passphrase only"
else
	not_ok "radclient from shibuya's AP, claiming umeda's, gets shibuya's passphrase only" "$(cat "$TMP/radclient.out")"
fi

# Moving an AP moves what it gets, at the next request (no restart).
check "nas set ap-umeda --no-site" cowork nas set ap-umeda --no-site
expect_reject b_nosite "an AP moved to no site gets no passphrase" --mac $STA --source $AP_B --called "$GUEST"
has "... and radiusd's log says why" "reject \(not-at-site\): NAS ap-umeda \(RADIUS client $AP_B\) is at no site" \
	"$server_log"
check "nas set ap-umeda --site shibuya" cowork nas set ap-umeda --site shibuya
from b_moved $AP_B --called "$GUEST"
served b_moved "an AP moved to shibuya gets shibuya's passphrase" "$PA"
run_rc 2 "nas set needs --site or --no-site" cowork nas set ap-umeda
run_rc 1 "nas set of an unknown NAS is refused" cowork nas set ap-nowhere --site umeda
check "nas set ap-umeda --site umeda" cowork nas set ap-umeda --site umeda

# Rotation per site: one site's rotation leaves the other's passphrase alone.
cowork psk rotate --ssid CoworkGuest --site umeda --force --expire-old >/dev/null && PB2=$(site_psk umeda CoworkGuest)
from b_rotated $AP_B --called "$GUEST"
served b_rotated "after umeda's forced rotation, umeda's AP gets the new passphrase only" "$PB2"
from a_after $AP_A --called "$GUEST"
served a_after "... and shibuya's AP still gets shibuya's" "$PA"
cowork psk rotate --all --json >"$TMP/all.json"
n=$(grep -o '"site":' "$TMP/all.json" | wc -l)
grep -q '"site":"shibuya","ssid":"CoworkGuest"' "$TMP/all.json" && grep -q '"site":"umeda","ssid":"UmedaOnly"' "$TMP/all.json" &&
	[ "$n" = 3 ] && ok "psk rotate --all covers every (site, SSID) offered, and only those" ||
	not_ok "psk rotate --all covers every (site, SSID) offered, and only those" "$(cat "$TMP/all.json")"
cowork status >"$TMP/status.out" 2>&1
grep -q 'guest SSID     CoworkGuest at site shibuya: passphrase valid until' "$TMP/status.out" &&
	grep -q 'guest SSID     UmedaOnly at site umeda: passphrase valid until' "$TMP/status.out" &&
	ok "status reports each (site, SSID)" || not_ok "status reports each (site, SSID)" "$(cat "$TMP/status.out")"

cowork audit --lang en --json >"$TMP/audit.json"
grep -q 'guest SSID \\"UmedaOnly (site umeda)\\": period monthly' "$TMP/audit.json" &&
	grep -q '2 sites: each guest passphrase is served only to the access points of its site' "$TMP/audit.json" &&
	ok "audit 3-4 gives evidence per (site, SSID), and that passphrases go to their site's APs only" ||
	not_ok "audit 3-4 gives evidence per (site, SSID), and that passphrases go to their site's APs only" \
		"$(grep -o '"id":"3-4[^]]*' "$TMP/audit.json")"
cowork site list --json >"$TMP/sites.json"
grep -q '"name":"umeda","nas":1,"guest_ssids":"CoworkGuest,UmedaOnly"' "$TMP/sites.json" &&
	ok "site list --json shows each site's NAS and the guest SSIDs it offers" ||
	not_ok "site list --json shows each site's NAS and the guest SSIDs it offers" "$(cat "$TMP/sites.json")"
refused 1 "site remove is refused while a NAS is at the site" "site umeda still has NAS ap-umeda" \
	cowork site remove umeda

# Member path: the certificate decides, not the site; a member SSID asked
# for by a RADIUS client that is no registered NAS is still served
# (docs/operations.md, Sites). eapol_test sends from 127.0.0.3 (-A).
cat >"$TMP/alice.conf" <<EOF
network={
	key_mgmt=WPA-EAP
	eap=TLS
	identity="alice"
	ca_cert="$STATE/ca/ca.pem"
	client_cert="$CERTS/alice/alice.pem"
	private_key="$CERTS/alice/alice.key"
	domain_match="radius.test.example"
}
EOF
"$EAPOL_TEST" -c "$TMP/alice.conf" -a 127.0.0.1 -A $STRANGER -p $PORT -s testing123 -t 10 \
	-N "30:s:02-00-00-00-00-AA:CoworkMembers" >"$TMP/eapol-alice.log" 2>&1
[ $? = 0 ] && grep -q 'Login OK: \[alice\].*from client ap-127.0.0.3' "$server_log" &&
	ok "a member (EAP-TLS) through a RADIUS client that is no registered NAS is still accepted" ||
	not_ok "a member (EAP-TLS) through a RADIUS client that is no registered NAS is still accepted" \
		"$(grep -E 'FAILURE|Access-Reject|SUCCESS' "$TMP/eapol-alice.log" | tail -n 5)" "$(grep alice "$server_log")"

# Removing a site: its NAS first, then the site and its passphrases.
check "nas remove ap-umeda" cowork nas remove ap-umeda
run_rc 0 "site remove umeda, once no NAS is at it" cowork site remove umeda
has "... says it removed the site's passphrases" "site umeda removed, with its [0-9]+ guest passphrases" "$TMP/out"
[ "$("$SQLITE3" "$STATE/registry.db" "SELECT count(*) FROM guest_psk WHERE site = 'umeda'")" = 0 ] &&
	ok "... and none of them is left in the registry" || not_ok "... and none of them is left in the registry"
expect_reject b_removed "umeda's former AP gets nothing" --mac $STA --source $AP_B --called "$GUEST"

# Wrong flags: a precise message, exit 2, the registry untouched.
refused 2 "site add without a name is a usage error" "missing argument" cowork site add
refused 2 "site add with two names is a usage error" "unexpected argument 'b'" cowork site add a b
refused 2 "site add with an unknown option is a usage error" "unknown option --bogus" cowork site add x --bogus
refused 2 "site remove without a name is a usage error" "missing argument" cowork site remove
refused 2 "nas set with both --site and --no-site is a usage error" "either --site SITE or --no-site" \
	cowork nas set ap-shibuya --site shibuya --no-site
refused 2 "nas set --site with a malformed name is a usage error" 'invalid site name "Bad Name"' \
	cowork nas set ap-shibuya --site "Bad Name"
refused 2 "nas add --site with a malformed name is a usage error" 'invalid site name "BAD"' \
	cowork nas add ap-y --address 192.0.2.77 --secret-file "$secret" --site BAD
refused 2 "psk rotate --site with a malformed name is a usage error" 'invalid site name "BAD"' \
	cowork psk rotate --ssid CoworkGuest --site BAD

lacks "no passphrase in radiusd's log" "$P0|$PA|$PB|$PBO|$PB2" "$server_log"
