#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# coworkctl as an admin uses it: the documented command lines, --help
# everywhere, refusals that name the problem and change nothing, file
# modes, and the facts of the CA, server and member certificates.
# No RADIUS server is started; everything lives under $TMP.
# shellcheck disable=SC2154 # make check sets top_srcdir
. "$top_srcdir/tests/integration/harness.sh"

if command -v python3 >/dev/null 2>&1 && python3 -c 'import json' >/dev/null 2>&1; then
	HAVE_PYTHON=yes
else
	HAVE_PYTHON=
fi

# ---- helpers ---------------------------------------------------------------

mode_of() {
	stat -c %a "$1"
}

# helps DESC COMMAND...: `coworkctl COMMAND... --help` exits 0 with "usage:"
# on stdout, and touches no state directory.
helps() {
	hp_desc=$1
	shift
	"$COWORKCTL" -d "$TMP/no-state" "$@" --help >"$TMP/out" 2>"$TMP/err"
	hp_rc=$?
	if [ "$hp_rc" != 0 ]; then
		not_ok "$hp_desc" "exit $hp_rc" "$(tail -n 5 "$TMP/err")"
	elif ! grep -q "usage:" "$TMP/out"; then
		not_ok "$hp_desc" "no 'usage:' on stdout" "$(head -n 5 "$TMP/out")"
	else
		ok "$hp_desc"
	fi
}

# is_equal DESC GOT WANT
is_equal() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "got '$2'" "want '$3'"
	fi
}

# json_has DESC FILE KEY...: FILE is one JSON value (an object, or an
# array whose first element is an object) with all the KEYs.
json_has() {
	jh_desc=$1
	jh_file=$2
	shift 2
	if [ -n "$HAVE_PYTHON" ]; then
		if python3 -c '
import json, sys
d = json.load(sys.stdin)
if isinstance(d, list):
    d = d[0]
missing = [k for k in sys.argv[1:] if k not in d]
sys.exit("missing keys: %s" % missing if missing else 0)' "$@" <"$jh_file" >"$TMP/json.err" 2>&1; then
			ok "$jh_desc"
		else
			not_ok "$jh_desc" "$(tail -n 5 "$TMP/json.err")" "$(head -c 400 "$jh_file")"
		fi
		return
	fi
	# Without python3: the keys, and balanced brackets.
	for jh_key in "$@"; do
		if ! grep -q "\"$jh_key\" *:" "$jh_file"; then
			not_ok "$jh_desc" "no key \"$jh_key\" (checked without python3)" "$(head -c 400 "$jh_file")"
			return
		fi
	done
	if [ "$(tr -cd '{' <"$jh_file" | wc -c)" -ne "$(tr -cd '}' <"$jh_file" | wc -c)" ]; then
		not_ok "$jh_desc" "unbalanced braces (checked without python3)"
	else
		ok "$jh_desc (keys only: no python3)"
	fi
}

# json_object_of FILE SERIAL: the cert list --json object of SERIAL, on one line.
json_object_of() {
	tr '}' '\n' <"$1" | grep "\"serial\": *\"$2\""
}

# cert_time FILE -startdate|-enddate: the date as Unix time.
cert_time() {
	date -d "$("$OPENSSL" x509 -in "$1" -noout "$2" | sed 's/^[^=]*=//')" +%s
}

# openssl's serial of FILE as coworkctl writes it: lowercase, no leading zeros.
openssl_serial() {
	"$OPENSSL" x509 -in "$1" -noout -serial | sed 's/^serial=//' | tr 'A-F' 'a-f' | sed 's/^0*//'
}

# The "serial: HEX" line of the last cert issue ($TMP/out).
issued_serial() {
	sed -n 's/^serial: //p' "$TMP/out"
}

issued_password() {
	sed -n 's/^PKCS#12 password: //p' "$TMP/out"
}

# p12_opens FILE PASSWORD [ARGS...]: openssl can read FILE with PASSWORD.
p12_opens() {
	p12_file=$1
	P12PW=$2
	export P12PW
	shift 2
	"$OPENSSL" pkcs12 -in "$p12_file" -passin env:P12PW "$@"
}

# ---- the documented command lines, on a fresh state directory ---------------

STATE=$TMP/demo
# The membership end of the examples; after it has passed, a year later.
ALICE_UNTIL=2027-12-31
if [ "$(date +%Y%m%d)" -gt 20271231 ]; then
	ALICE_UNTIL=$(($(date +%Y) + 1))-12-31
	diag "2027-12-31 is past: using --until $ALICE_UNTIL instead"
fi

run_rc 0 "init --org \"Demo Space\" --server-name radius.demo.test" \
	cowork init --org "Demo Space" --server-name radius.demo.test
