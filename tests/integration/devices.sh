#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Device binding end to end (docs/design.md, "Devices"): a real radiusd,
# eapol_test as the access point and supplicant with a chosen station MAC
# (Calling-Station-Id), the notify command run by radiusd, the policies off,
# notify and enforce, approvals, a tenant's override, and a restart.
. "$top_srcdir/tests/integration/harness.sh"

PORT=18510
CERTS=$TMP/certs
HOOKS=$TMP/hooks
mkdir -p "$CERTS" "$HOOKS"
# radiusd's user runs the notify command: it writes here.
[ -n "$RADIUS_USER" ] && chown "$RADIUS_USER" "$HOOKS"

MAC_A=02:11:22:33:44:0a
MAC_B=02:11:22:33:44:0b
MAC_C=02:11:22:33:44:0c
MAC_D=02:11:22:33:44:0d
MAC_E=02:11:22:33:44:0e
MAC_F=02:11:22:33:44:0f

init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
member_space bob && cowork tenant add acme >/dev/null && cowork member add alice --tenant acme >/dev/null ||
	{ not_ok "registry set-up"; exit 1; }
issue alice && ALICE=$SERIAL && issue bob && BOB=$SERIAL || { not_ok "cert issue"; exit 1; }
A="$CERTS/alice/alice.pem $CERTS/alice/alice.key"
B="$CERTS/bob/bob.pem $CERTS/bob/bob.key"

# The notify command: everything it gets (arguments, environment, standard
# input) goes into a file of its own per run.
cat >"$TMP/hook.sh" <<'HOOK'
#!/bin/sh
out=$1/event.$$
{ echo "args: $*"; env; echo "stdin:"; cat; } >"$out.tmp" && mv "$out.tmp" "$out"
HOOK
chmod 0755 "$TMP/hook.sh"

check "notify set new-device stores the command" cowork notify set new-device "$TMP/hook.sh $HOOKS"
cowork notify show >"$TMP/notify.out"
has "notify show prints it" "new-device +$TMP/hook.sh $HOOKS" "$TMP/notify.out"
cowork device policy >"$TMP/policy.out"
has "the default policy is notify" "^global  notify \\(the default\\)" "$TMP/policy.out"

server_start "$TMP/state" $PORT || { not_ok "radiusd starts"; exit 1; }
ok "radiusd starts"

# hooks_ran N: wait (at most 5 s) until N notify commands have run.
hooks_ran() {
	hr_i=0
	while [ "$(find "$HOOKS" -name 'event.*' ! -name '*.tmp' | wc -l)" -lt "$1" ] && [ $hr_i -lt 50 ]; do
		sleep 0.1
		hr_i=$((hr_i + 1))
	done
	[ "$(find "$HOOKS" -name 'event.*' ! -name '*.tmp' | wc -l)" -eq "$1" ]
}

# hook_with STATE: the file of the notify command that ran for a device in STATE.
hook_with() {
	grep -l "^COWORK_DEVICE_STATE=$1\$" "$HOOKS"/event.* 2>/dev/null | head -n 1
}

# device_hash MEMBER STATE: the whole hash of MEMBER's device in STATE (device list --json).
device_hash() {
	cowork device list --member "$1" --json | grep -o "\"device\":\"[0-9a-f]*\",\"state\":\"$2\"" |
		head -n 1 | sed 's/"device":"\([0-9a-f]*\)".*/\1/'
}

# no_mac FILE MAC: FILE holds MAC in none of its spellings (any case).
no_mac() {
	nm_hex=$(echo "$2" | tr -d ':')
	nm_dash=$(echo "$2" | tr ':' '-')
	nm_dot=$(echo "$nm_hex" | sed 's/^\(....\)\(....\)\(....\)$/\1.\2.\3/')
	! grep -qiF -e "$2" -e "$nm_hex" -e "$nm_dash" -e "$nm_dot" "$1"
}

# log_reason REASON: the access log has a row with REASON (after the writer's flush).
log_reason() {
	sleep 0.3
	cowork log show --json >"$TMP/log.json" && grep -q "\"reason\":\"$1\"" "$TMP/log.json"
}

