#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# coworkctl psk rotate|show|policy: behaviour, refusals, secrecy, and a
# rotation killed at random moments never leaving a half-made state.
. "$top_srcdir/tests/integration/harness.sh"

init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
vlan_plan &&
cowork ssid add CoworkGuest --class guest >/dev/null &&
cowork ssid add Lounge --class guest >/dev/null &&
cowork ssid add CoworkMembers --class member >/dev/null || { not_ok "registry set-up"; exit 1; }

dump() {
	"$SQLITE3" "$STATE/registry.db" .dump
}

shown() {
	cowork psk show --ssid "$1" 2>/dev/null | sed -n 's/^passphrase  //p'
}

# Refusals: exit status, message, nothing changed.
refused() {
	want=$1
	desc=$2
	pattern=$3
	shift 3
	before=$(dump)
	"$COWORKCTL" -d "$STATE" "$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	if [ "$got" = "$want" ] && grep -Eq -- "$pattern" "$TMP/err" && [ "$(dump)" = "$before" ]; then
		ok "$desc"
	else
		not_ok "$desc" "exit $got (want $want); stderr: $(cat "$TMP/err")"
	fi
}

refused 1 "psk show before any rotation says which command to run" "no valid passphrase.*psk rotate --ssid 'CoworkGuest'" \
	psk show --ssid CoworkGuest
refused 2 "psk rotate needs --ssid or --all" "either --ssid SSID or --all" psk rotate
refused 2 "psk rotate refuses --ssid together with --all" "either --ssid SSID or --all" psk rotate --ssid CoworkGuest --all
refused 2 "--expire-old needs --force" "needs --force" psk rotate --ssid CoworkGuest --expire-old
refused 1 "a member SSID has no guest passphrase" 'SSID "CoworkMembers" is a member SSID, not a guest SSID' \
	psk rotate --ssid CoworkMembers
refused 1 "an unknown SSID is refused" 'unknown SSID "Nope"' psk rotate --ssid Nope
refused 2 "a bad period is refused" 'use monthly, weekly or a number of days' psk policy --ssid CoworkGuest --period fortnightly
refused 2 "a grace over 30 days is refused" 'longer than 30d' psk policy --ssid CoworkGuest --grace 31d
refused 2 "a malformed duration is refused" 'use a number and one of s, m, h, d, w' psk policy --ssid CoworkGuest --warn 3x
refused 2 "psk show needs --ssid" "--ssid is required" psk show
refused 2 "an unknown option is refused" "unknown option --bogus" psk rotate --ssid CoworkGuest --bogus