[ -f "$STATE/registry.db" ] || {
	not_ok "init created $STATE/registry.db"
	exit 1
}
run_rc 0 "vlan set --staff 10,20 --members 100-189 --shared 190 --guest 300" \
	cowork vlan set --staff 10,20 --members 100-189 --shared 190 --guest 300
run_rc 0 "ssid add CoworkMembers --class member" cowork ssid add CoworkMembers --class member
run_rc 0 "ssid add CoworkGuest --class guest" cowork ssid add CoworkGuest --class guest
run_rc 0 "ssid add Staff --class staff" cowork ssid add Staff --class staff
run_rc 0 "tenant add acme" cowork tenant add acme
has "tenant add acme prints VLAN 100" "VLAN 100" "$TMP/out"
run_rc 0 "member add alice --tenant acme --until $ALICE_UNTIL" \
	cowork member add alice --tenant acme --until "$ALICE_UNTIL"
run_rc 0 "member add bob" cowork member add bob
run_rc 0 "ssid list shows the three SSIDs" cowork ssid list
if grep -q CoworkMembers "$TMP/out" && grep -q CoworkGuest "$TMP/out" && grep -q '^Staff ' "$TMP/out"; then
	ok "ssid list names CoworkMembers, CoworkGuest and Staff"
else
	not_ok "ssid list names CoworkMembers, CoworkGuest and Staff" "$(cat "$TMP/out")"
fi
# SSIDs are bytes an admin types: quotes, backslashes and UTF-8 survive into JSON.
ODD_SSID='Caf"é\Lounge'
JP_SSID=$(printf '\344\274\232\345\223\241Wi-Fi')
run_rc 0 "ssid add with a quote, a backslash and UTF-8" cowork ssid add "$ODD_SSID" --class guest
run_rc 0 "ssid add 会員Wi-Fi (UTF-8)" cowork ssid add "$JP_SSID" --class member
run_rc 0 "ssid list --json" cowork ssid list --json
if [ -n "$HAVE_PYTHON" ]; then
	python3 -c '
import json, os, sys
names = [s["name"].encode("utf-8") for s in json.loads(sys.stdin.buffer.read().decode("utf-8"))]
want = [os.fsencode(a) for a in sys.argv[1:]]
sys.exit(0 if all(n in names for n in want) else "names: %r" % names)' "$ODD_SSID" "$JP_SSID" \
		<"$TMP/out" >"$TMP/json.err" 2>&1
	ssid_json_rc=$?
else
	grep -qF '"Caf\"é\\Lounge"' "$TMP/out" && grep -qF "\"$JP_SSID\"" "$TMP/out"
	ssid_json_rc=$?
fi
if [ "$ssid_json_rc" = 0 ]; then
	ok "ssid list --json escapes the names and keeps UTF-8"
else
	not_ok "ssid list --json escapes the names and keeps UTF-8" "$(cat "$TMP/json.err" 2>/dev/null)" "$(cat "$TMP/out")"
fi
run_rc 0 "ssid remove (quote, backslash)" cowork ssid remove "$ODD_SSID"
run_rc 0 "ssid remove 会員Wi-Fi" cowork ssid remove "$JP_SSID"
run_rc 0 "ssid list after removing" cowork ssid list
lacks "the removed SSIDs are gone" 'Lounge|Wi-Fi' "$TMP/out"

run_rc 0 "vlan show --json" cowork vlan show --json
json_has "vlan show --json is JSON with staff, members, shared, guest" "$TMP/out" staff members shared guest

# ---- init: modes and files ---------------------------------------------------

is_equal "state directory is 0700" "$(mode_of "$STATE")" 700
is_equal "ca/ca.key is 0600" "$(mode_of "$STATE/ca/ca.key")" 600
is_equal "server/server.key is 0600" "$(mode_of "$STATE/server/server.key")" 600
is_equal "registry.db is 0600" "$(mode_of "$STATE/registry.db")" 600
if find "$TMP" -maxdepth 1 -name '.*.init-*' | grep -q .; then
	not_ok "init leaves no temporary directory beside the state" "$(ls -A "$TMP")"
else
	ok "init leaves no temporary directory beside the state"
fi

# ---- CA and server certificate -------------------------------------------------

CA=$STATE/ca/ca.pem
SRV=$STATE/server/server.pem
"$OPENSSL" pkey -in "$STATE/ca/ca.key" -noout -text >"$TMP/cakey.txt" 2>&1
has "CA key is EC P-256" 'NIST CURVE: P-256|ASN1 OID: prime256v1' "$TMP/cakey.txt"
"$OPENSSL" x509 -in "$CA" -noout -text >"$TMP/ca.txt" 2>&1
has "CA certificate is a CA (basicConstraints CA:TRUE)" 'CA:TRUE' "$TMP/ca.txt"
"$OPENSSL" x509 -in "$SRV" -noout -text >"$TMP/server.txt" 2>&1
has "server certificate has the TLS Web Server Authentication EKU" 'TLS Web Server Authentication' "$TMP/server.txt"
has "server certificate has SAN DNS:radius.demo.test" 'DNS:radius\.demo\.test' "$TMP/server.txt"
srv_start=$(cert_time "$SRV" -startdate)
srv_end=$(cert_time "$SRV" -enddate)
if [ -n "$srv_start" ] && [ -n "$srv_end" ] && [ $((srv_end - srv_start)) -le $((825 * 86400)) ] &&
	[ "$srv_end" -le $(($(date +%s) + 825 * 86400)) ]; then
	ok "server certificate is valid for at most 825 days"
