#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark (not a test): does rlm_cowork's guest path slow down as the
# registry and the access log grow, and while `coworkctl log purge` deletes
# a large backlog?
#
# Part 1, growth: one radiusd per data set, all running, measured in
# alternating rounds with radload (CPU per request from /proc/PID/stat,
# p50/p99 latency):
#   members sweep: MEMBERS (default 1000 100000 1000000) members with one
#   certificate each, empty access log;
#   log sweep: 1000 members and LOGROWS (default 1000000 10000000) access-log
#   rows, timestamps spread evenly over the retention period plus 10 days
#   (so the server's writer has rows past retention to delete as it goes).
# Part 2, purge: PURGE_ROWS (default 5000000) rows past retention plus
# PURGE_KEEP (default 1000000) within it; p99 of load runs while
# `coworkctl log purge` runs, against load runs before and after it.
# Bar: p99 during the purge <= 2 x without.
#
# Data sets are generated with SQL (recursive CTEs, one transaction each)
# straight into the files `coworkctl init` made.
#
# Usage (from make bench): REQUESTS=20000 ROUNDS=3 sh tests/bench/guest_growth.sh
# Ports: 18303, 18306, ... (each rlm_cowork server takes auth, acct, OCSP).
. "$top_srcdir/tests/integration/harness.sh"
. "$top_srcdir/tests/bench/guest_common.sh"

REQUESTS=${REQUESTS:-20000}
ROUNDS=${ROUNDS:-3}
PARALLEL=${PARALLEL:-32}
MEMBERS=${MEMBERS:-1000 100000 1000000}
LOGROWS=${LOGROWS:-1000000 10000000}
PURGE_ROWS=${PURGE_ROWS:-5000000}
PURGE_KEEP=${PURGE_KEEP:-1000000}
PURGE_REQUESTS=${PURGE_REQUESTS:-5000}
PURGE_MAX_S=${PURGE_MAX_S:-300}
RETENTION_DAYS=180
NOW_MS=$(($(date +%s) * 1000))
DAY_MS=86400000

# The base state: CA, VLAN plan, guest SSID and passphrase.
init_state "$TMP/base" >/dev/null &&
vlan_plan &&
cowork ssid add CoworkGuest --class guest >/dev/null &&
cowork tenant add Bench >/dev/null 2>&1
cowork psk rotate --ssid CoworkGuest >/dev/null || { not_ok "set-up"; exit 1; }

# add_members STATE N: N active members, each with one certificate.
add_members() {
	now=$((NOW_MS / 1000))
	"$SQLITE3" "$1/registry.db" <<SQLTEXT
PRAGMA synchronous = OFF;
BEGIN;
INSERT OR IGNORE INTO tenant (id, name, vlan, created_at) VALUES (1000000, 'bench', 189, $now);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
INSERT INTO member (id, name, tenant_id, status, valid_from, valid_until, until_date, created_at)
	SELECT 1000000 + i, 'bench-member-' || i, 1000000, 'active', $now - 86400, NULL, NULL, $now - 86400 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
INSERT INTO cert (serial, member_id, subject, issuer, not_before, not_after, sha256, issued_at)
	SELECT printf('%x', 1099511627776 + i), 1000000 + i, 'CN=bench-member-' || i, 'CN=Bench CA',
		$now - 86400, $now + 365 * 86400, printf('%064x', i), $now - 86400 FROM n;
COMMIT;
SQLTEXT
}

# add_log STATE N FROM_MS TO_MS: N access-log rows, evenly spread from
# FROM_MS to TO_MS (oldest first), a third of them members'.
add_log() {
	"$SQLITE3" "$1/log/accesslog.db" <<SQLTEXT
PRAGMA synchronous = OFF;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $2 - 1)
INSERT INTO access (ts_ms, clock_synced, clock_error_us, result, reason, class, member, device, nas, ssid, vlan,
		serial)
	SELECT $3 + i * (($4 - $3) / $2), 1, 2000, 'accept', 'accept',
		CASE i % 3 WHEN 0 THEN 'member' ELSE 'guest' END,
		CASE i % 3 WHEN 0 THEN CAST(1000000 + i % 1000 AS TEXT) END,
		randomblob(32), 'bench-ap', CASE i % 3 WHEN 0 THEN 'CoworkMembers' ELSE 'CoworkGuest' END,
		CASE i % 3 WHEN 0 THEN 189 ELSE 300 END,
		CASE i % 3 WHEN 0 THEN printf('%x', 1099511627776 + i % 1000) END
	FROM n;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
