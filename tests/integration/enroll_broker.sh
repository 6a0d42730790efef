#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# coworkctl enroll-broker against docs/enrollment.md's protocol, with a
# client (tests/tools/enrollc) running as the web service's user: OPEN,
# COLLECT and LOST as they should go; a token used beyond its devices,
# after its expiry, after `invite revoke`, unknown, malformed; malformed,
# oversized and slow requests; a peer with the wrong uid; the refusal
# limit per client; the token in no file; LOST revoking a certificate so
# that its next handshake fails inside TLS, and disconnecting its live
# session at the access point (nasd); SIGTERM.
# Ports: 18482 (auth), 18483 (acct), 18484 (the test NAS's CoA).
# Needs root (the broker runs as root, the client as another user).
if [ "$(id -u)" != 0 ] || ! id daemon >/dev/null 2>&1 || ! id nobody >/dev/null 2>&1; then
	echo "1..0 # SKIP needs root and the users daemon and nobody"
	exit 0
fi
. "$top_srcdir/tests/integration/harness.sh"
. "$top_srcdir/tests/integration/enroll_lib.sh"

PORT=18482
ACCT=$((PORT + 1))
COA=$((PORT + 2))
NASD=${NASD:?run this through make check}
init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
CERTS=$TMP/certs
mkdir -p "$CERTS"
standard_space alice bob && cowork invite url https://enroll.test.example >/dev/null && issue bob ||
	{ not_ok "registry set-up"; exit 1; }
BOB=$SERIAL

# --- the broker's socket -------------------------------------------------------------------------

broker_start || { not_ok "the broker starts"; exit 1; }
ok "the broker starts"
[ "$(stat -c '%U:%G %a' "$STATE/enroll")" = "root:$(id -gn "$BROKER_USER") 750" ] &&
	ok "STATE/enroll is root:<the client's group> 0750" || not_ok "STATE/enroll is root:<the client's group> 0750" \
	"$(stat -c '%U:%G %a' "$STATE/enroll")"
[ "$(stat -c '%U:%G %a %F' "$SOCK")" = "root:$(id -gn "$BROKER_USER") 660 socket" ] &&
	ok "... its socket is root:<the client's group> 0660" || not_ok "... its socket is root:<the client's group> 0660" \
	"$(stat -c '%U:%G %a %F' "$SOCK")"
[ "$(stat -c %a "$STATE")" = 751 ] && ok "STATE gains only the search bit for others" ||
	not_ok "STATE gains only the search bit for others" "$(stat -c %a "$STATE")"
has "... and the broker says so" "is now mode 751, so that $BROKER_USER can reach" "$TMP/broker.log"
"$COWORKCTL" -d "$STATE" enroll-broker --client-user "$BROKER_USER" >"$TMP/second.out" 2>&1
[ $? = 1 ] && grep -q "another enroll-broker is listening on $SOCK" "$TMP/second.out" &&
	ok "a second broker on the same socket is refused, the first keeps it" ||
	not_ok "a second broker on the same socket is refused" "$(cat "$TMP/second.out")"

# --- OPEN -------------------------------------------------------------------------------------------

cowork psk policy --ssid CoworkGuest --members-see yes >/dev/null
invite_new first alice --devices 2 --hours 2 || { not_ok "invite create"; exit 1; }
FIRST=$TOKEN
ask open1 "OPEN $FIRST 192.0.2.10"
answered "OPEN with the token answers OK ... END" open1 OK
[ "$(line open1 invite)" = "$INVITE" ] && ok "... the invitation's id (the seal's aad needs it)" ||
	not_ok "... the invitation's id" "$(line open1 invite)"
[ "$(line open1 member)" = alice ] && [ "$(line open1 org)" = "Test Space" ] &&
	[ "$(line open1 server_name)" = radius.test.example ] && [ "$(line open1 ssid)" = CoworkMembers ] &&
	ok "... member, org, server_name and the member SSID" || not_ok "... member, org, server_name and the member SSID" \
	"$(cat "$TMP/open1.ans" | grep -v '^ca ')"