else
	not_ok "server certificate is valid for at most 825 days" "notBefore $srv_start notAfter $srv_end"
fi
check "server certificate verifies against ca.pem" "$OPENSSL" verify -CAfile "$CA" "$SRV"
"$OPENSSL" pkey -in "$STATE/server/server.key" -pubout >"$TMP/srvkey.pub" 2>&1
"$OPENSSL" x509 -in "$SRV" -noout -pubkey >"$TMP/srvcert.pub" 2>&1
check "server.key is the server certificate's key" cmp -s "$TMP/srvkey.pub" "$TMP/srvcert.pub"

# ---- member certificates -----------------------------------------------------

OUT1=$TMP/out1
run_rc 0 "cert issue alice --out DIR" cowork cert issue alice --out "$OUT1"
SERIAL1=$(issued_serial)
PW1=$(issued_password)
cp "$TMP/out" "$TMP/issue1.out"
if [ -f "$OUT1/alice.key" ] && [ -f "$OUT1/alice.pem" ] && [ -f "$OUT1/alice.p12" ]; then
	ok "cert issue wrote alice.key, alice.pem and alice.p12"
else
	not_ok "cert issue wrote alice.key, alice.pem and alice.p12" "$(ls -l "$OUT1" 2>&1)"
fi
has "cert issue prints \"serial: <hex>\"" '^serial: [0-9a-f]+$' "$TMP/issue1.out"
is_equal "member key file is 0600" "$(mode_of "$OUT1/alice.key")" 600
is_equal "member PKCS#12 file is 0600" "$(mode_of "$OUT1/alice.p12")" 600
"$OPENSSL" x509 -in "$OUT1/alice.pem" -noout -subject -nameopt RFC2253 >"$TMP/subject" 2>&1
has "member certificate subject has CN=alice" '(=|,)CN=alice(,|$)' "$TMP/subject"
"$OPENSSL" x509 -in "$OUT1/alice.pem" -noout -ext extendedKeyUsage >"$TMP/eku" 2>&1
is_equal "member certificate EKU is clientAuth only" \
	"$(sed -n '2,$p' "$TMP/eku" | sed 's/^ *//; s/ *$//')" "TLS Web Client Authentication"
check "member certificate verifies against ca.pem" "$OPENSSL" verify -CAfile "$CA" "$OUT1/alice.pem"
is_equal "printed serial equals openssl's (lowercase, no leading zeros)" "$(openssl_serial "$OUT1/alice.pem")" "$SERIAL1"
if [ "${#SERIAL1}" -ge 16 ]; then
	ok "serial has at least 64 bits (${#SERIAL1} hex digits)"
else
	not_ok "serial has at least 64 bits" "serial '$SERIAL1'"
fi
"$OPENSSL" pkey -in "$OUT1/alice.key" -pubout >"$TMP/alicekey.pub" 2>&1
"$OPENSSL" x509 -in "$OUT1/alice.pem" -noout -pubkey >"$TMP/alicecert.pub" 2>&1
check "alice.key is the certificate's key" cmp -s "$TMP/alicekey.pub" "$TMP/alicecert.pub"

# Validity: never beyond the end of the membership (local time).
alice_end=$(cert_time "$OUT1/alice.pem" -enddate)
until_end=$(date -d "$ALICE_UNTIL 23:59:59" +%s)
if [ -n "$alice_end" ] && [ "$alice_end" -le "$until_end" ]; then
	ok "alice's certificate ends no later than the end of $ALICE_UNTIL"
else
	not_ok "alice's certificate ends no later than the end of $ALICE_UNTIL" "notAfter $alice_end, day ends $until_end"
fi

# PKCS#12
if [ -n "$PW1" ] && p12_opens "$OUT1/alice.p12" "$PW1" -nokeys -noout >"$TMP/p12.out" 2>&1; then
	ok "PKCS#12 opens with the printed password"
else
	not_ok "PKCS#12 opens with the printed password" "$(tail -n 5 "$TMP/p12.out")"
fi
if p12_opens "$OUT1/alice.p12" "not-the-password" -nokeys -noout >"$TMP/p12.out" 2>&1; then
	not_ok "PKCS#12 does not open with a wrong password"
