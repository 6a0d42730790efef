#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# mkconfdir.sh - write a self-contained FreeRADIUS configuration directory
# that runs rlm_cowork from the shipped raddb/ files, for the demo and the
# integration tests.
#
# Usage: mkconfdir.sh --src SRCDIR --state STATE --confdir DIR --libdir DIR
#                     [--auth-port 1812] [--acct-port 1813] [--ocsp-port AUTH+2]
#                     [--secret S] [--user USER] [--reject-delay SECONDS]
#                     [--radsec-port N]
#
# The site and module files are the ones `make install` puts into
# /etc/freeradius/3.0, with the state directory filled in; only the listen
# address (127.0.0.1) and ports differ: the OCSP responder (rlm_cowork's
# ocsp_port and cowork_eap's ocsp url) takes the auth port + 2 unless given,
# so that every test server has its own. radiusd refuses a world-writable
# configuration, so everything is created 0750/0640. --radsec-port enables
# the RadSec listener (sites-available/cowork-radsec) on that port of
# 127.0.0.1; STATE/nas-ca/ca.pem must exist by then (coworkctl nas add
# --radsec).
set -eu

src= state= confdir= libdir= user= ocsp_port= radsec_port=
auth_port=1812 acct_port=1813 secret=testing123 reject_delay=0

die() { echo "mkconfdir.sh: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
	case $1 in
	--src) src=$2 ;;
	--state) state=$2 ;;
	--confdir) confdir=$2 ;;
	--libdir) libdir=$2 ;;
	--auth-port) auth_port=$2 ;;
	--acct-port) acct_port=$2 ;;
	--ocsp-port) ocsp_port=$2 ;;
	--secret) secret=$2 ;;
	--user) user=$2 ;;
	--reject-delay) reject_delay=$2 ;;
	--radsec-port) radsec_port=$2 ;;
	*) die "unknown option $1" ;;
	esac
	shift 2 || die "$1 needs a value"
done
[ -n "$src" ] && [ -n "$state" ] && [ -n "$confdir" ] && [ -n "$libdir" ] ||
	die "--src, --state, --confdir and --libdir are required"
case $state in /*) ;; *) die "--state must be an absolute path" ;; esac
case $confdir in /*) ;; *) die "--confdir must be an absolute path" ;; esac
[ -n "$ocsp_port" ] || ocsp_port=$((auth_port + 2))

umask 027
mkdir -p "$confdir/mods-enabled" "$confdir/sites-enabled" "$confdir/log" "$confdir/run"
chmod 0750 "$confdir"

user_lines=
if [ -n "$user" ]; then
	user_lines="	user = $user
	group = $user"
	chown "$user" "$confdir/log" "$confdir/run"
fi

fill() {
	sed -e "s|@COWORK_STATE_DIR@|$state|g" -e "s|@COWORK_OCSP_PORT@|$ocsp_port|g" "$1"
}

fill "$src/raddb/radiusd.conf.in" | awk -v user="$user_lines" -v confdir="$confdir" \
	-v libdir="$libdir:/usr/lib/freeradius" -v delay="$reject_delay" '
	{
		gsub(/@CONFDIR@/, confdir); gsub(/@LOGDIR@/, confdir "/log"); gsub(/@RUNDIR@/, confdir "/run")
		gsub(/@LIBDIR@/, libdir); gsub(/@REJECT_DELAY@/, delay)
		if ($0 == "@USER@") $0 = user
		print
	}' > "$confdir/radiusd.conf"

cat > "$confdir/clients.conf" <<CLIENTS
client localhost {
	ipaddr = 127.0.0.1
	secret = $secret
	require_message_authenticator = yes
}
CLIENTS

fill "$src/raddb/mods-available/cowork.in" > "$confdir/mods-enabled/cowork"
fill "$src/raddb/mods-available/cowork_eap.in" > "$confdir/mods-enabled/cowork_eap"
cat > "$confdir/mods-enabled/always" <<'ALWAYS'
always reject {
	rcode = reject
}
always ok {
	rcode = ok
}
ALWAYS
fill "$src/raddb/sites-available/cowork-check-eap-tls.in" > "$confdir/sites-enabled/cowork-check-eap-tls"
fill "$src/raddb/sites-available/cowork.in" | sed -e "s|ipaddr = \*|ipaddr = 127.0.0.1|" \
	-e "s|port = 1812$|port = $auth_port|" -e "s|port = 1813$|port = $acct_port|" \
	> "$confdir/sites-enabled/cowork"
if [ -n "$radsec_port" ]; then
	fill "$src/raddb/sites-available/cowork-radsec.in" | sed -e "s|ipaddr = \*|ipaddr = 127.0.0.1|" \
		-e "s|port = 2083$|port = $radsec_port|" > "$confdir/sites-enabled/cowork-radsec"
fi

if [ -n "$user" ]; then
	chgrp -R "$user" "$confdir"
fi
