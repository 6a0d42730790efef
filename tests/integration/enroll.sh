#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# enroll.sh - cowork-enroll against the real broker (coworkctl enroll-broker)
# on a real registry, over HTTP on loopback: the headers of every page, the
# files, one refusal for unknown, expired, revoked and exhausted links, the
# request limits, a slow client, the rate limit, and no token in the log.
. "$top_srcdir/tests/integration/harness.sh"

. "$top_srcdir/tests/integration/enroll_lib.sh"
. "$top_srcdir/tests/integration/enroll_web_lib.sh"

HTTP=18490
HTTP_LIMITED=18491
HTTP_TLS=18492
BASE=http://127.0.0.1:$HTTP

command -v curl >/dev/null || { echo "1..0 # SKIP curl not installed"; trap - EXIT; exit 0; }

# link MEMBER DEVICES: a new invitation's link; its id in $INVITE.
link() {
	cowork invite create "$1" --devices "$2" --url https://enroll.test >"$TMP/invite.out" 2>&1 || return 1
	INVITE=$(sed -n 's/^invitation \([0-9]*\) .*/\1/p' "$TMP/invite.out")
	sed -n 's|^url: https://enroll.test||p' "$TMP/invite.out"
}

# get NAME PATH [curl args]: GET into $TMP/NAME.body, headers into $TMP/NAME.hdr; prints the status.
get() {
	g_name=$1
	g_path=$2
	shift 2
	curl -s -D "$TMP/$g_name.hdr" -o "$TMP/$g_name.body" -w '%{http_code}' "$@" "$BASE$g_path"
}

# post NAME PATH BODY [curl args]: the same for a form POST.
post() {
	p_name=$1
	p_path=$2
	p_body=$3
	shift 3
	curl -s -D "$TMP/$p_name.hdr" -o "$TMP/$p_name.body" -w '%{http_code}' \
		-H 'Content-Type: application/x-www-form-urlencoded' --data-binary "$p_body" "$@" "$BASE$p_path"
}

# status DESC WANT GOT
status() {
	if [ "$3" = "$2" ]; then ok "$1"; else not_ok "$1" "status $3, expected $2"; fi
}

init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
member_space alice bob carol dave erin || { not_ok "registry set-up"; exit 1; }
cowork ssid add CoworkGuest --class guest >/dev/null && cowork psk rotate --ssid CoworkGuest >/dev/null &&
	cowork psk policy --ssid CoworkGuest --members-see yes >/dev/null || { not_ok "guest SSID set-up"; exit 1; }

broker_start || { not_ok "the broker starts"; exit 1; }
ok "coworkctl enroll-broker listens on STATE/enroll/broker.sock"
enroll_start $HTTP "$TMP/enroll.log" --rate-limit 1000 || { not_ok "cowork-enroll starts"; exit 1; }
ok "cowork-enroll answers on 127.0.0.1:$HTTP"