line open1 ca | base64 -d >"$TMP/ca.der" 2>/dev/null
"$OPENSSL" x509 -in "$STATE/ca/ca.pem" -outform DER -out "$TMP/ca-state.der"
cmp -s "$TMP/ca.der" "$TMP/ca-state.der" && ok "... the member CA as base64 DER" || not_ok "... the member CA as base64 DER"
EXPIRES=$(line open1 expires)
NOW=$(date +%s)
[ $((EXPIRES - NOW)) -gt 7100 ] && [ $((EXPIRES - NOW)) -le 7200 ] && ok "... expires in two hours (unix time)" ||
	not_ok "... expires in two hours" "$EXPIRES, now $NOW"
[ "$(line open1 devices_left)" = 2 ] && ok "... devices_left 2" || not_ok "... devices_left 2"
[ "$(grep -c '^device [0-9a-f]* uncollected [0-9]* 0 -$' "$TMP/open1.ans")" = 2 ] &&
	ok "... a device line per certificate: serial, uncollected, not_after, last_seen 0, no platform" ||
	not_ok "... a device line per certificate" "$(grep '^device' "$TMP/open1.ans")"
PSK=$(passphrase CoworkGuest)
has "... the guest passphrase members may see" "^guest CoworkGuest $PSK [0-9]+$" "$TMP/open1.ans"
lacks "... and no device yet" "^(slot|serial|sealed) " "$TMP/open1.ans"

# --- COLLECT ------------------------------------------------------------------------------------------

for n in 1 2; do
	ask "collect$n" "COLLECT $FIRST 192.0.2.10 $([ $n = 1 ] && echo apple || echo eap)"
	answered "COLLECT $n answers OK" "collect$n" OK
	[ "$(line "collect$n" slot)" = $n ] && ok "... slot $n" || not_ok "... slot $n" "$(line "collect$n" slot)"
	line "collect$n" sealed >"$TMP/sealed$n.b64"
	open_device "dev$n" "$FIRST" "$INVITE" $n "$TMP/sealed$n.b64" && ok "... its sealed device opens with the token" ||
		not_ok "... its sealed device opens with the token" "$(cat "$TMP/dev$n.err")"
	[ "$SERIAL" = "$(line "collect$n" serial)" ] && ok "... and holds the certificate of its serial line" ||
		not_ok "... and holds the certificate of its serial line" "$SERIAL / $(line "collect$n" serial)"
	eval "DEV$n=\$SERIAL"
	[ "$(line "collect$n" devices_left)" = $((2 - n)) ] && ok "... devices_left $((2 - n))" || not_ok "... devices_left"
done
has "the device list shows the first collected, for apple" "^device $DEV1 active [0-9]+ 0 apple$" "$TMP/collect2.ans"
[ "$("$SQLITE3" "$STATE/registry.db" "SELECT count(*) FROM invite_slot WHERE sealed IS NOT NULL")" = 0 ] &&
	ok "no sealed device is left in the registry" || not_ok "no sealed device is left in the registry"
ask collect3 "COLLECT $FIRST 192.0.2.10 linux"
refused_no "a third COLLECT of a two-device invitation is refused: NO, END" collect3
ask open2 "OPEN $FIRST 192.0.2.10"
answered "OPEN still answers (the member's page)" open2 OK
[ "$(line open2 devices_left)" = 0 ] && ok "... devices_left 0" || not_ok "... devices_left 0"

# --- radiusd: the collected certificates connect; last_seen --------------------------------------

server_start "$TMP/state" $PORT || { not_ok "radiusd starts"; exit 1; }
eap_accept "the collected device connects on alice's VLAN" 190 dev1 "$TMP/dev1.pem" "$TMP/dev1.pem" CoworkMembers
log_row "... its accept is in the access log" "\"result\":\"accept\",\"reason\":\"accept\",\"class\":\"member\",\"member\":\"alice\""
ask open3 "OPEN $FIRST 192.0.2.10"
SEEN=$(sed -n "s/^device $DEV1 active [0-9]* \\([0-9]*\\) apple$/\\1/p" "$TMP/open3.ans")
[ -n "$SEEN" ] && [ $(($(date +%s) - SEEN)) -ge 0 ] && [ $(($(date +%s) - SEEN)) -lt 60 ] &&
	ok "OPEN gives the device's last_seen from the access log" || not_ok "OPEN gives the device's last_seen" \
	"$(grep "^device $DEV1" "$TMP/open3.ans")"

