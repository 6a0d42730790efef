#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Benchmark (not a test): server CPU per MAC-authentication request and
# latency, three setups answering the same requests from radload, measured
# in one run with the setups alternating round by round:
#   files   stock FreeRADIUS, `files` with a static reply (the floor);
#   sql     the DIY way: stock rlm_sql with rlm_sql_sqlite looks up the
#           SSID's current passphrase and VLAN in a table and writes a row
#           per request in post-auth;
#   cowork  rlm_cowork's guest path with its access log.
# Bar: cowork <= 1.15 x files, and below sql.
#
# The load generator is the bottleneck on a small machine, so the figure is
# radiusd's CPU time (utime + stime of all threads, /proc/PID/stat) per
# answered request, not the wall-clock rate.
#
# Usage (from make bench): REQUESTS=20000 ROUNDS=5 PARALLEL=32 sh tests/bench/guest_compare.sh
# (PERF_DIR=DIR also records a perf profile of each server: see below.)
# Ports 18300..18302 (rlm_cowork: auth, acct, OCSP), 18310, 18312.
. "$top_srcdir/tests/integration/harness.sh"
. "$top_srcdir/tests/bench/guest_common.sh"

REQUESTS=${REQUESTS:-20000}
ROUNDS=${ROUNDS:-5}
PARALLEL=${PARALLEL:-32}
STATIONS=${STATIONS:-1000}
PORT_COWORK=18300
PORT_FILES=18310
PORT_SQL=18312

init_state "$TMP/state" >/dev/null &&
vlan_plan &&
cowork ssid add CoworkGuest --class guest >/dev/null &&
cowork psk rotate --ssid CoworkGuest >/dev/null || { not_ok "set-up"; exit 1; }
PSK=$(cowork psk show --ssid CoworkGuest | sed -n 's/^passphrase  //p')

# rlm_cowork, as shipped (access log on).
server_config "$TMP/state" $PORT_COWORK && server_run || { not_ok "radiusd with rlm_cowork"; exit 1; }
COWORK_PID=$server_pid
COWORK_CONF=$CONF
FILES_PID= SQL_PID=
trap 'kill $FILES_PID $SQL_PID 2>/dev/null; finish' EXIT

# Stock FreeRADIUS: `files` with the same reply for every station.
FILES=$TMP/files
stock_confdir "$FILES" "$COWORK_CONF"
mkdir -p "$FILES/mods-config/files"
cat >"$FILES/mods-enabled/files" <<CONF
files {
	filename = \${modconfdir}/files/authorize
}
CONF
cat >"$FILES/mods-config/files/authorize" <<CONF
DEFAULT Auth-Type := Accept
	Tunnel-Password = "$PSK",
	Tunnel-Type = VLAN,
	Tunnel-Medium-Type = IEEE-802,
	Tunnel-Private-Group-Id = "300",
	Session-Timeout = 86400,
	Message-Authenticator = 0x00
CONF
cat >"$FILES/sites-enabled/files" <<CONF
server files {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = $PORT_FILES
	}
	authorize {
		files
	}
	authenticate {
	}
}
CONF
stock_confdir_done "$FILES"
CONF=$FILES
server_pid=
server_run || { FILES_PID=$server_pid; server_pid=$COWORK_PID; not_ok "stock radiusd with files"; exit 1; }
FILES_PID=$server_pid

# The DIY way: the passphrase table a script rotates, and a log table, in
# SQLite (WAL, as one would for concurrent writers), read and written by rlm_sql.
SQL=$TMP/sql
stock_confdir "$SQL" "$COWORK_CONF"
mkdir -p "$SQL/db"
NOW=$(date +%s)
"$SQLITE3" "$SQL/db/guest.db" <<SQLTEXT >/dev/null || { not_ok "DIY database"; exit 1; }
PRAGMA journal_mode = WAL;
CREATE TABLE guest_psk (ssid TEXT NOT NULL, passphrase TEXT NOT NULL, vlan INTEGER NOT NULL,
	valid_from INTEGER NOT NULL, valid_until INTEGER NOT NULL);
