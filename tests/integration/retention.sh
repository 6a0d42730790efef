#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Retention without cron and without traffic: an idle radiusd (no request,
# no coworkctl command) deletes access log rows and sessions past retention
# on its own timer (log_purge_interval), ends stale sessions (clearing their
# User-Name and MAC), and truncates the WAL, so that none of it survives in
# the bytes of accesslog.db or accesslog.db-wal. Rows and sessions within
# retention stay. log_purge_interval out of bounds stops radiusd.
. "$top_srcdir/tests/integration/harness.sh"

PORT=18450
DAY=86400000

init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
LOG=$STATE/log/accesslog.db

# sql STATEMENTS: sqlite3 on the access log as radiusd's user (root never opens it).
sql() {
	as_server "$SQLITE3" "$LOG" "$@"
}

# logbytes: how many of the markers given as arguments the files still hold.
logbytes() {
	cat "$LOG" "$LOG-wal" 2>/dev/null >"$TMP/logbytes"
	lb_n=0
	for lb_m in "$@"; do
		grep -aqF -- "$lb_m" "$TMP/logbytes" && lb_n=$((lb_n + 1))
	done
	echo $lb_n
}

# Old and new rows, as radiusd would have written them (the default retention is 180 days).
NOW=$(($(date +%s) * 1000))
OLD=$((NOW - 200 * DAY))
MARKERS="RetentionOldNasMarker RetentionOldSsidMarker EndedSessionNasMarker StaleUserMarker 02-AB-CD-EF-12-34"
sql "INSERT INTO access (ts_ms, clock_synced, result, reason, class, nas, ssid)
	VALUES ($OLD, 1, 'reject', 'bad-ssid', 'guest', 'RetentionOldNasMarker', 'RetentionOldSsidMarker'),
	       ($OLD + 1000, 1, 'reject', 'bad-ssid', 'guest', 'RetentionOldNasMarker', 'RetentionOldSsidMarker'),
	       ($NOW - $DAY, 1, 'accept', 'accept', 'guest', 'RetentionKeepNas', 'RetentionKeepSsid');
INSERT INTO session (nas_address, nas, acct_session_id, user_name, calling_station, member, serial, started_ms,
	updated_ms, stopped_ms)
	VALUES ('127.0.0.1', 'EndedSessionNasMarker', 'ended-1', NULL, NULL, 'alice', '0A', $OLD, $OLD, $OLD),
	       ('127.0.0.1', 'ap-1', 'stale-1', 'StaleUserMarker', '02-AB-CD-EF-12-34', 'alice', '0A', $NOW - 4 * $DAY,
		$NOW - 3 * $DAY, NULL),
	       ('127.0.0.1', 'ap-1', 'live-1', 'LiveUserKeep', '02-00-00-00-00-77', 'bob', '0B', $NOW - 3600000,
		$NOW - 60000, NULL);" || { not_ok "old and new rows inserted"; exit 1; }
n=$(logbytes $MARKERS)
[ "$n" = 5 ] && ok "before radiusd runs, every marker is in the file's bytes (the check below means something)" ||
	not_ok "before radiusd runs, every marker is in the file's bytes (the check below means something)" "found $n of 5"

# Out of bounds is a hard error, not a clamp.
for bad in 0 3601; do
	server_config "$TMP/state" $PORT &&
		sed -i "s|^cowork {|cowork {\n\tlog_purge_interval = $bad|" "$CONF/mods-enabled/cowork"
	if server_run >/dev/null 2>&1; then
		not_ok "log_purge_interval = $bad: radiusd refuses to start"
		server_stop
	else
		server_stop
		has "log_purge_interval = $bad: radiusd refuses to start, saying why" "log_purge_interval must be 1 to 3600" \
			"$server_log"
	fi
done

server_config "$TMP/state" $PORT && sed -i "s|^cowork {|cowork {\n\tlog_purge_interval = 1|" "$CONF/mods-enabled/cowork" &&
	server_run || { not_ok "radiusd starts with log_purge_interval = 1"; exit 1; }

# No request, no coworkctl: only radiusd's timer can do it. Poll the bytes (no SQLite
# reader meanwhile: it could hold the WAL) for at most 20 s.
i=0
while [ $i -lt 100 ] && [ "$(logbytes $MARKERS)" != 0 ]; do
	sleep 0.2
	i=$((i + 1))
done
for m in $MARKERS; do
	n=$(cat "$LOG" "$LOG-wal" 2>/dev/null | grep -acF -- "$m")
	[ "$n" = 0 ] && ok "idle radiusd: \"$m\" is gone from accesslog.db and accesslog.db-wal within 20 s" ||
		not_ok "idle radiusd: \"$m\" is gone from accesslog.db and accesslog.db-wal within 20 s" \
			"$n lines hold it: $(cat "$LOG" "$LOG-wal" 2>/dev/null | strings | grep -F -- "$m" | head -n 3)" \
			"rows: $(sql 'SELECT ts_ms, nas FROM access; SELECT * FROM session' 2>&1)"
done
sz=$(stat -c %s "$LOG-wal" 2>/dev/null || echo 0)
[ "$sz" = 0 ] && ok "... and the WAL is truncated" || not_ok "... and the WAL is truncated" "size $sz"

[ "$(sql "SELECT count(*), group_concat(nas) FROM access")" = "1|RetentionKeepNas" ] &&
	ok "the row within retention stays, and only it" ||
	not_ok "the row within retention stays, and only it" "$(sql 'SELECT ts_ms, nas, ssid FROM access' 2>&1)"
[ "$(sql "SELECT count(*) FROM session WHERE acct_session_id = 'ended-1'")" = 0 ] &&
	ok "the session that ended 200 days ago is deleted" || not_ok "the session that ended 200 days ago is deleted"
[ "$(sql "SELECT user_name IS NULL, calling_station IS NULL, stopped_ms FROM session WHERE acct_session_id = 'stale-1'")" = \
	"1|1|$((NOW - 3 * DAY))" ] && ok "the session silent for 3 days ended where last heard of, its User-Name and MAC cleared" ||
	not_ok "the session silent for 3 days ended where last heard of, its User-Name and MAC cleared" \
		"$(sql "SELECT * FROM session WHERE acct_session_id = 'stale-1'" 2>&1)"
[ "$(sql "SELECT user_name, calling_station, stopped_ms IS NULL FROM session WHERE acct_session_id = 'live-1'")" = \
	"LiveUserKeep|02-00-00-00-00-77|1" ] && ok "the live session heard of a minute ago is untouched" ||
	not_ok "the live session heard of a minute ago is untouched" \
		"$(sql "SELECT * FROM session WHERE acct_session_id = 'live-1'" 2>&1)"

server_running && ok "radiusd is still running" || not_ok "radiusd is still running"
lacks "radiusd's log has no error and no access log warning" \
	"(Error|ERROR|access log|Segmentation|SIGSEGV|Assertion|AddressSanitizer|runtime error)" "$server_log"
