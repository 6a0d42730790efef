#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The member's identity is the certificate's: alice's certificate presented
# with the EAP identity of someone else (`staff-admin`, another member
# `bob`) or an anonymous one is accepted as alice. The Access-Accept
# carries User-Name = alice, radiusd's "Login OK" line and the access log
# row name alice, and a foreign identity is logged as a warning. The
# accounting of that Accept (its Class, User-Name alice as the NAS echoes
# it) makes a session row naming alice.
# Accounting cannot be forged: a Class without the server's MAC, with a MAC
# under another key, or with another serial under alice's MAC stores
# nothing and the log says why; the MAC is checked independently (openssl)
# against the documented derivation from STATE/device.key; a NAS gets at
# most max_sessions_per_nas (here 2) live sessions.
# Ports: 18440 (auth), 18441 (acct).
. "$top_srcdir/tests/integration/harness.sh"

PORT=18440
ACCT=$((PORT + 1))
CERTS=$TMP/certs
mkdir -p "$CERTS"

init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
member_space alice bob || { not_ok "registry set-up"; exit 1; }
issue alice && ALICE=$SERIAL && issue bob && BOB=$SERIAL || { not_ok "cert issue"; exit 1; }
A="$CERTS/alice/alice.pem $CERTS/alice/alice.key"

server_config "$TMP/state" $PORT &&
	sed -i 's|^cowork {$|&\n\tmax_sessions_per_nas = 2|' "$CONF/mods-enabled/cowork" &&
	grep -q 'max_sessions_per_nas = 2' "$CONF/mods-enabled/cowork" && server_run || { not_ok "radiusd starts"; exit 1; }
ok "radiusd starts"

# reply_attr NAME NUMBER: the values of attribute NUMBER in the Access-Accept
# of eapol-NAME.log, one a line ("" if absent). eapol_test prints printable
# values in quotes, others in hex.
reply_attr() {
	awk -v n="$2" '/code=2 \(Access-Accept\)/ { a = 1 } a && $0 ~ "Attribute " n " \\(" { getline; sub(/.*Value: /, ""); print }' \
		"$TMP/eapol-$1.log" | while read -r v; do
		case $v in
		\'*) v=${v#\'}; printf '%s\n' "${v%\'}" ;;
		*) printf '%s\n' "$v" | unhex ;;
		esac
	done
}

# accesslog SQL: a query on the access log file, as radiusd's user.
accesslog() {
	as_server "$SQLITE3" "$STATE/log/accesslog.db" "$1"
}

# last_row_member: the member of the newest access log row, once the writer has flushed (at most 5 s).
last_row_member() {
	i=0
	while [ $i -lt 50 ]; do
		n=$(accesslog "SELECT count(*) FROM access")
		[ "$n" -gt "$ROWS" ] && break
		sleep 0.1
		i=$((i + 1))
	done
	ROWS=$n
	accesslog "SELECT result || ' ' || coalesce(member, '-') || ' ' || coalesce(serial, '-') FROM access ORDER BY id DESC LIMIT 1"
}
ROWS=0

# as_identity IDENTITY WARNED: alice's certificate with EAP identity IDENTITY.
as_identity() {
	id=$1
	mark=$(wc -l <"$server_log")
	# shellcheck disable=SC2086
	eap_accept "alice's certificate with identity '$id' is accepted" 190 "$id" $A CoworkMembers
	got=$(reply_attr "$id" 1)
	[ "$got" = alice ] && ok "... the Accept carries User-Name = alice" ||
		not_ok "... the Accept carries User-Name = alice" "got '$got'"
	tail -n +"$((mark + 1))" "$server_log" >"$TMP/since.log"
	has "... radiusd's Login OK line names alice" "Login OK: \\[alice\\] \\(from client localhost port 0 cli 02-00-00-00-00-01\\)$" \
		"$TMP/since.log"
	has "... so does the certificate check's (check-eap-tls)" "Login OK: \\[alice\\] .*via TLS tunnel" "$TMP/since.log"
	lacks "... and no refusal" "Login incorrect" "$TMP/since.log"
	[ "$id" = alice ] || lacks "... and no line names the presented identity" "Login OK: \\[$id\\]" "$TMP/since.log"
	row=$(last_row_member)
	[ "$row" = "accept alice $ALICE" ] && ok "... the access log row names alice" ||
		not_ok "... the access log row names alice" "got '$row'"
	if [ "$2" = warned ]; then
		has "... radiusd warns about the identity presented" \
			"WARNING: identity \"$id\" presented by member alice's certificate $ALICE" "$TMP/since.log"
	else
		lacks "... no warning for an anonymous or own identity" "presented by member" "$TMP/since.log"
	fi
}

