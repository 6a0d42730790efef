#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# A real NAS and a real supplicant: hostapd (driver=wired, IEEE 802.1X
# authenticator, RADIUS to the test radiusd) and wpa_supplicant (-D wired)
# on the two ends of a veth pair, each in a network namespace of its own.
# Unlike eapol_test, which reads the Access-Reject itself, wpa_supplicant
# only reports what its EAP state machine accepts: a valid member must see
# CTRL-EVENT-EAP-SUCCESS and an authorized port; a revoked certificate and a
# suspended member must see CTRL-EVENT-EAP-FAILURE, which they do because
# rlm_cowork's registry check inside the TLS handshake (eap_module) fails
# the handshake itself. With that check turned off (the registry check
# after the handshake only) the test records what the supplicant does
# instead. hostapd also sends accounting and takes
# Disconnect-Requests (its RADIUS DAS): `cert revoke` of a connected member
# must be ACKed by hostapd, which closes the port and sends Accounting-Stop.
#
# Needs root (network namespaces): otherwise the whole test is skipped.
# The outer part makes the namespaces and the veth pair and removes them on
# exit, whatever happens; the inner part (the same script, WIRED_INSIDE=1)
# runs in the NAS namespace: radiusd on its private loopback (port 18244),
# hostapd on one veth end; wpa_supplicant runs in the station namespace.

