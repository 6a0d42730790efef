#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Device onboarding files (`coworkctl cert issue --profile`): refusals that
# issue nothing and leave no file, then every file read back with a real
# parser (python3's plistlib, configparser and xml.etree, NetworkManager's
# libnm, openssl), and the wpa_supplicant blocks used unmodified by
# eapol_test against a real radiusd with rlm_cowork.
# shellcheck disable=SC2154 # make check sets top_srcdir
. "$top_srcdir/tests/integration/harness.sh"

PORT=18220
# Debian's python3: it has python3-gi and libnm's typelib (scripts/install-deps.sh).
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=python3; fi
CHECK="$top_srcdir/tests/integration/profiles_check.py"
# Names that need escaping in XML, and an SSID beyond ASCII.
ORG='Test & <Space> "Q" '\''s'
SSID='Cowork & <Members> "A" '\''B'\'
SSID2='会員Wi-Fi'
SERVER=radius.test.example
OUT=$TMP/files
mkdir -p "$OUT"

init_state "$TMP/state" "$ORG" >/dev/null || { not_ok "coworkctl init"; exit 1; }
vlan_plan &&
cowork ssid add CoworkGuest --class guest >/dev/null &&
cowork tenant add acme >/dev/null &&
cowork member add alice --tenant acme >/dev/null &&
add_members bob carol || { not_ok "registry set-up"; exit 1; }
"$OPENSSL" x509 -in "$STATE/ca/ca.pem" -outform DER -out "$TMP/ca.der" || { not_ok "the CA as DER"; exit 1; }
# Windows' form of the thumbprint: SHA-1 of the DER, lowercase hex.
THUMB=$("$OPENSSL" x509 -in "$STATE/ca/ca.pem" -noout -fingerprint -sha1 | sed 's/.*=//; s/://g' | tr 'A-F' 'a-f')

# nothing_left DESC DIR: DIR is missing or empty.
nothing_left() {
	if [ -n "$(ls -A "$2" 2>/dev/null)" ]; then
		not_ok "$1" "files left in $2:" "$(ls -la "$2")"
	else
		ok "$1"
	fi
}

# mode_is DESC MODE FILE...: every FILE has exactly MODE.
mode_is() {
	mi_desc=$1
	mi_want=$2
	shift 2
	for f in "$@"; do
		if [ "$(stat -c %a "$f" 2>/dev/null)" != "$mi_want" ]; then
			not_ok "$mi_desc" "$f: mode $(stat -c %a "$f" 2>&1), not $mi_want"
			return
		fi
	done
	ok "$mi_desc"
}

# issue NAME ARGS...: cert issue NAME ARGS..., output in $TMP/NAME.out;
# the printed PKCS#12 password is left in $P12PW (exported for the checks).
issue() {
	is_name=$1
	shift
	cowork cert issue "$is_name" "$@" >"$TMP/$is_name.out" 2>&1 || return 1
	P12PW=$(sed -n 's/^PKCS#12 password: //p' "$TMP/$is_name.out")
	export P12PW
	[ -n "$P12PW" ]
}

# ---- refusals: nothing issued, registry unchanged, no file left -------------------

cowork cert issue --help >"$TMP/help.out" 2>&1
has "cert issue --help documents --profile and --ssid" '--profile LIST.*--ssid SSID' "$TMP/help.out"
refused 2 "an unknown profile name is a usage error" 'unknown profile "ios".*apple, linux, android, windows' \
	cowork cert issue alice --out "$OUT/a" --profile apple,ios
refused 2 "--profile without --out is a usage error" '--out DIR is required' cowork cert issue alice --profile apple
refused 2 "--ssid without --profile is a usage error" '--ssid.*--profile' \
	cowork cert issue alice --out "$OUT/a" --ssid CoworkGuest
refused 1 "--profile with no member SSID in the registry is refused" 'no member SSID.*ssid add' \
	cowork cert issue alice --out "$OUT/a" --profile all