else
	ok "PKCS#12 does not open with a wrong password"
fi
p12_opens "$OUT1/alice.p12" "$PW1" -nocerts -nodes 2>/dev/null | "$OPENSSL" pkey -pubout >"$TMP/p12key.pub" 2>&1
check "PKCS#12 holds alice's key" cmp -s "$TMP/p12key.pub" "$TMP/alicekey.pub"
p12_opens "$OUT1/alice.p12" "$PW1" -nokeys -cacerts >"$TMP/p12ca.pem" 2>&1
has "PKCS#12 holds the CA certificate" 'Member CA' "$TMP/p12ca.pem"
p12_opens "$OUT1/alice.p12" "$PW1" -info -noout >"$TMP/p12info" 2>&1
has "default PKCS#12 uses AES-256" 'AES-256' "$TMP/p12info"
if [ -n "$PW1" ] && ! grep -rqF -- "$PW1" "$OUT1"; then
	ok "the PKCS#12 password is in no file of the output directory"
else
	not_ok "the PKCS#12 password is in no file of the output directory"
fi

OUT2=$TMP/out2
run_rc 0 "cert issue alice again, into another directory" cowork cert issue alice --out "$OUT2"
SERIAL2=$(issued_serial)
if [ -n "$SERIAL2" ] && [ "$SERIAL2" != "$SERIAL1" ]; then
	ok "two certificates have different serials"
else
	not_ok "two certificates have different serials" "'$SERIAL1' and '$SERIAL2'"
fi

OUT3=$TMP/out3
run_rc 0 "cert issue alice --p12-legacy" cowork cert issue alice --out "$OUT3" --p12-legacy
SERIAL3=$(issued_serial)
PW3=$(issued_password)
if [ -n "$PW3" ] && p12_opens "$OUT3/alice.p12" "$PW3" -info -noout >"$TMP/p12info" 2>&1; then
	ok "--p12-legacy PKCS#12 opens with its password"
else
	not_ok "--p12-legacy PKCS#12 opens with its password" "$(tail -n 5 "$TMP/p12info")"
fi
has "--p12-legacy PKCS#12 uses 3DES" 'TripleDES' "$TMP/p12info"
run_rc 0 "cert issue alice --legacy-p12 (the documented spelling)" cowork cert issue alice --out "$TMP/out3b" --legacy-p12
if p12_opens "$TMP/out3b/alice.p12" "$(issued_password)" -info -noout >"$TMP/p12info" 2>&1; then
	has "--legacy-p12 PKCS#12 uses 3DES" 'TripleDES' "$TMP/p12info"
else
	not_ok "--legacy-p12 PKCS#12 opens with its password" "$(tail -n 5 "$TMP/p12info")"
fi

# A membership ending in 3 days caps a 365-day certificate at that day's end.
SHORT_UNTIL=$(date -d '+3 days' +%F)
run_rc 0 "member add dana --until $SHORT_UNTIL (3 days from now)" cowork member add dana --until "$SHORT_UNTIL"
run_rc 0 "cert issue dana --days 365" cowork cert issue dana --out "$TMP/out-dana" --days 365
dana_end=$(cert_time "$TMP/out-dana/dana.pem" -enddate)
day_start=$(date -d "$SHORT_UNTIL 00:00:00" +%s)
day_end=$(date -d "$SHORT_UNTIL 23:59:59" +%s)
if [ -n "$dana_end" ] && [ "$dana_end" -gt "$day_start" ] && [ "$dana_end" -le "$day_end" ]; then
	ok "certificate ends on the membership's last day, not after it"
else
	not_ok "certificate ends on the membership's last day, not after it" \
		"notAfter $dana_end; $SHORT_UNTIL is $day_start..$day_end"
fi

# The same in a time zone far from UTC (UTC+9): dates are local dates.
SHORT_JST=$(TZ=JST-9 date -d '+3 days' +%F)
run_rc 0 "TZ=JST-9: member add kenji --until $SHORT_JST" \
	env TZ=JST-9 "$COWORKCTL" -d "$STATE" member add kenji --until "$SHORT_JST"
run_rc 0 "TZ=JST-9: cert issue kenji --days 365" \
	env TZ=JST-9 "$COWORKCTL" -d "$STATE" cert issue kenji --out "$TMP/out-kenji" --days 365
kenji_end=$(cert_time "$TMP/out-kenji/kenji.pem" -enddate)
day_start=$(TZ=JST-9 date -d "$SHORT_JST 00:00:00" +%s)
day_end=$(TZ=JST-9 date -d "$SHORT_JST 23:59:59" +%s)
if [ -n "$kenji_end" ] && [ "$kenji_end" -gt "$day_start" ] && [ "$kenji_end" -le "$day_end" ]; then
	ok "TZ=JST-9: certificate ends on the membership's last local day"
