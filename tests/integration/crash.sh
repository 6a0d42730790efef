#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Crash safety (issue 7): radiusd killed with SIGKILL again and again under
# guest MAC-authentication load with the access log on, and coworkctl killed
# with SIGKILL in the middle of its registry writes.
#
# radiusd: each cycle runs tests/tools/radload (one NAS-Identifier per cycle,
# every Accept noted with its wall-clock time of receipt) and kills radiusd at
# a random moment. Afterwards both databases pass PRAGMA integrity_check and
# every Accept the client received more than LOSS_BOUND_MS before the kill has
# its access-log row (the same device hash, NAS and result). The module
# queues the row before the reply leaves, and the writer commits a batch at
# the latest log_flush_interval (100 ms) after its first row, plus the time
# of the commit itself; docs/design.md, "Access log minimality", states that bound.
#
# coworkctl: psk rotate --all (several SSIDs), cert revoke, member suspend
# and member remove (several certificates) are killed on entering each of
# their disk writes in turn (strace injects the SIGKILL), on a fresh copy of
# the same state each time. Afterwards the registry passes integrity_check,
# its relevant rows are exactly as before or exactly as after a complete run
# of the same command (per SSID for psk rotate --all), the same command then
# completes what was stopped, and the registry takes a further write.
. "$top_srcdir/tests/integration/harness.sh"

PORT=18400
SERVER_KILLS=${CRASH_SERVER_KILLS:-20}
FLUSH_MS=100
LOSS_BOUND_MS=$((FLUSH_MS + 400))	# flush interval + one commit on a loaded CI machine

# rnd N: a random integer 0..N-1.
rnd() {
	echo $(( $(od -An -N4 -tu4 /dev/urandom) % $1 ))
}

now_ms() {
	date +%s%3N
}

# integrity DB: "ok" from PRAGMA integrity_check (as radiusd's user for the log).
integrity() {
	case $1 in
	*accesslog.db) as_server "$SQLITE3" "$1" "PRAGMA integrity_check" 2>&1 ;;
	*) "$SQLITE3" "$1" "PRAGMA integrity_check" 2>&1 ;;
	esac
}

command -v python3 >/dev/null 2>&1 ||
	{ not_ok "python3 (scripts/install-deps.sh) is here to check the device hashes"; exit 1; }

init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
standard_space || { not_ok "registry set-up"; exit 1; }
LOGDB=$STATE/log/accesslog.db
server_config "$STATE" $PORT || { not_ok "radiusd configuration"; exit 1; }
grep -q "log_flush_interval" "$CONF/mods-enabled/cowork" &&
	{ not_ok "the shipped config keeps log_flush_interval at its default ($FLUSH_MS ms)"; exit 1; }

# --- radiusd killed under load -------------------------------------------------

bad_integrity=0
lost=0
lost_detail=
required=0
seen=0
cycles_with_load=0
start_fail=0
cycle=1
while [ $cycle -le "$SERVER_KILLS" ]; do
	if ! server_run; then
		start_fail=$((start_fail + 1))
		break
	fi
	"$RADLOAD" --server 127.0.0.1:$PORT --secret testing123 --stations 65536 --count 100000000 \
		--parallel 8 --timeout 500 --retries 1 --nas-id "crash-$cycle" --accepts "$TMP/accepts-$cycle" \
		>"$TMP/radload-$cycle.out" 2>&1 &
	load_pid=$!
	# A random moment 0.6..1.5 s into the load.
	d=$((600 + $(rnd 900)))
	sleep "$((d / 1000)).$(printf '%03d' $((d % 1000)))"
	kill_ms=$(now_ms)
	kill -9 "$server_pid"
	wait "$server_pid" 2>/dev/null
	server_pid=
	kill "$load_pid" 2>/dev/null
	wait "$load_pid" 2>/dev/null
	echo "$cycle $kill_ms" >>"$TMP/kills"
	r=$(integrity "$LOGDB")
	[ "$r" = ok ] || { bad_integrity=$((bad_integrity + 1)); diag "cycle $cycle: access log: $r"; }
	r=$(integrity "$STATE/registry.db")
	[ "$r" = ok ] || { bad_integrity=$((bad_integrity + 1)); diag "cycle $cycle: registry: $r"; }
	cycle=$((cycle + 1))
done
[ $start_fail = 0 ] && ok "radiusd restarts after each of $SERVER_KILLS SIGKILLs under load" ||
	not_ok "radiusd restarts after each of $SERVER_KILLS SIGKILLs under load" "it did not start after kill $((cycle - 1))"