cowork ssid add "$SSID" --class member >/dev/null || not_ok "ssid add (member SSID with XML characters)"
refused 1 "--ssid naming a guest SSID is refused" '"CoworkGuest" is a guest SSID' \
	cowork cert issue alice --out "$OUT/a" --profile linux --ssid CoworkGuest
refused 1 "--ssid naming an SSID the registry does not know is refused" '"Nowhere" is not in the registry' \
	cowork cert issue alice --out "$OUT/a" --profile linux --ssid Nowhere
cowork ssid add "$SSID2" --class member >/dev/null || not_ok "ssid add (second member SSID)"
refused 2 "two member SSIDs and no --ssid: choose one" '2 member SSIDs.*choose one with --ssid' \
	cowork cert issue alice --out "$OUT/a" --profile apple
nothing_left "after every refusal, no file was written" "$OUT/a"

mkdir -p "$OUT/pre" && : >"$OUT/pre/alice.wlan.xml"
refused 1 "an existing onboarding file is never overwritten" 'alice\.wlan\.xml already exists' \
	cowork cert issue alice --out "$OUT/pre" --profile windows --ssid "$SSID"
if [ "$(ls -A "$OUT/pre")" = alice.wlan.xml ] && [ ! -s "$OUT/pre/alice.wlan.xml" ]; then
	ok "... nothing else was written, the file is untouched"
else
	not_ok "... nothing else was written, the file is untouched" "$(ls -la "$OUT/pre")"
fi

# A failure to record the certificate, after every file was written: all of them go.
"$SQLITE3" "$STATE/registry.db" \
	"CREATE TRIGGER test_no_cert BEFORE INSERT ON cert BEGIN SELECT RAISE(ABORT, 'test refuses new certificates'); END"
refused 1 "a failure to record the certificate fails the command" 'test refuses new certificates' \
	cowork cert issue alice --out "$OUT/fail" --profile all --ssid "$SSID"
nothing_left "... and removes every file it had written (all or none)" "$OUT/fail"
"$SQLITE3" "$STATE/registry.db" "DROP TRIGGER test_no_cert"
[ "$("$SQLITE3" "$STATE/registry.db" 'SELECT count(*) FROM cert')" = 0 ] && ok "no certificate was issued so far" ||
	not_ok "no certificate was issued so far"

# ---- alice: every platform -------------------------------------------------------------

A=$OUT/alice
if issue alice --out "$A" --profile all --ssid "$SSID"; then
	ok "cert issue alice --profile all"
else
	not_ok "cert issue alice --profile all" "$(cat "$TMP/alice.out")"
fi
has "the output says the .mobileconfig holds no password" 'mobileconfig does not hold the PKCS#12 password' \
	"$TMP/alice.out"
mode_is "files with the key or the password are 0600" 600 "$A/alice.key" "$A/alice.p12" "$A/alice.mobileconfig" \
	"$A/alice.nmconnection" "$A/alice.wpa_supplicant.conf"
mode_is "the others are 0644" 644 "$A/alice-ca.crt" "$A/alice.android.txt" "$A/alice.wlan.xml" "$A/alice.windows.txt"

check "Apple: a plist with the PKCS#12, the CA and the Wi-Fi payload, cross-referenced" \
	"$PY" "$CHECK" plist "$A/alice.mobileconfig" "$A/alice.p12" "$TMP/ca.der" "$SSID" "$SERVER" alice \
	"$TMP/from-profile.p12"
"$OPENSSL" pkcs12 -in "$TMP/from-profile.p12" -passin env:P12PW -nokeys -clcerts -out "$TMP/from-profile.pem" \
	>"$TMP/pkcs12.log" 2>&1
if [ "$("$OPENSSL" x509 -in "$TMP/from-profile.pem" -noout -fingerprint -sha256 2>&1)" = \
	"$("$OPENSSL" x509 -in "$A/alice.pem" -noout -fingerprint -sha256)" ]; then
	ok "Apple: its PKCS#12 opens with the printed password and holds alice's certificate"