as_identity staff-admin warned
as_identity bob warned
as_identity anonymous quiet
as_identity alice quiet

# --- accounting of that Accept names alice ---------------------------------------------

as_identity staff-admin warned
CLASS_HEX=$(awk '/Access-Accept/ { a = 1 } a && /Attribute 25 / { getline; sub(/.*Value: /, ""); print; exit }' \
	"$TMP/eapol-staff-admin.log")
[ -n "$CLASS_HEX" ] && ok "the Accept carries a Class" || not_ok "the Accept carries a Class"

# acct NAME STATUS SESSION-ID [ATTR = VALUE ...]: an Accounting-Request as
# an access point sends it; passes when an Accounting-Response comes.
acct() {
	name=$1 status=$2 sid=$3
	shift 3
	{
		printf 'Acct-Status-Type = %s\nNAS-IP-Address = 127.0.0.1\nAcct-Session-Id = "%s"\n' "$status" "$sid"
		printf 'Calling-Station-Id = "02-00-00-00-00-AA"\n'
		for a in "$@"; do printf '%s\n' "$a"; done
	} >"$TMP/acct-$name.req"
	"$RADCLIENT" -x -t 1 -r 1 -f "$TMP/acct-$name.req" "127.0.0.1:$ACCT" acct testing123 >"$TMP/acct-$name.out" 2>&1 &&
		grep -q "Received Accounting-Response" "$TMP/acct-$name.out"
}

# session_member SESSION-ID: member of the session row ("" if none).
session_member() {
	accesslog "SELECT member FROM session WHERE acct_session_id = '$1'"
}

acct real Start REAL-1 'User-Name = "alice"' "Class = 0x$CLASS_HEX" &&
	ok "an Accounting-Start with the Accept's Class and User-Name alice is answered" ||
	not_ok "an Accounting-Start with the Accept's Class and User-Name alice is answered" "$(tail -n 5 "$TMP/acct-real.out")"
[ "$(accesslog "SELECT member || ' ' || serial || ' ' || user_name FROM session WHERE acct_session_id = 'REAL-1'")" = \
	"alice $ALICE alice" ] && ok "... its session row names alice, her certificate and User-Name alice" ||
	not_ok "... its session row names alice, her certificate and User-Name alice" \
		"$(accesslog "SELECT * FROM session")"
has "... radiusd's line names alice" "session started: member alice, certificate $ALICE" "$server_log"

# --- forged accounting stores nothing -----------------------------------------------------

CLASS=$(printf '%s\n' "$CLASS_HEX" | unhex)
ISSUED=$(printf '%s\n' "$CLASS" | cut -d: -f3)
TAG=$(printf '%s\n' "$CLASS" | cut -d: -f4)
# hmac KEYHEX: HMAC-SHA-256 of standard input under the key, in hex (openssl, independent of the module).
hmac() {
	"$OPENSSL" dgst -sha256 -mac HMAC -macopt "hexkey:$1" | sed 's/.*= //'
}
CLASS_KEY=$(printf 'rlm_cowork accounting Class MAC key v1' | hmac "$(od -An -v -tx1 "$STATE/device.key" | tr -d ' \n')")
WANT=$(printf 'cowork:%s:%s' "$ALICE" "$ISSUED" | hmac "$CLASS_KEY" | cut -c1-32)
[ -n "$TAG" ] && [ "$TAG" = "$WANT" ] &&
	ok "the Class is cowork:<serial>:<time>:<HMAC-SHA-256 under a key derived from device.key, 128 bits>" ||
	not_ok "the Class is cowork:<serial>:<time>:<HMAC-SHA-256 under a key derived from device.key, 128 bits>" \
		"Class '$CLASS', want tag '$WANT'"

