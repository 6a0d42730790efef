#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Defence in depth in post-auth: an Access-Accept that rlm_cowork did not
# decide is refused, on any SSID, with the reason in radiusd's log and a
# row in the access log. The test's own configuration adds two ways to
# accept without cowork: EAP-MD5 in cowork_eap (as an operator adding
# PEAP, TTLS or MD5 would), and `Auth-Type := Accept` set by unlang for a
# user. First without cowork in post-auth (both are accepted: the test can
# fail), then as shipped (both refused), while members and guests, which
# cowork decides, are still accepted.
# Ports: 18445 (auth), 18446 (acct).
. "$top_srcdir/tests/integration/harness.sh"

PORT=18445
CERTS=$TMP/certs
MD5_PASSWORD=md5-$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')
mkdir -p "$CERTS"

init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
standard_space alice || { not_ok "registry set-up"; exit 1; }
issue alice && ALICE=$SERIAL || { not_ok "cert issue"; exit 1; }

# undecided_config: the shipped configuration plus EAP-MD5 for `intruder-md5`
# and Auth-Type := Accept for `intruder`.
undecided_config() {
	server_config "$TMP/state" $PORT || return 1
	sed -i 's|^	tls-config tls-cowork {|	md5 {\n\t}\n\n&|' "$CONF/mods-enabled/cowork_eap" &&
		grep -q '^	md5 {' "$CONF/mods-enabled/cowork_eap" || return 1
	awk -v pw="$MD5_PASSWORD" '
		{ print }
		/^	authorize {$/ && !done {
			print "\t\tif (&User-Name == \"intruder-md5\") {"
			print "\t\t\tupdate control {"
			print "\t\t\t\t&Cleartext-Password := \"" pw "\""
			print "\t\t\t}"
			print "\t\t}"
			print "\t\tif (&User-Name == \"intruder\") {"
			print "\t\t\tupdate control {"
			print "\t\t\t\t&Auth-Type := Accept"
			print "\t\t\t}"
			print "\t\t\tok"
			print "\t\t\treturn"
			print "\t\t}"
			done = 1
		}' "$CONF/sites-enabled/cowork" >"$TMP/site" && cat "$TMP/site" >"$CONF/sites-enabled/cowork"
}

cat >"$TMP/eapol-md5.conf" <<EOC
network={
	key_mgmt=IEEE8021X
	eapol_flags=0
	eap=MD5
	identity="intruder-md5"
	password="$MD5_PASSWORD"
}
EOC

# md5 SSID: EAP-MD5 as intruder-md5 on SSID; the result is in $TMP/eapol-md5.log.
md5() {
	eapol_run md5 "$TMP/eapol-md5.conf" "$1"
	grep -q "code=2 (Access-Accept)" "$TMP/eapol-md5.log"
}

# unlang_accept NAME SSID: a PAP request as `intruder` on SSID; passes on Access-Accept.
unlang_accept() {
	mac_auth "$1" --user-name intruder --password whatever --calling 02-00-00-00-00-77 \
		--called "02-00-00-00-00-01:$2"
	[ "$(field "$1" code)" = Access-Accept ]
}

# --- control: without cowork in post-auth, both are accepted --------------------------

undecided_config && sed -i '/^	post-auth {$/,/^	}$/ s|^		cowork$|		# cowork (removed for the control run)|' \
	"$CONF/sites-enabled/cowork" && grep -q 'removed for the control run' "$CONF/sites-enabled/cowork" &&
	server_run || { not_ok "radiusd starts (control run)"; exit 1; }
md5 CoworkMembers && ok "control: without cowork in post-auth, EAP-MD5 is accepted" ||
	not_ok "control: without cowork in post-auth, EAP-MD5 is accepted" "$(grep -E 'RADIUS message|EAP' "$TMP/eapol-md5.log" | tail -n 5)"
unlang_accept control CoworkMembers && ok "control: without cowork in post-auth, Auth-Type := Accept is accepted" ||
	not_ok "control: without cowork in post-auth, Auth-Type := Accept is accepted" "$(cat "$TMP/control.out")"
server_stop

# --- as shipped: cowork's post-auth refuses both ------------------------------------------

undecided_config && server_run || { not_ok "radiusd starts"; exit 1; }
ok "radiusd starts with EAP-MD5 and an unlang accept added"

for ssid in CoworkMembers CoworkGuest Staff; do
	mark=$(wc -l <"$server_log")
	if md5 $ssid; then
		not_ok "EAP-MD5 on $ssid: the Accept is turned into a Reject" "an Access-Accept was sent"
	elif grep -q "code=3 (Access-Reject)" "$TMP/eapol-md5.log" && grep -q "CTRL-EVENT-EAP-FAILURE" "$TMP/eapol-md5.log"; then
		ok "EAP-MD5 on $ssid: the Accept is turned into a Reject (with an EAP-Failure)"
	else
		not_ok "EAP-MD5 on $ssid: the Accept is turned into a Reject (with an EAP-Failure)" \
			"$(grep -E 'RADIUS message|EAP' "$TMP/eapol-md5.log" | tail -n 5)"
	fi
	tail -n +"$((mark + 1))" "$server_log" >"$TMP/since.log"
	has "... radiusd logs why" "reject \\(unset\\): an Access-Accept that rlm_cowork did not decide \\(EAP without a client certificate\\)" \
		"$TMP/since.log"
	has "... and its auth line says so" "Rejected in post-auth: \\[intruder-md5\\]" "$TMP/since.log"

	mark=$(wc -l <"$server_log")
	if unlang_accept "unlang-$ssid" $ssid; then
		not_ok "Auth-Type := Accept on $ssid: refused in post-auth" "$(cat "$TMP/unlang-$ssid.out")"
	elif [ "$(field "unlang-$ssid" code)" = Access-Reject ] && [ "$(field "unlang-$ssid" message_authenticator)" = ok ]; then
		ok "Auth-Type := Accept on $ssid: refused in post-auth (Access-Reject with Message-Authenticator)"
	else
		not_ok "Auth-Type := Accept on $ssid: refused in post-auth" "$(cat "$TMP/unlang-$ssid.out")"
	fi
	tail -n +"$((mark + 1))" "$server_log" >"$TMP/since.log"
	has "... radiusd logs why" \
		"reject \\(unset\\): an Access-Accept that rlm_cowork did not decide \\(no client certificate and no guest decision\\)" \
		"$TMP/since.log"
done

# The access log has a reject row for each (6), with reason `unset`.
i=0
while [ $i -lt 50 ] && [ "$(as_server "$SQLITE3" "$STATE/log/accesslog.db" "SELECT count(*) FROM access WHERE reason = 'unset'")" -lt 6 ]; do
	sleep 0.1
	i=$((i + 1))
done
ROWS=$(as_server "$SQLITE3" "$STATE/log/accesslog.db" \
	"SELECT result, class, coalesce(ssid, '-') FROM access WHERE reason = 'unset' ORDER BY id")
[ "$(printf '%s\n' "$ROWS" | grep -c '^reject|')" = 6 ] && [ "$(printf '%s\n' "$ROWS" | grep -c '|CoworkGuest$')" = 2 ] &&
	ok "the access log has a reject row (reason unset) for each, with the SSID" ||
	not_ok "the access log has a reject row (reason unset) for each, with the SSID" "$ROWS"

# What cowork decides is still accepted.
# shellcheck disable=SC2086
eap_accept "a member (EAP-TLS) is still accepted" 190 alice "$CERTS/alice/alice.pem" "$CERTS/alice/alice.key" CoworkMembers
mac_auth guest --mac AA-BB-CC-DD-EE-FF --called 02-00-00-00-00-01:CoworkGuest
[ "$(field guest code)" = Access-Accept ] && [ -n "$(field guest tunnel_password)" ] &&
	ok "a guest (MAC authentication on the guest SSID) is still accepted with the passphrase" ||
	not_ok "a guest (MAC authentication on the guest SSID) is still accepted with the passphrase" "$(cat "$TMP/guest.out")"

server_running && ok "radiusd is still running" || not_ok "radiusd is still running"
lacks "the EAP-MD5 password is in no log" "$MD5_PASSWORD" "$server_log"
lacks "no crash or sanitizer report in radiusd's log" "(Segmentation|SIGSEGV|Assertion|AddressSanitizer|runtime error)" \
	"$server_log"