[ $bad_integrity = 0 ] &&
	ok "after every kill of radiusd, PRAGMA integrity_check is ok on the access log and the registry" ||
	not_ok "after every kill of radiusd, PRAGMA integrity_check is ok on the access log and the registry" \
		"$bad_integrity failed checks"

# Every Accept received more than LOSS_BOUND_MS before its kill has its row.
as_server "$SQLITE3" -separator ' ' "$LOGDB" \
	"SELECT nas, hex(device), ts_ms FROM access WHERE result = 'accept' AND nas LIKE 'crash-%'" \
	>"$TMP/rows" 2>"$TMP/rows.err" || not_ok "reading the access log" "$(cat "$TMP/rows.err")"
python3 - "$STATE/device.key" "$TMP" "$LOSS_BOUND_MS" >"$TMP/check" 2>&1 <<'EOF'
import hmac, hashlib, os, sys
key = open(sys.argv[1], 'rb').read()
tmp, bound = sys.argv[2], int(sys.argv[3])
rows = set()
for line in open(os.path.join(tmp, 'rows')):
    nas, dev, ts = line.split()
    rows.add((nas, dev.lower()))
seen = required = lost = cycles = 0
missing_ages = []    # ms between each Accept without a row and its kill
worst = []
for line in open(os.path.join(tmp, 'kills')):
    i, kill = line.split()
    kill = int(kill)
    path = os.path.join(tmp, 'accepts-' + i)
    n_req = 0
    for acc in (open(path) if os.path.exists(path) else []):
        parts = acc.split()
        if len(parts) != 2:
            continue    # the last line, cut by the kill of radload
        mac, t = parts[0], int(parts[1])
        seen += 1
        dev = hmac.new(key, bytes.fromhex(mac.replace('-', '')), hashlib.sha256).hexdigest()
        if ('crash-' + i, dev) not in rows:
            missing_ages.append(kill - t)
        if t >= kill - bound:
            continue
        required += 1
        n_req += 1
        if ('crash-' + i, dev) not in rows:
            lost += 1
            worst.append('cycle %s: %s accepted %d ms before the kill has no row' % (i, mac, kill - t))
    cycles += n_req > 0
print('seen=%d required=%d lost=%d cycles=%d missing=%d oldest_missing_ms=%d' %
      (seen, required, lost, cycles, len(missing_ages), max(missing_ages, default=0)))
for w in worst[:10]:
    print(w)
EOF
set -- $(head -n 1 "$TMP/check" | tr '=' ' ')
seen=${2:-0} required=${4:-0} lost=${6:-x} cycles_with_load=${8:-0}
diag "Accepts received: $seen; received more than $LOSS_BOUND_MS ms before a kill: $required, in $cycles_with_load cycles;" \
	"without a row (lost in the kill): ${10:-?}, the oldest received ${12:-?} ms before its kill"
if [ "$seen" -gt 0 ] && [ "$cycles_with_load" -ge $((SERVER_KILLS * 3 / 4)) ]; then
	ok "the load was accepted before most kills ($cycles_with_load of $SERVER_KILLS cycles)"
else
	not_ok "the load was accepted before most kills ($cycles_with_load of $SERVER_KILLS cycles)" "$(cat "$TMP/check")" \
		"$(tail -n 3 "$TMP"/radload-*.out)"
fi
[ "$lost" = 0 ] &&
	ok "every Accept received more than $LOSS_BOUND_MS ms before a kill has its access-log row ($required rows)" ||
	not_ok "every Accept received more than $LOSS_BOUND_MS ms before a kill has its access-log row ($required rows)" \
		"$(cat "$TMP/check")"

server_run && ok "radiusd starts on the state after the last kill" ||
	not_ok "radiusd starts on the state after the last kill"
"$RADLOAD" --server 127.0.0.1:$PORT --secret testing123 --stations 10 --count 10 --parallel 2 \
	--nas-id crash-final >"$TMP/final.out" 2>&1
grep -q "accepted=10 " "$TMP/final.out" && ok "and accepts guests again (10 of 10)" ||
	not_ok "and accepts guests again (10 of 10)" "$(cat "$TMP/final.out")"
server_stop

# --- coworkctl killed in the middle of its writes ------------------------------

# The base state: three guest SSIDs without a passphrase, member m1 with a
# certificate, member m2 with four.
BASE=$TMP/base
cp -a "$STATE" "$BASE" && STATE=$BASE || { not_ok "copy of the state"; exit 1; }
for s in GuestA GuestB GuestC; do
	cowork ssid add $s --class guest >/dev/null || { not_ok "ssid add $s"; exit 1; }
