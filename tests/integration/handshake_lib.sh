# SPDX-License-Identifier: GPL-2.0-or-later
# handshake_lib.sh - sourced by handshake.sh and handshake_ocsp.sh after
# harness.sh: four members (alice of tenant acme, bob, carol, dave) with a
# certificate each ($ALICE... serials, $A... "cert key" pairs), and the
# helpers both tests use.

CERTS=$TMP/certs
mkdir -p "$CERTS"
init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
member_space &&
cowork tenant add acme >/dev/null &&
cowork member add alice --tenant acme >/dev/null &&
add_members bob carol dave || { not_ok "registry set-up"; exit 1; }

issue alice && ALICE=$SERIAL && issue bob && BOB=$SERIAL && issue carol && CAROL=$SERIAL &&
	issue dave && DAVE=$SERIAL || { not_ok "cert issue"; exit 1; }
A="$CERTS/alice/alice.pem $CERTS/alice/alice.key"
B="$CERTS/bob/bob.pem $CERTS/bob/bob.key"
C="$CERTS/carol/carol.pem $CERTS/carol/carol.key"
D="$CERTS/dave/dave.pem $CERTS/dave/dave.key"
TLS13="tls_disable_tlsv1_3=0"

# handshake_failed DESC NAME: the supplicant got EAP-Failure before the TLS
# handshake finished on its side (TLS 1.2: no server Finished).
handshake_failed() {
	log=$TMP/eapol-$2.log
	if grep -q "Handshake finished" "$log"; then
		not_ok "$1" "the TLS handshake finished on the supplicant's side" "$(grep -E 'Handshake|EAP-Failure' "$log")"
	elif ! grep -q "CTRL-EVENT-EAP-FAILURE" "$log"; then
		not_ok "$1" "no CTRL-EVENT-EAP-FAILURE" "$(tail -n 5 "$log")"
	else
		ok "$1"
	fi
}

# radiusd ARGS...: another radiusd run to its end, within 30 s (with the
# sanitizer runtimes when the module is instrumented, as server_run does).
radiusd() {
	if [ -n "$RADIUSD_PRELOAD" ]; then
		LD_PRELOAD="$RADIUSD_PRELOAD" ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0:verify_asan_link_order=0" \
			timeout 30 "$FREERADIUS" "$@"
	else
		timeout 30 "$FREERADIUS" "$@"
	fi
}

# config_check DESC: radiusd -C accepts $CONF while the server runs.
config_check() {
	if radiusd -C -d "$CONF" >"$TMP/check.log" 2>&1; then
		ok "$1"
	else
		not_ok "$1" "$(tail -n 5 "$TMP/check.log")"
	fi
}

# hup_cowork: make the running server re-instantiate rlm_cowork (a HUP
# after touching its file) and check it did. radiusd ignores a HUP within
# 2 s of loading a module, and sees a changed file by its mtime in whole
# seconds, hence the pause.
hup_cowork() {
	sleep 3
	touch "$CONF/mods-enabled/cowork"
	kill -HUP "$server_pid"
	i=0
	while [ $i -lt 50 ] && ! grep -q 'Reloaded module "cowork"' "$server_log"; do
		sleep 0.1
		i=$((i + 1))
	done
	has "on HUP the module is re-instantiated" 'Reloaded module "cowork"' "$server_log"
}