CREATE INDEX guest_psk_ssid ON guest_psk (ssid, valid_from);
INSERT INTO guest_psk VALUES ('CoworkGuest', 'old-$PSK', 300, $((NOW - 2 * 86400)), $((NOW - 86400)));
INSERT INTO guest_psk VALUES ('CoworkGuest', '$PSK', 300, $((NOW - 86400)), $((NOW + 86400)));
CREATE TABLE auth_log (id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, mac TEXT, nas TEXT, ssid TEXT,
	result TEXT, vlan INTEGER);
CREATE INDEX auth_log_ts ON auth_log (ts);
SQLTEXT
cat >"$SQL/mods-enabled/sql" <<CONF
sql {
	driver = "rlm_sql_sqlite"
	dialect = "sqlite"
	sqlite {
		filename = "$SQL/db/guest.db"
		busy_timeout = 2000
	}
	read_clients = no
	pool {
		start = 5
		min = 5
		max = 32
		spare = 10
		uses = 0
		lifetime = 0
		idle_timeout = 0
	}
	post-auth {
		query = "INSERT INTO auth_log (ts, mac, nas, ssid, result, vlan) VALUES (%l, '%{Calling-Station-Id}', \\
			'%{NAS-Identifier}', '%{Tmp-String-0}', '%{reply:Packet-Type}', '%{reply:Tunnel-Private-Group-Id}')"
	}
}
CONF
cat >"$SQL/sites-enabled/sql" <<'CONF'
server sql {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = @PORT@
	}
	authorize {
		if (&Called-Station-Id =~ /:([^:]+)$/) {
			update request {
				&Tmp-String-0 := "%{1}"
			}
		}
		update request {
			&Tmp-String-1 := "%{sql:SELECT passphrase || ' ' || vlan FROM guest_psk WHERE ssid = '%{Tmp-String-0}' AND valid_from <= %l AND valid_until > %l ORDER BY valid_from DESC LIMIT 1}"
		}
		if (&Tmp-String-1 =~ /^([^ ]+) ([0-9]+)$/) {
			update reply {
				&Tunnel-Password := "%{1}"
				&Tunnel-Type := VLAN
				&Tunnel-Medium-Type := IEEE-802
				&Tunnel-Private-Group-Id := "%{2}"
				&Session-Timeout := 86400
				&Message-Authenticator := 0x00
			}
			update control {
				&Auth-Type := Accept
			}
		}
		else {
			update control {
				&Auth-Type := Reject
			}
		}
	}
	authenticate {
	}
	post-auth {
		sql
		Post-Auth-Type REJECT {
			sql
		}
	}
}
CONF
sed -i "s/@PORT@/$PORT_SQL/" "$SQL/sites-enabled/sql"
stock_confdir_done "$SQL"
[ -n "$RADIUS_USER" ] && chown -R "$RADIUS_USER" "$SQL/db"
CONF=$SQL
server_pid=
server_run || { SQL_PID=$server_pid; server_pid=$COWORK_PID; not_ok "stock radiusd with rlm_sql"; exit 1; }
SQL_PID=$server_pid
server_pid=$COWORK_PID	# the harness stops this one at exit

pid_of() { case $1 in files) echo $FILES_PID ;; sql) echo $SQL_PID ;; cowork) echo $COWORK_PID ;; esac; }
port_of() { case $1 in files) echo $PORT_FILES ;; sql) echo $PORT_SQL ;; cowork) echo $PORT_COWORK ;; esac; }

# One check of each setup's answer, then a warm-up.
for s in files sql cowork; do
	load "$(pid_of $s)" "$(port_of $s)" 200 "$STATIONS"
	if [ "$LOAD_ACCEPTED" -ne 200 ]; then
		not_ok "$s accepts the guests" "$(cat "$TMP/radload.out")"
		exit 1
	fi
	load "$(pid_of $s)" "$(port_of $s)" $((REQUESTS / 4)) "$STATIONS"
done