done
cowork member add m1 >/dev/null && cowork member add m2 >/dev/null || { not_ok "member add"; exit 1; }
M1=$(cowork cert issue m1 --out "$TMP/m1" | sed -n 's/^serial: //p')
for k in 1 2 3 4; do
	cowork cert issue m2 --out "$TMP/m2-$k" >/dev/null || { not_ok "cert issue m2"; exit 1; }
done
[ -n "$M1" ] || { not_ok "cert issue m1"; exit 1; }

# rows DIR: the rows the commands change, without their timestamps.
rows() {
	"$SQLITE3" "$1/registry.db" \
		"SELECT 'psk', ssid, count(*) FROM guest_psk GROUP BY ssid ORDER BY ssid;
		 SELECT 'member', name, status FROM member ORDER BY name;
		 SELECT 'cert', serial, member_id, revoked_at IS NOT NULL, coalesce(revoke_reason, '-') FROM cert ORDER BY serial;
		 SELECT 'ocsp', serial FROM cert_ocsp ORDER BY serial;" 2>&1
}
"$SQLITE3" "$BASE/registry.db" "PRAGMA journal_mode" >"$TMP/jm"
diag "registry journal mode: $(cat "$TMP/jm")"

# per_ssid_ok: every SSID's passphrase rows in the killed registry are those
# of before or those of after, and nothing else differs from before. psk
# rotate --all rotates one SSID per transaction (each SSID is complete on its
# own, as its --notify-cmd runs after its commit); a rerun does the rest.
per_ssid_ok() {
	grep -v '^psk|' "$TMP/rows-killed" | cmp -s - "$TMP/rows-before.other" || return 1
	for s in CoworkGuest GuestA GuestB GuestC; do
		k=$(grep "^psk|$s|" "$TMP/rows-killed")
		[ "$k" = "$(grep "^psk|$s|" "$TMP/rows-before")" ] ||
			[ "$k" = "$(grep "^psk|$s|" "$TMP/rows-after")" ] || return 1
	done
}

# The system calls by which coworkctl (SQLite) changes files: a kill on
# entering each of them, in turn, leaves every state the disk can be in
# between two of its writes.
WRITE_CALLS=pwrite64,write,fdatasync,fsync,ftruncate,unlink,rename
MAX_POINTS=${CRASH_MAX_POINTS:-80}	# per command

# NO_LSAN CMD...: CMD with LeakSanitizer off (a sanitizer build's coworkctl
# under strace: LeakSanitizer cannot work under ptrace and would abort).
NO_LSAN() {
	ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" "$@"
}