else
	not_ok "TZ=JST-9: certificate ends on the membership's last local day" \
		"notAfter $kenji_end; $SHORT_JST in JST is $day_start..$day_end"
fi

run_rc 0 "cert issue bob --json" cowork cert issue bob --out "$TMP/out-bob" --json
cp "$TMP/out" "$TMP/issue-bob.json"
json_has "cert issue --json is JSON with serial and p12_password" "$TMP/issue-bob.json" serial p12_password p12_file
BOB_SERIAL=$(sed -n 's/.*"serial": *"\([0-9a-f]*\)".*/\1/p' "$TMP/issue-bob.json")

# ---- listing -------------------------------------------------------------------

run_rc 0 "cert list" cowork cert list
has "cert list shows alice's first certificate" "^$SERIAL1 +alice +valid" "$TMP/out"
run_rc 0 "cert list --member alice" cowork cert list --member alice
cp "$TMP/out" "$TMP/list-alice"
has "cert list --member alice shows her certificates" "^$SERIAL2 +alice" "$TMP/list-alice"
lacks "cert list --member alice leaves out bob's" "bob|${BOB_SERIAL:-no-bob-serial}" "$TMP/list-alice"
run_rc 0 "cert list --json" cowork cert list --json
json_has "cert list --json is JSON with serial, member, status, not_after" "$TMP/out" serial member status not_after
run_rc 0 "cert list --member alice --json" cowork cert list --member alice --json
json_has "cert list --member alice --json is JSON" "$TMP/out" serial member status
lacks "cert list --member alice --json leaves out bob" '"member": *"bob"' "$TMP/out"
run_rc 0 "cert list --member bob" cowork cert list --member bob
has "cert list --member bob shows his certificate" "^${BOB_SERIAL:-no-bob-serial} +bob +valid" "$TMP/out"
run_rc 0 "member show alice --json" cowork member show alice --json
cp "$TMP/out" "$TMP/alice.json"
json_has "member show alice --json is JSON with name, tenant, status, until_date" "$TMP/alice.json" \
	name tenant tenant_vlan status until_date
has "member show alice --json: tenant acme on VLAN 100" '"tenant": *"acme", *"tenant_vlan": *100' "$TMP/alice.json"
has "member show alice --json: until $ALICE_UNTIL" "\"until_date\": *\"$ALICE_UNTIL\"" "$TMP/alice.json"
run_rc 0 "member list" cowork member list
has "member list shows alice in tenant acme" '^alice +acme +active' "$TMP/out"
run_rc 0 "tenant list --json" cowork tenant list --json
json_has "tenant list --json is JSON with name and vlan" "$TMP/out" name vlan members

# ---- COWORK_STATE ----------------------------------------------------------------

run_rc 0 "COWORK_STATE stands for -d (member list)" env COWORK_STATE="$STATE" "$COWORKCTL" member list
has "COWORK_STATE: member list shows alice" '^alice ' "$TMP/out"
run_rc 0 "COWORK_STATE stands for -d (member add erin)" env COWORK_STATE="$STATE" "$COWORKCTL" member add erin
run_rc 0 "member erin is in the registry COWORK_STATE named" cowork member show erin
run_rc 0 "-d wins over COWORK_STATE" env COWORK_STATE="$TMP/nowhere" "$COWORKCTL" -d "$STATE" member show alice

# ---- revocation ----------------------------------------------------------------------

run_rc 0 "cert revoke SERIAL --reason key-compromise" cowork cert revoke "$SERIAL1" --reason key-compromise
run_rc 0 "cert list after revoking" cowork cert list
has "cert list shows the certificate revoked (key-compromise)" "^$SERIAL1 +alice +revoked .*\\(key-compromise\\)" "$TMP/out"
has "cert list still shows the other certificate valid" "^$SERIAL2 +alice +valid" "$TMP/out"
run_rc 0 "cert list --json after revoking" cowork cert list --json
if json_object_of "$TMP/out" "$SERIAL1" | grep -q '"status": *"revoked".*"revoke_reason": *"key-compromise"'; then
	ok "cert list --json shows status revoked, reason key-compromise"
else
	not_ok "cert list --json shows status revoked, reason key-compromise" "$(json_object_of "$TMP/out" "$SERIAL1")"
fi
run_rc 0 "revoking again exits 0" cowork cert revoke "$SERIAL1" --reason superseded
has "revoking again says \"already revoked\"" 'already revoked' "$TMP/out"
run_rc 0 "cert show after revoking twice" cowork cert show "$SERIAL1"
has "the second revoke kept the first reason" '^revoked .*\(key-compromise\)' "$TMP/out"