if [ -z "${WIRED_INSIDE:-}" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "1..0 # SKIP not root: network namespaces cannot be made"
		exit 0
	fi
	NS_AP=cw-wired-ap-$$
	NS_STA=cw-wired-sta-$$
	IF_AP=cwap$$
	IF_STA=cwsta$$
	cleanup() {
		ip netns del "$NS_AP" 2>/dev/null
		ip netns del "$NS_STA" 2>/dev/null
	}
	trap cleanup EXIT
	trap 'exit 1' INT TERM HUP
	if ! ip netns add "$NS_AP" 2>"/tmp/wired-netns.$$" || ! ip netns add "$NS_STA" 2>>"/tmp/wired-netns.$$"; then
		echo "1..0 # SKIP ip netns is not possible here: $(head -n 1 "/tmp/wired-netns.$$")"
		rm -f "/tmp/wired-netns.$$"
		exit 0
	fi
	rm -f "/tmp/wired-netns.$$"
	ip -n "$NS_AP" link add "$IF_AP" type veth peer name "$IF_STA" netns "$NS_STA" &&
		ip -n "$NS_AP" link set lo up && ip -n "$NS_AP" link set "$IF_AP" up &&
		ip -n "$NS_STA" link set lo up && ip -n "$NS_STA" link set "$IF_STA" up || {
		echo "1..1"
		echo "not ok 1 - a veth pair between two network namespaces"
		exit 1
	}
	WIRED_INSIDE=1 NS_STA=$NS_STA IF_AP=$IF_AP IF_STA=$IF_STA ip netns exec "$NS_AP" sh "$0"
	exit $?
fi

. "$top_srcdir/tests/integration/harness.sh"

PORT=18244
DAS_PORT=3799	# hostapd's RADIUS DAS, on the NAS namespace's own loopback
DAS_SECRET=wired-das-secret-0123456789
HOSTAPD=${HOSTAPD:-hostapd}
HOSTAPD_CLI=${HOSTAPD_CLI:-hostapd_cli}
WPA_SUPPLICANT=${WPA_SUPPLICANT:-wpa_supplicant}
WPA_CLI=${WPA_CLI:-wpa_cli}
CERTS=$TMP/certs
mkdir -p "$CERTS"
hostapd_pid=
wpas_pid=

# Stop what this test started (by PID), then the harness's radiusd.
wired_stop() {
	wpas_stop
	if [ -n "$hostapd_pid" ]; then
		kill "$hostapd_pid" 2>/dev/null
		wait "$hostapd_pid" 2>/dev/null
		hostapd_pid=
	fi
}
trap 'wired_stop; finish' EXIT

init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
member_space alice bob carol || { not_ok "registry set-up"; exit 1; }
for m in alice bob carol; do
	cowork cert issue $m --out "$CERTS/$m" >"$TMP/issue-$m.out" || { not_ok "cert issue $m"; exit 1; }
done
CAROL=$(sed -n 's/^serial: //p' "$TMP/issue-carol.out")
ALICE=$(sed -n 's/^serial: //p' "$TMP/issue-alice.out")
BOB=$(sed -n 's/^serial: //p' "$TMP/issue-bob.out")
printf '%s\n' "$DAS_SECRET" >"$TMP/das.secret"
cowork nas add wired-test --address 127.0.0.1 --coa-port $DAS_PORT --secret-file "$TMP/das.secret" >/dev/null ||
	{ not_ok "nas add (hostapd's DAS)"; exit 1; }

server_start "$TMP/state" $PORT || { not_ok "radiusd starts"; exit 1; }

# --- the NAS: hostapd with the wired driver, asking the test radiusd ------------
mkdir -p "$TMP/hostapd" "$TMP/wpas"
cat >"$TMP/hostapd.conf" <<CONF
interface=$IF_AP
driver=wired
ctrl_interface=$TMP/hostapd
logger_stdout=-1
logger_stdout_level=1
ieee8021x=1
eapol_version=2
eap_server=0
use_pae_group_addr=1
eap_reauth_period=0
ssid=CoworkMembers
nas_identifier=wired-test
own_ip_addr=127.0.0.1
auth_server_addr=127.0.0.1
auth_server_port=$PORT
auth_server_shared_secret=testing123
acct_server_addr=127.0.0.1
acct_server_port=$((PORT + 1))
acct_server_shared_secret=testing123
radius_das_port=$DAS_PORT
radius_das_client=127.0.0.1 $DAS_SECRET
radius_das_require_event_timestamp=1
radius_das_require_message_authenticator=1
CONF
"$HOSTAPD" -dd -t "$TMP/hostapd.conf" >"$TMP/hostapd.log" 2>&1 &
hostapd_pid=$!
i=0
while [ $i -lt 100 ] && ! "$HOSTAPD_CLI" -p "$TMP/hostapd" -i "$IF_AP" ping 2>/dev/null | grep -q PONG; do
	kill -0 "$hostapd_pid" 2>/dev/null || break
	sleep 0.1
	i=$((i + 1))
done
if "$HOSTAPD_CLI" -p "$TMP/hostapd" -i "$IF_AP" ping 2>/dev/null | grep -q PONG; then
	ok "hostapd runs as an IEEE 802.1X authenticator on $IF_AP (driver=wired)"
else
	not_ok "hostapd runs as an IEEE 802.1X authenticator on $IF_AP (driver=wired)" "$(tail -n 20 "$TMP/hostapd.log")"
	exit 1
fi

# --- the station: wpa_supplicant with the wired driver -------------------------------

# wpas_start MEMBER MAC: a new wpa_supplicant for MEMBER's certificate. Each
# run gets its own MAC: hostapd holds a station that failed for 60 s
# (IEEE 802.1X quietPeriod) and would ignore the next attempt from it.
wpas_start() {
	WPAS_LOG=$TMP/wpas-$1.log
	ip netns exec "$NS_STA" ip link set "$IF_STA" down
	ip netns exec "$NS_STA" ip link set "$IF_STA" address "$2"
	ip netns exec "$NS_STA" ip link set "$IF_STA" up
	cat >"$TMP/wpas-$1.conf" <<CONF
ctrl_interface=$TMP/wpas
ap_scan=0
eapol_version=2
network={
	key_mgmt=IEEE8021X
	eap=TLS
	eapol_flags=0
	identity="$1"
	ca_cert="$STATE/ca/ca.pem"
	client_cert="$CERTS/$1/$1.pem"
	private_key="$CERTS/$1/$1.key"
	domain_match="radius.test.example"
}
CONF
	# Emptied here, not by the background job's redirection: under load the
	# job may start after wpas_wait has already read the previous verdict.
	: >"$WPAS_LOG"
	ip netns exec "$NS_STA" "$WPA_SUPPLICANT" -D wired -i "$IF_STA" -c "$TMP/wpas-$1.conf" -dd -t \
		>>"$WPAS_LOG" 2>&1 &
	wpas_pid=$!
}

wpas_stop() {
	[ -n "$wpas_pid" ] || return 0
	kill "$wpas_pid" 2>/dev/null
	wait "$wpas_pid" 2>/dev/null
	wpas_pid=
}

# wpas_wait SECONDS: until the supplicant reports EAP success or failure,
# at most SECONDS. Leaves "success", "failure" or "none" in $EAP_EVENT.
wpas_wait() {
	i=0
	EAP_EVENT=none
	while [ $i -lt $(($1 * 10)) ]; do
		if grep -q "CTRL-EVENT-EAP-SUCCESS" "$WPAS_LOG"; then
			EAP_EVENT=success
			return 0
		fi
		if grep -q "CTRL-EVENT-EAP-FAILURE" "$WPAS_LOG"; then
			EAP_EVENT=failure
			return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
}

# The supplicant's own view, from its control interface.
wpas_status() {
	ip netns exec "$NS_STA" "$WPA_CLI" -p "$TMP/wpas" -i "$IF_STA" status 2>&1
}

# expect_event DESC EVENT: the supplicant reported EVENT (success|failure).
expect_event() {
	if [ "$EAP_EVENT" = "$2" ]; then
		ok "$1"
	else
		not_ok "$1" "expected $2, the supplicant reported: $EAP_EVENT" \
			"$(grep -E 'CTRL-EVENT|EAP: Received|EAPOL: SUPP_PAE entering' "$WPAS_LOG" | tail -n 15)"
	fi
}

# attempt MEMBER MAC SECONDS: a fresh supplicant for MEMBER's certificate,
# waiting at most SECONDS for its verdict; its wpa_cli status goes to $STATUS.
attempt() {
	wpas_start "$1" "$2"
	wpas_wait "$3"
	STATUS=$TMP/status-$1-$(echo "$2" | tr -d :)
	wpas_status >"$STATUS"
}

# refused DESC MEMBER MAC PATTERN: the supplicant reports
# CTRL-EVENT-EAP-FAILURE before its TLS handshake finished, its port stays
# unauthorized, and radiusd's log has PATTERN (the refusal in the handshake).
refused() {
	attempt "$2" "$3" 20
	expect_event "$1: wpa_supplicant reports CTRL-EVENT-EAP-FAILURE" failure
	lacks "... its TLS handshake never finished" "Handshake finished" "$WPAS_LOG"
	has "... wpa_cli status: suppPortStatus=Unauthorized" "^suppPortStatus=Unauthorized" "$STATUS"
	has "... radiusd's log gives the refusal in the handshake" "$4" "$server_log"
	wpas_stop
}

# A valid member: EAP success, and both ends say the port is authorized.
attempt alice 02:00:00:00:01:01 20
expect_event "valid member: wpa_supplicant reports CTRL-EVENT-EAP-SUCCESS" success
has "... wpa_cli status: suppPortStatus=Authorized" "^suppPortStatus=Authorized" "$STATUS"
has "... wpa_cli status: EAP state=SUCCESS" "^EAP state=SUCCESS" "$STATUS"
"$HOSTAPD_CLI" -p "$TMP/hostapd" -i "$IF_AP" sta 02:00:00:00:01:01 >"$TMP/nas-alice" 2>&1
has "... hostapd (the NAS) holds the port authorized" "AUTHORIZED|dot1xAuthPaeState=AUTHENTICATED" "$TMP/nas-alice"
has "... radiusd accepted alice" "cowork: accept: member alice" "$server_log"
wpas_stop

# A revoked certificate and a suspended member: the registry check fails the TLS handshake.
cowork cert revoke "$CAROL" --reason key-compromise >/dev/null
refused "revoked certificate" carol 02:00:00:00:01:02 "refused certificate $CAROL in the TLS handshake: reject \\(revoked\\)"
cowork member suspend bob >/dev/null
refused "suspended member" bob 02:00:00:00:01:03 "refused certificate $BOB in the TLS handshake: reject \\(suspended\\): member bob is suspended"

# Resumed: accepted again at once, through the real NAS too.
cowork member resume bob >/dev/null
attempt bob 02:00:00:00:01:04 20
expect_event "resumed member: wpa_supplicant reports CTRL-EVENT-EAP-SUCCESS" success
has "... wpa_cli status: suppPortStatus=Authorized" "^suppPortStatus=Authorized" "$STATUS"
wpas_stop

# --- Revocation reaches a connected device: hostapd's accounting, then its DAS ---------------
# alice connects; hostapd's Accounting-Start echoes the Class of her Accept.
attempt alice 02:00:00:00:01:06 20
expect_event "alice connects again (for the Disconnect test)" success
# Her first connection (02:00:00:00:01:01) may still be live in hostapd and
# in the registry: wait for this connection's own Accounting-Start, by its
# Acct-Session-Id, before revoking.
i=0
SID=
while [ $i -lt 50 ] && { [ -z "$SID" ] ||
	! cowork session list --serial "$ALICE" 2>/dev/null | grep " live " | grep -q " $SID "; }; do
	SID=$(sed -n 's/.*STA 02:00:00:00:01:06 RADIUS: starting accounting session \([0-9A-F]*\).*/\1/p' \
		"$TMP/hostapd.log" | tail -n 1)
	sleep 0.1
	i=$((i + 1))
done
cowork session list --serial "$ALICE" >"$TMP/sessions-alice" 2>&1
has "hostapd's Accounting-Start gives alice's certificate a live session" \
	" live +alice +$ALICE +wired-test +127.0.0.1 +${SID:-no-Accounting-Start-seen} " "$TMP/sessions-alice"
# Revoked: the registry first, then a Disconnect-Request to hostapd, which answers ACK.
t0=$(date +%s%N)
cowork cert revoke "$ALICE" --reason key-compromise >"$TMP/revoke-alice" 2>&1
rc=$?
diag "cert revoke, registry change to hostapd's last ACK included: $((($(date +%s%N) - t0) / 1000000)) ms for" \
	"$(grep -c ': ACK' "$TMP/revoke-alice") session(s)"
[ $rc = 0 ] && ok "cert revoke of a connected certificate exits 0 (every NAS disconnected it)" ||
	not_ok "cert revoke of a connected certificate exits 0 (every NAS disconnected it)" "exit $rc" \
		"$(cat "$TMP/revoke-alice")"
has "... and reports hostapd's Disconnect-ACK" "wired-test \\(127.0.0.1 port $DAS_PORT\\) session [0-9A-F]+: ACK" \
	"$TMP/revoke-alice"
has "... hostapd matched the session and disconnected the station" \
	"RADIUS DAS: Found a matching session 02:00:00:00:01:06 - disconnecting" "$TMP/hostapd.log"
"$HOSTAPD_CLI" -p "$TMP/hostapd" -i "$IF_AP" sta 02:00:00:00:01:06 >"$TMP/nas-alice-after" 2>&1
lacks "... hostapd no longer holds her port authorized" "AUTHORIZED|dot1xAuthPaeState=AUTHENTICATED" \
	"$TMP/nas-alice-after"
i=0
while [ $i -lt 50 ] && cowork session list --serial "$ALICE" 2>/dev/null | grep -q " live "; do
	sleep 0.1
	i=$((i + 1))
done
cowork session list --serial "$ALICE" --all >"$TMP/sessions-alice" 2>&1
has "... and hostapd's Accounting-Stop ended the session" " ended +alice +$ALICE +wired-test " "$TMP/sessions-alice"
lacks "... no live session of hers is left" " live " "$TMP/sessions-alice"
lacks "the DAS secret is not in radiusd's log" "$DAS_SECRET" "$server_log"
lacks "... nor in coworkctl's output" "$DAS_SECRET" "$TMP/revoke-alice"
wpas_stop

# The check in the handshake off (eap_module = ""): only the registry check
# after the handshake (check-eap-tls). The
# revoked certificate is still refused (Access-Reject with EAP-Failure), but
# the supplicant has finished its TLS handshake by then. What does it report?
server_stop
server_config "$TMP/state" $PORT &&
	sed -i 's|^	eap_module = .*|	eap_module = ""|' "$CONF/mods-enabled/cowork" &&
	grep -q '^	eap_module = ""' "$CONF/mods-enabled/cowork" && server_run ||
	{ not_ok "radiusd restarts without the check in the handshake"; exit 1; }
attempt carol 02:00:00:00:01:05 15
diag "check in the handshake off, revoked certificate: the supplicant reported '$EAP_EVENT' within 15 s; its log:" \
	"$(sed -n '/Handshake finished/,$p' "$WPAS_LOG" |
		grep -E 'Handshake finished|methodState=DONE|EAP: Received EAP-|EAP entering state|CTRL-EVENT-EAP|SUPP_PAE entering' |
		head -n 12)" \
	"wpa_cli status: $(grep -E '^(suppPortStatus|EAP state)=' "$STATUS" | tr '\n' ' ')"
has "check in the handshake off: radiusd still refuses the revoked certificate after the handshake" \
	"reject \\(revoked\\): certificate $CAROL" "$server_log"
has "... the supplicant finished its TLS handshake first" "Handshake finished" "$WPAS_LOG"
has "... then received the EAP-Failure" "EAP: Received EAP-Failure" "$WPAS_LOG"
if [ "$EAP_EVENT" = none ]; then
	ok "... and discarded it: no CTRL-EVENT-EAP-FAILURE (nor success) within 15 s (the problem the check in the handshake fixes)"
else
	not_ok "... and discarded it: no CTRL-EVENT-EAP-FAILURE (nor success) within 15 s (the problem the check in the handshake fixes)" \
		"the supplicant reported $EAP_EVENT"
fi
has "... its port stays unauthorized" "^suppPortStatus=Unauthorized" "$STATUS"
wpas_stop

lacks "no crash or sanitizer report in radiusd's log" "(Segmentation|SIGSEGV|Assertion|AddressSanitizer|runtime error)" \
	"$server_log"
