# SPDX-License-Identifier: GPL-2.0-or-later
# enroll_lib.sh - shared by the tests of the enrollment service (enroll.sh,
# enroll_browser.sh), sourced after harness.sh: the real broker
# (`coworkctl enroll-broker`) and cowork-enroll on loopback, each stopped
# at exit; every wait is bounded.

ENROLL=$top_builddir/enroll/cowork-enroll
PY=/usr/bin/python3
TOOLS=$top_srcdir/tests/tools
UA_IPHONE="Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
UA_ANDROID="Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"
# As root the service runs as radiusd's user (it refuses to serve as root),
# otherwise as ourselves; the broker lets that user in (--client-user).
SERVICE_USER=${RADIUS_USER:-$(id -un)}
broker_pid=
enroll_pids=

# enroll_skip_without_broker: a SKIP plan (and exit) when this coworkctl has no enroll-broker yet.
enroll_skip_without_broker() {
	if ! "$COWORKCTL" enroll-broker --help >/dev/null 2>&1; then
		echo "1..0 # SKIP coworkctl has no enroll-broker"
		trap - EXIT
		rm -rf "$TMP"
		exit 0
	fi
}

enroll_stop() {
	for p in $enroll_pids $broker_pid; do kill "$p" 2>/dev/null; done
	for p in $enroll_pids $broker_pid; do wait "$p" 2>/dev/null; done
	enroll_pids=
	broker_pid=
}

# broker_start: `coworkctl enroll-broker` on $STATE, waiting (5 s at most) for its socket.
broker_start() {
	# Not through the cowork function: $! must be the broker itself, to stop it.
	"$COWORKCTL" -d "$STATE" enroll-broker --client-user "$SERVICE_USER" >"$TMP/broker.log" 2>&1 &
	broker_pid=$!
	i=0
	while [ $i -lt 50 ]; do
		[ -S "$STATE/enroll/broker.sock" ] && return 0
		kill -0 "$broker_pid" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	diag "the broker did not start:" "$(tail -n 20 "$TMP/broker.log")"
	return 1
}

# enroll_start PORT LOG [ARGS...]: cowork-enroll on 127.0.0.1:PORT for $STATE, waiting (5 s
# at most) until it answers.
enroll_start() {
	es_port=$1
	es_log=$2
	shift 2
	"$ENROLL" -d "$STATE" --listen "127.0.0.1:$es_port" --url http://enroll.test \
		${RADIUS_USER:+--user "$RADIUS_USER"} "$@" 2>"$es_log" &
	enroll_pids="$enroll_pids $!"
	i=0
	while [ $i -lt 50 ]; do
		curl -s -o /dev/null "http://127.0.0.1:$es_port/robots.txt" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	diag "cowork-enroll did not start:" "$(tail -n 20 "$es_log")"
	return 1
}