# cli_kills UNIT NAME ARGS...: `coworkctl ARGS` on fresh copies of BASE,
# killed with SIGKILL (injected by strace) on entering its 1st, 2nd, ...
# pwrite64, its 1st, 2nd, ... fdatasync, and so on for every such call of a
# traced complete run (at most MAX_POINTS kills, evenly spread). UNIT is
# "whole" (one transaction: the registry must be wholly before or wholly
# after) or "ssid" (per_ssid_ok). After each kill the registry passes
# integrity_check, an incomplete change completes when the command is run
# again, and a further write (member add) works.
cli_kills() {
	unit=$1 name=$2
	shift 2
	rm -rf "$TMP/ref" && cp -a "$BASE" "$TMP/ref"
	rows "$BASE" >"$TMP/rows-before"
	grep -v '^psk|' "$TMP/rows-before" >"$TMP/rows-before.other"
	NO_LSAN strace -f -qq -o "$TMP/trace" -e trace=$WRITE_CALLS "$COWORKCTL" -d "$TMP/ref" "$@" >"$TMP/ref.out" 2>&1 ||
		{ not_ok "$name completes" "$(cat "$TMP/ref.out")"; return; }
	rows "$TMP/ref" >"$TMP/rows-after"
	if cmp -s "$TMP/rows-before" "$TMP/rows-after"; then
		not_ok "$name changes the registry" "$(cat "$TMP/rows-after")"
		return
	fi
	# "CALL K" for every write-class call of the run, in order. strace counts
	# K per process (coworkctl and its access-log worker): number them so.
	sed -n 's/^\([0-9]*\) *\([a-z0-9_]*\)(.*/\1 \2/p' "$TMP/trace" |
		awk '{ k = ++n[$1 " " $2]; if (!seen[$2 " " k]++) print $2, k }' >"$TMP/points.all"
	total=$(wc -l <"$TMP/points.all")
	awk -v t="$total" -v m="$MAX_POINTS" 't <= m || (NR - 1) % int((t + m - 1) / m) == 0' \
		"$TMP/points.all" >"$TMP/points"
	n=0 before=0 after=0 partial=0 half=0 corrupt=0 rerun_fail=0 next_fail=0 not_killed=0
	while read -r call k; do
		rm -rf "$TMP/work" && cp -a "$BASE" "$TMP/work"
		NO_LSAN strace -f -qq -o /dev/null -e trace=$WRITE_CALLS -e inject="$call":signal=KILL:when="$k" \
			"$COWORKCTL" -d "$TMP/work" "$@" >"$TMP/killed.out" 2>&1
		rc=$?
		# Killed in coworkctl, or in its access-log worker (a child: the command then stops, saying so).
		[ $rc -eq $((128 + 9)) ] || { [ $rc -eq 1 ] && grep -q 'access log worker died (signal 9)' "$TMP/killed.out"; } ||
			{ not_killed=$((not_killed + 1)); diag "$name at $call #$k: exit $rc, not killed" "$(cat "$TMP/killed.out")"; }
		r=$(integrity "$TMP/work/registry.db")
		[ "$r" = ok ] || { corrupt=$((corrupt + 1)); diag "$name at $call #$k: $r"; }
		rows "$TMP/work" >"$TMP/rows-killed"
		rerun=
		if cmp -s "$TMP/rows-killed" "$TMP/rows-before"; then
			before=$((before + 1)) rerun=1
		elif cmp -s "$TMP/rows-killed" "$TMP/rows-after"; then
			after=$((after + 1))
		elif [ "$unit" = ssid ] && per_ssid_ok; then
			partial=$((partial + 1)) rerun=1
		else
			half=$((half + 1))
			diag "$name at $call #$k: half-changed:" "$(diff "$TMP/rows-before" "$TMP/rows-killed")"
		fi
		if [ -n "$rerun" ]; then
			# Not done (or not for every SSID): the same command completes it.
			if ! "$COWORKCTL" -d "$TMP/work" "$@" >"$TMP/rerun.out" 2>&1 ||
			    ! rows "$TMP/work" | cmp -s - "$TMP/rows-after"; then
				rerun_fail=$((rerun_fail + 1))
				diag "$name at $call #$k, run again:" "$(cat "$TMP/rerun.out")" \
					"$(rows "$TMP/work" | diff "$TMP/rows-after" -)"
			fi
		fi
		"$COWORKCTL" -d "$TMP/work" member add "probe-$n" >"$TMP/next.out" 2>&1 &&
			[ "$("$SQLITE3" "$TMP/work/registry.db" "SELECT count(*) FROM member WHERE name = 'probe-$n'")" = 1 ] ||
			{ next_fail=$((next_fail + 1)); diag "$name at $call #$k: member add after it:" "$(cat "$TMP/next.out")"; }
		n=$((n + 1))
	done <"$TMP/points"
	some=
	[ "$unit" = ssid ] && some=", $partial with some SSIDs rotated"
	diag "$name: $total write calls ($(cut -d' ' -f1 "$TMP/points.all" | sort | uniq -c | tr -s ' ' | paste -sd,));" \
		"killed at $n of them: $before before it changed anything, $after after it was done$some"
	[ $n -gt 0 ] && [ $not_killed = 0 ] && ok "$name: killed at $n of its $total disk writes" ||
		not_ok "$name: killed at $n of its $total disk writes" "$not_killed runs were not killed"
	[ $corrupt = 0 ] && ok "$name killed $n times: PRAGMA integrity_check ok each time" ||
		not_ok "$name killed $n times: PRAGMA integrity_check ok each time" "$corrupt failed"
	if [ "$unit" = ssid ]; then
		desc="$name killed $n times: each SSID wholly before or wholly after"
	else
		desc="$name killed $n times: the registry is wholly before or wholly after"
	fi
	[ $half = 0 ] && ok "$desc" || not_ok "$desc" "$half half-changed"
	[ $before -gt 0 ] && [ $after -gt 0 ] && ok "$name: some kills came before its commit, some after" ||
		not_ok "$name: some kills came before its commit, some after" "$before before, $after after"
	[ $rerun_fail = 0 ] && ok "$name killed $n times: run again, it completes what the kill stopped" ||
		not_ok "$name killed $n times: run again, it completes what the kill stopped" "$rerun_fail failed"
	[ $next_fail = 0 ] && ok "$name killed $n times: the registry takes the next write" ||
		not_ok "$name killed $n times: the registry takes the next write" "$next_fail failed"
}

cli_kills ssid "psk rotate --all" psk rotate --all
cli_kills whole "cert revoke" cert revoke "$M1" --reason key-compromise --no-disconnect
cli_kills whole "member suspend" member suspend m2 --no-disconnect
cli_kills whole "member remove" member remove m2 --no-disconnect