# --- LOST: revoked, disconnected, refused in the next handshake -----------------------------------

SECRET_FILE=$TMP/coa.secret
printf 'coa-secret-%s\n' "$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')" >"$SECRET_FILE"
chmod 0600 "$SECRET_FILE"
cowork nas add ap-test --address 127.0.0.1 --coa-port $COA --secret-file "$SECRET_FILE" >/dev/null ||
	not_ok "nas add"
CLASS_HEX=$(awk '/code=2 \(Access-Accept\)/ { a = 1 } a && /Attribute 25 / { getline; sub(/.*Value: /, ""); print; exit }' \
	"$TMP/eapol-dev1.log")
printf 'Acct-Status-Type = Start\nNAS-IP-Address = 127.0.0.1\nAcct-Session-Id = "LOSTSESSION1"\nUser-Name = "alice"\nCalling-Station-Id = "02-00-00-00-00-AA"\nClass = 0x%s\n' \
	"$CLASS_HEX" >"$TMP/acct.req"
"$RADCLIENT" -x -t 1 -r 1 -f "$TMP/acct.req" "127.0.0.1:$ACCT" acct testing123 >"$TMP/acct.out" 2>&1
has "the device's accounting Start is answered (a live session)" "Received Accounting-Response" "$TMP/acct.out"
rm -f "$TMP/nasd.ready"
"$NASD" --listen "127.0.0.1:$COA" --secret-file "$SECRET_FILE" --answer ack --record "$TMP/nasd.rec" \
	--ready "$TMP/nasd.ready" --idle 30000 &
