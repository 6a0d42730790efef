#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Revocation reaches connected devices (RFC 5176): a real radiusd records
# members' sessions from accounting (the Class of the EAP-TLS Accept echoed
# by radclient as an access point would), and `cert revoke` / `member
# suspend` send Disconnect-Requests to test access points (nasd) that check
# both authenticators with the secret and answer ACK, NAK or nothing.
. "$top_srcdir/tests/integration/harness.sh"

PORT=18260		# auth; accounting on 18261
ACCT=$((PORT + 1))
NASD=${NASD:?run this through make check}
CERTS=$TMP/certs
SECRET_FILE=$TMP/coa.secret
SECRET=coa-secret-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')
printf '%s\n' "$SECRET" >"$SECRET_FILE"
chmod 0600 "$SECRET_FILE"
mkdir -p "$CERTS"

init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
member_space alice bob carol || { not_ok "registry set-up"; exit 1; }

issue alice "$CERTS/alice" && ALICE=$SERIAL && issue alice "$CERTS/alice2" && ALICE2=$SERIAL &&
	issue bob "$CERTS/bob" && BOB=$SERIAL && issue carol "$CERTS/carol" && CAROL=$SERIAL ||
	{ not_ok "cert issue"; exit 1; }

# Two more access points, on 127.0.0.2 and 127.0.0.3, are RADIUS clients too.
server_config "$TMP/state" $PORT || { not_ok "radiusd config"; exit 1; }
for ip in 127.0.0.2 127.0.0.3; do
	printf 'client ap-%s {\n\tipaddr = %s\n\tsecret = testing123\n\trequire_message_authenticator = yes\n}\n' \
		"$ip" "$ip" >>"$CONF/clients.conf"
done
server_run || { not_ok "radiusd starts"; exit 1; }
ok "radiusd starts with rlm_cowork in accounting"

# --- the Class in the Access-Accept ------------------------------------------------

# shellcheck disable=SC2086
eap_accept "alice gets Access-Accept (EAP-TLS)" 190 alice "$CERTS/alice/alice.pem" "$CERTS/alice/alice.key" CoworkMembers
CLASS_HEX=$(awk '/Access-Accept/ { a = 1 } a && /Attribute 25 / { getline; sub(/.*Value: /, ""); print; exit }' \
	"$TMP/eapol-alice.log")
if printf '%s\n' "$CLASS_HEX" | unhex | grep -Eqx "cowork:$ALICE:[0-9]+:[0-9a-f]{32}"; then
	ok "the Accept carries Class = cowork:<serial of the certificate>:<time>:<MAC>"
else
	not_ok "the Accept carries Class = cowork:<serial of the certificate>:<time>:<MAC>" "got Class hex '$CLASS_HEX'"
fi
INTERIM=$(awk '/Access-Accept/ { a = 1 } a && /Attribute 85 / { getline; sub(/.*Value: /, ""); print; exit }' \
	"$TMP/eapol-alice.log")
[ "$INTERIM" = 3600 ] && ok "... and Acct-Interim-Interval = 3600" || not_ok "... and Acct-Interim-Interval = 3600" "got '$INTERIM'"

# hexof TEXT: the 0x... form radclient takes for an octets attribute.
hexof() {
	printf '0x%s' "$(printf '%s' "$1" | od -An -tx1 | tr -d ' \n')"
}

# acct NAME SRC STATUS SESSION-ID [ATTR = VALUE ...]: an Accounting-Request
# from SRC (an AP at that address); passes when an Accounting-Response comes.
acct() {
	name=$1 src=$2 status=$3 sid=$4
	shift 4
	{
		printf 'Packet-Src-IP-Address = %s\nAcct-Status-Type = %s\nNAS-IP-Address = %s\n' "$src" "$status" "$src"
		[ -n "$sid" ] && printf 'Acct-Session-Id = "%s"\n' "$sid"
		for a in "$@"; do printf '%s\n' "$a"; done
	} >"$TMP/acct-$name.req"
	"$RADCLIENT" -x -t 1 -r 1 -f "$TMP/acct-$name.req" "127.0.0.1:$ACCT" acct testing123 >"$TMP/acct-$name.out" 2>&1 &&
		grep -q "Received Accounting-Response" "$TMP/acct-$name.out"
}

