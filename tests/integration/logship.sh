#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# cowork-logship: a node's access log, written by a real radiusd, shipped to
# a real PostgreSQL (its own cluster, started here as the unprivileged user
# postgres on a loopback port). Every row arrives once: shipping again, a
# cursor set back, an outage of the central database (radiusd keeps
# accepting, rows wait), a second node; a log recreated under the same node
# name is refused; ids are never reused after a purge that empties the
# table; retention holds on both sides; coworkctl log show, find and export
# read every node's rows once `log central` names the database, and fail
# (never fall back to one node's rows) while it is down; the password never
# shows.
. "$top_srcdir/tests/integration/harness.sh"

PORT=18530
PGPORT=18533
DAY=86400000
LOGSHIP=${LOGSHIP:-$top_builddir/logship/cowork-logship}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
PGPASS=ShipSecretPw-7Hq2
STA=02-00-5e-10-20-30
GUEST=aa-bb-cc-00-11-22:CoworkGuest

if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
	not_ok "PostgreSQL's initdb (Debian package postgresql; scripts/install-deps.sh installs it)"
	exit 1
fi

# as_pg CMD...: as the cluster's owner (postgres when we are root).
as_pg() {
	if [ "$(id -u)" = 0 ]; then
		setpriv --reuid=postgres --regid=postgres --init-groups "$@"
	else
		"$@"
	fi
}

PGDATA=$TMP/pg
PGSOCK=$TMP/pgsock
pg_start() {
	as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGSOCK/pg.log" -w -t 30 \
		-o "-p $PGPORT -k $PGSOCK -c listen_addresses=127.0.0.1" start >/dev/null
}
pg_stop() {
	as_pg "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w -t 30 stop >/dev/null 2>&1
}
# psql_admin SQL: as the superuser over the socket; tuples only, unaligned.
psql_admin() {
	as_pg psql -X -q -At -h "$PGSOCK" -p $PGPORT -d cowork -v ON_ERROR_STOP=1 -c "$1"
}

shell_pid=$(exec sh -c 'echo $PPID')
cleanup() {
	[ "$(exec sh -c 'echo $PPID')" = "$shell_pid" ] || return 0
	[ -n "${ship_pid:-}" ] && kill "$ship_pid" 2>/dev/null
	pg_stop
}
trap 'cleanup; finish' EXIT

mkdir -p "$PGDATA" "$PGSOCK"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDATA" "$PGSOCK"
chmod 0700 "$PGDATA"
as_pg "$PGBIN/initdb" -N -D "$PGDATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 >"$TMP/initdb.log" 2>&1 &&
	pg_start && as_pg psql -X -q -h "$PGSOCK" -p $PGPORT -d postgres -c "CREATE DATABASE cowork" >/dev/null &&
	psql_admin "CREATE ROLE logship LOGIN PASSWORD '$PGPASS'" || {
	not_ok "a PostgreSQL cluster of our own"
	cat "$TMP/initdb.log" "$PGSOCK/pg.log" 2>/dev/null | tail -n 20 | sed 's/^/# /'
	exit 1
}
ok "a PostgreSQL cluster of our own on 127.0.0.1:$PGPORT, as an unprivileged user"

# Connection strings: the shipper's role (no right to create tables) and the
# superuser's for --init, in files radiusd's user owns, mode 0600.
conn_file() {
	printf '%s\n' "$2" >"$1"
	chmod 0600 "$1"
	[ -n "$RADIUS_USER" ] && chown "$RADIUS_USER" "$1"
	return 0
}
conn_file "$TMP/central" "host=127.0.0.1 port=$PGPORT dbname=cowork user=logship password=$PGPASS connect_timeout=5"
conn_file "$TMP/central-admin" "host=$PGSOCK port=$PGPORT dbname=cowork user=postgres"

init_state "$TMP/state" >/dev/null && standard_space >/dev/null || { not_ok "coworkctl init"; exit 1; }
STATE_A=$STATE
server_start "$STATE_A" $PORT || { not_ok "radiusd starts"; exit 1; }