# --- notify (the default) -------------------------------------------------------

# shellcheck disable=SC2086
EAPOL_MAC=$MAC_A eap_accept "alice's first device (MAC A) is accepted" 100 alice $A CoworkMembers
hooks_ran 1 && ok "the notify command ran for the first device" || not_ok "the notify command ran for the first device"
HASH_A=$(device_hash alice bound)
[ ${#HASH_A} -eq 64 ] && ok "device list: MAC A bound to alice's certificate" ||
	not_ok "device list: MAC A bound to alice's certificate" "$(cowork device list)"
cowork device list --new >"$TMP/new.out"
has "device list --new shows it" "bound +alice +$ALICE +$(echo "$HASH_A" | cut -c1-16)" "$TMP/new.out"
HOOK_A=$(hook_with bound)
has "the command got the event" "^COWORK_EVENT=new-device\$" "$HOOK_A"
has "... the member" "^COWORK_MEMBER=alice\$" "$HOOK_A"
has "... the certificate" "^COWORK_SERIAL=$ALICE\$" "$HOOK_A"
has "... the device's hash" "^COWORK_DEVICE=$HASH_A\$" "$HOOK_A"
has "... its arguments as configured, and nothing on standard input" "^args: $HOOKS\$" "$HOOK_A"
[ "$(sed -n '/^stdin:$/,$p' "$HOOK_A" | wc -l)" -eq 1 ] && ok "standard input was empty" ||
	not_ok "standard input was empty" "$(cat "$HOOK_A")"
no_mac "$HOOK_A" "$MAC_A" && ok "the command's arguments, environment and input hold no MAC, in any spelling" ||
	not_ok "the command's arguments, environment and input hold no MAC, in any spelling" "$(cat "$HOOK_A")"
lacks "its environment is ours only (nothing inherited from radiusd)" "^(HOME|USER|LD_PRELOAD|ASAN_OPTIONS)=" "$HOOK_A"
has "radiusd's log names the new device, its member and certificate" \
	"new device $(echo "$HASH_A" | cut -c1-16) of member alice, certificate $ALICE: bound" "$server_log"
# rlm_cowork's lines only: radiusd's own Auth lines (log { auth = yes }) print "cli <MAC>".
grep -E "new device|unknown-device" "$server_log" | grep -v " Auth: " >"$TMP/ours.log"
grep -q "new device" "$TMP/ours.log" && no_mac "$TMP/ours.log" "$MAC_A" && ok "rlm_cowork's device lines in radiusd's log hold no MAC" ||
	not_ok "rlm_cowork's device lines in radiusd's log hold no MAC" "$(cat "$TMP/ours.log")"

EAPOL_MAC=$MAC_A eap_accept "MAC A again: accepted" 100 alice $A CoworkMembers
sleep 0.5
hooks_ran 1 && ok "... and not reported again" || not_ok "... and not reported again"

EAPOL_MAC=$MAC_B eap_accept "notify: a second device (MAC B) with alice's certificate is accepted" 100 alice $A \
	CoworkMembers
hooks_ran 2 && ok "... the notify command ran for it" || not_ok "... the notify command ran for it"
HASH_B=$(device_hash alice new)
HOOK_B=$(hook_with new)
has "... with alice and MAC B's hash" "^COWORK_DEVICE=$HASH_B\$" "$HOOK_B"
has "... as a new device" "^COWORK_MEMBER=alice\$" "$HOOK_B"
no_mac "$HOOK_B" "$MAC_B" && ok "... and without MAC B" || not_ok "... and without MAC B" "$(cat "$HOOK_B")"
[ "$HASH_A" != "$HASH_B" ] && ok "two MACs, two hashes" || not_ok "two MACs, two hashes"

# --- enforce ---------------------------------------------------------------------

check "device policy enforce" cowork device policy enforce
EAPOL_MAC=$MAC_C eap_reject "enforce: alice's certificate from a third device (MAC C) is refused" alice $A CoworkMembers
log_reason unknown-device && ok "the access log has the refusal with reason unknown-device" ||
	not_ok "the access log has the refusal with reason unknown-device" "$(tail -c 600 "$TMP/log.json")"
has "radiusd's log says why" "reject \\(unknown-device\\): certificate $ALICE of alice presented from device" \
	"$server_log"
has "... inside the TLS handshake, so that the device is told (a TLS alert)" \
	"refused certificate $ALICE in the TLS handshake: reject \\(unknown-device\\)" "$server_log"
has "... the server sent the alert bad_certificate" "Alert write:fatal:bad certificate" "$server_log"
hooks_ran 3 && ok "the refused device was reported too" || not_ok "the refused device was reported too"
has "... as refused" "^COWORK_MEMBER=alice\$" "$(hook_with refused)"
HASH_C=$(device_hash alice refused)
[ ${#HASH_C} -eq 64 ] && ok "device list shows MAC C refused" || not_ok "device list shows MAC C refused"
EAPOL_MAC=$MAC_B eap_reject "enforce: MAC B (reported under notify, never approved) is refused" alice $A CoworkMembers
EAPOL_MAC=$MAC_A eap_accept "enforce: MAC A, the bound device, is accepted" 100 alice $A CoworkMembers
EAPOL_MAC=$MAC_A eap_accept "a station that claims MAC A (spoofed) is accepted: a MAC is a signal, not proof" 100 \
	alice $A CoworkMembers

run_rc 2 "approve: a prefix shorter than 8 hex digits is a usage error" cowork device approve "$ALICE" "$(echo "$HASH_C" | cut -c1-7)"
run_rc 1 "approve: a prefix of no device of the certificate is refused" cowork device approve "$ALICE" 0000000000
check "device approve SERIAL PREFIX" cowork device approve "$ALICE" "$(echo "$HASH_C" | cut -c1-12)"
EAPOL_MAC=$MAC_C eap_accept "after approval, MAC C is accepted at the next attempt" 100 alice $A CoworkMembers
sleep 0.3
cowork device list --member alice >"$TMP/list.out"
has "device list shows MAC C approved" "approved +alice +$ALICE +$(echo "$HASH_C" | cut -c1-16)" "$TMP/list.out"
EAPOL_MAC=$MAC_A eap_accept "MAC A is still accepted" 100 alice $A CoworkMembers

# A Calling-Station-Id that is not a MAC: enforce cannot tell the device, so it refuses.
cat >"$TMP/eapol-badcsi.conf" <<CONF
network={
	key_mgmt=WPA-EAP
	eap=TLS
	identity="alice"
	ca_cert="$STATE/ca/ca.pem"
	client_cert="$CERTS/alice/alice.pem"
	private_key="$CERTS/alice/alice.key"
}
CONF
if "$EAPOL_TEST" -c "$TMP/eapol-badcsi.conf" -a 127.0.0.1 -p $PORT -s testing123 -t 10 -N "31:s:not-a-mac" \
	-N "30:s:02-00-00-00-00-AA:CoworkMembers" >"$TMP/badcsi.log" 2>&1; then
	not_ok "enforce: a malformed Calling-Station-Id is refused"
else
	ok "enforce: a malformed Calling-Station-Id is refused"
fi
has "... and the log says so" "reject \\(unknown-device\\): certificate $ALICE of alice: device binding is enforced and the request has no usable Calling-Station-Id" "$server_log"

grep -E "new device|unknown-device" "$server_log" | grep -v " Auth: " >"$TMP/ours.log"
grep -q "unknown-device" "$TMP/ours.log" && no_mac "$TMP/ours.log" "$MAC_C" && ok "... nor do its refusals" || not_ok "... nor do its refusals" "$(cat "$TMP/ours.log")"

# --- a tenant's override, and off -----------------------------------------------

EAPOL_MAC=$MAC_A eap_accept "global enforce: bob's first device is bound and accepted" 190 bob $B CoworkMembers
EAPOL_MAC=$MAC_B eap_reject "global enforce: bob from another device is refused" bob $B CoworkMembers
check "device policy --tenant acme notify" cowork device policy --tenant acme notify
cowork device policy >"$TMP/policy.out"
has "policy shows the override" "^tenant acme +notify" "$TMP/policy.out"
EAPOL_MAC=$MAC_D eap_accept "tenant acme on notify: alice from a new device (MAC D) is accepted" 100 alice $A \
	CoworkMembers
EAPOL_MAC=$MAC_B eap_reject "... while bob (no tenant) stays under the global enforce" bob $B CoworkMembers
check "device policy --tenant acme off" cowork device policy --tenant acme off
sleep 0.3
BEFORE=$(cowork device list --json | grep -o '"device"' | wc -l)
EAPOL_MAC=$MAC_E eap_accept "tenant acme off: alice from MAC E is accepted" 100 alice $A CoworkMembers
sleep 0.3
AFTER=$(cowork device list --json | grep -o '"device"' | wc -l)
[ "$BEFORE" = "$AFTER" ] && ok "off records nothing" || not_ok "off records nothing" "$BEFORE rows before, $AFTER after"
check "device policy --tenant acme default" cowork device policy --tenant acme default

# --- a restart: the bindings are the access log's --------------------------------

server_stop
server_run || { not_ok "radiusd restarts"; exit 1; }
EAPOL_MAC=$MAC_A eap_accept "after a restart, MAC A (bound) is accepted" 100 alice $A CoworkMembers
EAPOL_MAC=$MAC_C eap_accept "... MAC C (approved) too" 100 alice $A CoworkMembers
EAPOL_MAC=$MAC_F eap_reject "... and a new device (MAC F) is refused, not bound" alice $A CoworkMembers
check "device approve MEMBER PREFIX: for every certificate of bob" cowork device approve bob "$(device_hash bob refused | cut -c1-10)"
EAPOL_MAC=$MAC_B eap_accept "bob from MAC B, approved for the member, is accepted" 190 bob $B CoworkMembers

# --- a notify command that hangs never holds up an authentication ----------------------

check "device policy notify" cowork device policy notify
check "notify set new-device: a command that hangs" cowork notify set new-device "exec sleep 60"
i=0
slow=0
for mac in 02:11:22:33:55:01 02:11:22:33:55:02 02:11:22:33:55:03 02:11:22:33:55:04 02:11:22:33:55:05; do
	start=$(date +%s%N)
	EAPOL_MAC=$mac eap alice-$i $A CoworkMembers || not_ok "new device $mac accepted while commands hang"
	[ $((($(date +%s%N) - start) / 1000000)) -lt 3000 ] || slow=$((slow + 1))
	i=$((i + 1))
done
[ $slow -eq 0 ] && ok "five new devices in a row, each accepted in under 3 s while the commands hang" ||
	not_ok "five new devices in a row, each accepted in under 3 s while the commands hang" "$slow slow"
wait_started "$server_pid" "$server_log" "not notified: 4 notify commands are still running" 50 &&
	ok "a fifth command is not started while four run, and the log says so" ||
	not_ok "a fifth command is not started while four run, and the log says so"
wait_started "$server_pid" "$server_log" "the notify command was killed after 10000 ms" 150 &&
	ok "a command still running after 10 s is killed" || not_ok "a command still running after 10 s is killed"
# The four started within a few seconds of each other: each goes at its own deadline.
i=0
while pgrep -f '^sleep 60$' >/dev/null && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
pgrep -f '^sleep 60$' >/dev/null && not_ok "no notify command is left running" "$(pgrep -af '^sleep 60$')" ||
	ok "no notify command is left running"

# --- the command line --------------------------------------------------------------

run_rc 2 "device policy: an unknown policy is a usage error" cowork device policy sometimes
run_rc 2 "device list: an unknown option is a usage error" cowork device list --bogus
run_rc 2 "notify set: an unknown event is a usage error" cowork notify set old-device true
run_rc 1 "device policy --tenant: an unknown tenant is refused" cowork device policy --tenant nobody enforce
run_rc 1 "device approve: an unknown certificate or member is refused" cowork device approve nobody "$HASH_A"
check "notify unset new-device" cowork notify unset new-device
cowork notify show >"$TMP/notify.out"
has "notify show says none" "new-device +\\(none\\)" "$TMP/notify.out"