# --- privileges -------------------------------------------------------------------
pid=${enroll_pids# }
uid=$(id -u "$BROKER_USER")
gid=$(id -g "$BROKER_USER")
has "it serves as --user (real, effective, saved and fs uid)" "^Uid:[[:space:]]+$uid[[:space:]]+$uid[[:space:]]+$uid[[:space:]]+$uid$" \
	"/proc/$pid/status"
has "... with that user's group (all four gids)" "^Gid:[[:space:]]+$gid[[:space:]]+$gid[[:space:]]+$gid[[:space:]]+$gid$" \
	"/proc/$pid/status"
has "... and no other group" "^Groups:[[:space:]]+$gid[[:space:]]*$" "/proc/$pid/status"
has "... with no_new_privs set" "^NoNewPrivs:[[:space:]]+1$" "/proc/$pid/status"
has "... and no capability" "^CapEff:[[:space:]]+0+$" "/proc/$pid/status"
ls -l "/proc/$pid/fd" >"$TMP/fds" 2>&1
lacks "it holds nothing open under STATE (the broker's socket is connected to per request)" "$STATE" "$TMP/fds"
if [ "$(id -u)" = 0 ]; then
	run_rc 1 "as root without --user it refuses to serve" "$ENROLL" -d "$STATE" --listen 127.0.0.1:18499 \
		--url https://enroll.test
	has "... saying so" "refusing to serve as root" "$TMP/err"
fi

ALICE=$(link alice 2) && [ -n "$ALICE" ] || { not_ok "invite create alice" "$(cat "$TMP/invite.out")"; exit 1; }
TOKENS=${ALICE#/e/}

# --- the landing page and its headers ------------------------------------------
s=$(get landing "$ALICE" -A "$UA_IPHONE" -H 'Accept-Language: ja-JP,ja;q=0.9')
status "the link opens the landing page" 200 "$s"
has "CSP: nothing but the one stylesheet (by its hash), data: images and our own forms" \
	"^Content-Security-Policy: default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]{43}='; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'" \
	"$TMP/landing.hdr"
has "Cache-Control: no-store" "^Cache-Control: no-store" "$TMP/landing.hdr"
has "Referrer-Policy: no-referrer" "^Referrer-Policy: no-referrer" "$TMP/landing.hdr"
has "X-Content-Type-Options: nosniff" "^X-Content-Type-Options: nosniff" "$TMP/landing.hdr"
has "the page is Japanese for ja-JP" '<html lang="ja">' "$TMP/landing.body"
has "an iPhone is offered the Apple profile, as a POST form" \
	'<form method="post" action="/e/[A-Za-z0-9_-]{43}/enroll"><input type="hidden" name="lang" value="ja"><input type="hidden" name="platform" value="apple">' \
	"$TMP/landing.body"
has "the guest passphrase is shown with an inline QR code" '<div class="qr"><svg ' "$TMP/landing.body"
lacks "no script, no external asset" '<script|src="http|href="http://' "$TMP/landing.body"
# The stylesheet's hash in the policy is the page's stylesheet's.
css_hash=$(sed -n 's/.*<style>\(.*\)<\/style>.*/\1/p' "$TMP/landing.body" | tr -d '\n' |
	"$OPENSSL" dgst -sha256 -binary | base64)
has "the policy's hash is the stylesheet's own" "style-src 'sha256-$(printf '%s' "$css_hash" | sed 's/[+/]/\\&/g')'" \
	"$TMP/landing.hdr"
s=$(get landing-en "$ALICE" -A "$UA_ANDROID" -H 'Accept-Language: en-US,en;q=0.9')
status "Android in English: 200" 200 "$s"
has "Android is offered the eap-config in English" 'name="platform" value="eap"><button type="submit">Download the configuration file' \
	"$TMP/landing-en.body"

# --- the files --------------------------------------------------------------------
s=$(post apple "$ALICE/enroll" 'platform=apple&lang=ja' -A "$UA_IPHONE")
status "POST enroll apple: 200" 200 "$s"
has "served as application/x-apple-aspen-config" "^Content-Type: application/x-apple-aspen-config" "$TMP/apple.hdr"
has "as an attachment named for the member" '^Content-Disposition: attachment; filename="alice.mobileconfig"' "$TMP/apple.hdr"
has "the file carries the security headers too" "^Cache-Control: no-store" "$TMP/apple.hdr"
"$OPENSSL" x509 -in "$STATE/ca/ca.pem" -outform der -out "$TMP/ca.der"
check "the .mobileconfig reads back: PKCS#12 with its password, CA, Wi-Fi payload" \
	"$PY" "$TOOLS/check_mobileconfig.py" "$TMP/apple.body" --ssid CoworkMembers --member alice --ca "$STATE/ca/ca.pem"
s=$(post eap "$ALICE/enroll" 'platform=eap&lang=en' -A "$UA_ANDROID")
status "POST enroll eap: 200" 200 "$s"
has "served as application/eap-config" "^Content-Type: application/eap-config" "$TMP/eap.hdr"
check "the .eap-config validates and its PKCS#12 opens" \
	"$PY" "$TOOLS/check_eapconfig.py" "$TMP/eap.body" --ssid CoworkMembers --member alice --ca "$STATE/ca/ca.pem"

# --- one refusal for every kind of bad link ---------------------------------------
BOB=$(link bob 1) && CAROL=$(link carol 1) && DAVE=$(link dave 1) ||
	{ not_ok "invite create bob carol dave"; exit 1; }
TOKENS="$TOKENS ${BOB#/e/} ${CAROL#/e/} ${DAVE#/e/}"
# bob's link: used up by its one device.
s=$(post bob-apple "$BOB/enroll" 'platform=apple' -A "$UA_IPHONE")
status "bob's one device is collected" 200 "$s"
# carol's: revoked; dave's: past its end (the registry's clock moved back for it).
CAROL_ID=$(cowork invite list | awk '$2 == "carol" { print $1 }')
DAVE_ID=$(cowork invite list | awk '$2 == "dave" { print $1 }')
cowork invite revoke "$CAROL_ID" >/dev/null || not_ok "invite revoke carol"
"$SQLITE3" "$STATE/registry.db" "UPDATE invite SET created_at = 1000, expires_at = 2000 WHERE id = $DAVE_ID" ||
	not_ok "move dave's invitation into the past"
UNKNOWN=/e/$("$PY" -c 'import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("="))')
MALFORMED=/e/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB

# same_answers DESC NAME...: the answers NAME (status, headers but Date, body) are all alike, and 404.
same_answers() {
	sa_desc=$1
	shift
	sa_first=$1
	sa_diff=
	for sa in "$@"; do
		grep -v '^Date:' "$TMP/$sa.hdr" >"$TMP/$sa.hdr.nodate"
		cmp -s "$TMP/$sa_first.body" "$TMP/$sa.body" || sa_diff="$sa_diff $sa: body differs;"
		cmp -s "$TMP/$sa_first.hdr.nodate" "$TMP/$sa.hdr.nodate" || sa_diff="$sa_diff $sa: headers differ;"
	done
	if [ -z "$sa_diff" ] && head -n 1 "$TMP/$sa_first.hdr" | grep -q '^HTTP/1.1 404 '; then
		ok "$sa_desc"
	else
		not_ok "$sa_desc" "$sa_diff" "$(head -n 1 "$TMP/$sa_first.hdr")"
	fi
}

# Opening the link: an exhausted one still shows the member's page; the others are one refusal.
n=0
for l in "$UNKNOWN" "$DAVE" "$CAROL" "$MALFORMED"; do
	n=$((n + 1))
	get "open$n" "$l" -A "$UA_ANDROID" -H 'Accept-Language: en' >/dev/null
done
same_answers "opening unknown, expired, revoked and malformed links: one 404, byte for byte" open1 open2 open3 open4
s=$(get open-used "$BOB" -A "$UA_ANDROID" -H 'Accept-Language: en')
status "a used-up link still opens the member's page" 200 "$s"
has "... which says no device is left and offers none" "has set up all its devices" "$TMP/open-used.body"
lacks "... and has no enroll form" 'action="/e/[^"]*/enroll"' "$TMP/open-used.body"
# Enrolling: unknown, expired, revoked, exhausted and malformed are one refusal.
n=0
for l in "$UNKNOWN" "$DAVE" "$CAROL" "$BOB" "$MALFORMED"; do
	n=$((n + 1))
	post "collect$n" "$l/enroll" 'platform=eap&lang=en' -A "$UA_ANDROID" -H 'Accept-Language: en' >/dev/null
done
same_answers "enrolling with unknown, expired, revoked, exhausted and malformed links: one 404, byte for byte" \
	collect1 collect2 collect3 collect4 collect5

# The answers were one; the broker's audit knows each reason.
cowork invite events >"$TMP/events.out" 2>&1
for why in unknown expired revoked exhausted; do
	has "... while the broker's audit records the refusal as $why" "refused +$why" "$TMP/events.out"
done
lacks "a malformed token never reaches the broker" "malformed" "$TMP/events.out"
# --- limits -------------------------------------------------------------------------
long=$(head -c 600 /dev/zero | tr '\0' a)
status "a 600-byte URL: 414" 414 "$(get long "/e/$long")"
head -c 5000 /dev/zero | tr '\0' a >"$TMP/big"
status "a 5000-byte body: 413" 413 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/x-www-form-urlencoded' \
	--data-binary @"$TMP/big" "$BASE$ALICE/enroll")"
status "PATCH: 405" 405 "$(curl -s -D "$TMP/patch.hdr" -o /dev/null -w '%{http_code}' -X PATCH "$BASE$ALICE")"
has "405 names the allowed methods" "^Allow: GET, HEAD, POST" "$TMP/patch.hdr"
status "a 9 KiB header: 431" 431 "$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $(head -c 9000 /dev/zero | tr '\0' a)" \
	"$BASE/robots.txt")"
status "an unknown path: 404" 404 "$(get unknown /favicon.ico)"
status "GET on the POST-only enroll route: 405" 405 "$(get getenroll "$ALICE/enroll")"
status "a text/plain POST: 415" 415 "$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: text/plain' -d 'platform=eap' \
	"$BASE$ALICE/enroll")"

# --- a slow client --------------------------------------------------------------------
"$PY" "$TOOLS/slowloris.py" 127.0.0.1 $HTTP 20 >"$TMP/slow.out" 2>&1 &
slow=$!
sleep 2
s=$(get during-slow /robots.txt)
status "while a slow client trickles its headers, others are answered" 200 "$s"
wait $slow
slow_rc=$?
secs=$(sed -n 's/^closed after \([0-9]*\).*/\1/p' "$TMP/slow.out")
if [ $slow_rc -eq 0 ] && [ -n "$secs" ] && [ "$secs" -ge 9 ] && [ "$secs" -le 13 ]; then
	ok "the slow client is cut off at the 10 s header deadline ($(cat "$TMP/slow.out"))"
else
	not_ok "the slow client is cut off at the 10 s header deadline" "$(cat "$TMP/slow.out")"
fi

# --- HTTPS served by the service itself (--tls-cert, --tls-key) --------------------
"$OPENSSL" req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=enroll.test \
	-addext subjectAltName=DNS:enroll.test -keyout "$TMP/web.key" -out "$TMP/web.crt" >/dev/null 2>&1 ||
	not_ok "a web server certificate for enroll.test"
"$ENROLL" -d "$STATE" --listen "127.0.0.1:$HTTP_TLS" --url https://enroll.test --user "$BROKER_USER" \
	--tls-cert "$TMP/web.crt" --tls-key "$TMP/web.key" 2>"$TMP/enroll-tls.log" &
enroll_pids="$enroll_pids $!"
TLSURL=https://enroll.test:$HTTP_TLS
tls_get() {
	curl -s --cacert "$TMP/web.crt" --resolve "enroll.test:$HTTP_TLS:127.0.0.1" -D "$TMP/$1.hdr" -o "$TMP/$1.body" \
		-w '%{http_code}' "$TLSURL$2"
}
i=0
while [ $i -lt 50 ] && [ "$(tls_get tlsrobots /robots.txt)" != 200 ]; do sleep 0.1; i=$((i + 1)); done
status "with --tls-cert/--tls-key it serves HTTPS, verified against that certificate" 200 "$(tls_get tlsrobots /robots.txt)"
status "... a member's link too, over TLS" 200 "$(tls_get tlsalice "$ALICE")"
has "... with Strict-Transport-Security" "^Strict-Transport-Security: max-age=" "$TMP/tlsalice.hdr"
has "... and the same Content-Security-Policy" "^Content-Security-Policy: default-src 'none'" "$TMP/tlsalice.hdr"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:$HTTP_TLS/robots.txt")
[ "$code" != 200 ] && ok "plain HTTP on the TLS port gets no page (status '$code')" ||
	not_ok "plain HTTP on the TLS port gets no page" "status $code"
lacks "the key's contents appear nowhere in its log" "PRIVATE KEY|$(sed -n 2p "$TMP/web.key" | cut -c1-40)" \
	"$TMP/enroll-tls.log"

# --- the rate limit (another instance, 5 requests a client) ------------------------
enroll_start $HTTP_LIMITED "$TMP/enroll-limited.log" --rate-limit 5 || not_ok "a rate-limited cowork-enroll starts"
codes=
for i in 1 2 3 4 5 6 7; do
	codes="$codes $(curl -s -D "$TMP/limited.hdr" -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP_LIMITED/robots.txt")"