# ship NAME ARGS...: cowork-logship as radiusd's user; output in $TMP/NAME.out, exit status returned.
ship() {
	sh_name=$1
	shift
	as_server "$LOGSHIP" "$@" >"$TMP/$sh_name.out" 2>&1
}
# guests N: N guest MAC authentications (each an accepted row).
guests() {
	g_i=0
	while [ $g_i -lt "$1" ]; do
		mac_auth "g$g_i" --mac "$STA" --called "$GUEST" || return 1
		g_i=$((g_i + 1))
	done
}
local_rows() {
	as_server "$SQLITE3" "$1/log/accesslog.db" "SELECT count(*) FROM access"
}
central_rows() {
	psql_admin "SELECT count(*) FROM access_log WHERE node = '$1'"
}
# wait_local STATE N: until radiusd's writer has N rows in STATE's log (at most 10 s; it writes in batches).
wait_local() {
	wl_i=0
	while [ $wl_i -lt 100 ]; do
		[ "$(local_rows "$1")" = "$2" ] && return 0
		sleep 0.1
		wl_i=$((wl_i + 1))
	done
	return 1
}
# wait_rows STATE NODE: until the central count of NODE equals the local count (at most 20 s).
wait_rows() {
	wr_i=0
	while [ $wr_i -lt 200 ]; do
		[ "$(central_rows "$2")" = "$(local_rows "$1")" ] && return 0
		sleep 0.1
		wr_i=$((wr_i + 1))
	done
	return 1
}

# --- refusals -----------------------------------------------------------------------
if [ "$(id -u)" = 0 ]; then
	"$LOGSHIP" -d "$STATE_A" --node a --central "$TMP/central" --once >"$TMP/root.out" 2>&1
	rc=$?
	[ $rc = 1 ] && grep -q "not as root" "$TMP/root.out" && ok "root is refused" || not_ok "root is refused (exit $rc)"
fi
ship usage -d "$STATE_A" --node "-bad" --central "$TMP/central" --once
[ $? = 2 ] && grep -q -- "--node takes" "$TMP/usage.out" && ok "a malformed --node is a usage error" ||
	not_ok "a malformed --node is a usage error"
ship usage2 -d "$STATE_A" --central "$TMP/central"
[ $? = 2 ] && ok "a missing --node is a usage error" || not_ok "a missing --node is a usage error"
ship usage3 -d "$STATE_A" --node a --central "$TMP/central" --batch 0
[ $? = 2 ] && grep -q -- "--batch takes" "$TMP/usage3.out" && ok "--batch 0 is a usage error" || not_ok "--batch 0"
chmod 0604 "$TMP/central"
ship readable -d "$STATE_A" --node a --central "$TMP/central" --once
[ $? = 1 ] && grep -q "must not be readable by others" "$TMP/readable.out" &&
	ok "a connection file others can read is refused" || not_ok "a connection file others can read is refused"
chmod 0600 "$TMP/central"
ship noinit -d "$STATE_A" --node a --central "$TMP/central" --once
[ $? = 1 ] && grep -q "no access-log tables: run cowork-logship --init" "$TMP/noinit.out" &&
	ok "an empty central database: refused, naming --init" || { not_ok "an empty central database"; cat "$TMP/noinit.out"; }
ship noright -d "$STATE_A" --node a --central "$TMP/central" --init
[ $? = 1 ] && grep -q "creating the central tables: .*permission denied" "$TMP/noright.out" &&
	ok "--init by a role without the right to create tables fails, clearly" ||
	{ not_ok "--init without the right"; cat "$TMP/noright.out"; }

# --- the first shipment ------------------------------------------------------------------
guests 4 || { not_ok "guest authentications"; exit 1; }
mac_auth suites --mac "$STA" --called "$GUEST" --raw 188:000fac02 --raw 186:000fac04
mac_auth bad --mac "$STA" --called "aa-bb-cc-00-11-22:NoSuchSsid"
wait_local "$STATE_A" 6 || not_ok "radiusd wrote 6 rows"
ship init -d "$STATE_A" --node a --central "$TMP/central-admin" --init
rc=$?
[ $rc = 0 ] && grep -q "central access log ready (schema 1)" "$TMP/init.out" &&
	[ "$(psql_admin "SELECT version FROM access_log_schema")" = 1 ] && [ "$(psql_admin "SELECT count(*) FROM access_log")" = 0 ] &&
	ok "--init creates the central tables (schema 1)" || { not_ok "--init (exit $rc)"; cat "$TMP/init.out"; }
