#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The guest path end to end: hostapd-style MAC authentication (macaddr_acl=2,
# wpa_psk_radius=2) against a real radiusd with rlm_cowork, with the
# passphrases made by `coworkctl psk rotate`. The replies are checked from
# the raw packets by tests/tools/radtest (RFC 2868 decoding of
# Tunnel-Password, Response and Message-Authenticator), and with radclient.
. "$top_srcdir/tests/integration/harness.sh"

PORT=18130
STA=AA-BB-CC-DD-EE-FF
GUEST=02-00-00-00-00-01:CoworkGuest

init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
base_space &&
cowork ssid add Staff --class staff >/dev/null &&
cowork ssid add CiscoGuest --class guest >/dev/null &&
cowork ssid add ArubaGuest --class guest >/dev/null || { not_ok "registry set-up"; exit 1; }

cowork psk rotate --ssid CoworkGuest >/dev/null && P1=$(passphrase CoworkGuest) && [ -n "$P1" ] ||
	{ not_ok "psk rotate and psk show"; exit 1; }
ok "psk rotate makes a passphrase and psk show prints it"

server_start "$TMP/state" $PORT || { not_ok "radiusd starts with rlm_cowork"; exit 1; }

mac_auth first --mac $STA --called "$GUEST"
rc=$?
[ $rc = 0 ] && [ "$(field first code)" = Access-Accept ] &&
	ok "a hostapd-style MAC authentication on the guest SSID gets an Access-Accept" ||
	not_ok "a hostapd-style MAC authentication on the guest SSID gets an Access-Accept" "exit $rc: $(cat "$TMP/first.out")"
[ "$(field first tunnel_password)" = "$P1" ] &&
	ok "its Tunnel-Password, decoded from the raw reply per RFC 2868, is the passphrase psk show prints" ||
	not_ok "its Tunnel-Password, decoded from the raw reply per RFC 2868, is the passphrase psk show prints" \
		"got '$(field first tunnel_password)', want '$P1'"
[ "$(field first response_authenticator)" = ok ] && [ "$(field first message_authenticator)" = ok ] &&
	ok "the Accept has a valid Response Authenticator and a valid Message-Authenticator" ||
	not_ok "the Accept has a valid Response Authenticator and a valid Message-Authenticator" "$(cat "$TMP/first.out")"
[ "$(field first vlan)" = 300 ] && [ "$(field first tunnel_type)" = 13 ] && [ "$(field first tunnel_medium_type)" = 6 ] &&
	ok "the Accept puts the guest on the guest VLAN 300 (RFC 3580)" ||
	not_ok "the Accept puts the guest on the guest VLAN 300 (RFC 3580)" "$(cat "$TMP/first.out")"
ST=$(field first session_timeout)
SERVED=$(cowork psk show --ssid CoworkGuest --json | sed 's/.*"served_until":"\([^"]*\)".*/\1/')
LEFT=$(( $(date -d "$SERVED" +%s) - $(date +%s) ))
if [ -n "$ST" ] && [ "$ST" -gt 0 ] && [ "$ST" -le 86400 ] && [ "$ST" -le $((LEFT + 5)) ]; then
	ok "Session-Timeout ($ST s) ends no later than the passphrase and at most one day"
else
	not_ok "Session-Timeout ($ST s) ends no later than the passphrase and at most one day" "served for $LEFT s more"
fi

# radclient, as an AP would send it.
printf 'User-Name = "aabbccddeeff"\nUser-Password = "aabbccddeeff"\nCalling-Station-Id = "%s"\nCalled-Station-Id = "%s"\nNAS-Port-Type = Wireless-802.11\nMessage-Authenticator = 0x00\n' \
	"$STA" "$GUEST" >"$TMP/radclient.req"
if "$RADCLIENT" -x -t 3 -r 1 -f "$TMP/radclient.req" 127.0.0.1:$PORT auth testing123 >"$TMP/radclient.out" 2>&1 &&
	grep -q "Received Access-Accept" "$TMP/radclient.out" && grep -q "Tunnel-Password:0 = \"$P1\"" "$TMP/radclient.out"; then
	ok "radclient gets the same Access-Accept and passphrase"
else
	not_ok "radclient gets the same Access-Accept and passphrase" "$(cat "$TMP/radclient.out")"
fi

# Rotation: the next request gets the new passphrase first, the old one only in its grace.
cowork psk rotate --ssid CoworkGuest --force >/dev/null && P2=$(passphrase CoworkGuest)
mac_auth rotated --mac $STA --called "$GUEST"
[ "$(field rotated tunnel_password | tr '\n' ' ')" = "$P2 $P1 " ] &&
	ok "after rotate the new passphrase comes first and the old one still during its grace" ||
	not_ok "after rotate the new passphrase comes first and the old one still during its grace" \
		"got: $(field rotated tunnel_password | tr '\n' ' '), want $P2 $P1"