SQLTEXT
}

# make_state NAME MEMBERS LOGROWS [PURGE_ROWS]: a copy of the base state
# grown by SQL; prints the generation time.
make_state() {
	st=$TMP/$1
	cp -a "$TMP/base" "$st"
	t0=$(date +%s.%N)
	add_members "$st" "$2" >/dev/null || return 1
	if [ "${4:-0}" -gt 0 ]; then
		# The backlog: rows from 400 days ago to just past retention, then the kept ones.
		add_log "$st" "$4" $((NOW_MS - 400 * DAY_MS)) $((NOW_MS - (RETENTION_DAYS + 1) * DAY_MS)) >/dev/null || return 1
	fi
	if [ "$3" -gt 0 ]; then
		if [ "${4:-0}" -gt 0 ]; then
			add_log "$st" "$3" $((NOW_MS - RETENTION_DAYS * DAY_MS + DAY_MS)) $NOW_MS >/dev/null || return 1
		else
			add_log "$st" "$3" $((NOW_MS - (RETENTION_DAYS + 10) * DAY_MS)) $NOW_MS >/dev/null || return 1
		fi
	fi
	[ -n "$RADIUS_USER" ] && chown -R --reference="$TMP/base/log" "$st/log" && chmod 0660 "$st"/log/*
	t1=$(date +%s.%N)
	echo "$t0 $t1" | awk -v n="$1" '{ printf "# generated %s in %.1f s\n", n, $2 - $1 }'
}

# start_setup NAME PORT: radiusd with rlm_cowork on $TMP/NAME; sets PID_<NAME>.
SETUP_PIDS=
start_setup() {
	server_pid=
	CONF=$TMP/raddb-$1
	# One copy of the module for all: overwriting it under a running radiusd would crash it.
	if [ ! -f "$TMP/lib/rlm_cowork.so" ]; then
		mkdir -p "$TMP/lib"
		cp "$top_builddir/rlm_cowork/.libs/rlm_cowork.so" "$TMP/lib/"
		chmod 0755 "$TMP/lib"
	fi
	sh "$top_srcdir/scripts/mkconfdir.sh" --src "$top_srcdir" --state "$TMP/$1" --confdir "$CONF" \
		--libdir "$TMP/lib" --auth-port "$2" --acct-port "$(($2 + 1))" ${RADIUS_USER:+--user "$RADIUS_USER"} || return 1
	server_run || { SETUP_PIDS="$SETUP_PIDS $server_pid"; server_pid=; return 1; }
	SETUP_PIDS="$SETUP_PIDS $server_pid"
	# Its own log (radiusd keeps writing to the renamed file).
	mv "$server_log" "$TMP/radiusd-$1.log"
	server_log=$TMP/radiusd-$1.log
	eval "PID_$1=$server_pid"
	eval "PORT_$1=$2"
	server_pid=
}
trap 'kill $SETUP_PIDS 2>/dev/null; finish' EXIT

# Part 1: the data sets and their servers.
SETUPS=
port=18303
for m in $MEMBERS; do
	name=m$m
	make_state $name "$m" 0 || { not_ok "generate $name"; exit 1; }
	start_setup $name $port || { not_ok "radiusd on $name"; exit 1; }
	SETUPS="$SETUPS $name"
	port=$((port + 3))
done
for l in $LOGROWS; do
	name=l$l
	make_state $name 1000 "$l" || { not_ok "generate $name"; exit 1; }
	start_setup $name $port || { not_ok "radiusd on $name"; exit 1; }
	SETUPS="$SETUPS $name"
	port=$((port + 3))
done

for s in $SETUPS; do
	eval "pid=\$PID_$s port=\$PORT_$s"
	load "$pid" "$port" 200
	[ "$LOAD_ACCEPTED" -eq 200 ] || { not_ok "$s accepts the guests" "$(cat "$TMP/radload.out")"; exit 1; }
	load "$pid" "$port" $((REQUESTS / 4))
done

echo
echo "Growth: guest path, $REQUESTS requests per run, $ROUNDS rounds"
# log rows: after the run; past ret.: of them, older than the retention (the writer deletes 500 a batch).
printf '%-6s %-10s %11s %9s %9s %11s %8s %8s\n' round "data set" "members" "log rows" "past ret." "us/request" "p50 us" "p99 us"
: >"$TMP/rounds"
r=0
while [ $r -lt "$ROUNDS" ]; do
	r=$((r + 1))
	# Rotate the order each round.
	order=$(echo $SETUPS | tr ' ' '\n' | awk -v r=$r '{ a[NR] = $0 } END { for (i = 0; i < NR; i++) print a[(i + r) % NR + 1] }')
	for s in $order; do
		eval "pid=\$PID_$s port=\$PORT_$s"
		load "$pid" "$port" "$REQUESTS"
		cutoff=$((($(date +%s) - RETENTION_DAYS * 86400) * 1000))
		rows=$("$SQLITE3" "$TMP/$s/log/accesslog.db" "SELECT count(*), (SELECT count(*) FROM access WHERE ts_ms < $cutoff) FROM access" 2>/dev/null)
		members=$("$SQLITE3" "$TMP/$s/registry.db" 'SELECT count(*) FROM member')
		printf '%-6s %-10s %11s %9s %9s %11s %8s %8s\n' $r $s "$members" "${rows%|*}" "${rows#*|}" \
			"$(us_per_request "$LOAD_TICKS" "$LOAD_ANSWERED")" "$LOAD_P50" "$LOAD_P99"
		echo "$s $LOAD_TICKS $LOAD_ANSWERED $LOAD_P50 $LOAD_P99" >>"$TMP/rounds"
	done
done
echo
awk -v tick="$TICK" -v setups="$SETUPS" '
	{ t[$1] += $2; a[$1] += $3; n[$1]++; p50[$1, n[$1]] = $4; p99[$1, n[$1]] = $5 }
	function median(arr, s, k,   i, j, v, tmp) {
		for (i = 1; i <= k; i++) v[i] = arr[s, i]
		for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { tmp = v[i]; v[i] = v[j]; v[j] = tmp }
		return v[int((k + 1) / 2)]
	}
	END {
		k = split(setups, s, " ")
		printf "%-10s %11s %8s %8s %8s\n", "data set", "us/request", "p50 us", "p99 us", "ratio"
		for (i = 1; i <= k; i++) {
			us = t[s[i]] / tick / a[s[i]] * 1e6
			if (i == 1) base = us
			if (us > worst) worst = us
			printf "%-10s %11.1f %8d %8d %8.2f\n", s[i], us, median(p50, s[i], n[s[i]]), median(p99, s[i], n[s[i]]), us / base
		}
		printf "\ngrowth: guest path CPU per request from the smallest data set (%s) to the largest: at most %.2f x\n",
			s[1], worst / base
	}' "$TMP/rounds"
growth_short=
for s in $SETUPS; do
	got=$(awk -v s=$s '$1 == s { a += $3 } END { print a + 0 }' "$TMP/rounds")
	guest_requests_ok "$got" $((REQUESTS * ROUNDS)) || growth_short="$growth_short $s:$got"
done

# Part 2: the purge. The growth servers are stopped first (memory, CPU).
kill $SETUP_PIDS 2>/dev/null
sleep 1
SETUP_PIDS=
make_state purge 1000 "$PURGE_KEEP" "$PURGE_ROWS" || { not_ok "generate the purge backlog"; exit 1; }
start_setup purge 18303 || { not_ok "radiusd on the purge data set"; exit 1; }
load "$PID_purge" "$PORT_purge" $((PURGE_REQUESTS / 2))

echo
echo "Purge: $PURGE_ROWS rows past retention, $PURGE_KEEP within; $PURGE_REQUESTS requests per run"
CUTOFF_MS=$((($(date +%s) - RETENTION_DAYS * 86400) * 1000))
echo "# rows past retention before the purge: $("$SQLITE3" "$TMP/purge/log/accesslog.db" "SELECT count(*) FROM access WHERE ts_ms < $CUTOFF_MS")"
printf '%-8s %5s %11s %8s %8s\n' phase run us/request "p50 us" "p99 us"
: >"$TMP/purge.rounds"
# purge_runs PHASE N: N load runs (0: while the purge process lives, at most PURGE_MAX_S).
purge_runs() {
	i=0
	started=$(date +%s)
	while :; do
		if [ "$2" -gt 0 ]; then
			[ $i -lt "$2" ] || break
		else
			kill -0 "$PURGE_PID" 2>/dev/null || break
			[ $(($(date +%s) - started)) -lt "$PURGE_MAX_S" ] || break
		fi
		i=$((i + 1))
		LOAD_DUMP=$TMP/lat.run load "$PID_purge" "$PORT_purge" "$PURGE_REQUESTS"
		cat "$TMP/lat.run" >>"$TMP/lat.$1"
		printf '%-8s %5s %11s %8s %8s\n' "$1" $i "$(us_per_request "$LOAD_TICKS" "$LOAD_ANSWERED")" \
			"$LOAD_P50" "$LOAD_P99"
		echo "$1 $LOAD_TICKS $LOAD_ANSWERED $LOAD_P50 $LOAD_P99" >>"$TMP/purge.rounds"
	done
}
: >"$TMP/lat.before"; : >"$TMP/lat.during"; : >"$TMP/lat.after"
purge_runs before 3
t0=$(date +%s.%N)
STATE=$TMP/purge cowork log purge >"$TMP/purge.out" 2>&1 &
PURGE_PID=$!
purge_runs during 0
wait "$PURGE_PID"
purge_rc=$?
t1=$(date +%s.%N)
purge_runs after 3
echo "$t0 $t1" | awk '{ printf "# log purge took %.1f s: ", $2 - $1 }'
cat "$TMP/purge.out"
echo
awk -v tick="$TICK" '
	{ t[$1] += $2; a[$1] += $3; k = ++n[$1]; p99[$1, k] = $5; if ($1 != "during") { nb++; base[nb] = $5 } }
	function sorted_median(v, k,   i, j, tmp) {
		for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { tmp = v[i]; v[i] = v[j]; v[j] = tmp }
		return v[int((k + 1) / 2)]
	}
	END {
		for (i = 1; i <= n["during"]; i++) { d[i] = p99["during", i]; if (d[i] > dmax) dmax = d[i] }
		without = sorted_median(base, nb); during = sorted_median(d, n["during"])
		printf "%-8s %11s %8s\n", "phase", "us/request", "p99 us"
		printf "%-8s %11.1f %8d (median of the runs before and after)\n", "without", (t["before"] + t["after"]) / tick / (a["before"] + a["after"]) * 1e6, without
		if (n["during"]) printf "%-8s %11.1f %8d (median of %d runs; worst %d)\n", "during", t["during"] / tick / a["during"] * 1e6, during, n["during"], dmax
		if (n["during"] == 0 || without == 0) { print "\npurge: no load run completed during the purge"; exit }
		printf "\npurge: p99 during log purge %d us, without %d us: ratio %.2f (bar <= 2: %s); worst run during %.2f\n",
			during, without, during / without, during / without <= 2 ? "met" : "MISSED", dmax / without
	}' "$TMP/purge.rounds"
# Every request of a phase pooled: its p99 over all of them.
pooled_p99() { sort -n "$@" | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR * 99 + 99) / 100)]; else print 0 }'; }
P99_WITHOUT=$(pooled_p99 "$TMP/lat.before" "$TMP/lat.after")
P99_DURING=$(pooled_p99 "$TMP/lat.during")
echo "$P99_DURING $P99_WITHOUT" | awk '{ printf "purge, all requests pooled: p99 during %d us, without %d us: ratio %.2f (bar <= 2: %s)\n", $1, $2, $2 ? $1 / $2 : 0, $2 && $1 / $2 <= 2 ? "met" : "MISSED" }'
echo "# access-log rows left after the purge: $("$SQLITE3" "$TMP/purge/log/accesslog.db" 'SELECT count(*) FROM access'), past retention: $("$SQLITE3" "$TMP/purge/log/accesslog.db" "SELECT count(*) FROM access WHERE ts_ms < $CUTOFF_MS")"

if [ -n "$growth_short" ]; then
	not_ok "every growth setup answered the requests" "$growth_short"
else
	ok "every growth setup answered the requests"
fi
if [ "$purge_rc" -eq 0 ]; then ok "log purge ran"; else not_ok "log purge ran" "$(cat "$TMP/purge.out")"; fi
