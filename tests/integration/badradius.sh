#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad RADIUS input to the running server (issue 7): overlong and empty
# attributes, SSIDs with bytes outside printable ASCII (NUL included, which
# must not truncate an SSID into a guest one), SQL and LIKE metacharacters,
# malformed MACs, duplicated attributes, garbage EAP, a wrong secret. Each
# request is sent raw by tests/tools/radtest; the server must answer
# Access-Reject without a passphrase (or drop the request where RADIUS says
# so), say why in its log, stay up, and leave the registry and the access
# log intact. Ports: 18420 (auth), 18421 (acct).
. "$top_srcdir/tests/integration/harness.sh"

PORT=18420
STA=AA-BB-CC-DD-EE-FF
GUEST=02-00-00-00-00-01:CoworkGuest

init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
base_space &&
cowork ssid add Staff --class staff >/dev/null &&
add_members alice &&
cowork psk rotate --ssid CoworkGuest >/dev/null || { not_ok "registry set-up"; exit 1; }
server_start "$TMP/state" $PORT || { not_ok "radiusd starts"; exit 1; }

# hex STRING: its bytes as hex (printf's escapes allowed in STRING).
hex() {
	printf "$1" | od -An -v -tx1 | tr -d ' \n'
}

# refused NAME DESC [radtest options]: Access-Reject with no passphrase, or
# no answer at all (dropped); never an Accept.
refused_req() {
	name=$1
	desc=$2
	shift 2
	mac_auth "$name" "$@"
	rc=$?
	code=$(field "$name" code)
	if [ "$code" = Access-Accept ]; then
		not_ok "$desc" "Access-Accept: $(cat "$TMP/$name.out")"
	elif [ "$code" = Access-Reject ] && [ -z "$(field "$name" tunnel_password)" ]; then
		ok "$desc (Access-Reject)"
	elif [ -z "$code" ] && [ $rc = 1 ]; then
		ok "$desc (dropped)"
	else
		not_ok "$desc" "exit $rc: $(cat "$TMP/$name.out" "$TMP/$name.err")"
	fi
}

mac_auth valid0 --mac $STA --called "$GUEST"
[ "$(field valid0 code)" = Access-Accept ] && ok "a valid guest request is accepted" ||
	not_ok "a valid guest request is accepted" "$(cat "$TMP/valid0.out")"

LONG_SSID=$(printf 'A%.0s' $(seq 1 235))
LONG_NAME=$(printf 'a%.0s' $(seq 1 253))

# Called-Station-Id (the SSID).
expect_reject long_called "a 253-byte Called-Station-Id is rejected" --mac $STA --called "02-00-00-00-00-01:$LONG_SSID"
has "... the log says the Called-Station-Id is malformed" "reject \\(bad-input\\): malformed Called-Station-Id" "$server_log"
refused_req empty_called "an empty Called-Station-Id is refused" --mac $STA --raw "30:"
expect_reject nul_ssid "an SSID with a NUL after a guest SSID's name is not that guest SSID" --mac $STA \
	--raw "30:$(hex '02-00-00-00-00-01:CoworkGuest\000x')"
expect_reject nul_ssid_end "an SSID ending in a NUL is not the guest SSID" --mac $STA \
	--raw "30:$(hex '02-00-00-00-00-01:CoworkGuest\000')"
expect_reject ctl_ssid "an SSID with a newline is rejected" --mac $STA --raw "30:$(hex '02-00-00-00-00-01:Cowork\nGuest')"
lacks "... and no raw newline reaches the log (the refusal's line is escaped)" "^Guest" "$server_log"
has "... the log shows the bytes escaped" 'malformed Called-Station-Id "02-00-00-00-00-01:Cowork\\x0aGuest"' "$server_log"
expect_reject del_ssid "an SSID with 0x7f and 0xff is rejected" --mac $STA --raw "30:$(hex '02-00-00-00-00-01:Cowork\177\377')"
expect_reject utf8_ssid "an unknown UTF-8 SSID is rejected" --mac $STA --called "02-00-00-00-00-01:Café"
expect_reject pct_ssid "an SSID with % (xlat syntax) is rejected" --mac $STA --called "02-00-00-00-00-01:%{User-Password}"
lacks "... and is not expanded: no passphrase or password in the log" "$STA\\b.*%" "$server_log"

# SQL and LIKE metacharacters.
expect_reject sql1 "an SSID with a quote and OR is rejected" --mac $STA --called "02-00-00-00-00-01:x' OR '1'='1"
expect_reject sql2 "an SSID with a statement after a quote is rejected" --mac $STA \
	--called "02-00-00-00-00-01:x\"; DROP TABLE member; --"
