# SPDX-License-Identifier: GPL-2.0-or-later
# enroll_web_lib.sh - shared by the tests of the enrollment web service
# (enroll.sh, enroll_browser.sh), sourced after harness.sh and
# enroll_lib.sh (whose broker_start runs the real broker for $BROKER_USER):
# cowork-enroll on loopback as that user, stopped at exit with the broker;
# every wait is bounded.

ENROLL=$top_builddir/enroll/cowork-enroll
PY=/usr/bin/python3
TOOLS=$top_srcdir/tests/tools
UA_IPHONE="Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
UA_ANDROID="Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36"
enroll_pids=
trap 'enroll_stop; broker_stop; finish' EXIT

# enroll_stop: SIGTERM to every cowork-enroll started here, and wait for each.
enroll_stop() {
	for p in $enroll_pids; do kill "$p" 2>/dev/null; done
	for p in $enroll_pids; do wait "$p" 2>/dev/null; done
	enroll_pids=
}

# enroll_start PORT LOG [ARGS...]: cowork-enroll on 127.0.0.1:PORT for $STATE, as the broker's
# client user (it refuses to serve as root), waiting (5 s at most) until it answers.
enroll_start() {
	es_port=$1
	es_log=$2
	shift 2
	"$ENROLL" -d "$STATE" --listen "127.0.0.1:$es_port" --url https://enroll.test --user "$BROKER_USER" "$@" \
		2>"$es_log" &
	enroll_pids="$enroll_pids $!"
	es_i=0
	while [ $es_i -lt 50 ]; do
		curl -s -o /dev/null "http://127.0.0.1:$es_port/robots.txt" && return 0
		sleep 0.1
		es_i=$((es_i + 1))
	done
	diag "cowork-enroll did not start:" "$(tail -n 20 "$es_log")"
	return 1
}