NASD_PID=$!
i=0
while [ ! -f "$TMP/nasd.ready" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done

ask lostbob "LOST $FIRST 192.0.2.10 $BOB"
refused_no "LOST of a serial that is not the member's is refused" lostbob
ask lostnone "LOST $FIRST 192.0.2.10 abcdef0123"
refused_no "LOST of a serial nobody has is refused" lostnone
ask lost1 "LOST $FIRST 192.0.2.10 $DEV1"
answered "LOST of alice's device answers OK" lost1 OK
has "... its device line says revoked" "^device $DEV1 revoked " "$TMP/lost1.ans"
run_rc 0 "cert show" cowork cert show "$DEV1"
has "... revoked as cert revoke does, key-compromise" "^revoked .*\\(key-compromise\\)$" "$TMP/out"
i=0
while [ $i -lt 50 ] && ! grep -q "session LOSTSESSION1: ACK" "$TMP/broker.log"; do sleep 0.1; i=$((i + 1)); done
has "... the live session got a Disconnect-Request, acknowledged" "ap-test \\(127.0.0.1 port $COA\\) session LOSTSESSION1: ACK" \
	"$TMP/broker.log"
has "... the NAS checked it with the secret" "^message_authenticator=ok$" "$TMP/nasd.rec"
has "... for that session" "^acct_session_id=LOSTSESSION1$" "$TMP/nasd.rec"
kill "$NASD_PID" 2>/dev/null
wait "$NASD_PID" 2>/dev/null
eap_reject "the lost device's next authentication is refused" lostdev "$TMP/dev1.pem" "$TMP/dev1.pem" CoworkMembers
tls_refused "... inside the TLS handshake" lostdev
has "... as revoked" "refused certificate $DEV1 in the TLS handshake: reject \\(revoked\\)" "$server_log"
eap_accept "the other collected device still connects" 190 dev2 "$TMP/dev2.pem" "$TMP/dev2.pem" CoworkMembers

# --- refusals: all alike ---------------------------------------------------------------------------

ask unknown "OPEN pgSuUDZv63fpEk6JcMZMm_NDIqj6v_DG6EzhvrXQjlw 192.0.2.11"
refused_no "an unknown token is refused: NO, END" unknown
ask malformedtoken "OPEN not-a-token 192.0.2.11"
refused_no "a malformed token is refused the same way" malformedtoken

invite_new revoked bob --devices 1 || not_ok "invite create bob"
cowork invite revoke "$INVITE" >/dev/null
ask afterrevoke "COLLECT $TOKEN 192.0.2.11 windows"
refused_no "a revoked invitation's token is refused" afterrevoke

invite_new expired bob --devices 2 --hours 1 || not_ok "invite create bob"
EXPIRED=$INVITE
# Its end moved to the past: an hour is too long to wait.
"$SQLITE3" "$STATE/registry.db" "UPDATE invite SET created_at = created_at - 7200,
	expires_at = strftime('%s', 'now') - 1 WHERE id = $EXPIRED" || not_ok "the expiry moved to the past"
ask afterexpiry "COLLECT $TOKEN 192.0.2.11 linux"
refused_no "an expired invitation's token is refused" afterexpiry
[ "$("$SQLITE3" "$STATE/registry.db" "SELECT count(*) FROM cert WHERE pending_invite = $EXPIRED AND revoke_reason = 'cessation-of-operation'")" = 2 ] &&
	ok "... and the broker ended it: its uncollected certificates revoked" || not_ok "... and the broker ended it"
[ "$("$SQLITE3" "$STATE/registry.db" "SELECT count(*) FROM invite_slot WHERE invite_id = $EXPIRED AND sealed IS NOT NULL")" = 0 ] &&
	ok "... their sealed devices deleted" || not_ok "... their sealed devices deleted"

cowork invite events --json >"$TMP/events.json"
for reason in exhausted not-members-serial unknown malformed-token revoked expired; do
	has "the audit has the refusal's reason: $reason" "\"event\":\"refused\",\"reason\":\"$reason\"" "$TMP/events.json"
done
has "... with the client's address" "\"reason\":\"unknown\",\"serial\":null,\"platform\":null,\"client\":\"192.0.2.11\"" \
	"$TMP/events.json"
has "... collections with their platform" "\"event\":\"collected\",\"reason\":null,\"serial\":\"$DEV1\",\"platform\":\"apple\"" \
	"$TMP/events.json"
has "... the loss report" "\"event\":\"lost\",\"reason\":null,\"serial\":\"$DEV1\"" "$TMP/events.json"

# --- malformed requests: ERR, END -----------------------------------------------------------------

# err DESC NAME LINE PATTERN [ENROLLC-OPTIONS...]: an ERR whose message matches PATTERN.
err() {
	e_desc=$1 e_name=$2 e_line=$3 e_pat=$4
	shift 4
	ask "$e_name" "$e_line" "$@"
	if head -n 1 "$TMP/$e_name.ans" | grep -Eq "^ERR $e_pat" && [ "$(tail -n 1 "$TMP/$e_name.ans")" = END ] &&
		[ "$(wc -l <"$TMP/$e_name.ans")" = 2 ]; then
		ok "$e_desc"
	else
		not_ok "$e_desc" "answer: $(head -c 300 "$TMP/$e_name.ans")"
	fi
}
err "an unknown verb" verb "GET / HTTP/1.0" "unknown request"
err "a missing field" fields "COLLECT $FIRST 192.0.2.10" "COLLECT takes 3 fields"
err "a client that is no address" client "OPEN $FIRST example.org" "the client is not an IPv4 or IPv6 address"
err "an unknown platform" platform "COLLECT $FIRST 192.0.2.10 android" "the platform is not"
err "a CR before the newline" cr "OPEN $FIRST 192.0.2.10$(printf '\r')" "malformed request"
err "a second line" second "OPEN $FIRST 192.0.2.10
OPEN $FIRST 192.0.2.10" "one request per connection"
err "a line of 1025 bytes" long "" "the request line is longer than 1024 bytes" --size 1025
err "a line of exactly 1024 bytes is read (and is no request)" exact "" "unknown request" --size 1024
err "no newline within 2 s" nonl "OPEN $FIRST 192.0.2.10" "no complete request line within 2 s" --no-newline
lacks "no ERR repeats the token" "$FIRST" "$TMP/fields.ans"

# A slow client: the broker gives up on it after 2 s and serves the next one.
as_client "$ENROLLC" --slow 4000 "$SOCK" "OPEN $FIRST 192.0.2.10" >"$TMP/slow.ans" 2>&1 &
SLOW=$!
sleep 0.3
T0=$(date +%s%3N)
ask afterslow "OPEN $FIRST 192.0.2.10"
T1=$(date +%s%3N)
answered "while a slow client stalls, the next request is answered" afterslow OK
[ $((T1 - T0)) -lt 3000 ] && ok "... within the slow one's 2 s ($((T1 - T0)) ms)" ||
	not_ok "... within the slow one's 2 s" "$((T1 - T0)) ms"
wait $SLOW
has "... the slow client got ERR" "^ERR no complete request line within 2 s$" "$TMP/slow.ans"

# --- who may ask -----------------------------------------------------------------------------------

setpriv --reuid=nobody --regid=nogroup --clear-groups "$ENROLLC" "$SOCK" "OPEN $FIRST 192.0.2.10" \
	>"$TMP/nobody.ans" 2>"$TMP/nobody.err"
[ $? = 2 ] && grep -q "Permission denied" "$TMP/nobody.err" && ok "another user cannot reach the socket (EACCES)" ||
	not_ok "another user cannot reach the socket" "$(cat "$TMP/nobody.err" "$TMP/nobody.ans")"
setpriv --reuid=nobody --regid=nogroup --groups="$(id -g "$BROKER_USER")" "$ENROLLC" "$SOCK" "OPEN $FIRST 192.0.2.10" \
	>"$TMP/wronguid.ans" 2>&1
[ "$(cat "$TMP/wronguid.ans")" = "$(printf 'ERR not allowed\nEND')" ] &&
	ok "a peer with the client's group but another uid is refused (SO_PEERCRED): ERR not allowed" ||
	not_ok "a peer with another uid is refused" "$(cat "$TMP/wronguid.ans")"
has "... and the broker logs it" "refused a connection from uid $(id -u nobody)" "$TMP/broker.log"
"$ENROLLC" "$SOCK" "OPEN $FIRST 192.0.2.10" >"$TMP/asroot.ans" 2>&1
[ "$(head -n 1 "$TMP/asroot.ans")" = OK ] && ok "root may ask" || not_ok "root may ask" "$(head -n 3 "$TMP/asroot.ans")"

# --- the refusal limit -------------------------------------------------------------------------------

i=0
while [ $i -lt 10 ]; do
	ask "rate$i" "OPEN pgSuUDZv63fpEk6JcMZMm_NDIqj6v_DG6Ezhvr$(printf '%02d' $i)jlw 198.51.100.7"
	i=$((i + 1))
done
refused_no "ten unknown tokens from one client are refused" rate9
ask limited "OPEN $FIRST 198.51.100.7"
refused_no "then even the right token from that client gets NO" limited
has "... without a lookup" "OPEN from 198.51.100.7: NO \\(rate-limited: not looked up\\)" "$TMP/broker.log"
ask other "OPEN $FIRST 198.51.100.8"
answered "... while another client is answered" other OK
[ "$(cowork invite events --json | grep -o '"event":"rate-limited"' | wc -l)" = 1 ] &&
	ok "the limit is one audit row, not one per request" || not_ok "the limit is one audit row"

# --- secrecy ----------------------------------------------------------------------------------------

for t in "$FIRST" "$TOKEN"; do
	in_no_file "a token is in no file under STATE nor in radiusd's log" "$t"
done
lacks "no token in the broker's log" "$FIRST|$TOKEN" "$TMP/broker.log"
lacks "no guest passphrase in the broker's log" "$PSK" "$TMP/broker.log"

# --- SIGTERM ------------------------------------------------------------------------------------------

broker_stop
[ $? = 0 ] && ok "SIGTERM: the broker exits 0" || not_ok "SIGTERM: the broker exits 0"
has "... saying so" "^enroll-broker: stopped$" "$TMP/broker.log"
[ ! -e "$SOCK" ] && ok "... and removes its socket" || not_ok "... and removes its socket"
lacks "no sanitizer report from the broker" "(AddressSanitizer|LeakSanitizer|runtime error)" "$TMP/broker.log"
server_running && ok "radiusd is still running" || not_ok "radiusd is still running"