cowork psk rotate --ssid CoworkGuest --force --expire-old >/dev/null && P3=$(passphrase CoworkGuest)
mac_auth expired --mac $STA --called "$GUEST"
[ "$(field expired tunnel_password | tr '\n' ' ')" = "$P3 " ] &&
	ok "rotate --force --expire-old: only the newest passphrase is served from the next request" ||
	not_ok "rotate --force --expire-old: only the newest passphrase is served from the next request" \
		"got: $(field expired tunnel_password | tr '\n' ' ')"

# Not served: other SSID classes, unknown SSIDs, malformed requests.
expect_reject member_ssid "the member SSID gets no passphrase" --mac $STA --called 02-00-00-00-00-01:CoworkMembers
expect_reject staff_ssid "the staff SSID gets no passphrase" --mac $STA --called 02-00-00-00-00-01:Staff
expect_reject unknown_ssid "an unknown SSID gets no passphrase" --mac $STA --called "02-00-00-00-00-01:Free WiFi"
expect_reject no_ssid "a request without Called-Station-Id gets no passphrase" --mac $STA
expect_reject mismatch "a User-Name that does not match Calling-Station-Id gets no passphrase" \
	--mac $STA --called "$GUEST" --calling 11-22-33-44-55-66
expect_reject bad_calling "a malformed Calling-Station-Id gets no passphrase" --mac $STA --called "$GUEST" --calling "AA-BB-CC"
expect_reject bad_password "a User-Password that is not the station's MAC gets no passphrase" \
	--mac $STA --called "$GUEST" --password "hunter2hunter2"
expect_reject not_mac "a User-Name that is not a MAC address is not MAC authentication" \
	--mac $STA --called "$GUEST" --user-name alice --password alice
has "the log names the refused SSID's class" 'reject \(bad-ssid\): SSID "CoworkMembers" is a member SSID, not a guest SSID' \
	"$server_log"
has "the log says what was malformed" "reject \\(bad-input\\): User-Name does not match Calling-Station-Id" "$server_log"

# BlastRADIUS: the shipped client definition requires Message-Authenticator.
mac_auth no_ma --mac $STA --called "$GUEST" --no-message-authenticator
[ $? = 1 ] && ok "a request without Message-Authenticator is dropped (no reply)" ||
	not_ok "a request without Message-Authenticator is dropped (no reply)" "$(cat "$TMP/no_ma.out")"

lacks "no passphrase in radiusd's log" "$P1|$P2|$P3" "$server_log"

# A writer killed mid-transaction (SIGKILL, power loss) leaves a hot rollback
# journal that radiusd's read-only connections cannot roll back. What radiusd
# already read stays valid (the change counter moves only on commit, and the
# rollback restores exactly that state); anything it must read afresh is
# refused, saying how to recover, until any coworkctl command has rolled back.
( printf 'BEGIN IMMEDIATE;\nCREATE TABLE scratch (x);\nINSERT INTO scratch VALUES (randomblob(2000));\n'
  i=0; while [ $i -lt 9 ]; do printf 'INSERT INTO scratch SELECT randomblob(2000) FROM scratch;\n'; i=$((i + 1)); done
  printf 'SELECT 1;\n'; sleep 10 ) | "$SQLITE3" -cmd "PRAGMA cache_size = 10" "$STATE/registry.db" >/dev/null &
WRITER=$!
i=0
while [ $i -lt 100 ] && ! [ -s "$STATE/registry.db-journal" ]; do sleep 0.05; i=$((i + 1)); done
sleep 0.5
pkill -KILL -f "cache_size = 10" 2>/dev/null
wait $WRITER 2>/dev/null
mac_auth hot_known --mac $STA --called "$GUEST"
[ "$(field hot_known code)" = Access-Accept ] && [ "$(field hot_known tunnel_password)" = "$P3" ] &&
	ok "after a writer was killed mid-transaction, what radiusd had read (the committed state) still serves" ||
	not_ok "after a writer was killed mid-transaction, what radiusd had read (the committed state) still serves" \
		"$(cat "$TMP/hot_known.out")"
expect_reject hot_fresh "... but what it must read afresh is refused (fails closed)" --mac $STA \
	--called "02-00-00-00-00-01:Never Asked Before"
has "... and its log says how to recover" "unfinished change from an interrupted coworkctl; run any coworkctl command" \
	"$server_log"
cowork vlan show >/dev/null
mac_auth recovered --mac $STA --called "$GUEST"
[ "$(field recovered code)" = Access-Accept ] && [ "$(field recovered tunnel_password)" = "$P3" ] &&
	ok "one coworkctl command later, the interrupted change is rolled back and guests are served" ||
	not_ok "one coworkctl command later, the interrupted change is rolled back and guests are served" \
		"$(cat "$TMP/recovered.out")"