# remember_class SERIAL DIR: the Class of an Accept for the certificate
# SERIAL (DIR/*.pem, DIR/*.key, still valid), kept in $TMP/class-SERIAL:
# accounting needs a Class the server issued, its MAC cannot be made up.
remember_class() {
	rc_pem=$(ls "$2"/*.pem | grep -v '/ca\.pem$' | head -n 1)
	eap "class-$1" "$rc_pem" "${rc_pem%.pem}.key" CoworkMembers >/dev/null 2>&1 ||
		{ not_ok "an Accept for certificate $1 (for its Class)"; return 1; }
	awk '/code=2 \(Access-Accept\)/ { a = 1 } a && /Attribute 25 / { getline; sub(/.*Value: /, ""); print; exit }' \
		"$TMP/eapol-class-$1.log" >"$TMP/class-$1"
	[ -s "$TMP/class-$1" ] || { not_ok "the Accept for certificate $1 has a Class"; return 1; }
}

# class SERIAL: the remembered Class of SERIAL, as radclient takes it (0x...).
class() {
	printf '0x%s' "$(cat "$TMP/class-$1")"
}

# start NAME SRC SESSION-ID SERIAL MAC [ATTR = VALUE ...]: a member's Start, as hostapd sends it.
start() {
	n=$1 s=$2 i=$3 c=$4 m=$5
	shift 5
	acct "$n" "$s" Start "$i" "User-Name = \"$n\"" "Calling-Station-Id = \"$m\"" "Class = $(class "$c")" "$@"
}
remember_class "$ALICE2" "$CERTS/alice2" && remember_class "$BOB" "$CERTS/bob" &&
	remember_class "$CAROL" "$CERTS/carol" || exit 1

# cw ARGS...: coworkctl, with everything it prints also kept in $TMP/all.out
# (checked for the secret at the end).
cw() {
	"$COWORKCTL" -d "$STATE" "$@" >"$TMP/cw.out" 2>"$TMP/cw.err"
	cw_rc=$?
	cat "$TMP/cw.out"
	cat "$TMP/cw.err" >&2
	cat "$TMP/cw.out" "$TMP/cw.err" >>"$TMP/all.out"
	return $cw_rc
}

# cw_in FILE ARGS...: cw with FILE on standard input.
cw_in() {
	f=$1
	shift
	cw "$@" <"$f"
}

sessions() {
	"$SQLITE3" "$STATE/log/accesslog.db" "$1"
}

# --- sessions from accounting ----------------------------------------------------------

if acct alice-start 127.0.0.1 Start 5F3A0C2E9B1D4E77 'User-Name = "alice"' \
	'Calling-Station-Id = "02-00-00-00-00-01"' "Class = 0x$CLASS_HEX"; then
	ok "Accounting-Request Start echoing that Class is answered"
else
	not_ok "Accounting-Request Start echoing that Class is answered" "$(tail -n 20 "$TMP/acct-alice-start.out")"
fi
run_rc 0 "session list" cw session list
has "... shows alice's live session with its certificate, NAS and session id" \
	"live +alice +$ALICE +127.0.0.1 +127.0.0.1 +5F3A0C2E9B1D4E77" "$TMP/out"
lacks "... and never the MAC address" "02-00-00-00-00-01|02:00:00:00:00:01" "$TMP/out"
run_rc 0 "session list --member alice --json" cw session list --member alice --json
has "... as JSON" "\"acct_session_id\":\"5F3A0C2E9B1D4E77\"" "$TMP/out"

if acct noclass 127.0.0.1 Start NOCLASS1 'User-Name = "guest"' 'Calling-Station-Id = "02-00-00-00-00-99"'; then
	ok "accounting without our Class is acknowledged"
else
	not_ok "accounting without our Class is acknowledged" "$(tail -n 20 "$TMP/acct-noclass.out")"
fi
[ "$(sessions "SELECT count(*) FROM session WHERE acct_session_id = 'NOCLASS1'")" = 0 ] &&
	ok "... and stores nothing" || not_ok "... and stores nothing"

# --- malformed accounting: nothing stored, no answer, the server stays up -------------------

LONG=$(printf '%0200d' 7)
acct long 127.0.0.1 Start "$LONG" 'User-Name = "alice"' 'Calling-Station-Id = "02-00-00-00-00-01"' \
	"Class = 0x$CLASS_HEX" && not_ok "an over-long Acct-Session-Id gets no answer" ||
	ok "an over-long Acct-Session-Id gets no answer"
acct badmac 127.0.0.1 Start BADMAC1 'User-Name = "alice"' 'Calling-Station-Id = "02-00-00-00-00-ZZ"' \
	"Class = 0x$CLASS_HEX" && not_ok "a Calling-Station-Id that is no MAC gets no answer" ||
	ok "a Calling-Station-Id that is no MAC gets no answer"
acct unknown 127.0.0.1 Start UNKNOWN1 'User-Name = "alice"' 'Calling-Station-Id = "02-00-00-00-00-01"' \
	"Class = $(hexof cowork:123456)" && ok "a Class without the server's MAC is answered (ignored)" ||
	not_ok "a Class without the server's MAC is answered (ignored)"
[ "$(sessions "SELECT count(*) FROM session WHERE acct_session_id IN ('BADMAC1', 'UNKNOWN1') OR length(acct_session_id) > 128")" = 0 ] &&
	ok "... none of them stored a session" || not_ok "... none of them stored a session"
has "the log says why (over-long id)" "accounting refused: Acct-Session-Id .*200 bytes" "$server_log"
has "the log says why (MAC)" "accounting refused: Calling-Station-Id .*is not a MAC" "$server_log"
has "the log says why (no MAC in the Class)" "accounting ignored: Class \"cowork:123456\" carries no MAC" \
	"$server_log"
server_running && ok "radiusd is still running" || not_ok "radiusd is still running"

# --- cert revoke: the Disconnect-Request reaches the NAS --------------------------------------

# nasd_start NAME IP PORT ANSWER: a test access point; waits (bounded) until it listens.
nasd_start() {
	rm -f "$TMP/nasd-$1.ready"
	"$NASD" --listen "$2:$3" --secret-file "$SECRET_FILE" --answer "$4" --record "$TMP/nasd-$1.rec" \
		--ready "$TMP/nasd-$1.ready" --idle 30000 &
	eval "NASD_$1=\$!"
	i=0
	while [ ! -f "$TMP/nasd-$1.ready" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	[ -f "$TMP/nasd-$1.ready" ]
}
nasd_stop() {
	eval "kill \$NASD_$1" 2>/dev/null
	eval "wait \$NASD_$1" 2>/dev/null
}
# field NAME KEY: the value of KEY in the last request nasd NAME recorded.
field() {
	awk -v k="$2" -F= '$1 == k { sub(/^[^=]*=/, ""); v = $0 } END { print v }' "$TMP/nasd-$1.rec"
}

run_rc 0 "nas add (secret from a file)" cw nas add ap-one --address 127.0.0.1 --coa-port 18265 --secret-file "$SECRET_FILE"
run_rc 0 "nas add (secret on standard input)" cw_in "$SECRET_FILE" nas add ap-two --address 127.0.0.2 --coa-port 18266 \
	--secret-file -
run_rc 0 "nas list" cw nas list
has "... lists both with their CoA ports" "ap-two +127.0.0.2 +18266" "$TMP/out"
lacks "... without their secrets" "$SECRET" "$TMP/out"
printf 'short\n' >"$TMP/short.secret"
run_rc 1 "nas add refuses a secret under 16 bytes" cw_in "$TMP/short.secret" nas add ap-x --address 127.0.0.9 --secret-file -
has "... and says why" "16 to 128" "$TMP/err"
run_rc 1 "nas add refuses an empty secret" cw nas add ap-x --address 127.0.0.9 --secret-file /dev/null
run_rc 1 "nas add refuses an address already defined" cw nas add ap-x --address 127.0.0.1 --secret-file "$SECRET_FILE"
run_rc 2 "nas add refuses a bad port" cw nas add ap-x --address 127.0.0.9 --coa-port 70000 --secret-file "$SECRET_FILE"

nasd_start one 127.0.0.1 18265 ack || not_ok "test NAS starts"
T0=$(date +%s%3N)
run_rc 0 "cert revoke exits 0 once the NAS acknowledged" cw cert revoke "$ALICE" --reason key-compromise
has "... reports the revocation" "certificate $ALICE of alice revoked" "$TMP/out"
has "... then one line per session with the NAS and ACK" \
	"ap-one \\(127.0.0.1 port 18265\\) session 5F3A0C2E9B1D4E77: ACK" "$TMP/out"
[ "$(grep -n revoked "$TMP/out" | cut -d: -f1)" -lt "$(grep -n ACK "$TMP/out" | cut -d: -f1)" ] &&
	ok "... the revocation is printed before the disconnect" || not_ok "... the revocation is printed before the disconnect"
ARRIVED=$(field one time_ms)
if [ -n "$ARRIVED" ] && [ $((ARRIVED - T0)) -lt 1000 ]; then
	ok "the Disconnect-Request arrived within a second of cert revoke starting ($((ARRIVED - T0)) ms)"
else
	not_ok "the Disconnect-Request arrived within a second of cert revoke starting" "T0=$T0 arrived='$ARRIVED'"
fi
[ "$(field one request_authenticator)" = ok ] && ok "... its Request Authenticator checks with the secret" ||
	not_ok "... its Request Authenticator checks with the secret" "$(cat "$TMP/nasd-one.rec")"
[ "$(field one message_authenticator)" = ok ] && ok "... its Message-Authenticator checks with the secret" ||
	not_ok "... its Message-Authenticator checks with the secret"
[ "$(field one acct_session_id)" = 5F3A0C2E9B1D4E77 ] && [ "$(field one user_name)" = alice ] &&
	[ "$(field one calling_station_id)" = 02-00-00-00-00-01 ] && [ "$(field one nas_ip_address)" = 127.0.0.1 ] &&
	ok "... it names the session: Acct-Session-Id, User-Name, Calling-Station-Id, NAS-IP-Address" ||
	not_ok "... it names the session: Acct-Session-Id, User-Name, Calling-Station-Id, NAS-IP-Address" \
		"$(cat "$TMP/nasd-one.rec")"
TS=$(field one event_timestamp)
NOW=$(date +%s)
[ -n "$TS" ] && [ $((NOW - TS)) -ge 0 ] && [ $((NOW - TS)) -lt 10 ] && ok "... and carries the current Event-Timestamp" ||
	not_ok "... and carries the current Event-Timestamp" "got '$TS', now $NOW"
grep -q "^other=" "$TMP/nasd-one.rec" && not_ok "... and nothing else" "$(grep '^other=' "$TMP/nasd-one.rec")" ||
	ok "... and nothing else"
run_rc 0 "cert show" cw cert show "$ALICE"
has "... the certificate is revoked" "revoked .*key-compromise" "$TMP/out"

# --- Stop ends the session and clears the MAC ----------------------------------------------
if acct alice-stop 127.0.0.1 Stop 5F3A0C2E9B1D4E77 'User-Name = "alice"' 'Calling-Station-Id = "02-00-00-00-00-01"' \
	"Class = 0x$CLASS_HEX"; then
	ok "Accounting-Request Stop is answered"
else
	not_ok "Accounting-Request Stop is answered" "$(tail -n 20 "$TMP/acct-alice-stop.out")"
fi
run_rc 0 "session list after Stop" cw session list --member alice
has "... no live session left" "no live sessions" "$TMP/out"
[ "$(sessions "SELECT stopped_ms IS NOT NULL, user_name IS NULL, calling_station IS NULL, device IS NOT NULL FROM session WHERE acct_session_id = '5F3A0C2E9B1D4E77'")" = "1|1|1|1" ] &&
	ok "... the ended row keeps neither MAC nor User-Name, only the keyed device hash" ||
	not_ok "... the ended row keeps neither MAC nor User-Name, only the keyed device hash"
run_rc 0 "session list --all" cw session list --all
has "... shows it ended" "ended +alice +$ALICE" "$TMP/out"

# --- NAK with Error-Cause, and a silent NAS: reported, exit 3 -------------------------------
nasd_stop one
nasd_start nak 127.0.0.1 18265 nak:503 || not_ok "NAK test NAS starts"
start alice 127.0.0.1 SESS-ALICE2 "$ALICE2" 02-00-00-00-00-02 || not_ok "Start for alice's second certificate"
run_rc 3 "cert revoke exits 3 when the NAS answers NAK" cw cert revoke "$ALICE2"
has "... the NAK and its Error-Cause are printed" \
	"ap-one .*session SESS-ALICE2: NAK, Session-Context-Not-Found \\(Error-Cause 503\\)" "$TMP/out"
has "... and what it means" "1 of 1 session\\(s\\) not disconnected" "$TMP/out"
run_rc 0 "... the revocation stands" cw cert show "$ALICE2"
has "... (cert show says revoked)" "^revoked " "$TMP/out"
nasd_stop nak

nasd_start silent 127.0.0.1 18265 silent || not_ok "silent test NAS starts"
start carol 127.0.0.1 SESS-CAROL "$CAROL" 02-00-00-00-00-03 || not_ok "Start for carol"
run_rc 3 "cert revoke exits 3 when the NAS does not answer" cw cert revoke "$CAROL" --timeout 2
has "... 'no answer' is printed with the time waited and the retransmissions" \
	"session SESS-CAROL: no answer after 2 s \\(2 requests sent\\)" "$TMP/out"
[ "$(grep -c '^request ' "$TMP/nasd-silent.rec")" = 2 ] && ok "... the NAS got the request and one retransmission" ||
	not_ok "... the NAS got the request and one retransmission" "$(grep -c '^request ' "$TMP/nasd-silent.rec")"
[ "$(grep '^code=40 identifier=' "$TMP/nasd-silent.rec" | sort -u | wc -l)" = 1 ] &&
	ok "... the retransmission has the same identifier" ||
	not_ok "... the retransmission has the same identifier" "$(grep '^code=' "$TMP/nasd-silent.rec")"
nasd_stop silent

# --- member suspend: every live session of the member, on every NAS at once --------------------
nasd_start one 127.0.0.1 18265 ack || not_ok "test NAS one starts"
nasd_start two 127.0.0.2 18266 ack || not_ok "test NAS two starts"
start bob 127.0.0.1 SESS-BOB-1 "$BOB" 02-00-00-00-00-11 && start bob 127.0.0.1 SESS-BOB-2 "$BOB" 02-00-00-00-00-12 &&
	start bob 127.0.0.2 SESS-BOB-3 "$BOB" 02-00-00-00-00-13 'NAS-Identifier = "ap-two"' &&
	ok "three live sessions of bob on two NASes" ||
	not_ok "three live sessions of bob on two NASes"
T0=$(date +%s%3N)
run_rc 0 "member suspend bob exits 0: every session acknowledged" cw member suspend bob
has "... suspends first" "^member bob suspended" "$TMP/out"
for s in SESS-BOB-1 SESS-BOB-2; do
	has "... $s on ap-one: ACK" "ap-one \\(127.0.0.1 port 18265\\) session $s: ACK" "$TMP/out"
done
has "... SESS-BOB-3 on ap-two: ACK" "ap-two \\(127.0.0.2 port 18266\\) session SESS-BOB-3: ACK" "$TMP/out"
[ "$(grep -c '^acct_session_id=SESS-BOB-' "$TMP/nasd-one.rec")" = 2 ] && [ "$(field two acct_session_id)" = SESS-BOB-3 ] &&
	ok "... each NAS got exactly its sessions' requests" || not_ok "... each NAS got exactly its sessions' requests"
[ "$(field two nas_identifier)" = ap-two ] && ! grep -q '^nas_ip_address=' "$TMP/nasd-two.rec" &&
	ok "... an AP that named itself with NAS-Identifier is named so in the request" ||
	not_ok "... an AP that named itself with NAS-Identifier is named so in the request" "$(cat "$TMP/nasd-two.rec")"
LAST=$( (field one time_ms; field two time_ms) | sort -n | tail -n 1)
[ $((LAST - T0)) -lt 1000 ] && ok "... all within a second ($((LAST - T0)) ms)" || not_ok "... all within a second" "$((LAST - T0)) ms"
nasd_stop one
nasd_stop two
# Having disconnected them, the access points end the sessions in accounting.
for s in 1 2 3; do
	src=127.0.0.1
	[ $s = 3 ] && src=127.0.0.2
	acct "bob-stop-$s" $src Stop "SESS-BOB-$s" "Class = $(class "$BOB")" ||
		not_ok "Stop of SESS-BOB-$s is answered"
done

# --- no NAS definition: reported ---------------------------------------------------------------
run_rc 0 "member resume bob" cw member resume bob
start bob 127.0.0.3 SESS-BOB-4 "$BOB" 02-00-00-00-00-14 || not_ok "Start from an AP without NAS definition"
run_rc 3 "session disconnect exits 3 for a NAS without definition" cw session disconnect --member bob --timeout 1
has "... and says what to do" "127.0.0.3 session SESS-BOB-4: no CoA definition for NAS 127.0.0.3: run coworkctl nas add" \
	"$TMP/out"

# --- Accounting-On ends the NAS's sessions ------------------------------------------------------
acct reboot 127.0.0.3 Accounting-On "" && ok "Accounting-On is answered" || not_ok "Accounting-On is answered"
[ "$(sessions "SELECT count(*) FROM session WHERE nas_address = '127.0.0.3' AND stopped_ms IS NULL")" = 0 ] &&
	ok "... and ends every live session of that NAS" || not_ok "... and ends every live session of that NAS"

# --- the session list cannot be read: reported, revocation kept ----------------------------------
start bob 127.0.0.1 SESS-BOB-5 "$BOB" 02-00-00-00-00-15 || not_ok "Start for bob again"
mv "$STATE/log/accesslog.db" "$TMP/accesslog.moved"
run_rc 3 "cert revoke with the access log missing exits 3" cw cert revoke "$BOB"
has "... after revoking" "certificate $BOB of bob revoked" "$TMP/out"
has "... and says the live sessions are unknown" "live sessions of certificate $BOB unknown" "$TMP/out"
has "... with the reason" "cannot read the live sessions: access log .*No such file" "$TMP/err"
mv "$TMP/accesslog.moved" "$STATE/log/accesslog.db"
run_rc 0 "--no-disconnect sends nothing" cw cert revoke "$BOB" --no-disconnect
has "... and says so" "not disconnected \\(--no-disconnect\\)" "$TMP/out"
run_rc 2 "--timeout is bounded" cw cert revoke "$BOB" --timeout 600

# --- retention: log purge deletes old ended sessions and ends silent ones ---------------------------
DAY=86400000
sessions "UPDATE session SET started_ms = started_ms - 200 * $DAY, updated_ms = updated_ms - 200 * $DAY,
	stopped_ms = stopped_ms - 200 * $DAY WHERE acct_session_id = '5F3A0C2E9B1D4E77'"
sessions "UPDATE session SET updated_ms = updated_ms - 3 * $DAY WHERE acct_session_id = 'SESS-BOB-5'"
run_rc 0 "log purge" cw log purge
has "... counts the sessions" "sessions: 1 ended ones deleted, 1 not heard of for 2 days ended" "$TMP/out"
[ "$(sessions "SELECT count(*) FROM session WHERE acct_session_id = '5F3A0C2E9B1D4E77'")" = 0 ] &&
	ok "... an ended session past the 180-day retention is gone" || not_ok "... an ended session past the 180-day retention is gone"
[ "$(sessions "SELECT stopped_ms = updated_ms, user_name IS NULL, calling_station IS NULL FROM session WHERE acct_session_id = 'SESS-BOB-5'")" = "1|1|1" ] &&
	ok "... a session not heard of for 3 days is ended where it was last heard of, MAC cleared" ||
	not_ok "... a session not heard of for 3 days is ended where it was last heard of, MAC cleared"

# --- cert renew --revoke-old and member remove disconnect too -------------------------------------
nasd_start one 127.0.0.1 18265 ack || not_ok "test NAS one starts again"
issue carol "$CERTS/carol2" && CAROL2=$SERIAL && remember_class "$CAROL2" "$CERTS/carol2" ||
	not_ok "a second certificate for carol"
start carol 127.0.0.1 SESS-CAROL-2 "$CAROL2" 02-00-00-00-00-21 || not_ok "Start for carol's second certificate"
run_rc 0 "cert renew --revoke-old exits 0 once the NAS acknowledged" \
	cw cert renew "$CAROL2" --out "$CERTS/carol3" --revoke-old
has "... reports the old certificate revoked" "renews $CAROL2, now revoked \\(superseded\\)" "$TMP/out"
has "... then disconnects its live session" "ap-one \\(127.0.0.1 port 18265\\) session SESS-CAROL-2: ACK" "$TMP/out"
CAROL3=$(sed -n 's/^serial: //p' "$TMP/out")
remember_class "$CAROL3" "$CERTS/carol3"
start carol 127.0.0.1 SESS-CAROL-3 "$CAROL3" 02-00-00-00-00-22 || not_ok "Start for carol's renewed certificate"
run_rc 0 "cert renew --json --revoke-old keeps stdout one JSON document" \
	cw cert renew "$CAROL3" --out "$CERTS/carol4" --revoke-old --json
if python3 -c 'import json, sys; json.load(sys.stdin)' <"$TMP/out" 2>/dev/null; then
	ok "... (it parses)"
else
	not_ok "... (it parses)" "$(head -c 300 "$TMP/out")"
fi
has "... and reports the disconnect on standard error" "session SESS-CAROL-3: ACK" "$TMP/err"
CAROL4=$(python3 -c 'import json, sys; print(json.load(sys.stdin)["serial"])' <"$TMP/out" 2>/dev/null)
remember_class "$CAROL4" "$CERTS/carol4"
start carol 127.0.0.1 SESS-CAROL-4 "$CAROL4" 02-00-00-00-00-23 || not_ok "Start for carol's newest certificate"
run_rc 0 "member remove exits 0 once the NAS acknowledged" cw member remove carol
has "... removes first" "^member carol removed" "$TMP/out"
has "... then disconnects her live session" "session SESS-CAROL-4: ACK" "$TMP/out"
nasd_stop one

# --- nothing secret anywhere --------------------------------------------------------------------
cat "$TMP/all.out" "$TMP"/nasd-*.rec "$TMP"/acct-*.out "$server_log" >"$TMP/everything"
lacks "the CoA secret appears in no output and not in radiusd's log" "$SECRET" "$TMP/everything"
server_running && ok "radiusd is still running at the end" || not_ok "radiusd is still running at the end"
lacks "no crash or sanitizer report in radiusd's log" "(Segmentation|SIGSEGV|Assertion|AddressSanitizer|runtime error)" \
	"$server_log"
