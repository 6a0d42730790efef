#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# coworkctl invite create|list|revoke|sweep|events|url, and what radiusd
# makes of an invitation's certificates: refused while uncollected (reason
# `uncollected`, inside the TLS handshake, in radiusd's log and the access
# log), accepted on the member's VLAN once a device collected it through
# the broker. The device is opened as the web service would, with the
# link's token (tests/tools/unseal). The token is in no file. Refusals
# change nothing. The broker's own behaviour: enroll_broker.sh.
# Ports: 18480 (auth), 18481 (acct).
. "$top_srcdir/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/enroll_lib.sh"

PORT=18480
init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
member_space alice bob carol && cowork member suspend carol >/dev/null || { not_ok "registry set-up"; exit 1; }

# --- refusals before anything exists -----------------------------------------------------

refused 1 "invite create without a URL is refused, naming the fix" "no enrollment URL: give --url, or set it once with" \
	cowork invite create alice
refused 1 "invite url shows that none is set" "no enrollment URL is set" cowork invite url
refused 2 "invite url refuses http://" "must start with https://" cowork invite url http://enroll.test.example
refused 2 "invite url refuses a query" "'\\?' or '#'" cowork invite url "https://enroll.test.example/?a=b"
refused 2 "invite url refuses no host" "names no host" cowork invite url https:///e
run_rc 0 "invite url sets the address (a trailing slash dropped)" cowork invite url https://enroll.test.example/
has "... and shows the links' form" "^invitation links: https://enroll.test.example/e/<token>$" "$TMP/out"
run_rc 0 "invite url shows it" cowork invite url
has "... as set" "https://enroll.test.example/e/<token>" "$TMP/out"

refused 1 "an unknown member is refused" "unknown member nobody" cowork invite create nobody
refused 1 "a suspended member is refused" "member carol is suspended: resume the member" cowork invite create carol
refused 2 "--devices 0 is refused" "--devices must be 1 to 20" cowork invite create alice --devices 0
refused 2 "--devices 21 is refused" "--devices must be 1 to 20" cowork invite create alice --devices 21
refused 2 "--hours 721 is refused" "--hours must be 1 to 720" cowork invite create alice --hours 721
refused 2 "--url http:// is refused" "--url: the enrollment URL must start with https://" \
	cowork invite create alice --url http://x.example
refused 2 "--qr - with --json is refused" "--qr - and --json do not go together" cowork invite create alice --qr - --json
refused 2 "a malformed member id is refused" "member id" cowork invite create "Alice Smith"
mkdir -m 0700 "$TMP/out-dir" && : >"$TMP/out-dir/taken.svg"
refused 1 "--qr to an existing file is refused before anything is issued" "taken.svg already exists" \
	cowork invite create alice --qr "$TMP/out-dir/taken.svg"
run_rc 0 "invite list" cowork invite list
has "... says there is none" "^no invitations$" "$TMP/out"

# --- an invitation --------------------------------------------------------------------------

invite_new first alice --devices 2 --hours 2 || not_ok "invite create alice --devices 2 --hours 2" "$(cat "$TMP/first.inv")"
ok "invite create alice --devices 2 --hours 2"
has "... names the invitation, its devices and its end" "^invitation $INVITE for alice: 2 devices, until " "$TMP/first.inv"
has "... prints the link with a 43-character token" "^url: https://enroll.test.example/e/[A-Za-z0-9_-]{43}$" "$TMP/first.inv"
FIRST=$TOKEN
run_rc 0 "cert list --member alice" cowork cert list --member alice
[ "$(grep -c ' uncollected ' "$TMP/out")" = 2 ] && ok "... shows its two certificates uncollected" ||
	not_ok "... shows its two certificates uncollected" "$(cat "$TMP/out")"
run_rc 0 "invite list" cowork invite list
has "... shows it active, none of 2 collected" "^$INVITE +alice +0/2 .* active$" "$TMP/out"
run_rc 0 "invite list --json" cowork invite list --json
has "... as JSON" "\"id\":$INVITE,\"member\":\"alice\",\"devices\":2,\"collected\":0,.*\"state\":\"active\"" "$TMP/out"
in_no_file "the token is in no file under STATE" "$FIRST"
[ "$("$SQLITE3" "$STATE/registry.db" "SELECT count(*) FROM invite_slot WHERE invite_id = $INVITE AND sealed IS NOT NULL")" = 2 ] &&
	ok "the registry holds both devices sealed" || not_ok "the registry holds both devices sealed"

# The device of slot 1, opened with the token as the web service would, straight from the registry.
sealed_of "$INVITE" 1 >"$TMP/slot1.hex"
open_device slot1 "$FIRST" "$INVITE" 1 "$TMP/slot1.hex" --hex && ok "the token opens the sealed device of slot 1" ||
	not_ok "the token opens the sealed device of slot 1" "$(cat "$TMP/slot1.err")"
