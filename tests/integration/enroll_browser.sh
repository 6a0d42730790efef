#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# enroll_browser.sh - a member enrolls two devices in a real browser
# (headless Chromium driven by Selenium, tests/tools/enroll_browser.py):
# an iPhone in Japanese and an Android phone in English open the link, see
# their platform's one primary action, press it and get the file; each file
# reads back with the project's checkers, and the client certificate inside
# each authenticates through a real radiusd (eapol_test) onto the member's
# tenant VLAN. Then the member reports the iPhone lost on the page (the
# "lost" button, then the confirmation): its next authentication fails
# inside the TLS handshake, and the Android phone still connects.
# Screenshots of both landing pages are left in the build directory
# (tests/integration/enroll-landing-{ja,en}.png).
. "$top_srcdir/tests/integration/harness.sh"

. "$top_srcdir/tests/integration/enroll_lib.sh"
. "$top_srcdir/tests/integration/enroll_web_lib.sh"

RADIUS=18494
HTTP=18496
SHOTS=$top_builddir/tests/integration

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ] || ! "$PY" -c 'import selenium' 2>/dev/null; then
	echo "1..0 # SKIP chromium, chromium-driver or python3-selenium missing (scripts/install-deps.sh)"
	trap - EXIT
	exit 0
fi

init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
member_space && cowork tenant add acme >/dev/null && cowork member add alice --tenant acme >/dev/null &&
	cowork ssid add CoworkGuest --class guest >/dev/null && cowork psk rotate --ssid CoworkGuest >/dev/null &&
	cowork psk policy --ssid CoworkGuest --members-see yes >/dev/null || { not_ok "registry set-up"; exit 1; }
broker_start || { not_ok "the broker starts"; exit 1; }
enroll_start $HTTP "$TMP/enroll.log" --rate-limit 1000 || { not_ok "cowork-enroll starts"; exit 1; }
server_start "$TMP/state" $RADIUS || { not_ok "radiusd starts"; exit 1; }
cowork invite create alice --devices 2 --url https://enroll.test >"$TMP/invite.out" ||
	{ not_ok "invite create" "$(cat "$TMP/invite.out")"; exit 1; }
# The public address of the link, served here on loopback.
LINK=$(sed -n "s|^url: https://enroll.test|http://127.0.0.1:$HTTP|p" "$TMP/invite.out")
ok "the service, the broker and radiusd run; alice has a link for 2 devices"

# visit NAME UA LANG EXPECT: the browser's visit; the downloaded file's path in $FILE.
visit() {
	FILE=$(timeout 120 "$PY" "$TOOLS/enroll_browser.py" "$LINK" --ua "$2" --lang "$3" --expect "$4" \
		--downloads "$TMP/dl-$1" --screenshot "$SHOTS/enroll-landing-$3.png" --timeout 30 2>"$TMP/browser-$1.err")
	rc=$?
	if [ $rc -eq 0 ] && [ -f "$FILE" ]; then
		ok "$1 ($3): the landing page offers $4; pressing it downloads $(basename "$FILE")"
		return 0
	fi
	not_ok "$1 ($3): the landing page offers $4; pressing it downloads the file" "$FILE" \
		"$(tail -n 5 "$TMP/browser-$1.err")" "$(tail -n 5 "$TMP/enroll.log")"
	return 1
}

# connects NAME FILE: the PKCS#12 in FILE authenticates alice onto acme's VLAN 100.
connects() {
	pw=$(OPENSSL=$OPENSSL "$PY" "$TOOLS/profile_p12.py" "$2" "$TMP/$1.p12") ||
		{ not_ok "$1: the PKCS#12 comes out of the file" "$pw"; return 1; }
	cat >"$TMP/eapol-$1.conf" <<CONF
network={
	key_mgmt=WPA-EAP
	eap=TLS
	identity="alice"
	ca_cert="$STATE/ca/ca.pem"
	private_key="$TMP/$1.p12"
	private_key_passwd="$pw"
	domain_match="radius.test.example"
}
CONF
	eapol_accept "$1: its certificate authenticates alice through radiusd on VLAN 100" 100 "$1" \
		"$TMP/eapol-$1.conf" CoworkMembers
}

if visit iphone "$UA_IPHONE" ja apple; then
	case $FILE in *.mobileconfig) ok "the iPhone got alice.mobileconfig" ;; *) not_ok "the iPhone got $FILE" ;; esac
	check "the .mobileconfig parses (plistlib) and its PKCS#12 opens with its password" \
		"$PY" "$TOOLS/check_mobileconfig.py" "$FILE" --ssid CoworkMembers --member alice --ca "$STATE/ca/ca.pem"
	connects iphone "$FILE"
fi
if visit android "$UA_ANDROID" en eap; then
	case $FILE in *.eap-config) ok "the Android phone got alice.eap-config" ;; *) not_ok "Android got $FILE" ;; esac
	check "the .eap-config validates (lxml, XSD) and its PKCS#12 opens with its Passphrase" \
		"$PY" "$TOOLS/check_eapconfig.py" "$FILE" --ssid CoworkMembers --member alice --ca "$STATE/ca/ca.pem"
	connects android "$FILE"
fi

# "This device is lost", pressed on the member's page in the browser.
if [ -f "$TMP/iphone.p12" ] && [ -f "$TMP/android.p12" ]; then
	pw=$(OPENSSL=$OPENSSL "$PY" "$TOOLS/profile_p12.py" "$TMP/dl-iphone"/*.mobileconfig "$TMP/iphone-again.p12")
	LOSTSERIAL=$("$OPENSSL" pkcs12 -in "$TMP/iphone.p12" -passin "pass:$pw" -nokeys -clcerts 2>/dev/null |
		"$OPENSSL" x509 -noout -serial | sed 's/^serial=//' | tr 'A-F' 'a-f' | sed 's/^0*//')
	out=$(timeout 120 "$PY" "$TOOLS/enroll_browser.py" "$LINK" --ua "$UA_IPHONE" --lang en --lost "$LOSTSERIAL" \
		--timeout 30 2>"$TMP/browser-lost.err")
	[ "$out" = revoked ] && ok "on the member's page, \"Lost\" and its confirmation revoke the iPhone ($LOSTSERIAL)" ||
		not_ok "on the member's page, \"Lost\" and its confirmation revoke the iPhone ($LOSTSERIAL)" "$out" \
			"$(tail -n 5 "$TMP/browser-lost.err")" "$(tail -n 5 "$TMP/enroll.log")"
	run_rc 0 "coworkctl cert show finds the lost iPhone's certificate" cowork cert show "$LOSTSERIAL"
	has "... as cert revoke does, key-compromise" "^revoked .*\\(key-compromise\\)$" "$TMP/out"
	if eapol_run iphone-lost "$TMP/eapol-iphone.conf" CoworkMembers; then
		not_ok "the lost iPhone's next authentication is refused" "Access-Accept on VLAN '$VLAN'"
	else
		ok "the lost iPhone's next authentication is refused"
	fi
	tls_refused "... inside the TLS handshake" iphone-lost
	has "... as revoked, in radiusd's log" "refused certificate $LOSTSERIAL in the TLS handshake: reject \\(revoked\\)" \
		"$server_log"
	eapol_accept "the Android phone still connects on VLAN 100" 100 android-after "$TMP/eapol-android.conf" CoworkMembers
fi
has "the Japanese screenshot was taken" "PNG" "$SHOTS/enroll-landing-ja.png"
has "the English screenshot was taken" "PNG" "$SHOTS/enroll-landing-en.png"
