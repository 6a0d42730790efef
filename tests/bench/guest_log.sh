#!/bin/sh
# Benchmark (not a test): server CPU per MAC-authentication request, the
# guest path of rlm_cowork (registry lookups, passphrase reply, access log
# row) against stock FreeRADIUS answering the same requests with a static
# reply from `files`, measured in one run with the setups alternating.
#
# The load generator (radclient) is the bottleneck on a small machine, so
# the figure is radiusd's CPU time (utime + stime from /proc/PID/stat)
# divided by the requests it answered, not the wall-clock rate.
#
# Usage (from make bench): REQUESTS=50000 ROUNDS=3 sh tests/bench/guest_log.sh
. "$top_srcdir/tests/integration/harness.sh"

REQUESTS=${REQUESTS:-50000}
ROUNDS=${ROUNDS:-3}
PARALLEL=${PARALLEL:-64}
PORT_COWORK=18170
PORT_STOCK=18180
TICK=$(getconf CLK_TCK)

init_state "$TMP/state" >/dev/null &&
cowork vlan set --staff 10,20 --members 100-189 --shared 190 --guest 300 >/dev/null &&
cowork ssid add CoworkGuest --class guest >/dev/null &&
cowork psk rotate --ssid CoworkGuest >/dev/null || { not_ok "set-up"; exit 1; }
PSK=$(cowork psk show --ssid CoworkGuest | sed -n 's/^passphrase  //p')

# The requests: hostapd's MAC authentication from 1000 stations.
i=0
: >"$TMP/requests"
while [ $i -lt 1000 ]; do
	mac=$(printf '02000000%04x' $i)
	dashed=$(echo "$mac" | sed 's/../&-/g; s/-$//' | tr a-f A-F)
	printf 'User-Name = "%s"\nUser-Password = "%s"\nCalling-Station-Id = "%s"\nCalled-Station-Id = "02-00-00-00-00-01:CoworkGuest"\nNAS-Port-Type = Wireless-802.11\nNAS-Identifier = "bench-ap"\nMessage-Authenticator = 0x00\n\n' \
		"$mac" "$mac" "$dashed" >>"$TMP/requests"
	i=$((i + 1))
done

# rlm_cowork, as shipped.
server_config "$TMP/state" $PORT_COWORK && server_run || { not_ok "radiusd with rlm_cowork"; exit 1; }
COWORK_PID=$server_pid
COWORK_CONF=$CONF
COWORK_LOG=$server_log
server_pid=

# Stock FreeRADIUS: `files` with the same reply for every station.
STOCK=$TMP/stock
mkdir -p "$STOCK/mods-enabled" "$STOCK/sites-enabled" "$STOCK/mods-config/files" "$STOCK/run" "$STOCK/log"
sed -e "s|^raddbdir = .*|raddbdir = $STOCK|" -e "s|^logdir = .*|logdir = $STOCK/log|" -e "s|^run_dir = .*|run_dir = $STOCK/run|" \
	"$COWORK_CONF/radiusd.conf" >"$STOCK/radiusd.conf"
cp "$COWORK_CONF/clients.conf" "$STOCK/"
cat >"$STOCK/mods-enabled/files" <<CONF
files {
	filename = \${modconfdir}/files/authorize
}
CONF
cat >"$STOCK/mods-config/files/authorize" <<CONF
DEFAULT Auth-Type := Accept
	Tunnel-Password = "$PSK",
	Tunnel-Type = VLAN,
	Tunnel-Medium-Type = IEEE-802,
	Tunnel-Private-Group-Id = "300",
	Session-Timeout = 86400,
	Message-Authenticator = 0x00
CONF
cat >"$STOCK/sites-enabled/stock" <<CONF
server stock {
	listen {
		type = auth
		ipaddr = 127.0.0.1
		port = $PORT_STOCK
	}
	authorize {
		files
	}
	authenticate {
	}
}
CONF
chmod -R go-w "$STOCK"
[ -n "$RADIUS_USER" ] && chown -R "$RADIUS_USER" "$STOCK/run" "$STOCK/log" && chgrp -R "$RADIUS_USER" "$STOCK"
CONF=$STOCK
server_run || { not_ok "stock radiusd"; exit 1; }
STOCK_PID=$server_pid
server_pid=$COWORK_PID	# the harness stops this one at exit
trap 'kill $STOCK_PID 2>/dev/null; finish' EXIT

cpu() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# run PID PORT: send the requests; prints "ticks answered".
run() {
	before=$(cpu "$1")
	"$RADCLIENT" -q -s -p "$PARALLEL" -c $((REQUESTS / 1000)) -t 5 -r 1 -f "$TMP/requests" 127.0.0.1:"$2" auth testing123 \
		>"$TMP/radclient.out" 2>&1
	after=$(cpu "$1")
	answered=$(sed -n "s/^[[:space:]]*Accepted[[:space:]]*: *\([0-9]*\).*/\1/p" "$TMP/radclient.out" | head -n 1)
	echo "$((after - before)) ${answered:-0}"
}

# Warm-up, then alternate.
run $COWORK_PID $PORT_COWORK >/dev/null
run $STOCK_PID $PORT_STOCK >/dev/null
ct=0 ca=0 st=0 sa=0
r=0
printf '%-8s %-10s %12s %12s %14s\n' round setup "cpu (s)" accepts "us/request"
while [ $r -lt "$ROUNDS" ]; do
	r=$((r + 1))
	for setup in stock cowork; do
		if [ $setup = stock ]; then set -- $(run $STOCK_PID $PORT_STOCK); else set -- $(run $COWORK_PID $PORT_COWORK); fi
		printf '%-8s %-10s %12s %12s %14s\n' $r $setup "$(echo "$1 $TICK" | awk '{ printf "%.2f", $1 / $2 }')" "$2" \
			"$(echo "$1 $TICK $2" | awk '{ if ($3) printf "%.1f", $1 / $2 * 1e6 / $3; else print "-" }')"
		if [ $setup = stock ]; then st=$((st + $1)); sa=$((sa + $2)); else ct=$((ct + $1)); ca=$((ca + $2)); fi
	done
done
ROWS=$("$SQLITE3" "$STATE/log/accesslog.db" 'SELECT count(*) FROM access')
echo
echo "$st $sa $ct $ca $TICK $ROWS" | awk '{
	s = $1 / $5 / $2 * 1e6; c = $3 / $5 / $4 * 1e6
	printf "stock files: %.1f us/request; rlm_cowork guest path with access log: %.1f us/request; ratio %.2f (aim: <= 1.15); %d rows logged\n", s, c, c / s, $6
}'
if [ "$sa" -ge $((REQUESTS * ROUNDS * 99 / 100)) ] && [ "$ca" -ge $((REQUESTS * ROUNDS * 99 / 100)) ]; then
	ok "both setups answered the requests"
else
	not_ok "both setups answered the requests" "stock $sa, cowork $ca of $((REQUESTS * ROUNDS))"
fi
