# SPDX-License-Identifier: GPL-2.0-or-later
# harness.sh - shared by the integration tests: TAP output, a scratch
# directory, a real radiusd with rlm_cowork on loopback, and eapol_test.
#
# Source it from a test script; make check sets top_srcdir, top_builddir,
# FREERADIUS, EAPOL_TEST, RADCLIENT, OPENSSL, SQLITE3 (and RADIUSD_PRELOAD in
# a sanitizer build: the sanitizer runtimes and tests/integration/nodeepbind). Every wait is bounded, so nothing here can hang CI.

set -u

: "${top_srcdir:?run this through make check}"
: "${top_builddir:?run this through make check}"
FREERADIUS=${FREERADIUS:-freeradius}
EAPOL_TEST=${EAPOL_TEST:-eapol_test}
RADCLIENT=${RADCLIENT:-radclient}
OPENSSL=${OPENSSL:-openssl}
SQLITE3=${SQLITE3:-sqlite3}
RADIUSD_PRELOAD=${RADIUSD_PRELOAD:-}
COWORKCTL=$top_builddir/coworkctl/coworkctl

TMP=$(mktemp -d "${TMPDIR:-/tmp}/cowork-test.XXXXXX")
# radiusd may run as freerad: it must be able to reach the files in here.
chmod 0755 "$TMP"

tap_n=0
tap_failed=0
server_pid=
server_log=

# As root, run radiusd as Debian's freerad user, exactly as installed; the
# state directory then gets `init --group freerad`. Otherwise run as ourselves.
if [ "$(id -u)" = 0 ] && id freerad >/dev/null 2>&1; then
	RADIUS_USER=freerad
else
	RADIUS_USER=
fi

diag() {
	printf '%s\n' "$@" | sed 's/^/# /'
}

ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1"
}