# PERF_DIR=DIR: first record a perf profile (call graphs) of each server
# during one load run, into DIR/SETUP.perf, for perf report --stdio.
if [ -n "${PERF_DIR:-}" ]; then
	mkdir -p "$PERF_DIR"
	for s in files cowork sql; do
		perf record -q -g -p "$(pid_of $s)" -o "$PERF_DIR/$s.perf" >/dev/null 2>&1 &
		perf_pid=$!
		sleep 0.5
		load "$(pid_of $s)" "$(port_of $s)" "$REQUESTS" "$STATIONS"
		kill -INT $perf_pid
		wait $perf_pid
	done
fi

printf '%-6s %-7s %8s %9s %11s %8s %8s\n' round setup "cpu (s)" answered "us/request" "p50 us" "p99 us"
: >"$TMP/rounds"
r=0
while [ $r -lt "$ROUNDS" ]; do
	r=$((r + 1))
	# Rotate the order each round so that no setup always runs first.
	case $((r % 3)) in
	1) order="files sql cowork" ;; 2) order="sql cowork files" ;; 0) order="cowork files sql" ;;
	esac
	for s in $order; do
		load "$(pid_of $s)" "$(port_of $s)" "$REQUESTS" "$STATIONS"
		printf '%-6s %-7s %8s %9s %11s %8s %8s\n' $r $s "$(echo "$LOAD_TICKS $TICK" | awk '{ printf "%.2f", $1 / $2 }')" \
			"$LOAD_ANSWERED" "$(us_per_request "$LOAD_TICKS" "$LOAD_ANSWERED")" "$LOAD_P50" "$LOAD_P99"
		echo "$s $LOAD_TICKS $LOAD_ANSWERED $LOAD_P50 $LOAD_P99" >>"$TMP/rounds"
	done
done
COWORK_ROWS=$("$SQLITE3" "$TMP/state/log/accesslog.db" 'SELECT count(*) FROM access')
SQL_ROWS=$("$SQLITE3" "$SQL/db/guest.db" 'SELECT count(*) FROM auth_log')
echo
# Per setup: total CPU / total answered; latency: median of the rounds' p50 and p99.
awk -v tick="$TICK" -v crows="$COWORK_ROWS" -v srows="$SQL_ROWS" '
	{ t[$1] += $2; a[$1] += $3; n[$1]++; p50[$1, n[$1]] = $4; p99[$1, n[$1]] = $5 }
	function median(arr, s, k,   i, j, v, tmp) {
		for (i = 1; i <= k; i++) v[i] = arr[s, i]
		for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (v[j] < v[i]) { tmp = v[i]; v[i] = v[j]; v[j] = tmp }
		return v[int((k + 1) / 2)]
	}
	END {
		for (s in t) us[s] = a[s] ? t[s] / tick / a[s] * 1e6 : 0
		printf "%-7s %11s %8s %8s %8s\n", "setup", "us/request", "p50 us", "p99 us", "ratio"
		split("files sql cowork", order, " ")
		for (i = 1; i <= 3; i++) { s = order[i]
			printf "%-7s %11.1f %8d %8d %8.2f\n", s, us[s], median(p50, s, n[s]), median(p99, s, n[s]), us[s] / us["files"] }
		printf "\nguest path: files %.1f us/request, rlm_sql %.1f, rlm_cowork with access log %.1f: cowork/files %.2f (bar <= 1.15: %s), cowork/sql %.2f (bar < 1: %s); %d rows logged by cowork, %d by sql\n",
			us["files"], us["sql"], us["cowork"], us["cowork"] / us["files"],
			us["cowork"] / us["files"] <= 1.15 ? "met" : "MISSED", us["cowork"] / us["sql"],
			us["cowork"] < us["sql"] ? "met" : "MISSED", crows, srows
	}' "$TMP/rounds"
all=$((REQUESTS * ROUNDS))
short=
for s in files sql cowork; do
	got=$(awk -v s=$s '$1 == s { a += $3 } END { print a + 0 }' "$TMP/rounds")
	guest_requests_ok "$got" "$all" || short="$short $s:$got/$all"
done
if [ -z "$short" ]; then
	ok "all three setups answered the requests"
else
	not_ok "all three setups answered the requests" "$short"
fi