# The serial as openssl prints it: uppercase, and with colons.
SERIAL2_COLONS=$("$OPENSSL" x509 -in "$OUT2/alice.pem" -noout -serial | sed 's/^serial=//; s/../&:/g; s/:$//')
run_rc 0 "cert revoke with the serial uppercase with colons ($SERIAL2_COLONS)" \
	cowork cert revoke "$SERIAL2_COLONS" --reason key-compromise
has "revoke by colon form names the normalised serial" "$SERIAL2" "$TMP/out"
run_rc 0 "cert list after revoking by colon form" cowork cert list --member alice
has "the colon-form revoke revoked the right certificate" "^$SERIAL2 +alice +revoked" "$TMP/out"
has "the --p12-legacy certificate is still valid" "^${SERIAL3:-no-serial3} +alice +valid" "$TMP/out"

# ---- suspend and resume -----------------------------------------------------------------

run_rc 0 "member suspend alice" cowork member suspend alice
run_rc 0 "member show alice after suspend" cowork member show alice --json
has "alice is suspended" '"status": *"suspended"' "$TMP/out"
refused 1 "suspending an already suspended member is refused" 'alice.*already suspended' \
	cowork member suspend alice
refused 1 "cert issue for a suspended member is refused" 'alice.*suspended' \
	cowork cert issue alice --out "$TMP/out-suspended"
if ls "$TMP/out-suspended"/alice.* >/dev/null 2>&1; then
	not_ok "cert issue for a suspended member wrote no files"
else
	ok "cert issue for a suspended member wrote no files"
fi
run_rc 0 "member resume alice" cowork member resume alice
run_rc 0 "member show alice after resume" cowork member show alice --json
has "alice is active again" '"status": *"active"' "$TMP/out"
refused 1 "resuming an active member is refused" 'alice' cowork member resume alice

# ---- --help everywhere ------------------------------------------------------------------

helps "init --help" init
helps "vlan --help" vlan
helps "vlan set --help" vlan set
helps "vlan show --help" vlan show
helps "ssid --help" ssid
helps "ssid add --help" ssid add
helps "ssid remove --help" ssid remove
helps "ssid list --help" ssid list
helps "tenant --help" tenant
helps "tenant add --help" tenant add
helps "tenant remove --help" tenant remove
helps "tenant list --help" tenant list
helps "member --help" member
helps "member add --help" member add
helps "member suspend --help" member suspend
helps "member resume --help" member resume
helps "member remove --help" member remove
helps "member show --help" member show
helps "member list --help" member list
helps "cert --help" cert
helps "cert issue --help" cert issue
helps "cert renew --help" cert renew
helps "cert revoke --help" cert revoke
helps "cert list --help" cert list
helps "cert show --help" cert show
helps "crl --help" crl
"$COWORKCTL" -d "$TMP/no-state" cert list --help >"$TMP/out" 2>&1
has "cert list --help documents --expiring" '--expiring DAYS' "$TMP/out"
"$COWORKCTL" -d "$TMP/no-state" crl --help >"$TMP/out" 2>&1
has "crl --help documents --days 1-7 and --der" '--days N +validity, 1-7 days' "$TMP/out"
has "crl --help lists --der" '--der ' "$TMP/out"
run_rc 0 "coworkctl -h" "$COWORKCTL" -h
has "coworkctl -h prints usage:" 'usage:' "$TMP/out"
run_rc 0 "coworkctl --help" "$COWORKCTL" --help
has "coworkctl --help lists the commands" '^  cert ' "$TMP/out"
if [ -e "$TMP/no-state" ]; then
	not_ok "--help created no state directory"
else
	ok "--help created no state directory"
fi

# ---- refusals: non-zero exit, a message naming the problem, nothing changed -----------

refused 1 "cert issue carol: unknown member" 'unknown member carol' cowork cert issue carol --out "$TMP/out-carol"
if ls "$TMP/out-carol"/carol.* >/dev/null 2>&1; then
	not_ok "cert issue carol wrote no files"
else
	ok "cert issue carol wrote no files"
fi
refused 1 "member suspend carol: unknown member" 'unknown member carol' cowork member suspend carol
refused 1 "member show carol: unknown member" 'unknown member carol' cowork member show carol
refused 1 "cert list --member carol: unknown member" 'unknown member carol' cowork cert list --member carol
refused 1 "tenant add x --vlan 10: not in the members pool" 'VLAN 10.*not in the members pool' \
	cowork tenant add x --vlan 10
refused 2 "tenant add x --vlan 5000: outside 1-4094" '--vlan.*1 to 4094' cowork tenant add x --vlan 5000
refused 1 "vlan set --members 10-30: overlaps the staff VLANs" 'VLAN 10.*staff' cowork vlan set --members 10-30
refused 1 "vlan set --guest 150: overlaps the members pool" 'VLAN 150.*(both|overlap).*members|members.*150' \
	cowork vlan set --guest 150
