#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The Wi-Fi security access points report (RFC 7268 WLAN-AKM-Suite and
# WLAN-Pairwise-Cipher), end to end: a real radiusd with rlm_cowork gets
# Accounting-Request Starts from radclient as access points send them, and
# MAC-authentication Access-Requests from radtest. Checked: the link table
# (class, SSID, NAS, suites; what is not recorded), the access rows'
# akm/cipher, malformed values stored as NULL without harm, and coworkctl
# audit's 3-3.1 in each state (ok, attention for TKIP and for an open SSID,
# manual when nothing is reported), status and evidence from the JSON; and
# that coworkctl log purge deletes link rows past retention.
. "$top_srcdir/tests/integration/harness.sh"

PORT=18500		# auth; accounting on 18501
ACCT=$((PORT + 1))
STA=AA-BB-CC-DD-EE-FF
GUEST=02-00-00-00-00-01:CoworkGuest
MEMBERS=02-00-00-00-00-02:CoworkMembers
PSK=1027074		# 00-0F-AC:2
SAE=1027080		# 00-0F-AC:8
TKIP=1027074		# 00-0F-AC:2
CCMP=1027076		# 00-0F-AC:4

init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
standard_space alice && cowork ssid add Staff --class staff >/dev/null || { not_ok "registry set-up"; exit 1; }
LOG=$STATE/log/accesslog.db
server_start "$TMP/state" $PORT || { not_ok "radiusd starts with rlm_cowork"; exit 1; }

# sql STATEMENTS: sqlite3 on the access log as radiusd's user (root never opens it),
# waiting for radiusd's writer rather than failing on its lock.
sql() {
	as_server "$SQLITE3" -cmd ".timeout 5000" "$LOG" "$@"
}

# start NAME NAS CALLED [ATTR = VALUE ...]: an Accounting-Request Start from
# the access point NAS (NAS-Identifier) for a station on CALLED; passes when
# an Accounting-Response comes.
start() {
	st_name=$1 st_nas=$2 st_called=$3
	shift 3
	{
		printf 'Acct-Status-Type = Start\nAcct-Session-Id = "%s"\nNAS-Identifier = "%s"\n' "$st_name" "$st_nas"
		printf 'User-Name = "aabbccddeeff"\nCalling-Station-Id = "%s"\n' "$STA"
		[ -n "$st_called" ] && printf 'Called-Station-Id = "%s"\n' "$st_called"
		for a in "$@"; do printf '%s\n' "$a"; done
	} >"$TMP/acct-$st_name.req"
	"$RADCLIENT" -x -t 2 -r 1 -f "$TMP/acct-$st_name.req" "127.0.0.1:$ACCT" acct testing123 \
		>"$TMP/acct-$st_name.out" 2>&1 && grep -q "Received Accounting-Response" "$TMP/acct-$st_name.out"
}

# sent DESC NAME NAS CALLED [ATTR = VALUE ...]: start, as a test.
sent() {
	se_desc=$1
	shift
	if start "$@"; then
		ok "$se_desc"
	else
		not_ok "$se_desc" "$(tail -n 20 "$TMP/acct-$1.out")"
	fi
}

