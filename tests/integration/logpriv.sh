#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Privilege separation around STATE/log/ (issue 14). radiusd's user may
# write STATE/log/; an attacker who runs code as that user (a compromised
# radiusd) tries to make root's coworkctl act on files outside it:
#  1. a symbolic link renamed over accesslog.db (with inotify) while root
#     recreates the log, so that root's chown/chmod/open lands on a root file;
#  2. a planted hot journal whose super-journal names a file in a root-only
#     directory, which SQLite's rollback clean-up deletes with the opener's
#     rights;
# for every coworkctl command that touches log/. The canaries must keep
# owner, mode and content, and each command works or fails with a clear
# message. Also: coworkctl's work in log/ runs as log/'s owner, an older
# root-owned log/ is handed over, a symlinked or world-writable log/ and a
# state file owned by another user are refused, and `log export` CSV cells
# cannot run as spreadsheet formulas. No radiusd needed (no ports).
# Needs root (to be radiusd's user); skipped otherwise.
if [ "$(id -u)" != 0 ] || ! id freerad >/dev/null 2>&1; then
	echo "1..0 # SKIP needs root and Debian's freerad user"
	exit 0
fi
. "$top_srcdir/tests/integration/harness.sh"
LOGATTACK=${LOGATTACK:?run this through make check}

init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
LOGDIR=$STATE/log
LOG=$LOGDIR/accesslog.db
cowork vlan set --staff 10 --members 100-199 --shared 200 --guest 300 >/dev/null &&
	cowork ssid add CoworkMembers --class member >/dev/null && cowork member add alice >/dev/null &&
	cowork member add bob >/dev/null && mkdir -m 700 "$TMP/certs" && issue alice "$TMP/certs/alice" ||
	{ not_ok "registry set-up"; exit 1; }

# as_radiusd COMMAND...: run as radiusd's user, with its group only.
as_radiusd() {
	setpriv --reuid=freerad --regid=freerad --clear-groups "$@"
}

[ "$(stat -c '%U:%G %a' "$LOGDIR")" = "freerad:freerad 770" ] &&
	[ "$(stat -c '%U' "$LOG")" = freerad ] &&
	ok "init --group freerad: log/ and the access log belong to radiusd's user" ||
	not_ok "init --group freerad: log/ and the access log belong to radiusd's user" \
		"$(stat -c '%n %U:%G %a' "$LOGDIR" "$LOG")"

# The canaries: a root file anyone may read (a stand-in for /etc/passwd) and
# a file in a root-only directory.
mkdir -m 700 "$TMP/vault"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$TMP/passwd"
chmod 644 "$TMP/passwd"
printf 'precious\n' >"$TMP/vault/canary"
chmod 600 "$TMP/vault/canary"
canaries() {
	printf '%s %s\n' "$(stat -c '%U:%G %a' "$TMP/passwd" 2>&1)" "$(cat "$TMP/passwd" 2>&1)"
	printf '%s %s\n' "$(stat -c '%U:%G %a' "$TMP/vault/canary" 2>&1)" "$(cat "$TMP/vault/canary" 2>&1)"
}
canaries >"$TMP/canaries.want"

# intact DESC: the canaries are as they were, and radiusd's user cannot write the root file.
intact() {
	canaries >"$TMP/canaries.got"
	if ! cmp -s "$TMP/canaries.want" "$TMP/canaries.got"; then
		not_ok "$1" "canaries changed:" "$(diff "$TMP/canaries.want" "$TMP/canaries.got")"
	elif as_radiusd sh -c "echo 'evil::0:0::/:/bin/sh' >>'$TMP/passwd'" 2>/dev/null; then
		not_ok "$1" "radiusd's user could append to the root file"
	else
		ok "$1"
	fi
}

# clear_outcome DESC EXIT: the command's exit was 0 (or 3, status's "needs
# attention"), or 1 with a coworkctl message.
clear_outcome() {
	if [ "$2" = 0 ] || [ "$2" = 3 ] || { [ "$2" = 1 ] && grep -q '^coworkctl: ' "$TMP/err"; }; then
		ok "$1"
	else
		not_ok "$1" "exit $2" "$(tail -n 5 "$TMP/err")"
	fi
}

# Attack 1: the symlink swap, with inotify, while root recreates the access log.
i=0
while [ $i -lt 3 ]; do
	i=$((i + 1))
	as_radiusd rm -f "$LOG" "$LOG-journal" "$LOG-wal" "$LOG-shm" "$LOGDIR/.swap"
	as_radiusd "$LOGATTACK" swap "$LOGDIR" "$TMP/passwd" 3 >"$TMP/attack.out" 2>&1 &
	attacker=$!
	n=0
	while [ $n -lt 50 ] && ! grep -q ready "$TMP/attack.out"; do sleep 0.1; n=$((n + 1)); done
	cowork member list >"$TMP/out" 2>"$TMP/err"
	rc=$?
	wait $attacker
	diag "round $i: $(grep swaps "$TMP/attack.out"); member list exit $rc: $(head -n 2 "$TMP/err")"
	intact "symlink swap on accesslog.db, round $i: the root file keeps owner, mode and content"
	clear_outcome "symlink swap, round $i: member list works or fails clearly" $rc
done
as_radiusd rm -f "$LOG" "$LOG-journal" "$LOG-wal" "$LOG-shm" "$LOGDIR/.swap"
check "with the attacker gone, the access log is recreated" cowork member list
[ "$(stat -c '%U:%G' "$LOG")" = "freerad:freerad" ] &&
	ok "the recreated access log was made by radiusd's user, not root" ||
	not_ok "the recreated access log was made by radiusd's user, not root" "$(stat -c '%U:%G %a' "$LOG")"