refused 2 "vlan set --guest 4095: outside 1-4094" '--guest.*4095.*1-4094' cowork vlan set --guest 4095
refused 2 "vlan set --guest 0: outside 1-4094" '--guest.*0.*1-4094' cowork vlan set --guest 0
refused 2 "vlan set --members 100-5000: outside 1-4094" '--members.*1-4094' cowork vlan set --members 100-5000
refused 2 "vlan set with nothing to set" 'nothing to set' cowork vlan set
refused 1 "vlan set --members 150-189 would leave tenant acme outside the pool" 'acme.*VLAN 100.*pool' \
	cowork vlan set --members 150-189
refused 1 "member add old --until 2020-01-01: already past" '--until 2020-01-01.*past' \
	cowork member add old --until 2020-01-01
refused 2 "member add feb --until 2027-02-30: no such day" '--until.*(day 30|2027-02-30)' \
	cowork member add feb --until 2027-02-30
refused 2 "member add yy --until 27-12-31: not YYYY-MM-DD" '--until.*YYYY-MM-DD' \
	cowork member add yy --until 27-12-31
refused 1 "member add alice: duplicate member" 'member alice already exists' cowork member add alice
refused 1 "tenant add acme: duplicate tenant" 'tenant acme already exists' cowork tenant add acme
refused 1 "ssid add Staff --class staff: duplicate SSID" 'SSID "Staff" already exists' \
	cowork ssid add Staff --class staff
refused 1 "ssid add Staff --class guest: duplicate SSID of another class" 'SSID "Staff" already exists' \
	cowork ssid add Staff --class guest
refused 1 "member add zed --tenant nope: unknown tenant" 'unknown tenant nope' cowork member add zed --tenant nope
refused 1 "tenant remove nope: unknown tenant" 'unknown tenant nope' cowork tenant remove nope
refused 1 "ssid remove Nowhere: unknown SSID" 'unknown SSID "Nowhere"' cowork ssid remove Nowhere
refused 2 "ssid add Lobby --class vip: unknown class" 'unknown class "vip"' cowork ssid add Lobby --class vip
refused 2 "ssid add Lobby without --class" '--class is required' cowork ssid add Lobby
refused 2 "ssid add with a control character" 'SSID' cowork ssid add "$(printf 'Lob\tby')" --class guest
refused 2 "member add Alice: invalid member id" 'invalid member id "Alice"' cowork member add Alice
refused 2 "tenant add Acme: invalid tenant id" 'invalid tenant id "Acme"' cowork tenant add Acme
refused 2 "member add dave --bogus: unknown option" 'unknown option --bogus' cowork member add dave --bogus
refused 2 "coworkctl --bogus: unknown option" 'unknown option --bogus' cowork --bogus member list
refused 2 "member add dave --tenant (no value): missing option value" '--tenant needs a value' \
	cowork member add dave --tenant
refused 2 "cert issue alice --out (no value): missing option value" '--out needs a value' \
	cowork cert issue alice --out
refused 2 "cert issue alice without --out" '--out DIR is required' cowork cert issue alice
refused 2 "cert issue alice --days 826: out of range" '--days.*1 to 825' \
	cowork cert issue alice --out "$TMP/out-days" --days 826
refused 2 "coworkctl -d (no value): missing option value" '-d needs a value' "$COWORKCTL" -d
refused 2 "member add: missing operand" 'missing argument' cowork member add
refused 2 "cert revoke: missing operand" 'missing argument' cowork cert revoke
refused 2 "member add dave erin: extra operand" "unexpected argument 'erin'" cowork member add dave erin
refused 2 "frobnicate: unknown command" "unknown command 'frobnicate'" cowork frobnicate
refused 2 "member frobnicate: unknown command" "unknown command 'member frobnicate'" cowork member frobnicate
refused 2 "member (no subcommand): a command is required" 'a command is required' cowork member
refused 2 "cert revoke --reason lost: unknown reason" 'reason "lost"' \
	cowork cert revoke "${SERIAL3:-1}" --reason lost
refused 1 "cert revoke of an unknown serial" 'unknown certificate serial 123456789abcdef' \
	cowork cert revoke 0123456789abcdef
refused 2 "cert revoke xyz: malformed serial" 'serial.*hex' cowork cert revoke xyz
refused 2 "cert show xyz: malformed serial" 'serial.*hex' cowork cert show xyz
refused 1 "tenant remove acme while alice is in it" 'acme.*member' cowork tenant remove acme

# cert issue must not overwrite an existing key.
sum_before=$(cksum <"$OUT1/alice.key")
refused 1 "cert issue alice into a DIR that has alice.key" 'alice\.key already exists' \
	cowork cert issue alice --out "$OUT1"
is_equal "the existing alice.key is untouched" "$(cksum <"$OUT1/alice.key")" "$sum_before"