SLOT1=$SERIAL
[ "$SLOT1" = "$("$SQLITE3" "$STATE/registry.db" "SELECT serial FROM invite_slot WHERE invite_id = $INVITE AND slot = 1")" ] &&
	ok "... its PKCS#12 holds slot 1's certificate" || not_ok "... its PKCS#12 holds slot 1's certificate" "got $SLOT1"
PW=$(cat "$TMP/slot1.pw")
[ ${#PW} -ge 16 ] && [ ${#PW} -le 64 ] && ok "... under a password of 16 to 64 characters (${#PW})" ||
	not_ok "... under a password of 16 to 64 characters" "${#PW}"
"$OPENSSL" pkcs12 -in "$TMP/slot1.p12" -passin "file:$TMP/slot1.pw" -info -noout >"$TMP/p12.info" 2>&1
has "... a 3DES PKCS#12, for every platform's importer" "Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC" "$TMP/p12.info"
has "... with a SHA-1 MAC" "MAC: sha1" "$TMP/p12.info"
"$OPENSSL" x509 -in "$TMP/slot1.pem" -noout -subject -issuer >"$TMP/slot1.names"
has "... for alice" "subject=O ?= ?Test Space, CN ?= ?alice" "$TMP/slot1.names"
sealed_of "$INVITE" 2 >"$TMP/slot2.hex"
open_device wrongslot "$FIRST" "$INVITE" 1 "$TMP/slot2.hex" --hex && not_ok "slot 2's device does not open as slot 1's" ||
	ok "slot 2's device does not open as slot 1's (the aad binds it)"
open_device wrongtoken "pgSuUDZv63fpEk6JcMZMm_NDIqj6v_DG6EzhvrXQjlw" "$INVITE" 1 "$TMP/slot1.hex" --hex &&
	not_ok "another token opens nothing" || ok "another token opens nothing"

# --- radiusd: refused until collected -----------------------------------------------------------

server_start "$TMP/state" $PORT || { not_ok "radiusd starts"; exit 1; }
ok "radiusd starts (the registry migrated by coworkctl)"
eap_reject "the uncollected certificate is rejected" uncollected "$TMP/slot1.pem" "$TMP/slot1.pem" CoworkMembers
tls_refused "... inside the TLS handshake" uncollected
has "... radiusd's log gives the reason" \
	"refused certificate $SLOT1 in the TLS handshake: reject \\(uncollected\\): certificate $SLOT1 of alice was issued for invitation $INVITE and has not been collected" \
	"$server_log"
has "... as a revoked certificate's alert" "Alert write:fatal:certificate revoked" "$server_log"
has "... and its auth line" "Login incorrect \\(eap_tls: reject \\(uncollected\\)" "$server_log"
log_row "... and the access log has the row with reason uncollected" \
	"\"reason\":\"uncollected\",\"class\":\"member\",\"member\":\"alice\""

if [ "$(id -u)" = 0 ]; then
	broker_start || { not_ok "the broker starts"; exit 1; }
	ask collect1 "COLLECT $FIRST 192.0.2.10 linux"
	answered "the broker hands slot 1's device to COLLECT" collect1 OK
	[ "$(line collect1 serial)" = "$SLOT1" ] && ok "... the certificate tried above" ||
		not_ok "... the certificate tried above" "$(line collect1 serial)"
	eap_accept "once collected, the same certificate is accepted on alice's VLAN" 190 collected "$TMP/slot1.pem" \
		"$TMP/slot1.pem" CoworkMembers
	run_rc 0 "cert show" cowork cert show "$SLOT1"
	has "... shows it valid" "^status +valid$" "$TMP/out"
	run_rc 0 "invite list" cowork invite list
	has "... shows 1 of 2 collected" "^$INVITE +alice +1/2 .* active$" "$TMP/out"
else
	ok "# SKIP collecting through the broker needs root"
	ok "# SKIP"
	ok "# SKIP"
	ok "# SKIP"
	ok "# SKIP"
	ok "# SKIP"
fi

# --- revoke ---------------------------------------------------------------------------------------------

SLOT2=$("$SQLITE3" "$STATE/registry.db" "SELECT serial FROM invite_slot WHERE invite_id = $INVITE AND slot = 2")
run_rc 0 "invite revoke" cowork invite revoke "$INVITE"
has "... revokes the uncollected certificate only" "^invitation $INVITE of alice revoked: .* 1 uncollected certificate revoked" \
	"$TMP/out"
run_rc 0 "cert show of slot 2" cowork cert show "$SLOT2"
has "... revoked, cessation-of-operation" "^revoked .*\\(cessation-of-operation\\)$" "$TMP/out"
[ "$("$SQLITE3" "$STATE/registry.db" "SELECT count(*) FROM invite_slot WHERE sealed IS NOT NULL")" = 0 ] &&
	ok "... its sealed device is deleted" || not_ok "... its sealed device is deleted"
run_rc 0 "invite list" cowork invite list
has "... shows it revoked" "^$INVITE +alice .* revoked$" "$TMP/out"
run_rc 0 "invite revoke again changes nothing" cowork invite revoke "$INVITE"
has "... and says so" "was already revoked on" "$TMP/out"
refused 1 "invite revoke of an unknown id" "unknown invitation 99" cowork invite revoke 99
refused 2 "invite revoke of something that is no id" "the invitation id must be a whole number" cowork invite revoke abc

# --- expiry and sweep --------------------------------------------------------------------------------

invite_new second bob --devices 3 --hours 1 || not_ok "invite create bob --devices 3 --hours 1"
SECOND=$INVITE
run_rc 0 "invite sweep with nothing due" cowork invite sweep
has "... says so" "^no invitation to end$" "$TMP/out"
# An hour is too long to wait: the invitation's end moves to the past instead.
"$SQLITE3" "$STATE/registry.db" "UPDATE invite SET created_at = created_at - 7200,
	expires_at = strftime('%s', 'now') - 1 WHERE id = $SECOND" || not_ok "the invitation's expiry moved to the past"
run_rc 0 "invite list shows it ended at its expiry" cowork invite list
has "... ended" "^$SECOND +bob +0/3 .* ended$" "$TMP/out"
run_rc 0 "invite sweep" cowork invite sweep
has "... ends it and revokes its three certificates" "^1 invitation ended .*: 3 uncollected certificates revoked$" "$TMP/out"
[ "$("$SQLITE3" "$STATE/registry.db" "SELECT count(*) FROM cert WHERE pending_invite = $SECOND AND revoke_reason = 'cessation-of-operation'")" = 3 ] &&
	ok "... all three cessation-of-operation" || not_ok "... all three cessation-of-operation"
run_rc 0 "invite sweep again" cowork invite sweep
has "... has nothing to do" "^no invitation to end$" "$TMP/out"

# --- delivery: QR code, the operator's command, JSON -----------------------------------------------

run_rc 0 "invite create --qr FILE" cowork invite create bob --devices 1 --qr "$TMP/out-dir/bob.svg"
[ "$(stat -c %a "$TMP/out-dir/bob.svg")" = 600 ] && grep -q "<svg" "$TMP/out-dir/bob.svg" &&
	ok "... writes the link's QR code as SVG, 0600" || not_ok "... writes the link's QR code as SVG, 0600"
cat >"$TMP/notify.sh" <<EOF
cat >"$TMP/notified"
env | grep '^COWORK_' | sort >"$TMP/notify.env"
EOF
run_rc 0 "invite create --notify-cmd" cowork invite create bob --devices 1 --notify-cmd "sh $TMP/notify.sh" --json
NOTIFIED=$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$TMP/out")
[ -n "$NOTIFIED" ] && [ "$(cat "$TMP/notified")" = "$NOTIFIED" ] && ok "... the command gets the link on its standard input" ||
	not_ok "... the command gets the link on its standard input" "$(cat "$TMP/notified")"
has "... and the facts in its environment" "^COWORK_INVITE_DEVICES=1$" "$TMP/notify.env"
has "... (member)" "^COWORK_MEMBER=bob$" "$TMP/notify.env"
has "... (expiry)" "^COWORK_INVITE_EXPIRES=20[0-9-]+T" "$TMP/notify.env"
lacks "... never the link" "/e/" "$TMP/notify.env"
has "--json gives id, member, devices, expiry, link and certificates" \
	'^\{"id":[0-9]+,"member":"bob","devices":1,"expires_at":"[^"]+","url":"https://enroll.test.example/e/[A-Za-z0-9_-]{43}","certificates":\["[0-9a-f]+"\]\}$' \
	"$TMP/out"
run_rc 3 "a failing --notify-cmd exits 3 and keeps the invitation" cowork invite create bob --devices 1 --notify-cmd "exit 4"
has "... saying so" "was created, but the notify command exited with status 4" "$TMP/err"

# --- the audit ------------------------------------------------------------------------------------

run_rc 0 "invite events --json" cowork invite events --json
for ev in created revoked expired; do
	has "... has a $ev row" "\"event\":\"$ev\"" "$TMP/out"
done
run_rc 0 "invite events ID" cowork invite events "$SECOND"
lacks "... only that invitation's rows" " alice " "$TMP/out"
in_no_file "no token of this test is in any file under STATE, nor in radiusd's log" "$FIRST"
server_running && ok "radiusd is still running" || not_ok "radiusd is still running"
lacks "no crash or sanitizer report in radiusd's log" "(Segmentation|SIGSEGV|Assertion|AddressSanitizer|runtime error)" \
	"$server_log"