psql_admin "GRANT SELECT, INSERT, DELETE ON access_log TO logship;
	GRANT SELECT, INSERT, UPDATE ON access_log_node TO logship; GRANT SELECT ON access_log_schema TO logship" ||
	not_ok "grants"
ship first -d "$STATE_A" --node a --central "$TMP/central" --once
rc=$?
n=$(local_rows "$STATE_A")
[ $rc = 0 ] && [ "$n" = 6 ] && [ "$(central_rows a)" = 6 ] && grep -q "node a: shipped 6 rows (6 new)" "$TMP/first.out" &&
	ok "the 6 rows radiusd wrote (5 accepts, 1 reject) arrive centrally" ||
	{ not_ok "first shipment (exit $rc, local $n, central $(central_rows a))"; cat "$TMP/first.out"; }

# The same rows, column for column.
as_server "$SQLITE3" -separator '|' "$STATE_A/log/accesslog.db" "SELECT id, ts_ms, clock_synced, result, reason, class,
	coalesce(member, ''), lower(hex(device)), coalesce(nas, ''), coalesce(ssid, ''), coalesce(vlan, ''),
	coalesce(serial, ''), coalesce(akm, ''), coalesce(cipher, '') FROM access ORDER BY id" >"$TMP/local.txt"
psql_admin "SELECT seq, ts_ms, CASE WHEN clock_synced THEN 1 ELSE 0 END, result, reason, class, coalesce(member, ''),
	encode(device, 'hex'), coalesce(nas, ''), coalesce(ssid, ''), coalesce(vlan::text, ''), coalesce(serial, ''),
	coalesce(akm::text, ''), coalesce(cipher::text, '') FROM access_log WHERE node = 'a' ORDER BY seq" >"$TMP/central.txt"
cmp -s "$TMP/local.txt" "$TMP/central.txt" && grep -q "|reject|bad-ssid|" "$TMP/central.txt" &&
	grep -q "|1027074|1027076$" "$TMP/central.txt" &&
	ok "... column for column, the reject and an AKM and cipher included" || { not_ok "... column for column"; diff "$TMP/local.txt" "$TMP/central.txt" | head; }

ship again -d "$STATE_A" --node a --central "$TMP/central" --once
[ $? = 0 ] && grep -q "shipped 0 rows (0 new)" "$TMP/again.out" && [ "$(central_rows a)" = 6 ] &&
	ok "shipping again sends nothing" || not_ok "shipping again"
psql_admin "UPDATE access_log_node SET shipped_seq = 0 WHERE node = 'a'"
ship rewound -d "$STATE_A" --node a --central "$TMP/central" --once
[ $? = 0 ] && grep -q "shipped 6 rows (0 new)" "$TMP/rewound.out" && [ "$(central_rows a)" = 6 ] &&
	ok "a cursor set back re-sends, and nothing is doubled" || { not_ok "cursor set back"; cat "$TMP/rewound.out"; }

# --- the central database down: radiusd does not wait, rows wait ----------------------------
pg_stop
guests 4 && ok "with the central database down, radiusd still accepts" || not_ok "radiusd accepts during the outage"
wait_local "$STATE_A" 10 || not_ok "radiusd wrote 10 rows"
ship down -d "$STATE_A" --node a --central "$TMP/central" --once
[ $? = 1 ] && grep -q "connecting to the central database" "$TMP/down.out" && [ "$(local_rows "$STATE_A")" = 10 ] &&
	ok "... a shipment then fails, clearly, and the 10 rows stay local" || { not_ok "shipment during the outage"; cat "$TMP/down.out"; }
as_server "$LOGSHIP" -d "$STATE_A" --node a --central "$TMP/central" --interval 1 >"$TMP/loop.out" 2>&1 &
ship_pid=$!
sleep 1
guests 3
wait_local "$STATE_A" 13 || not_ok "radiusd wrote 13 rows"
pg_start || not_ok "PostgreSQL restarts"
wait_rows "$STATE_A" a && [ "$(local_rows "$STATE_A")" = 13 ] &&
	ok "... when it is back, the running shipper delivers all 13 rows" ||
	{ not_ok "delivery after the outage (central $(central_rows a))"; cat "$TMP/loop.out"; }
[ "$(psql_admin "SELECT count(DISTINCT seq) FROM access_log WHERE node = 'a'")" = 13 ] &&
	ok "... none doubled" || not_ok "... none doubled"