# Attack 2: a planted hot journal naming the canary as its super-journal,
# before each command that reads or writes the access log.
plant() {
	[ -f "$TMP/vault/canary" ] || { printf 'precious\n' >"$TMP/vault/canary" && chmod 600 "$TMP/vault/canary"; }
	as_radiusd rm -f "$LOG-journal"
	as_radiusd "$LOGATTACK" journal "$LOG" "$TMP/vault/canary"
}
export_dir=$TMP/exports
mkdir -m 700 "$export_dir"
today=$(date +%Y-%m-%d)
k=0
while read -r what; do
	k=$((k + 1))
	plant || { not_ok "planting a hot journal"; continue; }
	# shellcheck disable=SC2086
	eval "cowork $what" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	intact "hot journal, then coworkctl $what: the canary survives"
	clear_outcome "hot journal, then coworkctl $what: works or fails clearly (exit $rc)" $rc
done <<EOF
log show
log show --json --all
log find --mac 02-00-00-00-00-01
log export --from $today --to $today --case INC-1 --out $export_dir/e1.csv
log export --from $today --to $today --case INC-2 --format json
log purge
session list --all
status
member list
cert revoke $SERIAL --no-disconnect
member suspend bob
EOF
as_radiusd rm -f "$LOG-journal"

# The same planted journal against the code path that runs as root would
# have deleted the canary: show that radiusd's own user cannot.
plant
as_radiusd "$SQLITE3" "$LOG" 'SELECT count(*) FROM access' >/dev/null 2>&1
[ -f "$TMP/vault/canary" ] && ok "radiusd's user opening the log with the planted journal cannot delete the canary" ||
	not_ok "radiusd's user opening the log with the planted journal cannot delete the canary"
as_radiusd rm -f "$LOG-journal"

# An older state: log/ and its files root's, writable by radiusd's group.
chown root:freerad "$LOGDIR" "$LOG"
chmod 770 "$LOGDIR"
chmod 660 "$LOG"
run_rc 0 "a root-owned, group-writable log/ (older state) still works" cowork log show
has "... and coworkctl says it handed log/ to radiusd's user" "log now belongs to radiusd's user" "$TMP/err"
[ "$(stat -c '%U' "$LOGDIR")" = freerad ] && ok "... log/ now belongs to freerad" ||
	not_ok "... log/ now belongs to freerad" "$(stat -c '%U:%G %a' "$LOGDIR")"

# log/ as a symbolic link, or writable by everyone: refused.
mv "$LOGDIR" "$TMP/realog"
ln -s "$TMP/realog" "$LOGDIR"
run_rc 1 "log/ as a symbolic link is refused" cowork log show
has "... saying why" "log is not a directory \(a symbolic link\?\)" "$TMP/err"
rm "$LOGDIR"
mv "$TMP/realog" "$LOGDIR"
chmod 777 "$LOGDIR"
run_rc 1 "a world-writable log/ is refused" cowork log show
has "... saying why and how to fix it" "writable by everyone.*chmod o-w" "$TMP/err"
chmod 770 "$LOGDIR"
check "log/ fixed: log show works again" cowork log show

# State files must belong to root (or the caller), not only have safe modes.
chown nobody "$STATE/registry.db"
run_rc 1 "a registry owned by another user is refused" cowork member list
has "... naming the file and the fix" "registry.db belongs to uid .*neither root nor you.*chown" "$TMP/err"
chown root "$STATE/registry.db"
chown nobody "$STATE/device.key"
run_rc 1 "a device key owned by another user is refused" cowork log show
chown root "$STATE/device.key"

# CSV export: NAS-chosen text that a spreadsheet would run as a formula.
now_ms=$(($(date +%s) * 1000))
as_radiusd "$SQLITE3" "$LOG" "INSERT INTO access (ts_ms, clock_synced, result, reason, class, nas, ssid)
	VALUES ($now_ms, 1, 'reject', 'bad-ssid', 'guest', '=HYPERLINK(\"http://x\",\"y\")', '+cmd|calc'),
	       ($now_ms, 1, 'reject', 'bad-ssid', 'guest', '@SUM(A1)', '-2+3'),
	       ($now_ms, 1, 'reject', 'bad-ssid', 'guest', 'ap-1', 'Cowork')" ||
	not_ok "inserting rows as radiusd's user"
run_rc 0 "log export --format csv of rows with formula-like NAS values" \
	cowork log export --from "$today" --to "$today" --case INC-3 --out "$export_dir/formula.csv"
has "a cell starting with = is quoted and begins with an apostrophe" "^.*,\"'=HYPERLINK\(\"\"http://x\"\",\"\"y\"\"\)\",\"'\+cmd[|]calc\"," \
	"$export_dir/formula.csv"
has "cells starting with @ and - are neutralised too" ",\"'@SUM\(A1\)\",\"'-2\+3\"," "$export_dir/formula.csv"
has "an ordinary cell is unchanged" ",ap-1,Cowork," "$export_dir/formula.csv"
lacks "no cell starts with a formula character" "(^|,)[=+@-]" "$export_dir/formula.csv"

rc=0
as_radiusd "$SQLITE3" "$LOG" 'PRAGMA integrity_check' >"$TMP/integrity" 2>&1 || rc=1
[ $rc = 0 ] && [ "$(cat "$TMP/integrity")" = ok ] && ok "the access log is intact after all this" ||
	not_ok "the access log is intact after all this" "$(cat "$TMP/integrity")"