# The CA key must stay private: a group-readable one is refused.
chmod 0640 "$STATE/ca/ca.key"
refused 1 "cert issue with a group-readable CA key is refused" 'ca\.key.*(group|others)' \
	cowork cert issue bob --out "$TMP/out-bob2"
chmod 0600 "$STATE/ca/ca.key"

# ---- init refusals -----------------------------------------------------------------

cp "$STATE/ca/ca.key" "$TMP/ca.key.orig"
refused 1 "a second init on the same directory is refused, naming the existing CA" \
	'already holds a CA.*ca/ca\.key' \
	cowork init --org "Other" --server-name radius.other.test
check "the second init left ca.key byte-identical" cmp -s "$TMP/ca.key.orig" "$STATE/ca/ca.key"

BUSY=$TMP/busy
mkdir "$BUSY"
echo "notes" >"$BUSY/notes.txt"
run_rc 1 "init into a non-empty directory without a CA is refused" \
	"$COWORKCTL" -d "$BUSY" init --org "Demo Space" --server-name radius.demo.test
has "init into a non-empty directory says it is not empty" 'not empty' "$TMP/err"
if [ ! -e "$BUSY/ca" ] && [ ! -e "$BUSY/registry.db" ] && [ "$(cat "$BUSY/notes.txt")" = notes ]; then
	ok "init into a non-empty directory changed nothing in it"
else
	not_ok "init into a non-empty directory changed nothing in it" "$(ls -la "$BUSY")"
fi

run_rc 2 "init without --org is a usage error" \
	"$COWORKCTL" -d "$TMP/noorg" init --server-name radius.demo.test
has "init without --org names --org" '--org is required' "$TMP/err"
run_rc 2 "init --server-name radius (one label) is a usage error" \
	"$COWORKCTL" -d "$TMP/onelabel" init --org "Demo Space" --server-name radius
has "init --server-name radius names the server name" 'server name' "$TMP/err"
run_rc 2 "init --group with an unknown group is a usage error" \
	"$COWORKCTL" -d "$TMP/nogroup" init --org "Demo Space" --server-name radius.demo.test \
	--group no-such-group-cowork
has "init --group names the unknown group" 'unknown group no-such-group-cowork' "$TMP/err"
if [ ! -e "$TMP/noorg" ] && [ ! -e "$TMP/onelabel" ] && [ ! -e "$TMP/nogroup" ]; then
	ok "refused inits created no directory"
else
	not_ok "refused inits created no directory" "$(ls -A "$TMP")"
fi

EMPTY=$TMP/empty
mkdir "$EMPTY"
chmod 0755 "$EMPTY"
run_rc 0 "init into an existing empty directory" \
	"$COWORKCTL" -d "$EMPTY" init --org "Demo Space" --server-name radius.demo.test
is_equal "init into an existing empty directory makes it 0700" "$(mode_of "$EMPTY")" 700

# ---- init --group ------------------------------------------------------------------------

GROUP=freerad
group_gid=$(getent group "$GROUP" 2>/dev/null | cut -d: -f3)
if [ -z "$group_gid" ]; then
	ok "init --group $GROUP # SKIP no $GROUP group"
elif [ "$(id -u)" != 0 ] && ! id -G | tr ' ' '\n' | grep -qx "$group_gid"; then
	ok "init --group $GROUP # SKIP neither root nor in group $GROUP"
else
	GSTATE=$TMP/grouped
	run_rc 0 "init --group $GROUP" \
		"$COWORKCTL" -d "$GSTATE" init --org "Demo Space" --server-name radius.demo.test --group "$GROUP"
	for d in "$GSTATE" "$GSTATE/ca" "$GSTATE/server"; do
		is_equal "--group: ${d#"$TMP"/} is 0750 with group $GROUP" \
			"$(stat -c '%a %g' "$d")" "750 $group_gid"
	done
	is_equal "--group: server.key is 0640 with group $GROUP" \
		"$(stat -c '%a %g' "$GSTATE/server/server.key")" "640 $group_gid"
	is_equal "--group: registry.db is 0640 with group $GROUP" \
		"$(stat -c '%a %g' "$GSTATE/registry.db")" "640 $group_gid"
	is_equal "--group: ca.key stays 0600, owned by the caller" \
		"$(stat -c '%a %u' "$GSTATE/ca/ca.key")" "600 $(id -u)"
	if [ "$(stat -c %g "$GSTATE/ca/ca.key")" != "$group_gid" ]; then
		ok "--group: ca.key is not in group $GROUP"
	else
		not_ok "--group: ca.key is not in group $GROUP"
	fi
	run_rc 0 "--group: member add on the grouped state" \
		"$COWORKCTL" -d "$GSTATE" member add gina
	run_rc 0 "--group: cert issue works on the grouped state" \
		"$COWORKCTL" -d "$GSTATE" cert issue gina --out "$TMP/out-gina"
fi