# Vendor formats for identity-PSK APs, selected in the module config.
cowork psk rotate --ssid CiscoGuest >/dev/null && PC=$(passphrase CiscoGuest)
cowork psk rotate --ssid ArubaGuest >/dev/null && PA=$(passphrase ArubaGuest)
server_stop
server_config "$TMP/state" $PORT &&
	sed -i 's|^cowork {|cowork {\n\tpsk_cisco = "CiscoGuest"\n\tpsk_aruba = "ArubaGuest"|' "$CONF/mods-enabled/cowork" &&
	server_run || not_ok "radiusd restarts with vendor formats"
mac_auth cisco --mac $STA --called 02-00-00-00-00-01:CiscoGuest
[ "$(field cisco cisco_avpair | tr '\n' ' ')" = "psk-mode=ascii psk=$PC " ] && [ -z "$(field cisco tunnel_password)" ] &&
	ok "psk_cisco SSID: Cisco-AVPair psk-mode=ascii and psk=<passphrase>" ||
	not_ok "psk_cisco SSID: Cisco-AVPair psk-mode=ascii and psk=<passphrase>" "$(cat "$TMP/cisco.out")"
mac_auth aruba --mac $STA --called 02-00-00-00-00-01:ArubaGuest
[ "$(field aruba aruba_mpsk)" = "$PA" ] && [ -z "$(field aruba tunnel_password)" ] &&
	[ "$(field aruba message_authenticator)" = ok ] &&
	ok "psk_aruba SSID: Aruba-MPSK-Passphrase decodes to the passphrase" ||
	not_ok "psk_aruba SSID: Aruba-MPSK-Passphrase decodes to the passphrase" "$(cat "$TMP/aruba.out")"
mac_auth standard --mac $STA --called "$GUEST"
[ "$(field standard tunnel_password | tr '\n' ' ')" = "$P3 " ] &&
	ok "other guest SSIDs keep the standard Tunnel-Password" ||
	not_ok "other guest SSIDs keep the standard Tunnel-Password" "$(cat "$TMP/standard.out")"

# The clock moved (test-only module setting): within the warning period,
# then past the end of serving.
SERVED_S=$(date -d "$SERVED" +%s)
NOW=$(date +%s)
server_stop
server_config "$TMP/state" $PORT &&
	sed -i "s|^cowork {|cowork {\n\ttest_clock_offset = $((SERVED_S - NOW - 600))|" "$CONF/mods-enabled/cowork" &&
	server_run || not_ok "radiusd restarts with its clock 10 minutes before the end of serving"
mac_auth late --mac $STA --called "$GUEST"
[ "$(field late code)" = Access-Accept ] && [ "$(field late session_timeout)" -le 600 ] &&
	ok "10 minutes before the end: still served, Session-Timeout at most 600 s" ||
	not_ok "10 minutes before the end: still served, Session-Timeout at most 600 s" "$(cat "$TMP/late.out")"
has "radiusd warns that rotation is due" 'passphrase of guest SSID "CoworkGuest" stops being served in 1[0-9] min: run `coworkctl psk rotate' \
	"$server_log"
server_stop
server_config "$TMP/state" $PORT &&
	sed -i "s|^cowork {|cowork {\n\ttest_clock_offset = $((SERVED_S - NOW + 60))|" "$CONF/mods-enabled/cowork" &&
	server_run || not_ok "radiusd restarts with its clock past the end of serving"
expect_reject past "past the end of serving, the expired passphrase is never served" --mac $STA --called "$GUEST"
has "the log names the SSID and the command to run" \
	'ERROR: .*reject \(no-passphrase\): guest SSID "CoworkGuest" has no valid passphrase .*run `coworkctl psk rotate --ssid .CoworkGuest.`' \
	"$server_log"

# Debug output (radiusd -X) with the shipped log settings never shows a passphrase.
server_stop
server_config "$TMP/state" $PORT && server_run "-X -l stdout" || not_ok "radiusd -X starts"
mac_auth debug --mac $STA --called "$GUEST"
[ "$(field debug tunnel_password)" = "$P3" ] && ok "radiusd -X serves the passphrase" || not_ok "radiusd -X serves the passphrase"
has "radiusd -X shows the reply's Tunnel-Password attribute..." "Tunnel-Password" "$server_log"
lacks "... but never its value" "$P3" "$server_log"

server_running && ok "radiusd is still running" || not_ok "radiusd is still running"
lacks "no crash or sanitizer report in radiusd's log" "(Segmentation|SIGSEGV|Assertion|AddressSanitizer|runtime error)" \
	"$server_log"
