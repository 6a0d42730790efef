# SPDX-License-Identifier: GPL-2.0-or-later
# member_lib.sh - shared by member_compare.sh and member_growth.sh (sourced
# after harness.sh): registries and CRLs of any size generated with SQL,
# radiusd setups side by side (stock `eap`, stock `eap` + CRL, rlm_cowork
# with its check inside the handshake, with OCSP instead, or with neither),
# and the EAP-TLS load with per-exchange latency.
#
# Needs: $TMP, $STATE (a state made by init_state with member alice and her
# certificate in $TMP/certs/alice), harness's cowork().

. "$top_srcdir/tests/bench/servers.sh"

# gen_registry DB N VALID: N members bench-1..N, each with one revoked
# certificate (serial 0x20000000000 + i) and, if VALID is 1, one valid
# certificate too (0x10000000000 + i), in one transaction. Serials in the
# registry's form (lowercase hex, no leading zeros); issuer as alice's.
gen_registry() {
	now=$(date +%s)
	"$SQLITE3" "$1" <<SQL
PRAGMA synchronous = OFF;
PRAGMA foreign_keys = ON;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
INSERT INTO member (id, name, status, valid_from, created_at)
	SELECT 100 + i, 'bench-' || i, 'active', $now - 86400, $now - 86400 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
INSERT INTO cert (serial, member_id, subject, issuer, not_before, not_after, sha256, issued_at, revoked_at, revoke_reason)
	SELECT printf('%x', 2199023255552 + i), 100 + i, '/CN=bench-' || i,
		(SELECT issuer FROM cert LIMIT 1), $now - 86400, $now + 31536000,
		printf('%064x', 2199023255552 + i), $now - 86400, $now - 3600, 'superseded' FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2 AND $3 = 1)
INSERT INTO cert (serial, member_id, subject, issuer, not_before, not_after, sha256, issued_at)
	SELECT printf('%x', 1099511627776 + i), 100 + i, '/CN=bench-' || i,
		(SELECT issuer FROM cert LIMIT 1), $now - 86400, $now + 31536000,
		printf('%064x', 1099511627776 + i), $now - 86400 FROM n WHERE $3 = 1;
COMMIT;
PRAGMA wal_checkpoint(TRUNCATE);
ANALYZE;
SQL
}

# state_with N VALID: a copy of $STATE (same CA, server and alice, whose
# certificate and key go into its alice/) whose registry has gen_registry N
# VALID; cached in $BENCH_CACHE (default $TMP/cache) as state-N-VALID: a
# cached state has its own CA, so the client uses the copy's files
# (client_conf). Prints the directory.
state_with() {
	dir=${BENCH_CACHE:-$TMP/cache}/state-$1-$2
	if [ ! -f "$dir/.done" ]; then
		rm -rf "$dir" && mkdir -p "${dir%/*}" && cp -a "$STATE" "$dir" &&
			cp -a "$TMP/certs/alice" "$dir/alice" &&
			gen_registry "$dir/registry.db" "$1" "$2" >/dev/null &&
			touch "$dir/.done" || return 1
	fi
	echo "$dir"
}