stop_pid "$ship_pid" 50
ship_pid=
grep -q "rows wait in the local log; retrying" "$TMP/loop.out" && grep -q "shipping again" "$TMP/loop.out" &&
	ok "... and said so (rows waiting, then shipping again)" || { not_ok "the shipper's messages"; cat "$TMP/loop.out"; }

# --- ids are never reused, even after a purge that empties the table --------------------------
max=$(as_server "$SQLITE3" "$STATE_A/log/accesslog.db" "SELECT max(id) FROM access")
as_server "$SQLITE3" "$STATE_A/log/accesslog.db" "DELETE FROM access"
guests 1
wait_local "$STATE_A" 1 || not_ok "radiusd wrote the new row"
id=$(as_server "$SQLITE3" "$STATE_A/log/accesslog.db" "SELECT max(id) FROM access")
ship reuse -d "$STATE_A" --node a --central "$TMP/central" --once
[ "$id" -gt "$max" ] && grep -q "shipped 1 row (1 new)" "$TMP/reuse.out" && [ "$(central_rows a)" = 14 ] &&
	ok "after the table was emptied, the next row gets a new id ($id > $max) and is shipped" ||
	{ not_ok "id reuse ($id after $max)"; cat "$TMP/reuse.out"; }

# --- a second node; a new log under a node name already used ------------------------------------
server_stop
init_state "$TMP/state-b" >/dev/null && standard_space >/dev/null || not_ok "second state"
STATE_B=$STATE
# Nodes of one space share the device key, so that a device has one hash everywhere.
cp -p "$STATE_A/device.key" "$STATE_B/device.key"
PORT=18536
server_start "$STATE_B" $PORT || { not_ok "second radiusd starts"; exit 1; }
guests 2
wait_local "$STATE_B" 2 || not_ok "the second radiusd wrote 2 rows"
ship copied -d "$STATE_B" --node a --central "$TMP/central" --once
[ $? = 1 ] && grep -q 'node "a" already ships from another access log' "$TMP/copied.out" && [ "$(central_rows a)" = 14 ] &&
	ok "another log under node name a is refused; nothing of it inserted" || { not_ok "node name reuse"; cat "$TMP/copied.out"; }
ship nodeb -d "$STATE_B" --node b --central "$TMP/central" --once
[ $? = 0 ] && [ "$(central_rows b)" = 2 ] && [ "$(central_rows a)" = 14 ] &&
	ok "node b ships its 2 rows beside node a's 14" || { not_ok "node b"; cat "$TMP/nodeb.out"; }

# --- retention on both sides ---------------------------------------------------------------------
OLD=$(($(date +%s) * 1000 - 200 * DAY))
as_server "$SQLITE3" "$STATE_B/log/accesslog.db" "INSERT INTO access (ts_ms, clock_synced, result, reason, class)
	VALUES ($OLD, 1, 'reject', 'bad-ssid', 'guest')"
psql_admin "INSERT INTO access_log (node, seq, ts_ms, clock_synced, result, reason, class)
	VALUES ('old', 1, $OLD, true, 'reject', 'bad-ssid', 'guest')"
ship retention -d "$STATE_B" --node b --central "$TMP/central" --once
[ $? = 0 ] && [ "$(central_rows b)" = 2 ] && [ "$(central_rows old)" = 0 ] &&
	grep -q "central rows past retention deleted: 1" "$TMP/retention.out" &&
	ok "a row past retention is not shipped, and one centrally is deleted" || { not_ok "retention"; cat "$TMP/retention.out"; }

# --- coworkctl log reads the central log -------------------------------------------------------------
run_rc 2 "log central with a relative path is a usage error" cowork log central central.conf
chmod 0604 "$TMP/central"
run_rc 1 "log central refuses a file others can read" cowork log central "$TMP/central"
chmod 0600 "$TMP/central"
cowork log show --all --json >"$TMP/before.json" 2>&1
! grep -q '"node"' "$TMP/before.json" && ok "... and nothing changed: log show still reads the local log" ||
	not_ok "... log show still reads the local log"
run_rc 0 "log central FILE: checked and kept" cowork log central "$TMP/central"
cowork log central >"$TMP/nodes.out" 2>&1
grep -Eq '^a +[0-9]+ .* 14$' "$TMP/nodes.out" && grep -Eq '^b +[0-9]+ .* 2$' "$TMP/nodes.out" &&
	ok "log central lists each node with its shipped rows" || { not_ok "log central's nodes"; cat "$TMP/nodes.out"; }