not_ok() {
	tap_n=$((tap_n + 1))
	tap_failed=$((tap_failed + 1))
	echo "not ok $tap_n - $1"
	shift
	[ $# -gt 0 ] && diag "$@"
	server_log_tail
}

# check DESC COMMAND...: passes when the command succeeds.
check() {
	desc=$1
	shift
	if "$@" >"$TMP/check.out" 2>&1; then
		ok "$desc"
	else
		not_ok "$desc" "command failed: $*" "$(tail -n 20 "$TMP/check.out")"
	fi
}

# run_rc RC DESC COMMAND...: passes when the command exits with RC; its
# output stays in $TMP/out and $TMP/err.
run_rc() {
	want=$1
	desc=$2
	shift 2
	"$@" >"$TMP/out" 2>"$TMP/err"
	got=$?
	if [ "$got" = "$want" ]; then
		ok "$desc"
	else
		not_ok "$desc" "expected exit $want, got $got: $*" "stdout: $(tail -n 10 "$TMP/out")" \
			"stderr: $(tail -n 10 "$TMP/err")"
	fi
}

# has DESC PATTERN FILE: passes when FILE has a line matching the extended regex.
has() {
	if grep -Eq -- "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1" "no line matching /$2/ in $3:" "$(tail -n 20 "$3")"
	fi
}

# lacks DESC PATTERN FILE: passes when no line of FILE matches.
lacks() {
	if grep -Eq -- "$2" "$3"; then
		not_ok "$1" "unexpected line matching /$2/ in $3:" "$(grep -E -- "$2" "$3" | head -n 5)"
	else
		ok "$1"
	fi
}

# dump_registry: the registry of $STATE as SQL (to compare before and after).
dump_registry() {
	"$SQLITE3" "$STATE/registry.db" .dump
}

# refused RC DESC PATTERN COMMAND...: the command exits RC, its stderr
# matches PATTERN (extended regex) and the registry dump is unchanged.
refused() {
	rf_want=$1
	rf_desc=$2
	rf_pat=$3
	shift 3
	dump_registry >"$TMP/before.sql" 2>&1
	"$@" >"$TMP/out" 2>"$TMP/err"
	rf_got=$?
	dump_registry >"$TMP/after.sql" 2>&1
	if [ "$rf_got" != "$rf_want" ]; then
		not_ok "$rf_desc" "expected exit $rf_want, got $rf_got: $*" "stderr: $(tail -n 5 "$TMP/err")"
	elif ! grep -Eq -- "$rf_pat" "$TMP/err"; then
		not_ok "$rf_desc" "stderr lacks /$rf_pat/:" "$(tail -n 5 "$TMP/err")"
	elif ! cmp -s "$TMP/before.sql" "$TMP/after.sql"; then
		not_ok "$rf_desc" "the registry changed:" "$(diff "$TMP/before.sql" "$TMP/after.sql" | head -n 10)"
	else
		ok "$rf_desc"
	fi
}

# The test shell's own pid ($$ stays the parent's in a subshell). A plan
# printed twice made psk_cli.sh fail twice in a day's full runs under -j2
# ("multiple test plans"), right at its loop of background coworkctl runs
# sent SIGTERM: finish had run in a forked copy of this shell. finish acts
# only in the test shell, whatever forked copy reaches it.
harness_pid=$(exec sh -c 'echo $PPID')

finish() {
	[ "$(exec sh -c 'echo $PPID')" = "$harness_pid" ] || return 0
	server_stop
	echo "1..$tap_n"
	if [ "$tap_failed" -eq 0 ]; then
		rm -rf "$TMP"
	else
		diag "kept $TMP for inspection"
	fi
}
trap finish EXIT

# cowork ARGS...: coworkctl on the test's state directory ($STATE).
cowork() {
	"$COWORKCTL" -d "$STATE" "$@"
}

# init_state DIR [ORG]: a fresh state directory readable by radiusd's user
# (organisation "Test Space" unless ORG).
init_state() {
	STATE=$1
	if [ -n "$RADIUS_USER" ]; then
		cowork init --org "${2:-Test Space}" --server-name radius.test.example --group "$RADIUS_USER"
	else
		cowork init --org "${2:-Test Space}" --server-name radius.test.example
	fi
}

# The registry most tests start from, in steps, on $STATE (after init_state);
# each is quiet and fails on the first coworkctl command that fails.

# vlan_plan: staff VLANs 10 and 20, tenants 100-189, shared members 190, guests 300.
vlan_plan() {
	cowork vlan set --staff 10,20 --members 100-189 --shared 190 --guest 300 >/dev/null
}

# add_members NAME...: `member add NAME` for each (no tenant, no end date).
add_members() {
	for am_name in "$@"; do
		cowork member add "$am_name" >/dev/null || return 1
	done
}

# member_space [MEMBER...]: the VLAN plan, the SSID CoworkMembers (class
# member) and MEMBERs.
member_space() {
	vlan_plan && cowork ssid add CoworkMembers --class member >/dev/null && add_members "$@"
}

# base_space: the VLAN plan and the two SSIDs, CoworkMembers (member) and
# CoworkGuest (guest, no passphrase yet).
base_space() {
	vlan_plan && cowork ssid add CoworkMembers --class member >/dev/null &&
		cowork ssid add CoworkGuest --class guest >/dev/null
}

# standard_space [MEMBER...]: base_space, a passphrase on CoworkGuest
# (`psk rotate`) and MEMBERs.
standard_space() {
	base_space && cowork psk rotate --ssid CoworkGuest >/dev/null && add_members "$@"
}

# as_server CMD...: run CMD as radiusd's user (ourselves when not root), so
# that the SQLite files it makes beside the access log stay radiusd's.
as_server() {
	if [ -n "$RADIUS_USER" ]; then
		setpriv --reuid="$RADIUS_USER" --regid="$RADIUS_USER" --init-groups "$@"
	else
		"$@"
	fi
}

# issue MEMBER [DIR [ARGS...]]: `cert issue MEMBER ARGS...` into DIR
# ($CERTS/MEMBER unless given); its serial is left in $SERIAL.
issue() {
	is_member=$1
	is_dir=${2:-$CERTS/$1}
	shift
	[ $# -gt 0 ] && shift
	SERIAL=$(cowork cert issue "$is_member" --out "$is_dir" "$@" | sed -n 's/^serial: //p')
	[ -n "$SERIAL" ]
}

# audit_item ID FIELD: a field of `coworkctl audit --json`'s item ID, read from $TMP/audit.json; evidence joined by " | ".
audit_item() {
	/usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
it = [i for i in d["items"] if i["id"] == sys.argv[2]][0]
v = it[sys.argv[3]]
print(" | ".join(v) if isinstance(v, list) else v)' "$TMP/audit.json" "$1" "$2"
}

# passphrase SSID: the passphrase `psk show` prints (what reception reads out).
passphrase() {
	cowork psk show --ssid "$1" | sed -n 's/^passphrase  //p'
}

server_log_tail() {
	[ -n "$server_log" ] && [ -f "$server_log" ] || return 0
	diag "--- last 100 lines of radiusd's log ($server_log) ---" "$(tail -n 100 "$server_log")"
}

# server_config STATE AUTH_PORT: generate the config dir $CONF for radiusd
# on 127.0.0.1:AUTH_PORT (and AUTH_PORT + 1 for accounting), from the
# shipped raddb files. A test may edit $CONF before server_run.
server_config() {
	CONF=$TMP/raddb
	AUTH_PORT=$2
	rm -rf "$CONF"
	# A copy of the module where radiusd's user can surely read it.
	mkdir -p "$TMP/lib"
	cp "$top_builddir/rlm_cowork/.libs/rlm_cowork.so" "$TMP/lib/"
	chmod 0755 "$TMP/lib"
	sh "$top_srcdir/scripts/mkconfdir.sh" --src "$top_srcdir" --state "$1" --confdir "$CONF" \
		--libdir "$TMP/lib" --auth-port "$2" --acct-port "$(($2 + 1))" ${RADIUS_USER:+--user "$RADIUS_USER"}
}

# wait_started PID LOG PATTERN TENTHS: wait at most TENTHS tenths of a
# second until LOG has a line matching PATTERN (0); 1 when PID ended first
# or the time ran out.
wait_started() {
	ws_i=0
	while [ $ws_i -lt "$4" ]; do
		grep -q "$3" "$2" 2>/dev/null && return 0
		kill -0 "$1" 2>/dev/null || return 1
		sleep 0.1
		ws_i=$((ws_i + 1))
	done
	return 1
}

# server_run [FLAGS]: start radiusd on $CONF in the foreground (default
# flags "-f -l stdout": multi-threaded; "-X" for a debug run), waiting at
# most 20 s until it is ready.
server_run() {
	server_log=$TMP/radiusd.log
	: >"$server_log"
	if [ -n "$RADIUSD_PRELOAD" ]; then
		# The sanitizer runtimes go into the uninstrumented radiusd (after the
		# shim, hence no link-order check); its own allocations are not ours
		# to judge, so no leak check there.
		LD_PRELOAD="$RADIUSD_PRELOAD" \
			ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0:verify_asan_link_order=0" \
			"$FREERADIUS" ${1:--f -l stdout} -d "$CONF" >"$server_log" 2>&1 &
	else
		"$FREERADIUS" ${1:--f -l stdout} -d "$CONF" >"$server_log" 2>&1 &
	fi
	server_pid=$!
	wait_started "$server_pid" "$server_log" "Ready to process requests" 200 && return 0
	diag "radiusd did not start"
	server_log_tail
	return 1
}

# server_start STATE AUTH_PORT: server_config and server_run in one.
server_start() {
	server_config "$1" "$2" && server_run
}

server_running() {
	[ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null
}

# stop_pid PID TENTHS: SIGTERM to our child PID, SIGKILL after TENTHS tenths
# of a second; its exit status.
stop_pid() {
	kill "$1" 2>/dev/null
	sp_i=0
	while kill -0 "$1" 2>/dev/null && [ $sp_i -lt "$2" ]; do
		sleep 0.1
		sp_i=$((sp_i + 1))
	done
	kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# Stop radiusd (SIGTERM, then SIGKILL after 5 s).
server_stop() {
	[ -n "$server_pid" ] || return 0
	stop_pid "$server_pid" 50
	server_pid=
}

# unhex: "313030" -> "100" (eapol_test prints attribute values in hex).
unhex() {
	awk '{
		out = ""
		for (i = 1; i < length($0); i += 2) {
			hi = index("0123456789abcdef", substr($0, i, 1)) - 1
			lo = index("0123456789abcdef", substr($0, i + 1, 1)) - 1
			out = out sprintf("%c", hi * 16 + lo)
		}
		print out
	}'
}

# eap NAME CERT KEY SSID [PHASE1]: one EAP-TLS authentication with
# eapol_test as an AP on SSID would make it. Exit status 0 on
# Access-Accept. The log is $TMP/eapol-NAME.log; the VLAN of the Accept
# (Tunnel-Private-Group-Id) is left in $VLAN ("" if none).
eap() {
	name=$1
	cfg=$TMP/eapol-$name.conf
	cat >"$cfg" <<EOF
network={
	key_mgmt=WPA-EAP
	eap=TLS
	identity="$name"
	ca_cert="$STATE/ca/ca.pem"
	client_cert="$2"
	private_key="$3"
	domain_match="radius.test.example"
	phase1="${5:-}"
}
EOF
	eapol_run "$name" "$cfg" "$4"
}

# eapol_run NAME CONFIG SSID: one authentication with eapol_test reading
# CONFIG, as an AP on SSID would make it. Exit status 0 on Access-Accept.
# The log is $TMP/eapol-NAME.log; the VLAN of the Accept is left in $VLAN.
# The station's MAC (Calling-Station-Id) is $EAPOL_MAC when set (eapol_test
# -M), else eapol_test's own 02:00:00:00:00:01.
eapol_run() {
	"$EAPOL_TEST" -c "$2" -a 127.0.0.1 -p "$AUTH_PORT" -s testing123 -t 10 ${EAPOL_MAC:+-M "$EAPOL_MAC"} \
		-N "30:s:02-00-00-00-00-AA:$3" >"$TMP/eapol-$1.log" 2>&1
	rc=$?
	VLAN=$(awk '/Access-Accept/ { accept = 1 }
		accept && /Attribute 81 \(Tunnel-Private-Group-Id\)/ { getline; sub(/.*Value: /, ""); print; exit }' \
		"$TMP/eapol-$1.log" | unhex)
	return $rc
}

# eap_accept DESC VLAN NAME CERT KEY SSID [PHASE1]: expect an Accept on VLAN.
eap_accept() {
	desc=$1
	want=$2
	shift 2
	eap "$@"
	accepted "$desc" "$want" "$1" $?
}

# eapol_accept DESC VLAN NAME CONFIG SSID: expect an Accept on VLAN with
# eapol_test reading CONFIG as it is.
eapol_accept() {
	eapol_run "$3" "$4" "$5"
	accepted "$1" "$2" "$3" $?
}

# accepted DESC VLAN NAME RC: report an authentication (log eapol-NAME.log,
# exit status RC) that should have ended in an Accept on VLAN.
accepted() {
	if [ "$4" != 0 ]; then
		not_ok "$1" "expected Access-Accept" "$(grep -E 'FAILURE|EAP: Status|Access-Reject' "$TMP/eapol-$3.log" | tail -n 5)"
	elif [ "$VLAN" != "$2" ]; then
		not_ok "$1" "expected VLAN $2, got '$VLAN'"
	else
		ok "$1"
	fi
}

# eap_reject DESC NAME CERT KEY SSID [PHASE1]: expect no Accept.
eap_reject() {
	desc=$1
	shift
	if eap "$@"; then
		not_ok "$desc" "expected a reject, got Access-Accept (VLAN '$VLAN')"
	elif grep -q "Access-Accept" "$TMP/eapol-$1.log"; then
		not_ok "$desc" "an Access-Accept was sent"
	else
		ok "$desc"
	fi
}

# --- MAC authentication with our own client (tests/tools/radtest) ---

RADTEST=${RADTEST:-$top_builddir/tests/tools/radtest}
# The load generator (crash.sh, concurrency.sh and the guest benchmarks).
RADLOAD=${RADLOAD:-$top_builddir/tests/tools/radload}

# mac_auth NAME [radtest options]: one request as hostapd sends it; the
# decoded reply is in $TMP/NAME.out, radtest's exit status is returned.
mac_auth() {
	name=$1
	shift
	"$RADTEST" --server 127.0.0.1:$PORT --secret testing123 --timeout 3000 "$@" >"$TMP/$name.out" 2>"$TMP/$name.err"
}

# field NAME KEY: the values of KEY= lines in NAME's reply, one per line.
field() {
	sed -n "s/^$2=//p" "$TMP/$1.out"
}

# expect_reject NAME DESC [radtest options]: an Access-Reject without any
# passphrase, with a valid Message-Authenticator.
expect_reject() {
	name=$1
	desc=$2
	shift 2
	mac_auth "$name" "$@"
	if [ "$(field "$name" code)" = Access-Reject ] && [ -z "$(field "$name" tunnel_password)" ] &&
		[ -z "$(field "$name" cisco_avpair)$(field "$name" aruba_mpsk)" ] &&
		[ "$(field "$name" message_authenticator)" = ok ]; then
		ok "$desc"
	else
		not_ok "$desc" "reply: $(cat "$TMP/$name.out")"
	fi
}
