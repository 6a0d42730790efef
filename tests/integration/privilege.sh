#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Privilege (issue 7): radiusd cannot change the registry (the module opens
# it read-only, and the modes `coworkctl init --group freerad` sets make a
# write impossible for radiusd's user; it cannot read the CA key either),
# and coworkctl refuses a state directory, registry, certificate or key that
# another user could write, or a CA key others can read, naming the file
# and the fix. Needs root (to be radiusd's user); skipped otherwise.
# Ports: 18430 (auth), 18431 (acct).
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP not root: cannot act as radiusd's user"
	exit 0
fi
. "$top_srcdir/tests/integration/harness.sh"

PORT=18430

init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
cowork member add alice >/dev/null && cowork ssid add CoworkGuest --class guest >/dev/null &&
	cowork psk rotate --ssid CoworkGuest >/dev/null || { not_ok "registry set-up"; exit 1; }
server_start "$TMP/state" $PORT || { not_ok "radiusd starts"; exit 1; }

# as_radiusd COMMAND...: run as radiusd's user.
as_radiusd() {
	runuser -u "$RADIUS_USER" -- "$@"
}

# The registry descriptors radiusd holds are read-only (O_ACCMODE 0 in fdinfo's octal flags).
fds=0
writable=0
for fd in /proc/$server_pid/fd/*; do
	[ "$(readlink "$fd")" = "$STATE/registry.db" ] || continue
	fds=$((fds + 1))
	flags=$(sed -n 's/^flags:[[:space:]]*//p' "/proc/$server_pid/fdinfo/${fd##*/}")
	[ $((0$flags & 3)) -ne 0 ] && writable=$((writable + 1))
done
[ $fds -gt 0 ] && [ $writable = 0 ] && ok "radiusd holds the registry open read-only ($fds descriptors, none writable)" ||
	not_ok "radiusd holds the registry open read-only" "$fds descriptors, $writable writable"

before=$(dump_registry)
if as_radiusd "$SQLITE3" "$STATE/registry.db" "UPDATE member SET status = 'suspended'" >"$TMP/w.out" 2>&1; then
	not_ok "radiusd's user cannot write the registry" "the UPDATE succeeded"
else
	ok "radiusd's user cannot write the registry ($(head -n 1 "$TMP/w.out"))"
fi
[ "$(dump_registry)" = "$before" ] && ok "... and the registry is unchanged" || not_ok "... and the registry is unchanged"
as_radiusd sh -c ": >'$STATE/registry.db-journal'" 2>/dev/null && not_ok "radiusd's user cannot create files in the state directory" ||
	ok "radiusd's user cannot create files in the state directory (no journal to forge)"
rm -f "$STATE/registry.db-journal"
as_radiusd cat "$STATE/ca/ca.key" >/dev/null 2>&1 && not_ok "radiusd's user cannot read the CA key" ||
	ok "radiusd's user cannot read the CA key"
as_radiusd sh -c ": >>'$STATE/ca/ca.pem'" 2>/dev/null && not_ok "radiusd's user cannot change the CA certificate" ||
	ok "radiusd's user cannot change the CA certificate"
as_radiusd "$SQLITE3" "$STATE/registry.db" "SELECT count(*) FROM member" >"$TMP/r.out" 2>&1 &&
	[ "$(cat "$TMP/r.out")" = 1 ] && ok "radiusd's user can read the registry (what it needs)" ||
	not_ok "radiusd's user can read the registry (what it needs)" "$(cat "$TMP/r.out")"

# coworkctl refuses what another user could tamper with.
# loose MODE PATH DESC PATTERN COMMAND...: with PATH at MODE the command is refused, nothing changes.
loose() {
	old=$(stat -c %a "$2")
	chmod "$1" "$2"
	mode=$1
	path=$2
	desc=$3
	pat=$4
	shift 4
	refused 1 "$desc" "$pat" "$@"
	chmod "$old" "$path"
}
loose 0770 "$STATE" "a group-writable state directory is refused" \
	"state directory $STATE is writable by its group \\(mode 770\\).*chmod go-w $STATE" cowork member add bob
loose 0757 "$STATE" "a world-writable state directory is refused" "writable by everyone" cowork psk rotate --ssid CoworkGuest --force
loose 0660 "$STATE/registry.db" "a group-writable registry is refused" \
	"file $STATE/registry.db is writable by its group.*chmod go-w $STATE/registry.db" cowork member suspend alice
loose 0770 "$STATE/ca" "a group-writable CA directory is refused" "$STATE/ca is writable by its group" cowork cert issue alice \
	--out "$TMP"
loose 0666 "$STATE/ca/ca.pem" "a world-writable CA certificate is refused" "$STATE/ca/ca.pem is writable by everyone" \
	cowork cert issue alice --out "$TMP"
loose 0660 "$STATE/server/server.key" "a group-writable server key is refused" "server.key is writable by its group" \
	cowork member list
loose 0640 "$STATE/ca/ca.key" "a CA key its group can read is refused" "CA key $STATE/ca/ca.key is accessible to group or others.*chmod 600" \
	cowork cert issue alice --out "$TMP"
loose 0604 "$STATE/ca/ca.key" "a CA key everyone can read is refused" "accessible to group or others \\(mode 604\\)" \
	cowork crl --out "$TMP/crl.pem"
[ ! -e "$TMP/alice.key" ] && [ ! -e "$TMP/crl.pem" ] && ok "... and nothing was written by the refused commands" ||
	not_ok "... and nothing was written by the refused commands" "$(ls "$TMP")"
loose 0770 "$STATE" "log commands refuse it too" "writable by its group" cowork log show
run_rc 0 "with the modes restored, coworkctl works again" cowork member list
server_running && ok "radiusd is still running" || not_ok "radiusd is still running"