cowork log show --all --json >"$TMP/all.json"
/usr/bin/python3 -c '
import json, sys
rows = json.load(open(sys.argv[1]))["rows"] if isinstance(json.load(open(sys.argv[1])), dict) else json.load(open(sys.argv[1]))
nodes = [r.get("node") for r in rows]
sys.exit(0 if len(rows) == 16 and nodes.count("a") == 14 and nodes.count("b") == 2 else 1)' "$TMP/all.json" &&
	ok "log show --all: every node's 16 rows, each with its node" || { not_ok "log show from the central log"; head -c 600 "$TMP/all.json"; }
cowork log show --all --local --json >"$TMP/local.json"
! grep -q '"node"' "$TMP/local.json" && grep -q '"CoworkGuest"' "$TMP/local.json" &&
	ok "log show --local: this server's own rows" || not_ok "log show --local"
cowork log show --all >"$TMP/all.txt"
head -n 1 "$TMP/all.txt" | grep -q '^NODE ' && grep -q '^b  ' "$TMP/all.txt" && ok "... the table has a NODE column" ||
	{ not_ok "... the table has a NODE column"; head -n 3 "$TMP/all.txt"; }
want=$(psql_admin "SELECT count(*) FROM access_log WHERE device = (SELECT device FROM access_log WHERE node = 'b'
	AND device IS NOT NULL LIMIT 1)")
cowork log find --mac "$STA" --json >"$TMP/find.json"
[ "$(grep -o '"node":' "$TMP/find.json" | wc -l)" = "$want" ] && grep -q '"node":"a"' "$TMP/find.json" &&
	grep -q '"node":"b"' "$TMP/find.json" && ok "log find --mac: the device's $want rows on both nodes (one device key)" ||
	{ not_ok "log find on the central log (want $want)"; head -c 400 "$TMP/find.json"; }
cowork log export --from 2020-01-01 --to 2099-12-31 --case INC-CENTRAL --out "$TMP/central-export.csv" 2>"$TMP/export.err"
rc=$?
[ $rc = 0 ] && head -n 1 "$TMP/central-export.csv" | grep -q '^node,time,' &&
	[ "$(tail -n +2 "$TMP/central-export.csv" | wc -l)" = 16 ] && grep -q "exported 16 rows for case INC-CENTRAL" "$TMP/export.err" &&
	ok "log export: 16 rows of both nodes, node first" || { not_ok "central export (exit $rc)"; cat "$TMP/export.err"; }
cowork log show --exports >"$TMP/exports.out"
grep -q "INC-CENTRAL.*all, all nodes" "$TMP/exports.out" && ok "... recorded, saying all nodes" ||
	{ not_ok "... recorded"; cat "$TMP/exports.out"; }
pg_stop
cowork log show --all >"$TMP/down-show.out" 2>&1
rc=$?
[ $rc = 1 ] && grep -q "the central access log .*--local reads this server's own log" "$TMP/down-show.out" &&
	ok "central log down: log show fails, naming --local (no silent fall-back to one node's rows)" ||
	{ not_ok "log show with the central log down (exit $rc)"; cat "$TMP/down-show.out"; }
cowork log export --from 2020-01-01 --to 2099-12-31 --case INC-DOWN --out "$TMP/down-export.csv" >/dev/null 2>&1
[ $? = 1 ] && [ ! -e "$TMP/down-export.csv" ] && ! cowork log show --exports | grep -q INC-DOWN &&
	ok "... and an export fails before anything is written or recorded" || not_ok "export with the central log down"
run_rc 0 "log show --local works meanwhile" cowork log show --local
pg_start || not_ok "PostgreSQL restarts"
run_rc 0 "log central --off" cowork log central --off
cowork log show --all --json >"$TMP/off.json"
! grep -q '"node"' "$TMP/off.json" && ok "... log show reads the local log again" || not_ok "... local again"

# --- the password never shows ----------------------------------------------------------------------
if grep -rlF -- "$PGPASS" "$TMP"/*.out "$TMP"/*.err "$TMP"/*.json "$TMP"/*.txt "$server_log" 2>/dev/null | grep -q .; then
	not_ok "the password appears in an output"
else
	ok "the password appears in no output of the shipper or radiusd"
fi