else
	not_ok "Apple: its PKCS#12 opens with the printed password and holds alice's certificate" "$(cat "$TMP/pkcs12.log")"
fi
check "NetworkManager: the keyfile parses (configparser) with the expected keys and blobs" \
	"$PY" "$CHECK" nm "$A/alice.nmconnection" "$A/alice.p12" "$TMP/ca.der" "$SSID" "$SERVER" alice
check "NetworkManager: libnm reads and verifies it, the key as PKCS#12, without a warning" \
	"$PY" "$CHECK" libnm "$A/alice.nmconnection" "$A/alice.p12" "$TMP/ca.der" "$SSID" "$SERVER" alice
check "Windows: the WLAN profile parses with SSID, EAP type 13, server name and the CA thumbprint" \
	"$PY" "$CHECK" wlan "$A/alice.wlan.xml" "$SSID" "$SERVER" "$THUMB"
check "Android and Windows: the CA copy is the CA certificate (DER)" cmp "$TMP/ca.der" "$A/alice-ca.crt"
has "Android: EAP method TLS" '^ +EAP method +TLS$' "$A/alice.android.txt"
has "Android: the domain is the server name" "^ +Domain +$SERVER\$" "$A/alice.android.txt"
has "Android: the identity is the member id" '^ +Identity +alice$' "$A/alice.android.txt"
has "Windows: the steps import the PKCS#12 and add the profile" 'netsh wlan add profile filename="alice.wlan.xml"' \
	"$A/alice.windows.txt"
for f in alice.mobileconfig alice.android.txt alice.windows.txt alice.wlan.xml; do
	lacks "$f does not hold the PKCS#12 password" "$P12PW" "$A/$f"
done
"$OPENSSL" pkcs12 -info -noout -in "$A/alice.p12" -passin env:P12PW >"$TMP/alice-info" 2>&1
has "the default PKCS#12 is AES (OpenSSL 3)" 'AES-256-CBC' "$TMP/alice-info"

server_start "$TMP/state" $PORT || { not_ok "radiusd starts with rlm_cowork"; exit 1; }
ok "radiusd starts with rlm_cowork loaded"
eapol_accept "wpa_supplicant: eapol_test with alice.wpa_supplicant.conf as written: Accept on VLAN 100" 100 \
	alice "$A/alice.wpa_supplicant.conf" "$SSID"

# ---- bob: --legacy-p12 ----------------------------------------------------------------------

B=$OUT/bob
if issue bob --out "$B" --profile apple,linux --ssid "$SSID" --legacy-p12; then
	ok "cert issue bob --profile apple,linux --legacy-p12"
else
	not_ok "cert issue bob --profile apple,linux --legacy-p12" "$(cat "$TMP/bob.out")"
fi
"$OPENSSL" pkcs12 -info -noout -in "$B/bob.p12" -passin env:P12PW >"$TMP/bob-info" 2>&1
has "--legacy-p12: openssl pkcs12 -info reports pbeWithSHA1And3-KeyTripleDES-CBC" \
	'pbeWithSHA1And3-KeyTripleDES-CBC' "$TMP/bob-info"
lacks "--legacy-p12: no AES or PBES2 left" 'AES|PBES2' "$TMP/bob-info"
check "--legacy-p12: the profile embeds that legacy PKCS#12" \
	"$PY" "$CHECK" plist "$B/bob.mobileconfig" "$B/bob.p12" "$TMP/ca.der" "$SSID" "$SERVER" bob
if ls "$B"/bob.android.txt "$B"/bob.wlan.xml "$B"/bob.windows.txt "$B"/bob-ca.crt >/dev/null 2>&1; then
	not_ok "--profile apple,linux writes no Android or Windows file" "$(ls -la "$B")"