done
case $codes in
*429*) ok "past its bucket a client gets 429 ($codes)" ;;
*) not_ok "past its bucket a client gets 429" "statuses:$codes" ;;
esac
has "429 says when to come back" "^Retry-After: 60" "$TMP/limited.hdr"

# --- the log -------------------------------------------------------------------------
enroll_stop
leaked=
for t in $TOKENS ${UNKNOWN#/e/}; do
	grep -qF "$t" "$TMP/enroll.log" "$TMP/enroll-limited.log" "$TMP/enroll-tls.log" && leaked="$leaked $t"
done
if [ -z "$leaked" ]; then
	ok "no token appears in the service's log"
else
	not_ok "no token appears in the service's log" "$(grep -F "${leaked# }" "$TMP/enroll.log" | head -n 3)"
fi
lacks "no sanitizer report from the service (a sanitizer build checks leaks at its exit)" \
	"AddressSanitizer|LeakSanitizer|runtime error" "$TMP/enroll.log"
has "the service stopped cleanly on SIGTERM" "cowork-enroll: stopping" "$TMP/enroll.log"
has "requests are logged by the lookup hash's prefix" "GET e/#[0-9a-f]{8} open 200" "$TMP/enroll.log"
has "the collected serial is logged" "POST e/#[0-9a-f]{8} enroll apple serial [0-9a-f]+ 200" "$TMP/enroll.log"