expect_reject like1 "an SSID of LIKE wildcards (%) is rejected" --mac $STA --called "02-00-00-00-00-01:%"
expect_reject like2 "an SSID with a LIKE wildcard (_) in place of a letter is rejected" --mac $STA \
	--called "02-00-00-00-00-01:_oworkGuest"
expect_reject caseguest "the guest SSID in another case is another SSID" --mac $STA --called "02-00-00-00-00-01:coworkguest"
expect_reject sqlname "a User-Name with SQL in it is rejected" --mac $STA --called "$GUEST" --user-name "a'; DELETE FROM psk; --"

# User-Name and MACs.
expect_reject long_name "a 253-byte User-Name is rejected" --mac $STA --called "$GUEST" --user-name "$LONG_NAME"
refused_req empty_name "an empty User-Name is refused" --mac $STA --called "$GUEST" --user-name ""
expect_reject bad_hex "a Calling-Station-Id with a non-hex digit is rejected" --mac $STA --called "$GUEST" \
	--calling AA-BB-CC-DD-EE-FG --user-name aabbccddeefg --password aabbccddeefg
expect_reject long_mac "a Calling-Station-Id of 7 octets is rejected" --mac $STA --called "$GUEST" \
	--calling AA-BB-CC-DD-EE-FF-00 --user-name aabbccddeeff00 --password aabbccddeeff00
expect_reject colons "a Calling-Station-Id of separators only is rejected" --mac $STA --called "$GUEST" \
	--calling ":::::" --user-name ":::::" --password ":::::"
expect_reject nul_mac "a Calling-Station-Id with a NUL inside is rejected" --mac $STA --called "$GUEST" \
	--calling - --raw "31:$(hex 'AA-BB-CC-DD-EE-FF\000junk')"

# Duplicated attributes: two SSIDs, a guest one after a member one.
expect_reject dup_called "two Called-Station-Id (member SSID first, guest second) are not a guest request" --mac $STA \
	--called 02-00-00-00-00-01:CoworkMembers --raw "30:$(hex "$GUEST")"

# EAP and authenticators.
refused_req eap_garbage "a garbage EAP-Message is refused" --mac $STA --called "$GUEST" --raw "79:deadbeef"
refused_req eap_short "a one-byte EAP-Message is refused" --user-name alice --password - --called "$GUEST" --raw "79:02"
mac_auth wrong_secret --mac $STA --called "$GUEST" --secret wrong-secret-123
[ $? = 1 ] && [ -z "$(field wrong_secret code)" ] && ok "a request signed with a wrong secret is dropped" ||
	not_ok "a request signed with a wrong secret is dropped" "$(cat "$TMP/wrong_secret.out")"
mac_auth no_ma --mac $STA --called "$GUEST" --no-message-authenticator
[ $? = 1 ] && [ -z "$(field no_ma code)" ] && ok "a request without Message-Authenticator is dropped" ||
	not_ok "a request without Message-Authenticator is dropped" "$(cat "$TMP/no_ma.out")"

# Afterwards: still up, still right, nothing damaged.
mac_auth valid1 --mac $STA --called "$GUEST"
[ "$(field valid1 code)" = Access-Accept ] && ok "after all that a valid guest request is still accepted" ||
	not_ok "after all that a valid guest request is still accepted" "$(cat "$TMP/valid1.out")"
server_running && ok "radiusd is still running" || not_ok "radiusd is still running"
lacks "no crash or sanitizer report in radiusd's log" "(Segmentation|SIGSEGV|Assertion|AddressSanitizer|runtime error)" \
	"$server_log"
# equals DESC GOT WANT
equals() {
	[ "$2" = "$3" ] && ok "$1" || not_ok "$1" "got '$2', want '$3'"
}
equals "the registry passes integrity_check" "$("$SQLITE3" "$STATE/registry.db" "PRAGMA integrity_check")" ok
equals "the access log passes integrity_check" "$("$SQLITE3" "$STATE/log/accesslog.db" "PRAGMA integrity_check")" ok
equals "the member table is still there" "$("$SQLITE3" "$STATE/registry.db" "SELECT count(*) FROM member")" 1
# The module's refusals (SSID or attribute checks: 15 of the requests above;
# the others are not MAC authentication and are refused by the site) have rows.
rows() {
	cowork log show --all --json | grep -o '"reason":"bad-[a-z]*","class":"guest"' | wc -l
}
i=0
while [ $i -lt 50 ] && [ "$(rows)" -lt 15 ]; do
	sleep 0.1
	i=$((i + 1))
done
n=$(rows)
[ "$n" -ge 15 ] && ok "the module's refusals are in the access log ($n rows)" ||
	not_ok "the module's refusals are in the access log" "$n rows" "$(cowork log show --all)"
lacks "no passphrase in radiusd's log" "$(passphrase CoworkGuest)" "$server_log"