else
	ok "--profile apple,linux writes no Android or Windows file"
fi
eapol_accept "the legacy PKCS#12 authenticates (eapol_test, bob.wpa_supplicant.conf): Accept on VLAN 190" 190 \
	bob "$B/bob.wpa_supplicant.conf" "$SSID"

# ---- carol: the other SSID, --p12-legacy, --json -------------------------------------------

C=$OUT/carol
cowork cert issue carol --out "$C" --profile linux,windows --ssid "$SSID2" --p12-legacy --json >"$TMP/carol.out" \
	2>"$TMP/carol.err"
P12PW=$("$PY" -c 'import json, sys; print(json.load(sys.stdin)["p12_password"])' <"$TMP/carol.out" 2>/dev/null)
export P12PW
if [ -n "$P12PW" ]; then
	ok "cert issue carol --profile linux,windows --ssid $SSID2 --p12-legacy --json"
else
	not_ok "cert issue carol --profile linux,windows --ssid $SSID2 --p12-legacy --json" "$(cat "$TMP/carol.err")" \
		"$(cat "$TMP/carol.out")"
fi
check "--json lists the onboarding files in order, saying which hold the password" \
	"$PY" "$CHECK" json "$TMP/carol.out" "$SSID2" "$SERVER" "$C/carol.nmconnection" "$C/carol.wpa_supplicant.conf" \
	"$C/carol-ca.crt" "$C/carol.wlan.xml" "$C/carol.windows.txt"
"$OPENSSL" pkcs12 -info -noout -in "$C/carol.p12" -passin env:P12PW >"$TMP/carol-info" 2>&1
has "--p12-legacy is the same as --legacy-p12" 'pbeWithSHA1And3-KeyTripleDES-CBC' "$TMP/carol-info"
check "libnm reads the non-ASCII SSID back byte for byte" \
	"$PY" "$CHECK" libnm "$C/carol.nmconnection" "$C/carol.p12" "$TMP/ca.der" "$SSID2" "$SERVER" carol
check "the WLAN profile carries the non-ASCII SSID (name and hex)" \
	"$PY" "$CHECK" wlan "$C/carol.wlan.xml" "$SSID2" "$SERVER" "$THUMB"
eapol_accept "carol's wpa_supplicant.conf (hex SSID) authenticates on $SSID2: Accept on VLAN 190" 190 \
	carol "$C/carol.wpa_supplicant.conf" "$SSID2"

# ---- a renewal writes the files too ------------------------------------------------------

R=$OUT/alice-renewed
OLD=$("$SQLITE3" "$STATE/registry.db" "SELECT serial FROM cert JOIN member ON member.id = cert.member_id WHERE member.name = 'alice'")
if cowork cert renew "$OLD" --out "$R" --profile linux --ssid "$SSID" >"$TMP/renew.out" 2>&1; then
	ok "cert renew --profile linux"
else
	not_ok "cert renew --profile linux" "$(cat "$TMP/renew.out")"
fi
P12PW=$(sed -n 's/^PKCS#12 password: //p' "$TMP/renew.out")
export P12PW
[ "$(stat -c %a "$R/alice.wpa_supplicant.conf")" = 600 ] && ok "... its wpa_supplicant.conf is 0600" ||
	not_ok "... its wpa_supplicant.conf is 0600" "$(ls -l "$R")"
eapol_accept "the renewed certificate's wpa_supplicant.conf authenticates: Accept on VLAN 100" 100 \
	alice-renewed "$R/alice.wpa_supplicant.conf" "$SSID"

[ "$("$SQLITE3" "$STATE/registry.db" 'SELECT count(*) FROM cert')" = 4 ] &&
	ok "exactly the four successful issues are in the registry" ||
	not_ok "exactly the four successful issues are in the registry" "$(cowork cert list)"
lacks "radiusd's log holds no PKCS#12 password" "$P12PW" "$server_log"
