#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Self-enrollment files as the enrollment service makes them (tests/tools/
# mkenroll: a fresh CA, a device's PKCS#12, the .eap-config, the Apple
# profile with its password, signed): read back by the checkers
# tests/tools/check_eapconfig.py (our XSD, python3-cryptography) and
# check_mobileconfig.py (plistlib, openssl cms), and by openssl smime. No
# server; a few seconds.
# shellcheck disable=SC2154 # make check sets top_srcdir
. "$top_srcdir/tests/integration/harness.sh"

MKENROLL=${MKENROLL:-$top_builddir/tests/tools/mkenroll}
# Debian's python3: it has python3-lxml and python3-cryptography (scripts/install-deps.sh).
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=python3; fi
EAPCHECK="$top_srcdir/tests/tools/check_eapconfig.py"
APPLECHECK="$top_srcdir/tests/tools/check_mobileconfig.py"
ORG='Test & <Space> "Q" '\''s'
SSID='会員 & <Wi-Fi>'
SERVER=radius.test.example
# XML's special characters in the password too.
P12PW='k7m2x-9qhf<&>-3wz8c'
export P12PW OPENSSL

# prints DESC WANT COMMAND...: the command succeeds and prints the line WANT (two tests).
prints() {
	pr_desc=$1
	pr_want=$2
	shift 2
	run_rc 0 "$pr_desc" "$@"
	has "... printing $pr_want" "^$pr_want\$" "$TMP/out"
}

# rejects DESC PATTERN COMMAND...: the command exits 1 saying PATTERN (extended regex) on stderr (two tests).
rejects() {
	rj_desc=$1
	rj_pat=$2
	shift 2
	run_rc 1 "$rj_desc" "$@"
	has "... saying /$rj_pat/" "$rj_pat" "$TMP/err"
}

# edited SRC DST OLD NEW: DST is SRC with the first OLD (bytes) replaced by NEW.
edited() {
	"$PY" -c 'import sys
src, dst, old, new = sys.argv[1:5]
data = open(src, "rb").read()
assert old.encode() in data, old
open(dst, "wb").write(data.replace(old.encode(), new.encode(), 1))' "$@"
}

# enroll DESC DIR ARGS...: mkenroll ARGS... (which name DIR) writes into the new directory DIR.
enroll() {
	en_desc=$1
	en_dir=$2
	shift 2
	if mkdir "$en_dir" && "$MKENROLL" "$@" >"$TMP/mkenroll.out" 2>&1; then
		ok "$en_desc"
	else
		not_ok "$en_desc" "$(cat "$TMP/mkenroll.out")"
		return 1
	fi
}

D=$TMP/alice
enroll "mkenroll writes alice's files" "$D" "$D" alice "$ORG" "$SSID" "$SERVER" || exit 1

# ---- .eap-config ------------------------------------------------------------------------

prints ".eap-config: valid against our XSD, CA and PKCS#12 open with its Passphrase, CN alice" alice \
	"$PY" "$EAPCHECK" "$D/alice.eap-config" --ssid "$SSID" --server-name "$SERVER" --member alice --org "$ORG" \
	--ca "$D/ca.pem"
lacks ".eap-config: no default namespace (as CAT and letswifi-portal write it)" 'xmlns=' "$D/alice.eap-config"
has ".eap-config: the password XML-escaped" '<Passphrase>k7m2x-9qhf&lt;&amp;&gt;-3wz8c</Passphrase>' \
	"$D/alice.eap-config"
rejects ".eap-config checker: another SSID is a mismatch" 'SSID is' \
	"$PY" "$EAPCHECK" "$D/alice.eap-config" --ssid Other
rejects ".eap-config checker: another CA is a mismatch" 'not the one of' \
	"$PY" "$EAPCHECK" "$D/alice.eap-config" --ca "$D/signer.pem"
edited "$D/alice.eap-config" "$TMP/peap.eap-config" '<Type>13</Type>' '<Type>25</Type>'
rejects ".eap-config checker: EAP type 25 is not valid against our XSD" 'not valid against eap-metadata.xsd' \
	"$PY" "$EAPCHECK" "$TMP/peap.eap-config"
