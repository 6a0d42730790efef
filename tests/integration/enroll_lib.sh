# SPDX-License-Identifier: GPL-2.0-or-later
# enroll_lib.sh - sourced by invite.sh and enroll_broker.sh after
# harness.sh: coworkctl enroll-broker on $STATE, requests to it as its
# client user (tests/tools/enrollc), and an invitation's devices opened with
# the link's token as the web service would (tests/tools/unseal).

ENROLLC=${ENROLLC:-$top_builddir/tests/tools/enrollc}
UNSEAL=${UNSEAL:-$top_builddir/tests/tools/unseal}
# The web service's user in the tests: any existing non-root user that is
# not radiusd's; Debian's daemon.
BROKER_USER=daemon
broker_pid=

# broker_start [ARGS...]: the broker on $STATE for $BROKER_USER (its log in
# $TMP/broker.log), waiting at most 10 s until it listens on $SOCK.
broker_start() {
	"$COWORKCTL" -d "$STATE" enroll-broker --client-user "$BROKER_USER" "$@" >>"$TMP/broker.log" 2>&1 &
	broker_pid=$!
	SOCK=$STATE/enroll/broker.sock
	bs_i=0
	while [ $bs_i -lt 100 ]; do
		grep -q "listening on" "$TMP/broker.log" 2>/dev/null && return 0
		kill -0 "$broker_pid" 2>/dev/null || break
		sleep 0.1
		bs_i=$((bs_i + 1))
	done
	diag "the broker did not start" "$(tail -n 5 "$TMP/broker.log")"
	return 1
}

# broker_stop: SIGTERM, then SIGKILL after 10 s; the broker's exit status.
broker_stop() {
	[ -n "$broker_pid" ] || return 0
	kill -TERM "$broker_pid" 2>/dev/null
	bs_i=0
	while kill -0 "$broker_pid" 2>/dev/null && [ $bs_i -lt 100 ]; do
		sleep 0.1
		bs_i=$((bs_i + 1))
	done
	kill -9 "$broker_pid" 2>/dev/null
	wait "$broker_pid"
	bs_rc=$?
	broker_pid=
	return $bs_rc
}
trap 'broker_stop; finish' EXIT

# as_client CMD...: run CMD as the broker's client user, with its group only.
as_client() {
	setpriv --reuid="$BROKER_USER" --regid="$(id -g "$BROKER_USER")" --clear-groups "$@"
}

# ask NAME LINE [ENROLLC-OPTIONS...]: one request as the client user; the
# answer in $TMP/NAME.ans; enrollc's exit status (0: an answer ending in END).
ask() {
	ak_name=$1
	ak_line=$2
	shift 2
	as_client "$ENROLLC" "$@" "$SOCK" "$ak_line" >"$TMP/$ak_name.ans" 2>"$TMP/$ak_name.err"
}

# answered DESC NAME STATUS: the answer NAME is exactly "STATUS ... END".
answered() {
	if [ "$(head -n 1 "$TMP/$2.ans")" = "$3" ] && [ "$(tail -n 1 "$TMP/$2.ans")" = END ]; then
		ok "$1"
	else
		not_ok "$1" "answer: $(head -c 300 "$TMP/$2.ans")" "$(cat "$TMP/$2.err")" "$(tail -n 3 "$TMP/broker.log")"
	fi
}

# refused_no DESC NAME: the answer NAME is exactly "NO", "END".
refused_no() {
	if [ "$(cat "$TMP/$2.ans")" = "$(printf 'NO\nEND')" ]; then
		ok "$1"
	else
		not_ok "$1" "answer: $(head -c 300 "$TMP/$2.ans")" "$(tail -n 3 "$TMP/broker.log")"
	fi
}

# line NAME KEY: the rest of the first line "KEY ..." of answer NAME.
line() {
	sed -n "s/^$2 //p" "$TMP/$1.ans" | head -n 1
}

# invite_new NAME ARGS...: `invite create ARGS`; its output in $TMP/NAME.inv,
# the link's token in $TOKEN and the invitation's id in $INVITE.
invite_new() {
	in_name=$1
	shift
	cowork invite create "$@" >"$TMP/$in_name.inv" 2>&1 || return 1
	TOKEN=$(sed -n 's|^url: https://[^ ]*/e/||p' "$TMP/$in_name.inv")
	INVITE=$(sed -n 's/^invitation \([0-9]*\) for .*/\1/p' "$TMP/$in_name.inv")
	[ ${#TOKEN} = 43 ] && [ -n "$INVITE" ]
}

# open_device NAME TOKEN INVITE SLOT SEALED [--hex]: open a sealed device as
# the web service does; NAME.p12, its password in NAME.pw, and the key and
# certificate as PEM (NAME.pem, for eapol_test) in $TMP; its serial in $SERIAL.
open_device() {
	od_name=$1
	rm -f "$TMP/$od_name.p12"
	"$UNSEAL" ${6:-} "$2" "$3" "$4" "$5" "$TMP/$od_name.p12" >"$TMP/$od_name.pw" 2>"$TMP/$od_name.err" &&
		"$OPENSSL" pkcs12 -in "$TMP/$od_name.p12" -passin "file:$TMP/$od_name.pw" -nodes \
			-out "$TMP/$od_name.pem" 2>>"$TMP/$od_name.err" || return 1
	SERIAL=$("$OPENSSL" x509 -in "$TMP/$od_name.pem" -noout -serial | sed 's/^serial=//' | tr 'A-F' 'a-f' |
		sed 's/^0*//')
	[ -n "$SERIAL" ]
}

# sealed_of INVITE SLOT: invite_slot.sealed of the slot, in hex (sqlite3's hex()).
sealed_of() {
	"$SQLITE3" "$STATE/registry.db" "SELECT hex(sealed) FROM invite_slot WHERE invite_id = $1 AND slot = $2"
}

# in_no_file DESC TEXT: TEXT is in no file under $STATE (log/ read as
# radiusd's user: root never opens what radiusd may write), nor in
# radiusd's log (when there is one).
in_no_file() {
	if grep -rqaF --exclude-dir=log -- "$2" "$STATE" || as_server grep -rqaF -- "$2" "$STATE/log" ||
		{ [ -n "$server_log" ] && grep -qaF -- "$2" "$server_log"; }; then
		not_ok "$1" "found in $(grep -rlaF -- "$2" "$STATE" "$server_log" 2>/dev/null | head -n 3)"
	else
		ok "$1"
	fi
}

# tls_refused DESC NAME: eapol_test NAME got EAP-Failure before the TLS
# handshake finished on its side (refused inside the handshake).
tls_refused() {
	if grep -q "Handshake finished" "$TMP/eapol-$2.log"; then
		not_ok "$1" "the TLS handshake finished on the supplicant's side"
	elif ! grep -q "CTRL-EVENT-EAP-FAILURE" "$TMP/eapol-$2.log"; then
		not_ok "$1" "no CTRL-EVENT-EAP-FAILURE" "$(tail -n 5 "$TMP/eapol-$2.log")"
	else
		ok "$1"
	fi
}

# log_row DESC PATTERN: the access log gets a row matching PATTERN (JSON) within 5 s.
log_row() {
	lr_i=0
	while [ $lr_i -lt 50 ] && ! cowork log show --json | grep -q -- "$2"; do
		sleep 0.1
		lr_i=$((lr_i + 1))
	done
	cowork log show --json | grep -q -- "$2" && ok "$1" || not_ok "$1" "$(cowork log show | tail -n 5)"
}
