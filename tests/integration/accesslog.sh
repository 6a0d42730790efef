#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The access log end to end: real member (eapol_test) and guest (radtest)
# authentications through radiusd, then the rows coworkctl shows, what the
# database file holds (and must not hold), retention by the module and by
# `log purge`, export and its audit, and `status`.
. "$top_srcdir/tests/integration/harness.sh"

PORT=18150
CERTS=$TMP/certs
mkdir -p "$CERTS"

init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
base_space &&
cowork ssid add Staff --class staff >/dev/null &&
cowork ssid add OldGuestMarker --class guest >/dev/null &&
cowork tenant add acme >/dev/null &&
cowork member add alice --tenant acme >/dev/null &&
cowork psk rotate --ssid CoworkGuest >/dev/null || { not_ok "registry set-up"; exit 1; }
ALICE=$(cowork cert issue alice --out "$CERTS" | sed -n 's/^serial: //p')
A="$CERTS/alice.pem $CERTS/alice.key"
PSK=$(passphrase CoworkGuest)
LOG=$STATE/log/accesslog.db

guest() {
	"$RADTEST" --server 127.0.0.1:$PORT --secret testing123 --timeout 3000 "$@" >"$TMP/guest.out" 2>&1
}

# rows: every row as JSON lines, oldest first.
rows() {
	cowork log show --all --json | sed 's/},{/}\n{/g' | sed 's/^\[//; s/\]$//' | grep -v '^$'
}

