#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Concurrency (issue 7): coworkctl revokes, suspends, rotates and purges
# while radiusd is under load, guests (tests/tools/radload, MAC
# authentication) and a member (eapol_test, EAP-TLS) at once.
#
# - No authentication of the load fails: every guest request is accepted
#   (no reject, no retransmission), every member authentication is accepted on its
#   VLAN, and radiusd's log has no busy or locked database and no
#   internal-error.
# - Every coworkctl command succeeds at once (no "database is locked").
# - Each change counts at the very next authentication: a certificate
#   accepted just before `cert revoke` is refused right after it; a suspended
#   member is refused, a resumed one accepted; the passphrase of `psk rotate
#   --force` is the first one in the next guest Accept.
# - `log purge` deletes 300,000 expired rows while radiusd writes its own.
. "$top_srcdir/tests/integration/harness.sh"

PORT=18410
ROUNDS=${CONCURRENCY_ROUNDS:-5}
OLD_ROWS=300000
GUEST=02-11-22-33-44-55:CoworkGuest
CERTS=$TMP/certs
mkdir -p "$CERTS"

init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
standard_space alice sam || { not_ok "registry set-up"; exit 1; }

issue alice && issue sam || { not_ok "cert issue"; exit 1; }
k=1
while [ $k -le "$ROUNDS" ]; do
	cowork member add "v$k" >/dev/null && issue "v$k" || { not_ok "cert issue v$k"; exit 1; }
	eval "V$k=$SERIAL"
	k=$((k + 1))
done

# Expired rows for log purge, older than the retention (180 days), written
# as radiusd's user like the rest of the file.
LOGDB=$STATE/log/accesslog.db
server_config "$STATE" $PORT || { not_ok "radiusd configuration"; exit 1; }
server_run || { not_ok "radiusd starts"; exit 1; }
server_stop
as_server "$SQLITE3" "$LOGDB" "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < $OLD_ROWS)
	INSERT INTO access (ts_ms, clock_synced, result, reason, class, nas)
	SELECT (strftime('%s', 'now') - 200 * 86400) * 1000 + x, 1, 'accept', 'accept', 'guest', 'old-row' FROM n" ||
	{ not_ok "expired rows in the access log"; exit 1; }
old_rows() {
	as_server "$SQLITE3" "$LOGDB" "SELECT count(*) FROM access WHERE nas = 'old-row'"
}

server_run || { not_ok "radiusd starts"; exit 1; }
ok "radiusd runs on a registry with $ROUNDS members to revoke and an access log with $(old_rows) expired rows"

# --- the load ------------------------------------------------------------------

STOP=$TMP/stop
# Guests: radload batches of 5000 requests, 8 outstanding, until STOP (at most
# 400 batches). A reply slower than 3 s would be retransmitted: none may be.
(
	b=0
	while [ ! -f "$STOP" ] && [ $b -lt 400 ]; do
		"$RADLOAD" --server 127.0.0.1:$PORT --secret testing123 --stations 1000 --count 5000 \
			--parallel 8 --timeout 3000 --retries 1 --called 02-AA-BB-CC-DD-EE:CoworkGuest \
			--nas-id concurrency >>"$TMP/guest-load.out" 2>&1
		b=$((b + 1))
	done
) &
guest_load=$!
# A member (no tenant: the shared VLAN 190): eapol_test, one EAP-TLS
# authentication after the other, until STOP
# (at most 300).
(
	cat >"$TMP/eapol-loadalice.conf" <<EOF
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
	a=0
	while [ ! -f "$STOP" ] && [ $a -lt 300 ]; do
		if eapol_run loadalice "$TMP/eapol-loadalice.conf" CoworkMembers && [ "$VLAN" = 190 ]; then
			echo accept >>"$TMP/member-load.out"
		else
			echo "fail VLAN=$VLAN" >>"$TMP/member-load.out"
			cp "$TMP/eapol-loadalice.log" "$TMP/eapol-loadalice-failed.log"
		fi
		a=$((a + 1))
	done
) &
member_load=$!
# Both running before the first change.
w=0
while [ $w -lt 100 ] && { [ ! -s "$TMP/guest-load.out" ] || [ ! -s "$TMP/member-load.out" ]; }; do
	sleep 0.1
	w=$((w + 1))
done

# --- the changes under load ----------------------------------------------------

# cli DESC ARGS...: a coworkctl command that must succeed at once.
cli_failed=0
cli() {
	if ! cowork "$@" >"$TMP/cli.out" 2>&1; then
		cli_failed=$((cli_failed + 1))
		diag "coworkctl $* failed:" "$(cat "$TMP/cli.out")"
		return 1
	fi
}