# forged NAME DESC CLASS WHY: a Start with CLASS is answered, stores nothing, and the log says WHY.
forged() {
	mark=$(wc -l <"$server_log")
	if acct "$1" Start "$1" 'User-Name = "alice"' "Class = $(hexof "$3")"; then
		ok "$2: answered (ignored)"
	else
		not_ok "$2: answered (ignored)" "$(tail -n 5 "$TMP/acct-$1.out")"
	fi
	[ "$(accesslog "SELECT count(*) FROM session WHERE acct_session_id = '$1'")" = 0 ] &&
		ok "... no session row" || not_ok "... no session row" "$(accesslog "SELECT * FROM session")"
	tail -n +"$((mark + 1))" "$server_log" >"$TMP/since.log"
	has "... the log says why" "WARNING: accounting ignored: $4.* \\(nothing stored\\)$" "$TMP/since.log"
}
hexof() {
	printf '0x%s' "$(printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n')"
}
OTHER_KEY=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
OTHER_TAG=$(printf 'cowork:%s:%s' "$ALICE" "$ISSUED" | hmac "$OTHER_KEY" | cut -c1-32)
forged FORGED-1 "a Start naming alice's serial without a MAC" "cowork:$ALICE" \
	"Class \"cowork:$ALICE\" carries no MAC"
forged FORGED-2 "a Start with a MAC under another key" "cowork:$ALICE:$ISSUED:$OTHER_TAG" \
	"the Class of certificate \"$ALICE\" does not verify: altered, forged, or issued under another key"
forged FORGED-3 "a Start with alice's MAC on bob's serial" "cowork:$BOB:$ISSUED:$TAG" \
	"the Class of certificate \"$BOB\" does not verify"
forged FORGED-4 "a Start with alice's MAC and another time" "cowork:$ALICE:$((ISSUED + 1)):$TAG" \
	"the Class of certificate \"$ALICE\" does not verify"
acct forged-stop Stop REAL-1 "Class = $(hexof "cowork:$ALICE")" && ok "a Stop without the MAC is answered (ignored)" ||
	not_ok "a Stop without the MAC is answered (ignored)"
[ "$(accesslog "SELECT stopped_ms IS NULL FROM session WHERE acct_session_id = 'REAL-1'")" = 1 ] &&
	ok "... and does not end the real session" || not_ok "... and does not end the real session"
lacks "no key material in radiusd's log" "$CLASS_KEY|$(od -An -v -tx1 "$STATE/device.key" | tr -d ' \n')" "$server_log"

# --- at most max_sessions_per_nas live sessions per NAS ------------------------------------
acct real2 Start REAL-2 'User-Name = "alice"' "Class = 0x$CLASS_HEX" && ok "a second session of the NAS is recorded" ||
	not_ok "a second session of the NAS is recorded"
mark=$(wc -l <"$server_log")
acct real3 Start REAL-3 'User-Name = "alice"' "Class = 0x$CLASS_HEX" && ok "a third one (over the limit of 2) is answered" ||
	not_ok "a third one (over the limit of 2) is answered"
[ "$(accesslog "SELECT count(*) FROM session WHERE stopped_ms IS NULL")" = 2 ] &&
	ok "... but not recorded" || not_ok "... but not recorded" "$(accesslog "SELECT * FROM session")"
tail -n +"$((mark + 1))" "$server_log" >"$TMP/since.log"
has "... and the log says why" "accounting ignored: NAS 127.0.0.1 \\(127.0.0.1\\) already has 2 live sessions \\(max_sessions_per_nas\\): session REAL-3" \
	"$TMP/since.log"
acct real1-stop Stop REAL-1 'User-Name = "alice"' "Class = 0x$CLASS_HEX" && acct real3b Start REAL-3 'User-Name = "alice"' \
	"Class = 0x$CLASS_HEX" && [ "$(session_member REAL-3)" = alice ] &&
	ok "once one ends, a new one is recorded" || not_ok "once one ends, a new one is recorded"

server_running && ok "radiusd is still running" || not_ok "radiusd is still running"
lacks "no crash or sanitizer report in radiusd's log" "(Segmentation|SIGSEGV|Assertion|AddressSanitizer|runtime error)" \
	"$server_log"