# link_is DESC WHERE WANT: the link rows matching WHERE, as "class|ssid|nas|akm|cipher" lines joined by ";".
link_is() {
	li_got=$(sql "SELECT class, ssid, nas, akm, cipher FROM link WHERE $2 ORDER BY id" | tr '\n' ';')
	if [ "$li_got" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "got '$li_got', want '$3'"
	fi
}

# audit_331 WANT DESC [EVIDENCE-PATTERN]: audit --json; 3-3.1 has status WANT and evidence matching.
audit_331() {
	cowork audit --json --lang en >"$TMP/audit.json" 2>"$TMP/err"
	au_got=$(audit_item 3-3.1 status 2>/dev/null)
	if [ "$au_got" = "$1" ] && { [ -z "${3:-}" ] || audit_item 3-3.1 evidence | grep -Eq -- "$3"; }; then
		ok "$2"
	else
		not_ok "$2 (status '$au_got')" "$(audit_item 3-3.1 evidence 2>&1)" "$(cat "$TMP/err")"
	fi
}

# --- nothing reported yet: manual, with how to make the APs report it ---------------------
audit_331 manual "3-3.1 with nothing reported: manual, saying how the APs report it" \
	'no access point reported the Wi-Fi security .* last 30 days.*acct_server_addr'

# --- a guest on WPA2-PSK with CCMP: ok ---------------------------------------------------
sent "a guest's Start with WPA2-PSK and CCMP-128 is answered" g1 ap-b "$GUEST" \
	"WLAN-AKM-Suite = $PSK" "WLAN-Pairwise-Cipher = $CCMP"
link_is "... and recorded: guest, SSID, NAS, AKM, cipher" "1" "guest|CoworkGuest|ap-b|$PSK|$CCMP;"
audit_331 ok "3-3.1 with one WPA2-PSK CCMP-128 guest session: ok" \
	'guest SSID "CoworkGuest": 1 WPA2-PSK CCMP-128 \| every session judged was WPA2 or WPA3'

# --- what is not recorded -------------------------------------------------------------------
sent "a Start on the staff SSID is answered" s1 ap-b "02-00-00-00-00-03:Staff" "WLAN-AKM-Suite = $PSK"
sent "a Start on an SSID that is not ours is answered" s2 ap-b "02-00-00-00-00-03:Elsewhere" \
	"WLAN-AKM-Suite = $PSK"
sent "a Start without an SSID in Called-Station-Id is answered" s3 ap-b "02-00-00-00-00-03" "WLAN-AKM-Suite = $PSK"
sent "a Start without Called-Station-Id is answered" s4 ap-b ""
printf 'Acct-Status-Type = Interim-Update\nAcct-Session-Id = "g1"\nNAS-Identifier = "ap-b"\nCalled-Station-Id = "%s"\nWLAN-AKM-Suite = %s\n' \
	"$GUEST" $PSK | "$RADCLIENT" -x -t 2 -r 1 "127.0.0.1:$ACCT" acct testing123 >"$TMP/interim.out" 2>&1
has "an Interim-Update is answered" "Received Accounting-Response" "$TMP/interim.out"
link_is "... none of them recorded: staff, foreign SSID, no SSID, an Interim-Update" "1" "guest|CoworkGuest|ap-b|$PSK|$CCMP;"

# A Class that looks like ours but does not verify: nothing from it.
sent "a Start with a forged cowork Class is answered" f1 ap-b "$MEMBERS" "WLAN-AKM-Suite = $SAE" \
	"Class = 0x$(printf 'cowork:1234:1:%032d' 0 | od -An -tx1 | tr -d ' \n')"
link_is "... and not recorded" "ssid = 'CoworkMembers'" ""

# A member SSID without our Class: class from the SSID. No MAC, no user in the table.
sent "a Start on the member SSID with SAE and CCMP-128 is answered" m1 ap-a "$MEMBERS" \
	"WLAN-AKM-Suite = $SAE" "WLAN-Pairwise-Cipher = $CCMP"
link_is "... and recorded as a member session" "ssid = 'CoworkMembers'" "member|CoworkMembers|ap-a|$SAE|$CCMP;"
if as_server grep -qaiE 'aabbccddeeff|AA-BB-CC-DD-EE-FF' "$LOG" "$LOG-wal" 2>/dev/null; then
	not_ok "the access log holds no MAC or User-Name of accounting"
else
	ok "the access log holds no MAC or User-Name of accounting"
fi

# A member's Start with the Class of their EAP-TLS Accept: one row, class member, beside the session.
CERTS=$TMP/certs
mkdir -p "$CERTS"
if issue alice "$CERTS/alice" && eap alice "$CERTS/alice/alice.pem" "$CERTS/alice/alice.key" CoworkMembers; then
	ok "alice gets an Access-Accept (EAP-TLS) with a Class"
else
	not_ok "alice gets an Access-Accept (EAP-TLS) with a Class" "$(tail -n 5 "$TMP/eapol-alice.log")"
fi
CLASS_HEX=$(awk '/code=2 \(Access-Accept\)/ { a = 1 } a && /Attribute 25 / { getline; sub(/.*Value: /, ""); print; exit }' \
	"$TMP/eapol-alice.log")
sent "alice's Start with her Class, 802.1X and CCMP-128 is answered" m2 ap-a "$MEMBERS" "Class = 0x$CLASS_HEX" \
	"WLAN-AKM-Suite = 1027073" "WLAN-Pairwise-Cipher = $CCMP"
link_is "... recorded once, as a member session" "ssid = 'CoworkMembers' AND akm = 1027073" \
	"member|CoworkMembers|ap-a|1027073|$CCMP;"
[ "$(sql "SELECT count(*) FROM session WHERE acct_session_id = 'm2' AND member = 'alice'")" = 1 ] &&
	ok "... and her session is recorded as before" || not_ok "... and her session is recorded as before"
sql "DELETE FROM link WHERE akm = 1027073"

# --- a guest on TKIP: attention ---------------------------------------------------------------
sent "a guest's Start with WPA2-PSK and TKIP is answered" g2 ap-b "$GUEST" \
	"WLAN-AKM-Suite = $PSK" "WLAN-Pairwise-Cipher = $TKIP"
audit_331 attention "3-3.1 with a TKIP guest session: attention, naming it" \
	'guest SSID "CoworkGuest": 1 WPA2-PSK TKIP \(weak: TKIP\), 1 WPA2-PSK CCMP-128 \| member SSID "CoworkMembers": 1 SAE CCMP-128'
[ "$(audit_item 3-3.1 evidence | grep -c 'every session judged')" = 0 ] && ok "... and does not call it all WPA2/WPA3" ||
	not_ok "... and does not call it all WPA2/WPA3"
cowork audit >/dev/null 2>&1
[ $? = 3 ] && ok "... audit exits 3" || not_ok "... audit exits 3"
cowork audit --json >"$TMP/audit-ja.json" 2>/dev/null
grep -qF 'ゲスト SSID「CoworkGuest」: 1 件 WPA2-PSK TKIP(弱い: TKIP)' "$TMP/audit-ja.json" &&
	ok "... in Japanese by default" || { not_ok "... in Japanese by default"; grep -o '"3-3.1".*' "$TMP/audit-ja.json" | head -c 600; }

# --- an open guest from an AP that reports AKMs for others: attention -----------------------------
sql "DELETE FROM link WHERE cipher = $TKIP AND akm = $PSK AND id > 1"
audit_331 ok "3-3.1 with the TKIP session gone: ok again"
sent "a guest's Start without any AKM, from ap-b, is answered" g3 ap-b "$GUEST"
link_is "... recorded with AKM and cipher NULL" "nas = 'ap-b' AND akm IS NULL" "guest|CoworkGuest|ap-b||;"
audit_331 attention "3-3.1 with an open guest session from an AP that reports others: attention" \
	'access point "ap-b" reported 1 guest session on "CoworkGuest" without any AKM, while it reports AKMs for other sessions: an open SSID'

# --- sessions only from an AP that never reports: manual, not judged ------------------------------
sql "DELETE FROM link"
sent "a guest's Start without any AKM, from ap-c, is answered" c1 ap-c "$GUEST"
audit_331 manual "3-3.1 with sessions only from an AP that never reports: manual" \
	'guest SSID "CoworkGuest": 1 not reported \| 1 session without an AKM or cipher, from access points that never report them: not judged.*acct_server_addr'

# --- malformed values: NULL, no harm -------------------------------------------------------------
sql "DELETE FROM link"
sent "a Start with a 3-byte WLAN-AKM-Suite and a 5-byte cipher is answered" x1 ap-x "$GUEST" \
	"Attr-188 = 0x000fac" "Attr-186 = 0x000fac0400"
grep -Eq 'Attr-188 = 0x000fac|WLAN-AKM-Suite' "$TMP/acct-x1.out" && ok "... radclient sent the raw attributes" ||
	not_ok "... radclient sent the raw attributes" "$(cat "$TMP/acct-x1.out")"
link_is "... and the session is recorded with NULL suites" "nas = 'ap-x'" "guest|CoworkGuest|ap-x||;"

# --- access rows: the suites of the Access-Request -----------------------------------------------
mac_auth suites --mac $STA --called "$GUEST" --raw 188:000fac02 --raw 186:000fac04
[ "$(field suites code)" = Access-Accept ] && ok "a MAC authentication carrying AKM and cipher is accepted" ||
	not_ok "a MAC authentication carrying AKM and cipher is accepted" "$(cat "$TMP/suites.out")"
mac_auth bad --mac $STA --called "$GUEST" --raw 188:000fac --raw 186:000fac0400
[ "$(field bad code)" = Access-Accept ] && ok "one with a 3-byte AKM and a 5-byte cipher is accepted too" ||
	not_ok "one with a 3-byte AKM and a 5-byte cipher is accepted too" "$(cat "$TMP/bad.out")"
mac_auth none --mac $STA --called "$GUEST"
i=0
while [ "$(sql "SELECT count(*) FROM access WHERE class = 'guest'")" -lt 3 ] && [ $i -lt 30 ]; do
	sleep 0.1
	i=$((i + 1))
done
ROWS=$(sql "SELECT coalesce(akm, 'NULL') || ' ' || coalesce(cipher, 'NULL') FROM access WHERE class = 'guest' ORDER BY id" |
	tr '\n' ';')
[ "$ROWS" = "$PSK $CCMP;NULL NULL;NULL NULL;" ] &&
	ok "access rows keep the Access-Request's AKM and cipher; malformed or absent ones are NULL" ||
	not_ok "access rows keep the Access-Request's AKM and cipher; malformed or absent ones are NULL" "got '$ROWS'"
cowork log show --json >"$TMP/show.json" 2>"$TMP/err"
/usr/bin/python3 -c '
import json, sys
rows = [r for r in json.load(open(sys.argv[1])) if r["class"] == "guest"]
sys.exit(0 if rows and rows[0].get("akm") == "WPA2-PSK" and rows[0].get("cipher") == "CCMP-128"
         and rows[-1]["akm"] is None and rows[-1]["cipher"] is None else 1)' "$TMP/show.json" &&
	ok "log show --json names them" || not_ok "log show --json names them" "$(head -c 600 "$TMP/show.json")"
server_running && ok "radiusd is still running" || not_ok "radiusd is still running"

# --- what radiusd wrote reaches the terminal without control bytes -----------------------------
NOW=$(($(date +%s) * 1000))
sql "INSERT INTO link (ts_ms, class, ssid, nas) VALUES ($NOW, 'guest', 'Cowork' || char(27) || '[2J', 'ap-x')"
cowork audit --lang en >"$TMP/audit.txt" 2>&1
ESC=$(printf '\033')
if grep -q "$ESC" "$TMP/audit.txt"; then
	not_ok "audit's text report holds no escape byte from the log"
else
	ok "audit's text report holds no escape byte from the log"
fi
has "... the SSID shown with '?' for it" 'guest SSID "Cowork\?\[2J"' "$TMP/audit.txt"
sql "DELETE FROM link WHERE ssid LIKE 'Cowork' || char(27) || '%'"

# --- retention ----------------------------------------------------------------------------------
OLD=$(( ($(date +%s) - 181 * 86400) * 1000 ))
sql "INSERT INTO link (ts_ms, class, ssid, nas, akm, cipher) VALUES ($OLD, 'guest', 'CoworkGuest', 'ap-old', $PSK, $TKIP)"
run_rc 0 "log purge" cowork log purge --json
has "... says it deleted the old link row" '"link_deleted":1' "$TMP/out"
link_is "... which is gone; the recent one stays" "1" "guest|CoworkGuest|ap-x||;"

# --- a link row that cannot be written holds nothing up, and says so ---------------------------
# Last: the access log is moved away (the module's accounting connection
# then fails and cannot reopen it), then back.
as_server mv "$LOG" "$LOG.away"
sent "with the access log moved away, a guest's Start is still answered" w1 ap-b "$GUEST" "WLAN-AKM-Suite = $PSK"
sent "... and the next one too (the log cannot be reopened)" w2 ap-b "$GUEST" "WLAN-AKM-Suite = $PSK"
as_server mv "$LOG.away" "$LOG"
W=$(grep -c 'Wi-Fi security not recorded: ' "$server_log")
[ "$W" = 2 ] && ok "... radiusd's log says twice that the Wi-Fi security was not recorded" ||
	not_ok "... radiusd's log says twice that the Wi-Fi security was not recorded" "$W such lines"