# Rotation: silent by default, idempotent within the period.
run_rc 0 "psk rotate --ssid CoworkGuest" cowork psk rotate --ssid CoworkGuest
P1=$(shown CoworkGuest)
[ ${#P1} = 19 ] && ok "the passphrase has 4 groups of 4 characters" || not_ok "the passphrase has 4 groups of 4 characters" "'$P1'"
lacks "rotate does not print the passphrase unless asked" "$P1" "$TMP/out"
run_rc 0 "rotating again in the same period is accepted" cowork psk rotate --ssid CoworkGuest
has "... and says there is nothing to do" "nothing to do" "$TMP/out"
[ "$(shown CoworkGuest)" = "$P1" ] && ok "... and keeps the passphrase" || not_ok "... and keeps the passphrase"
run_rc 0 "rotate --json without --print" cowork psk rotate --ssid CoworkGuest --force --json
lacks "... has no passphrase in its output" '"passphrase"' "$TMP/out"
has "... but the times" '"valid_until":"[0-9-]+T[0-9:.]+Z","served_until"' "$TMP/out"
P2=$(shown CoworkGuest)
run_rc 0 "rotate --force --print" cowork psk rotate --ssid CoworkGuest --force --print
P3=$(shown CoworkGuest)
has "... prints the new passphrase" "passphrase: $P3" "$TMP/out"
has "... and says the previous one is still served" "previous one is still served until" "$TMP/out"
[ "$P1" != "$P2" ] && [ "$P2" != "$P3" ] && ok "each forced rotation makes a new passphrase" ||
	not_ok "each forced rotation makes a new passphrase"

# --all rotates every guest SSID.
run_rc 0 "psk rotate --all" cowork psk rotate --all
has "... rotates Lounge" 'SSID "Lounge": new passphrase' "$TMP/out"
has "... and leaves CoworkGuest alone (in force)" 'SSID "CoworkGuest": the passphrase in force' "$TMP/out"

# --notify-cmd: the passphrase on standard input only.
run_rc 0 "rotate --notify-cmd" cowork psk rotate --ssid CoworkGuest --force \
	--notify-cmd "cat > '$TMP/notified'; env > '$TMP/notify-env'; echo \"\$@\" > '$TMP/notify-args'"
P4=$(shown CoworkGuest)
[ "$(cat "$TMP/notified")" = "$P4" ] && ok "... gets the new passphrase on its standard input" ||
	not_ok "... gets the new passphrase on its standard input" "got '$(cat "$TMP/notified")'"
has "... and COWORK_SSID in its environment" "^COWORK_SSID=CoworkGuest$" "$TMP/notify-env"
has "... and COWORK_PSK_VALID_UNTIL" "^COWORK_PSK_VALID_UNTIL=[0-9-]+T" "$TMP/notify-env"
lacks "... but never the passphrase in its environment" "$P4" "$TMP/notify-env"
run_rc 3 "a failing notify command exits 3" cowork psk rotate --ssid CoworkGuest --force --notify-cmd 'exit 7'
has "... naming its exit status" "rotated, but the notify command exited with status 7" "$TMP/err"
P5=$(shown CoworkGuest)
[ -n "$P5" ] && [ "$P5" != "$P4" ] && ok "... and the rotation stands" || not_ok "... and the rotation stands"

# show: text, JSON, QR.
run_rc 0 "psk show --json" cowork psk show --ssid CoworkGuest --json
has "... gives passphrase and validity" "\"passphrase\":\"$P5\",\"valid_from\":\"[^\"]+\",\"valid_until\"" "$TMP/out"
run_rc 0 "psk show --qr FILE.svg" cowork psk show --ssid CoworkGuest --qr "$TMP/guest.svg"
has "... writes an SVG" "^<svg xmlns=\"http://www.w3.org/2000/svg\"" "$TMP/guest.svg"
[ "$(stat -c %a "$TMP/guest.svg")" = 600 ] && ok "... readable by its owner only (it holds the passphrase)" ||
	not_ok "... readable by its owner only (it holds the passphrase)" "mode $(stat -c %a "$TMP/guest.svg")"
refused 1 "psk show --qr refuses to overwrite a file" "guest.svg already exists: choose another name or remove it" psk show --ssid CoworkGuest --qr "$TMP/guest.svg"
run_rc 0 "psk show --qr - draws on the terminal" cowork psk show --ssid CoworkGuest --qr -
has "... with half blocks, black on white" "$(printf '\033')\\[30;47m.*(▀|▄|█)" "$TMP/out"

# policy
run_rc 0 "psk policy --period weekly --grace 12h --warn 2h" cowork psk policy --ssid Lounge --period weekly --grace 12h --warn 2h
run_rc 0 "psk policy shows it" cowork psk policy --ssid Lounge --json
has "... as stored" '"period":"weekly","grace_seconds":43200,"warn_seconds":7200,"members_see":false' "$TMP/out"
run_rc 0 "psk policy --members-see yes" cowork psk policy --ssid Lounge --members-see yes
has "... says so" '^members see  yes$' "$TMP/out"
run_rc 0 "... and keeps the rest of the policy" cowork psk policy --ssid Lounge --json
has "... as stored" '"period":"weekly","grace_seconds":43200,"warn_seconds":7200,"members_see":true' "$TMP/out"
refused 2 "psk policy --members-see takes yes or no only" 'members-see takes yes or no' psk policy --ssid Lounge --members-see maybe
run_rc 0 "rotate Lounge --force under the weekly policy" cowork psk rotate --ssid Lounge --force --json
UNTIL=$(sed -n 's/.*"valid_until":"\([^"]*\)".*/\1/p' "$TMP/out")
[ "$(date -d "$UNTIL" +%u%H%M)" = 10000 ] && ok "... ends at a Monday 00:00 local time" ||
	not_ok "... ends at a Monday 00:00 local time" "valid_until $UNTIL"

# A rotation killed at random moments: the registry stays whole and a
# passphrase stays in force (bounded: 30 kills).
bad=0
i=0
while [ $i -lt 30 ]; do
	delay=$(( (i % 10) * 3 + 1 ))
	timeout -s KILL "0.0$(printf '%02d' $delay)" "$COWORKCTL" -d "$STATE" psk rotate --ssid CoworkGuest --force >/dev/null 2>&1
	# timeout(1) SIGKILLs its whole process group, itself included: the shell
	# can get here while the killed coworkctl still holds its lock for a
	# moment, so the check waits for locks like coworkctl and radiusd do.
	check=$("$SQLITE3" -cmd ".timeout 5000" "$STATE/registry.db" "PRAGMA integrity_check" 2>&1)
	p=$(shown CoworkGuest)
	if [ "$check" != ok ] || [ ${#p} != 19 ]; then
		bad=$((bad + 1))
		diag "kill $i after ${delay} ms: integrity '$check', passphrase '$p'"
	fi
	i=$((i + 1))
done
[ $bad = 0 ] && ok "30 rotations killed at random moments: integrity ok, a passphrase always in force" ||
	not_ok "30 rotations killed at random moments: integrity ok, a passphrase always in force"
if "$SQLITE3" -readonly "$STATE/registry.db" "SELECT count(*) FROM guest_psk" >/dev/null 2>&1; then
	ok "after the kills (and one coworkctl run), a read-only reader like radiusd reads the registry"
else
	not_ok "after the kills (and one coworkctl run), a read-only reader like radiusd reads the registry"
fi

# SIGTERM in the middle of a rotation is held until the rotation is done.
# The SIGKILLs above can leave a journal whose header was not yet synced
# (its magic still zero): not hot, so SQLite ignores it, and a reader does
# not remove it. One complete rotation does; the loop starts from there.
cowork psk rotate --ssid CoworkGuest --force >/dev/null 2>&1
[ ! -e "$STATE/registry.db-journal" ] || not_ok "a complete rotation leaves no journal" "$(ls -l "$STATE")"
i=0
bad=0
while [ $i -lt 10 ]; do
	"$COWORKCTL" -d "$STATE" psk rotate --ssid CoworkGuest --force >/dev/null 2>&1 &
	pid=$!
	sleep "0.00$((i % 9 + 1))"
	kill -TERM $pid 2>/dev/null
	wait $pid
	[ -e "$STATE/registry.db-journal" ] && bad=$((bad + 1))
	i=$((i + 1))
done
[ $bad = 0 ] && ok "10 rotations sent SIGTERM mid-way never leave a rollback journal behind" ||
	not_ok "10 rotations sent SIGTERM mid-way never leave a rollback journal behind" "$bad left one"