edited "$D/alice.eap-config" "$TMP/wrapped.eap-config" 'encoding="base64">MII' "$(printf 'encoding="base64">\nMII')"
rejects ".eap-config checker: base64 over two lines is not valid (the apps read one)" 'not valid' \
	"$PY" "$EAPCHECK" "$TMP/wrapped.eap-config"
edited "$D/alice.eap-config" "$TMP/badpw.eap-config" '<Passphrase>k' '<Passphrase>x'
rejects ".eap-config checker: a wrong Passphrase does not open the PKCS#12" 'does not open' \
	"$PY" "$EAPCHECK" "$TMP/badpw.eap-config"

# ---- Apple profile, signed -------------------------------------------------------------

prints "signed profile: verifies against the CA, payloads cross-referenced, PKCS#12 opens with Password" alice \
	"$PY" "$APPLECHECK" "$D/alice.signed.mobileconfig" --signed --ssid "$SSID" --server-name "$SERVER" \
	--member alice --org "$ORG" --ca "$D/ca.pem"
if "$OPENSSL" smime -verify -inform der -in "$D/alice.signed.mobileconfig" -CAfile "$D/ca.pem" -purpose any \
	-out "$TMP/content" >"$TMP/smime.out" 2>&1; then
	ok "openssl smime -verify -inform der: Verification successful"
else
	not_ok "openssl smime -verify -inform der: Verification successful" "$(cat "$TMP/smime.out")"
fi
check "... and the signed content is the profile, byte for byte" cmp "$TMP/content" "$D/alice.mobileconfig"
"$OPENSSL" pkcs7 -inform der -in "$D/alice.signed.mobileconfig" -print_certs -noout >"$TMP/certs" 2>&1
has "the signature carries the signer's certificate" "subject=.*CN ?= ?enroll\\.$SERVER" "$TMP/certs"
has "... and its chain (the CA from the chain file)" 'subject=.*CN ?= ?"?Test .* Member CA' "$TMP/certs"
edited "$D/alice.signed.mobileconfig" "$TMP/altered.mobileconfig" '<string>alice</string>' '<string>mallory</string>'
rejects "an altered signed profile does not verify" 'signature does not verify' \
	"$PY" "$APPLECHECK" "$TMP/altered.mobileconfig"
rejects "the signed profile does not verify against another CA" 'signature does not verify' \
	"$PY" "$APPLECHECK" "$D/alice.signed.mobileconfig" --ca "$D/signer.pem"
rejects "--signed refuses the unsigned profile" 'not signed' "$PY" "$APPLECHECK" "$D/alice.mobileconfig" --signed

# ---- Apple profile, unsigned ---------------------------------------------------------------

prints "unsigned profile with Password: the checker opens the PKCS#12 with it" alice \
	"$PY" "$APPLECHECK" "$D/alice.mobileconfig" --ssid "$SSID" --server-name "$SERVER" --member alice
prints "profile without Password (--asks): the PKCS#12 opens with \$P12PW" alice \
	"$PY" "$APPLECHECK" "$D/alice.asks.mobileconfig" --asks --ca "$D/ca.pem"
lacks "... and that profile does not hold the password" 'k7m2x' "$D/alice.asks.mobileconfig"
rejects "... which the checker requires unless --asks" 'holds no Password' "$PY" "$APPLECHECK" \
	"$D/alice.asks.mobileconfig"
rejects "another server name is a mismatch" 'TLSTrustedServerNames is' \
	"$PY" "$APPLECHECK" "$D/alice.mobileconfig" --server-name radius.other.example

# ---- a legacy (3DES) PKCS#12, as older devices need -----------------------------------------

L=$TMP/bob
enroll "mkenroll --legacy-p12 writes bob's files" "$L" --legacy-p12 "$L" bob "$ORG" CoworkMembers "$SERVER"
"$OPENSSL" pkcs12 -info -noout -in "$L/bob.p12" -passin env:P12PW >"$TMP/bob-info" 2>&1
has "... its PKCS#12 is 3DES" 'pbeWithSHA1And3-KeyTripleDES-CBC' "$TMP/bob-info"
prints "... in the .eap-config" bob "$PY" "$EAPCHECK" "$L/bob.eap-config" --member bob --ca "$L/ca.pem"
prints "... in the signed profile" bob "$PY" "$APPLECHECK" "$L/bob.signed.mobileconfig" --signed --member bob \
	--ca "$L/ca.pem"