k=1
purged=
while [ $k -le "$ROUNDS" ]; do
	eval "serial=\$V$k"
	v="$CERTS/v$k/v$k.pem $CERTS/v$k/v$k.key"
	eap_accept "round $k: v$k's certificate is accepted under load" 190 "v$k" $v CoworkMembers
	cli cert revoke "$serial" --reason key-compromise --no-disconnect
	eap_reject "round $k: and refused at the next authentication after cert revoke" "v$k" $v CoworkMembers

	cli member suspend sam --no-disconnect
	eap_reject "round $k: a suspended member is refused at the next authentication" sam \
		"$CERTS/sam/sam.pem" "$CERTS/sam/sam.key" CoworkMembers
	cli member resume sam
	eap_accept "round $k: and accepted at the next one after member resume" 190 sam \
		"$CERTS/sam/sam.pem" "$CERTS/sam/sam.key" CoworkMembers

	cli psk rotate --ssid CoworkGuest --force && P=$(passphrase CoworkGuest)
	mac_auth "rotated-$k" --mac 02-00-00-00-77-0$k --called "$GUEST"
	first=$(field "rotated-$k" tunnel_password | head -n 1)
	[ -n "$P" ] && [ "$first" = "$P" ] &&
		ok "round $k: the next guest Accept after psk rotate --force carries the new passphrase first" ||
		not_ok "round $k: the next guest Accept after psk rotate --force carries the new passphrase first" \
			"$(cat "$TMP/rotated-$k.out")"

	if cli log purge; then
		[ -n "$purged" ] || purged=$(sed -n '1p' "$TMP/cli.out")
	fi
	k=$((k + 1))
done
[ "$(old_rows)" = 0 ] && ok "log purge deleted the expired rows under load ($purged)" ||
	not_ok "log purge deleted the expired rows under load ($purged)" "$(old_rows) left"
[ $cli_failed = 0 ] && ok "every coworkctl command under load succeeded ($((ROUNDS * 5)) commands)" ||
	not_ok "every coworkctl command under load succeeded ($((ROUNDS * 5)) commands)" "$cli_failed failed"

# --- what the load saw -----------------------------------------------------------

touch "$STOP"
wait $guest_load $member_load
awk '
	/^sent=/ {
		for (i = 1; i <= NF; i++) { split($i, kv, "="); t[kv[1]] += kv[2] }
		batches++
		next
	}
	{ other_lines++ }
	END {
		printf "batches=%d sent=%d accepted=%d rejected=%d timeouts=%d bad=%d other=%d retransmits=%d lines=%d\n",
			batches, t["sent"], t["accepted"], t["rejected"], t["timeouts"], t["bad"], t["other"],
			t["retransmits"], other_lines
	}' "$TMP/guest-load.out" >"$TMP/guest-sum"
diag "guest load: $(cat "$TMP/guest-sum")" \
	"slowest reply of each batch (ms): $(sed -n 's/.*max_us=\([0-9]*\).*/\1/p' "$TMP/guest-load.out" |
		awk '{ printf "%s%.1f", (NR > 1 ? " " : ""), $1 / 1000 }')"
set -- $(tr '= ' '  ' <"$TMP/guest-sum")
batches=$2 sent=$4 accepted=$6
if [ "$batches" -ge 2 ] && [ "$sent" -gt 0 ] && [ "$accepted" = "$sent" ] &&
	[ "$(cat "$TMP/guest-sum")" = "batches=$batches sent=$sent accepted=$sent rejected=0 timeouts=0 bad=0 other=0 retransmits=0 lines=0" ]; then
	ok "every one of the $sent guest requests under load was accepted (no reject, no retransmission)"
else
	not_ok "every one of the $sent guest requests under load was accepted (no reject, no retransmission)" \
		"$(cat "$TMP/guest-sum")" "$(grep -v '^sent=' "$TMP/guest-load.out" | head -n 5)"
fi
m_ok=$(grep -c '^accept$' "$TMP/member-load.out")
m_bad=$(grep -vc '^accept$' "$TMP/member-load.out")
diag "member load: $m_ok EAP-TLS authentications accepted, $m_bad not"
if [ "$m_ok" -ge 3 ] && [ "$m_bad" = 0 ]; then
	ok "every one of the $m_ok member authentications under load was accepted on VLAN 190"
else
	not_ok "every one of the $m_ok member authentications under load was accepted on VLAN 190" \
		"$m_bad failed" "$(tail -n 20 "$TMP/eapol-loadalice-failed.log" 2>/dev/null)"
fi
if grep -Eiq "busy|locked|internal-error" "$server_log"; then
	not_ok "radiusd's log has no busy or locked database and no internal-error" \
		"$(grep -Ei "busy|locked|internal-error" "$server_log" | head -n 5)"
else
	ok "radiusd's log has no busy or locked database and no internal-error"
fi
n_rev=$(grep -c "refused certificate .* reject (revoked)" "$server_log")
[ "$n_rev" -ge "$ROUNDS" ] && ok "radiusd logged each refused revoked certificate ($n_rev)" ||
	not_ok "radiusd logged each refused revoked certificate ($n_rev)"
server_running && ok "radiusd is still running" || not_ok "radiusd is still running"
server_stop
[ "$(as_server "$SQLITE3" "$LOGDB" "PRAGMA integrity_check")" = ok ] &&
	[ "$("$SQLITE3" "$STATE/registry.db" "PRAGMA integrity_check")" = ok ] &&
	ok "PRAGMA integrity_check is ok on the access log and the registry" ||
	not_ok "PRAGMA integrity_check is ok on the access log and the registry"
