#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# One TLS hook per eap context, held by the instance that last instantiated
# successfully. With a real radiusd:
#  (a) a HUP whose new cowork configuration fails to instantiate (an
#      ocsp_port out of range, checked after everything else) keeps the
#      running instance on the hook: members accepted, revoked refused in
#      the handshake (not "every member refused");
#  (b) two cowork instances with different state directories naming the
#      same eap_module fail the configuration check, naming both;
#  (c) after a HUP that changes state_dir, the handshakes are checked in
#      the new registry (a member suspended only there is refused, a
#      certificate revoked only in the old one is accepted).
# Ports: 18443 (auth), 18444 (acct).
. "$top_srcdir/tests/integration/harness.sh"

PORT=18443
. "$top_srcdir/tests/integration/handshake_lib.sh"
STATE1=$STATE
STATE2=$TMP/state2

# A second state directory whose registry is a copy of this one (so it
# knows the same certificates: the eap context, not HUP-safe, keeps
# trusting the first CA), with its own access log and device key.
init_state "$STATE2" >/dev/null || { not_ok "coworkctl init of a second state directory"; exit 1; }
STATE=$STATE1
"$SQLITE3" "$STATE1/registry.db" ".backup '$STATE2/registry.db.new'" &&
	chown --reference="$STATE2/registry.db" "$STATE2/registry.db.new" &&
	chmod --reference="$STATE2/registry.db" "$STATE2/registry.db.new" &&
	rm -f "$STATE2/registry.db-wal" "$STATE2/registry.db-shm" &&
	mv "$STATE2/registry.db.new" "$STATE2/registry.db" || { not_ok "a copy of the registry"; exit 1; }
# Only in the second registry: alice suspended. Only in the first: carol revoked.
"$COWORKCTL" -d "$STATE2" member suspend alice >/dev/null || { not_ok "suspend alice in the second registry"; exit 1; }
cowork cert revoke "$CAROL" --reason key-compromise >/dev/null || { not_ok "revoke carol in the first registry"; exit 1; }

server_start "$STATE1" $PORT || { not_ok "radiusd starts"; exit 1; }
ok "radiusd starts"
# shellcheck disable=SC2086
eap_accept "alice is accepted" 100 alice $A CoworkMembers
eap_reject "carol (revoked) is refused" carol $C CoworkMembers
handshake_failed "... inside the handshake" carol

# hup_expect PATTERN DESC: HUP the server after a configuration change and
# wait (at most 5 s) for PATTERN in its log after the HUP. radiusd ignores a
# HUP within 5 s of the last one and sees a changed file by its mtime in
# whole seconds, hence the pause.
hup_expect() {
	sleep 6
	touch "$CONF/mods-enabled/cowork"
	mark=$(wc -l <"$server_log")
	kill -HUP "$server_pid"
	i=0
	while [ $i -lt 50 ] && ! tail -n +"$((mark + 1))" "$server_log" | grep -q "$1"; do
		sleep 0.1
		i=$((i + 1))
	done
	tail -n +"$((mark + 1))" "$server_log" >"$TMP/hup.log"
	has "$2" "$1" "$TMP/hup.log"
}

# --- (a) a HUP that fails to instantiate keeps the running instance ------------------------
sed -i 's|^cowork {$|&\n\tocsp_port = 70000|' "$CONF/mods-enabled/cowork"
hup_expect 'HUP failed for module "cowork"' "(a) a HUP with ocsp_port = 70000 fails to re-instantiate cowork"
has "... saying why" "ocsp_port must be 1 to 65535" "$TMP/hup.log"
mark=$(wc -l <"$server_log")
# shellcheck disable=SC2086
eap_accept "(a) after the failed HUP alice is still accepted" 100 alice $A CoworkMembers
eap_reject "(a) ... and carol still refused" carol $C CoworkMembers
handshake_failed "... inside the handshake" carol
tail -n +"$((mark + 1))" "$server_log" >"$TMP/since.log"
has "... by the running instance's registry check" \
	"refused certificate $CAROL in the TLS handshake: reject \\(revoked\\)" "$TMP/since.log"
lacks "... no handshake refused for want of an instance" "no rlm_cowork instance checks" "$TMP/since.log"

# --- (c) a HUP that changes state_dir: the handshakes use the new registry ------------------
sed -i -e '/^	ocsp_port = 70000$/d' -e "s|^	state_dir = .*|	state_dir = $STATE2|" "$CONF/mods-enabled/cowork"
hup_expect 'Reloaded module "cowork"' "(c) a HUP with state_dir changed re-instantiates cowork"
has "... which takes over the hook" "rlm_cowork \\(cowork\\): client certificates of cowork_eap are checked" "$TMP/hup.log"
mark=$(wc -l <"$server_log")
eap_reject "(c) alice, suspended in the new registry only, is refused" alice $A CoworkMembers
handshake_failed "... inside the handshake" alice
# shellcheck disable=SC2086
eap_accept "(c) carol, revoked in the old registry only, is accepted" 190 carol $C CoworkMembers
tail -n +"$((mark + 1))" "$server_log" >"$TMP/since.log"
has "... alice refused by the new registry's reason" \
	"refused certificate $ALICE in the TLS handshake: reject \\(suspended\\): member alice is suspended" "$TMP/since.log"
lacks "... carol not refused" "refused certificate $CAROL" "$TMP/since.log"
# Still the new one after the old instance would have been freed (radiusd frees it at a HUP 60 s later): not waited for.
server_running && ok "radiusd is still running" || not_ok "radiusd is still running"
lacks "no crash or sanitizer report in radiusd's log" "(Segmentation|SIGSEGV|Assertion|AddressSanitizer|runtime error)" \
	"$server_log"
server_stop

# --- (b) two instances on one eap module: a configuration error ----------------------------
server_config "$STATE1" $PORT || not_ok "radiusd config"
printf 'cowork cowork2 {\n\tstate_dir = %s\n\teap_module = cowork_eap\n}\n' "$STATE2" >"$CONF/mods-enabled/cowork2"
if radiusd -XC -d "$CONF" >"$TMP/check2.log" 2>&1; then
	not_ok "(b) two cowork instances naming the same eap_module fail the configuration check" "radiusd -C passed"
else
	ok "(b) two cowork instances naming the same eap_module fail the configuration check"
fi
has "... naming both instances and the eap module" \
	'cowork instances "cowork" and "cowork2" both name eap_module "cowork_eap"' "$TMP/check2.log"
sed -i 's|eap_module = cowork_eap|eap_module = ""|' "$CONF/mods-enabled/cowork2"
config_check "(b) ... while the second one with eap_module = \"\" passes"
