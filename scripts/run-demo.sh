#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# run-demo.sh - the README's run command: install what is needed, build, make
# a demo state (CA, VLAN plan, SSIDs, a tenant, members, a certificate) in
# demo/, and run FreeRADIUS with rlm_cowork on 127.0.0.1:1812 in the
# foreground. Ctrl-C stops it; running it again keeps the demo state.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
demo=$top/demo
state=$demo/state
coworkctl=$top/build/coworkctl/coworkctl

sh "$top/scripts/install-deps.sh"
sh "$top/scripts/build.sh" build

# As root, radiusd runs as Debian's freerad user, as it does when installed.
user=
if [ "$(id -u)" -eq 0 ] && id freerad >/dev/null 2>&1; then
	user=freerad
fi

if [ ! -f "$state/registry.db" ]; then
	mkdir -p "$demo/members"
	chmod 0755 "$demo"
	cw() { "$coworkctl" -d "$state" "$@"; }
	cw init --org "Demo Space" --server-name radius.demo.test ${user:+--group "$user"}
	cw vlan set --staff 10,20 --members 100-189 --shared 190 --guest 300
	cw ssid add CoworkMembers --class member
	cw ssid add CoworkGuest --class guest
	cw ssid add Staff --class staff
	cw tenant add acme
	cw member add alice --tenant acme --until "$(date -d '+1 year' +%Y-%m-%d)"
	cw member add bob
	cw cert issue alice --out "$demo/members"
	cw psk rotate --ssid CoworkGuest
	cat > "$demo/alice.eapol.conf" <<CONF
network={
	key_mgmt=WPA-EAP
	eap=TLS
	identity="alice"
	ca_cert="$state/ca/ca.pem"
	client_cert="$demo/members/alice.pem"
	private_key="$demo/members/alice.key"
	domain_match="radius.demo.test"
}
CONF
fi

# A demo state from an older version gets what it lacks (any coworkctl command does that).
"$coworkctl" -d "$state" vlan show >/dev/null
# ...and its certificates the pre-signed OCSP answers the handshake now asks for.
"$coworkctl" -d "$state" cert ocsp-sign

sh "$top/scripts/mkconfdir.sh" --src "$top" --state "$state" --confdir "$demo/raddb" \
	--libdir "$top/build/rlm_cowork/.libs" ${user:+--user "$user"} --reject-delay 1

# Debian starts its own freeradius service on install; it holds port 1812.
if command -v systemctl >/dev/null && systemctl is-active --quiet freeradius 2>/dev/null; then
	echo "Stopping Debian's freeradius service: it holds port 1812 (start it again with: systemctl start freeradius)"
	systemctl stop freeradius
fi

cat <<MSG

rlm_cowork demo: FreeRADIUS on 127.0.0.1:1812 (secret testing123), state in $state
Try it from another terminal:
  eapol_test -c $demo/alice.eapol.conf -a 127.0.0.1 -s testing123 -N 30:s:02-00-00-00-00-01:CoworkMembers
      -> SUCCESS, VLAN 100 (Tunnel-Private-Group-Id in the Access-Accept)
  $coworkctl -d $state cert list
  $coworkctl -d $state cert revoke SERIAL --reason key-compromise
      -> the same eapol_test now ends in FAILURE, inside the TLS handshake (a TLS alert), no restart
  $coworkctl -d $state psk show --ssid CoworkGuest
  echo 'User-Name = "aabbccddeeff", User-Password = "aabbccddeeff", Calling-Station-Id = "AA-BB-CC-DD-EE-FF", Called-Station-Id = "02-00-00-00-00-01:CoworkGuest", Message-Authenticator = 0x00' |
      radclient -x 127.0.0.1 auth testing123
      -> Access-Accept with that passphrase as Tunnel-Password, VLAN 300 (what hostapd asks per guest)
Ctrl-C stops the server.

MSG
exec freeradius -f -l stdout -d "$demo/raddb"