# crl_dir STATEDIR: a ca_path directory with the CA and the CRL that
# `coworkctl crl` writes from STATEDIR's registry (signed by its CA), both
# under their hash names. Cached next to the state. Prints the directory.
crl_dir() {
	d=$1.capath
	if [ ! -f "$d/.done" ]; then
		rm -rf "$d" && mkdir -p "$d" &&
			"$COWORKCTL" -d "$1" crl --out "$d/crl.pem" >/dev/null &&
			cp "$1/ca/ca.pem" "$d/ca.pem" &&
			ln -s ca.pem "$d/$("$OPENSSL" x509 -hash -noout -in "$d/ca.pem").0" &&
			ln -s crl.pem "$d/$("$OPENSSL" crl -hash -noout -in "$d/crl.pem").r0" &&
			chmod 0755 "$d" && chmod 0644 "$d"/*.pem && touch "$d/.done" || return 1
	fi
	echo "$d"
}

# cowork_config NAME STATEDIR AUTH_PORT MODE: rlm_cowork as shipped (MODE
# hook: the registry check inside the handshake, eap_module), with the OCSP
# alternative instead (ocsp: cowork_eap's ocsp section asks the module's
# responder on AUTH_PORT + 2), or with no check inside the handshake
# (after: check-eap-tls only).
cowork_config() {
	conf=$TMP/raddb-$1
	rm -rf "$conf"
	sh "$top_srcdir/scripts/mkconfdir.sh" --src "$top_srcdir" --state "$2" --confdir "$conf" \
		--libdir "$TMP/lib" --auth-port "$3" --acct-port "$(($3 + 1))" --ocsp-port "$(($3 + 2))" \
		${RADIUS_USER:+--user "$RADIUS_USER"} || return 1
	case $4 in
	hook) ;;
	ocsp)
		sed -i -e "s|^#	ocsp_port = .*|	ocsp_port = $(($3 + 2))|" -e 's|^	eap_module = .*|	eap_module = ""|' \
			"$conf/mods-enabled/cowork" &&
			sed -i '/ocsp {/,/}/s/enable = no/enable = yes/' "$conf/mods-enabled/cowork_eap" &&
			grep -q "enable = yes" "$conf/mods-enabled/cowork_eap" || return 1
		;;
	after)
		sed -i 's|^	eap_module = .*|	eap_module = ""|' "$conf/mods-enabled/cowork" || return 1
		;;
	*) return 1 ;;
	esac
	echo "$3" >"$conf/.port"
	client_conf "$1" "$2"
}

# stock_config NAME STATEDIR AUTH_PORT [CAPATH]: stock FreeRADIUS, module
# `eap` with cowork_eap's TLS settings (same certificates, no session
# cache, TLS 1.2/1.3) but no OCSP and no virtual server; with CAPATH,
# check_crl = yes and the CRL from that ca_path. Only rlm_eap is loaded.
stock_config() {
	conf=$TMP/raddb-$1
	rm -rf "$conf"
	sh "$top_srcdir/scripts/mkconfdir.sh" --src "$top_srcdir" --state "$2" --confdir "$conf" \
		--libdir "$TMP/lib" --auth-port "$3" --acct-port "$(($3 + 1))" --ocsp-port "$(($3 + 2))" \
		${RADIUS_USER:+--user "$RADIUS_USER"} || return 1
	rm -f "$conf/mods-enabled/cowork" "$conf/sites-enabled/cowork" "$conf/sites-enabled/cowork-check-eap-tls"
	sed -e 's/^eap cowork_eap {/eap {/' -e '/ocsp {/,/}/s/enable = yes/enable = no/' -e '/virtual_server = /d' \
		"$conf/mods-enabled/cowork_eap" >"$conf/mods-enabled/eap"
	rm -f "$conf/mods-enabled/cowork_eap"
	if [ -n "${4:-}" ]; then
		sed -i "s|^\\t\\tca_file = .*|&\\n\\t\\tca_path = $4\\n\\t\\tcheck_crl = yes|" "$conf/mods-enabled/eap"
		grep -q "check_crl = yes" "$conf/mods-enabled/eap" || return 1
	fi
	cat >"$conf/sites-enabled/stock" <<CONF
server stock {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = $3
	}
	authorize {
		eap {
			ok = return
			updated = return
		}
		reject
	}
	authenticate {
		eap
	}
	post-auth {
		Post-Auth-Type REJECT {
			eap
		}
	}
}
CONF
	[ -z "$RADIUS_USER" ] || chgrp -R "$RADIUS_USER" "$conf"
	echo "$3" >"$conf/.port"
	client_conf "$1" "$2"
}

cpu() {
	awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat"
}

# client_conf NAME STATEDIR: eapol_test's configuration for setup NAME,
# alice with the certificate of STATEDIR (state_with's copy), TLS 1.2.
client_conf() {
	cat >"$TMP/raddb-$1/.client.conf" <<CONF
network={
	key_mgmt=WPA-EAP
	eap=TLS
	identity="alice"
	ca_cert="$2/ca/ca.pem"
	client_cert="$2/alice/alice.pem"
	private_key="$2/alice/alice.key"
	domain_match="radius.test.example"
	phase1="tls_disable_tlsv1_3=1"
}
CONF
}

# load NAME N: PARALLEL eapol_test processes, each N full TLS 1.2
# handshakes (one authentication and N - 1 re-authentications; the server
# keeps no session cache). Each exchange's wall time (from eapol_test's
# EAP start to its success, timestamped as its line-buffered output
# arrives) goes into $TMP/lat.NAME (ms, one a line, appended). Prints the
# successes.
load() {
	port=$(cat "$TMP/raddb-$1/.port")
	p=0
	clients=
	while [ $p -lt "$PARALLEL" ]; do
		( stdbuf -oL "$EAPOL_TEST" -c "$TMP/raddb-$1/.client.conf" -a 127.0.0.1 -p "$port" -s testing123 -t 20 -r $(($2 - 1)) \
			-N 30:s:02-00-00-00-00-AA:CoworkMembers 2>&1 |
			perl -MTime::HiRes=time -ne '
				if (/CTRL-EVENT-EAP-STARTED/) { $t = time }
				elsif (/CTRL-EVENT-EAP-SUCCESS/ && defined $t) { printf "%.3f\n", (time - $t) * 1000; undef $t }' \
			>"$TMP/lat.$1.$p" ) &
		clients="$clients $!"
		p=$((p + 1))
	done
	# Only the clients (a bare `wait` would wait for the servers too); each
	# eapol_test gives up after 20 s without an answer.
	for c in $clients; do wait "$c"; done
	cat "$TMP/lat.$1".[0-9]* >>"$TMP/lat.$1"
	cat "$TMP/lat.$1".[0-9]* | wc -l
	rm -f "$TMP/lat.$1".[0-9]*
}

# measure NAME: "cpu_ticks successes wall_s p50_ms p99_ms" of one load.
measure() {
	pid=$(pid_of "$1")
	c0=$(cpu "$pid")
	: >"$TMP/lat.$1"
	t0=$(date +%s.%N)
	n=$(load "$1" "$REPEATS")
	t1=$(date +%s.%N)
	c1=$(cpu "$pid")
	pct=$(percentiles "$TMP/lat.$1")
	cat "$TMP/lat.$1" >>"$TMP/lat-all.$1"
	echo "$((c1 - c0)) $n $(echo "$t0 $t1" | awk '{ printf "%.1f", $2 - $1 }') $pct"
}

# warm NAME: a few authentications before the rounds (loads a CRL, opens
# the registry, fills caches).
warm() {
	PARALLEL_SAVED=$PARALLEL
	PARALLEL=2
	load "$1" 3 >/dev/null
	PARALLEL=$PARALLEL_SAVED
	rm -f "$TMP/lat.$1"
}

# percentiles FILE: "p50 p99" of a file of latencies.
percentiles() {
	sort -n "$1" | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "- -"; exit }
		i50 = int(NR * 0.50 + 0.5); i99 = int(NR * 0.99 + 0.5)
		if (i50 < 1) i50 = 1; if (i99 < 1) i99 = 1
		print v[i50], v[i99] }'
}

# rounds WIDTH: ROUNDS rounds of measure over every setup of SETUPS, a table
# line each (the setup column WIDTH wide); $TMP/results gets
# "setup cpu_ticks successes" per line.
rounds() {
	rd_width=$1
	: >"$TMP/results"
	printf "%-6s %-${rd_width}s %6s %8s %9s %8s %8s\n" round setup auths "wall(s)" "ms CPU/a" "p50 ms" "p99 ms"
	r=0
	while [ $r -lt "$ROUNDS" ]; do
		r=$((r + 1))
		for s in $SETUPS; do
			set -- $(measure "$s")
			echo "$s $1 $2" >>"$TMP/results"
			echo "$r $s $2 $3 $1 $TICK $4 $5" | awk -v w="$rd_width" '{
				printf "%-6s %-" w "s %6d %8s %9s %8s %8s\n", $1, $2, $3, $4,
					$3 ? sprintf("%.3f", $5 / $6 * 1000 / $3) : "-", $7, $8 }'
		done
	done
}

# all_authenticated: ok when every setup had at least 99% of AUTHS
# authentications in every round of $TMP/results.
all_authenticated() {
	bad=$(awk -v want="$AUTHS" '$3 < want * 0.99 { print $1 }' "$TMP/results" | sort -u | tr '\n' ' ')
	if [ -z "$bad" ]; then
		ok "every setup authenticated (at least 99% of $AUTHS per round)"
	else
		not_ok "every setup authenticated (at least 99% of $AUTHS per round)" "short: $bad"
	fi
}