# wait_rows N: until the log holds N rows (the writer flushes every 100 ms), at most 5 s.
wait_rows() {
	i=0
	while [ $i -lt 50 ]; do
		[ "$("$SQLITE3" "$LOG" 'SELECT count(*) FROM access' 2>/dev/null)" = "$1" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

ls -l "$STATE/log" >"$TMP/ls"
if [ -n "$RADIUS_USER" ]; then
	[ "$(stat -c '%a %U:%G' "$STATE/log")" = "770 $RADIUS_USER:$RADIUS_USER" ] &&
		[ "$(stat -c '%a %U:%G' "$LOG")" = "600 $RADIUS_USER:$RADIUS_USER" ] &&
		[ "$(stat -c '%a %G' "$STATE/device.key")" = "640 $RADIUS_USER" ] && [ "$(stat -c '%a' "$STATE")" = 750 ] &&
		ok "init --group: log/ and accesslog.db belong to radiusd's user, device.key readable, STATE not writable" ||
		not_ok "init --group: log/ and accesslog.db belong to radiusd's user, device.key readable, STATE not writable" \
			"$(stat -c '%n %a %U:%G' "$STATE" "$STATE/log" "$LOG" "$STATE/device.key")"
else
	[ "$(stat -c %a "$STATE/device.key")" = 600 ] && [ "$(stat -c %a "$LOG")" = 600 ] &&
		ok "init: device.key and accesslog.db are private (0600)" || not_ok "init: device.key and accesslog.db are private (0600)"
fi

server_start "$TMP/state" $PORT || { not_ok "radiusd starts"; exit 1; }

# shellcheck disable=SC2086
eap alice $A CoworkMembers && ok "member alice accepted" || not_ok "member alice accepted"
eap alice $A Staff && not_ok "alice on the Staff SSID is rejected" || ok "alice on the Staff SSID is rejected"
guest --mac AA-BB-CC-DD-EE-FF --called 02-00-00-00-00-01:CoworkGuest
has "a guest is accepted" "^code=Access-Accept" "$TMP/guest.out"
guest --mac AA-BB-CC-DD-EE-FF --called 02-00-00-00-00-01:CoworkMembers
has "a guest on the member SSID is rejected" "^code=Access-Reject" "$TMP/guest.out"
guest --mac AA-BB-CC-DD-EE-FF --called 02-00-00-00-00-01:CoworkGuest --calling 11-22-33-44-55-66
has "a malformed guest request is rejected" "^code=Access-Reject" "$TMP/guest.out"
guest --mac AA-BB-CC-DD-EE-FF --called 02-00-00-00-00-01:CoworkGuest --user-name alice --password alice
has "a request that is not MAC authentication is rejected (not ours: no row)" "^code=Access-Reject" "$TMP/guest.out"

wait_rows 5 && ok "the log holds exactly 5 rows within a moment (one per decision of the module)" ||
	not_ok "the log holds exactly 5 rows within a moment (one per decision of the module)" \
		"$("$SQLITE3" "$LOG" 'SELECT * FROM access')"
rows >"$TMP/rows"
sed -n 1p "$TMP/rows" >"$TMP/r1"
sed -n 2p "$TMP/rows" >"$TMP/r2"
sed -n 3p "$TMP/rows" >"$TMP/r3"
sed -n 4p "$TMP/rows" >"$TMP/r4"
sed -n 5p "$TMP/rows" >"$TMP/r5"
has "row 1: member accept, alice, VLAN 100, her certificate, the SSID, the NAS" \
	"\"result\":\"accept\",\"reason\":\"accept\",\"class\":\"member\",\"member\":\"alice\",\"device\":\"[0-9a-f]{64}\",\"nas\":\"127.0.0.1\",\"ssid\":\"CoworkMembers\",\"vlan\":100,\"serial\":\"$ALICE\"" \
	"$TMP/r1"
has "row 2: member reject on Staff (bad-ssid), no VLAN" \
	"\"result\":\"reject\",\"reason\":\"bad-ssid\",\"class\":\"member\",\"member\":\"alice\",.*\"ssid\":\"Staff\",\"vlan\":null" \
	"$TMP/r2"
has "row 3: guest accept on the guest VLAN, no member, no serial" \
	"\"result\":\"accept\",\"reason\":\"accept\",\"class\":\"guest\",\"member\":null,\"device\":\"[0-9a-f]{64}\",\"nas\":\"test-ap\",\"ssid\":\"CoworkGuest\",\"vlan\":300,\"serial\":null" \
	"$TMP/r3"
has "row 4: guest reject on the member SSID" "\"result\":\"reject\",\"reason\":\"bad-ssid\",\"class\":\"guest\"" "$TMP/r4"
has "row 5: guest reject for malformed input" "\"result\":\"reject\",\"reason\":\"bad-input\",\"class\":\"guest\"" "$TMP/r5"
has "times are RFC 3339 UTC with milliseconds" '"time":"20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z"' "$TMP/r1"

# The clock: rows are marked as the kernel says, and radiusd says so when unsynchronised.
if cowork status --json | grep -q '"clock":{"synced":false'; then
	lacks "the clock is unsynchronised here: no row claims otherwise" '"clock_synced":true' "$TMP/rows"
	has "... and radiusd's log says the clock is not synchronised" "system clock is NOT synchronised" "$server_log"
else
	lacks "the clock is synchronised here: no row is marked otherwise" '"clock_synced":false' "$TMP/rows"
fi

# Devices are keyed hashes: log find hashes the MAC the same way.
cowork log find --mac aa:bb:cc:dd:ee:ff --json | sed 's/},{/}\n{/g' >"$TMP/found"
[ "$(grep -c '"class":"guest"' "$TMP/found")" = 2 ] && ok "log find --mac (another notation) finds the guest's 2 rows" ||
	not_ok "log find --mac (another notation) finds the guest's 2 rows" "$(cat "$TMP/found")"
DEV=$(sed -n 's/.*"device":"\([0-9a-f]*\)".*/\1/p' "$TMP/r3")
grep -q "\"device\":\"$DEV\"" "$TMP/r4" && ok "the same device has the same hash in every row" ||
	not_ok "the same device has the same hash in every row"

# Nothing else in the file: no MAC in any form, no User-Name, no passphrase, no subject.
cat "$LOG" "$LOG-wal" >"$TMP/logbytes" 2>/dev/null
bad=
for s in aabbccddeeff AA-BB-CC-DD-EE-FF aa:bb:cc:dd:ee:ff AABBCCDDEEFF 020000000001 02-00-00-00-00-01 02:00:00:00:00:01 \
	112233445566 11-22-33-44-55-66 "$PSK" "CN=alice" "O=Test Space" "test-ap" ; do
	[ "$s" = test-ap ] && continue	# the NAS-Identifier is logged on purpose
	grep -aqF -- "$s" "$TMP/logbytes" && bad="$bad $s"
done
[ -z "$bad" ] && ok "the log file holds no MAC, no guest User-Name, no passphrase, no certificate subject" ||
	not_ok "the log file holds no MAC, no guest User-Name, no passphrase, no certificate subject" "found:$bad"

# A clean shutdown writes what is queued.
guest --mac AA-BB-CC-DD-EE-FF --called 02-00-00-00-00-01:CoworkGuest
server_stop
[ "$("$SQLITE3" "$LOG" 'SELECT count(*) FROM access')" = 6 ] && ok "rows queued at shutdown are written" ||
	not_ok "rows queued at shutdown are written"

# Retention: rows from 200 days ago (a test-only clock) go on the next write...
OLD=$((-200 * 86400))
server_config "$TMP/state" $PORT && sed -i "s|^cowork {|cowork {\n\ttest_clock_offset = $OLD|" "$CONF/mods-enabled/cowork" &&
	server_run || not_ok "radiusd starts with its clock 200 days back"
guest --mac AA-BB-CC-DD-EE-FF --called 02-00-00-00-00-01:OldGuestMarker
guest --mac AA-BB-CC-DD-EE-FF --called 02-00-00-00-00-01:OldGuestMarker
wait_rows 8 && ok "two rows written with the clock 200 days back" || not_ok "two rows written with the clock 200 days back"
server_stop
server_start "$TMP/state" $PORT || not_ok "radiusd restarts with the real clock"
guest --mac AA-BB-CC-DD-EE-FF --called 02-00-00-00-00-01:CoworkGuest
wait_rows 7 && ok "rows older than the retention (180 days) are deleted by the next write" ||
	not_ok "rows older than the retention (180 days) are deleted by the next write" \
		"$("$SQLITE3" "$LOG" 'SELECT count(*), min(ts_ms) FROM access')"
server_stop

# ... and on log purge, leaving no trace in the file.
server_config "$TMP/state" $PORT && sed -i "s|^cowork {|cowork {\n\ttest_clock_offset = $OLD|" "$CONF/mods-enabled/cowork" &&
	server_run || not_ok "radiusd starts with its clock 200 days back again"
guest --mac AA-BB-CC-DD-EE-FF --called 02-00-00-00-00-01:OldGuestMarker
wait_rows 8 || not_ok "an old row is written"
server_stop
run_rc 0 "log purge" cowork log purge
has "... deletes the old row" "deleted 1 rows older than" "$TMP/out"
[ "$("$SQLITE3" "$LOG" 'SELECT count(*) FROM access')" = 7 ] && ok "... and only it" || not_ok "... and only it"
cat "$LOG" "$LOG-wal" >"$TMP/logbytes" 2>/dev/null
lacks "... and the purged rows' contents are gone from the file (secure_delete, WAL truncated)" "OldGuestMarker" \
	"$TMP/logbytes"

# Export: only with a case reference, and always recorded.
run_rc 2 "log export without --case is refused" cowork log export --from 2020-01-01 --to 2099-12-31
has "... saying why" "--case REF is required" "$TMP/err"
run_rc 0 "log show --exports lists nothing yet" cowork log show --exports
has "... (nothing recorded)" "no exports recorded" "$TMP/out"
run_rc 0 "log export --case INC-42 --member alice (csv)" cowork log export --from 2020-01-01 --to 2099-12-31 \
	--member alice --case INC-42
has "... writes a CSV header" "^time,clock_synced,clock_error_us,result,reason,class,member,device,nas,ssid,vlan,serial,akm,cipher$" \
	"$TMP/out"
[ "$(grep -c ',member,alice,' "$TMP/out")" = 2 ] && ok "... and alice's 2 rows" || not_ok "... and alice's 2 rows" "$(cat "$TMP/out")"
run_rc 0 "log show --exports" cowork log show --exports --json
has "... records who, which case, the filter and the row count" \
	'"operator":"[^"]+\(uid [0-9]+\)[^"]*","case":"INC-42","from":"[^"]+","to":"[^"]+","filter":"member alice","format":"csv","rows":2' \
	"$TMP/out"
run_rc 0 "log export --mac --format json --out FILE" cowork log export --from 2020-01-01 --to 2099-12-31 \
	--mac AA-BB-CC-DD-EE-FF --case INC-43 --format json --out "$TMP/export.json"
[ "$(stat -c %a "$TMP/export.json")" = 600 ] && ok "... to a new 0600 file" || not_ok "... to a new 0600 file"
has "... as JSON rows of that device only" '^\[\{"time":.*"class":"guest"' "$TMP/export.json"
lacks "... with no member rows" '"class":"member"' "$TMP/export.json"

# status: non-zero when a guest passphrase has expired.
cowork status --json >"$TMP/status.json"
lacks "status: no passphrase attention for CoworkGuest while it is valid" 'guest SSID \\"CoworkGuest\\" has no valid' \
	"$TMP/status.json"
has "... but one for OldGuestMarker, which never had one" 'guest SSID \\"OldGuestMarker\\" has no valid passphrase' \
	"$TMP/status.json"
"$SQLITE3" "$STATE/registry.db" "UPDATE guest_psk SET valid_from = valid_from - 90 * 86400,
	valid_until = strftime('%s','now') - 3600, grace_until = strftime('%s','now') - 60"
run_rc 3 "status exits 3 when the guest passphrase has expired" cowork status
has "... and says what to run" "guest SSID \"CoworkGuest\" has no valid passphrase: run coworkctl psk rotate" "$TMP/out"

# A missing access log: decisions are refused (none may go unrecorded) until it is back.
cowork psk rotate --ssid CoworkGuest >/dev/null
mv "$LOG" "$TMP/accesslog.moved"
rm -f "$LOG-wal" "$LOG-shm"
server_start "$TMP/state" $PORT || not_ok "radiusd starts without an access log"
guest --mac AA-BB-CC-DD-EE-FF --called 02-00-00-00-00-01:CoworkGuest
has "without an access log, a guest is refused" "^code=Access-Reject" "$TMP/guest.out"
has "... and radiusd's log says why" "cannot log the decision: the access log is not writable" "$server_log"
cowork log show >/dev/null
i=0
while [ $i -lt 30 ]; do
	guest --mac AA-BB-CC-DD-EE-FF --called 02-00-00-00-00-01:CoworkGuest
	grep -q "^code=Access-Accept" "$TMP/guest.out" && break
	sleep 0.2
	i=$((i + 1))
done
has "once coworkctl has recreated it, guests are accepted again" "^code=Access-Accept" "$TMP/guest.out"
has "... and radiusd says the log is writable again" "access log is writable again" "$server_log"

server_running && ok "radiusd is still running" || not_ok "radiusd is still running"
lacks "no crash or sanitizer report in radiusd's log" "(Segmentation|SIGSEGV|Assertion|AddressSanitizer|runtime error)" \
	"$server_log"
