#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Output paths: coworkctl runs as root and writes where the admin says
# (cert issue --out DIR, psk show --qr FILE, crl --out FILE, log export
# --out FILE). Here another
# user (nobody) plays the attacker: in a directory it owns it plants links
# named like the outputs, pointing at a root-owned canary in a root-only
# directory. Each command must refuse (exit 1, a message naming the
# directory, its owner and the fix) and the canary keep owner, mode and
# content. A group-writable or sticky world-writable directory (like /tmp)
# is refused too; into a root-owned 0700 directory everything works as
# before. Needs root (chown, runuser); skipped otherwise. No server.
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP not root: cannot act as another user"
	exit 0
fi
. "$top_srcdir/tests/integration/harness.sh"

ATTACKER=nobody
id "$ATTACKER" >/dev/null 2>&1 || { echo "1..0 # SKIP no user $ATTACKER"; exit 0; }

init_state "$TMP/state" >/dev/null || { not_ok "coworkctl init"; exit 1; }
cowork member add alice >/dev/null && cowork ssid add CoworkGuest --class guest >/dev/null &&
	cowork ssid add CoworkMember --class member >/dev/null &&
	cowork psk rotate --ssid CoworkGuest >/dev/null || { not_ok "registry set-up"; exit 1; }

# The canary: what a planted link points at, root's own and unreachable for the attacker.
VAULT=$TMP/vault
mkdir -m 0700 "$VAULT"
printf 'canary\n' >"$VAULT/canary"
chmod 0600 "$VAULT/canary"
canary_ok() {
	[ "$(stat -c '%u %a %h' "$VAULT/canary")" = "0 600 1" ] && [ "$(cat "$VAULT/canary")" = canary ] &&
		[ "$(ls "$VAULT")" = canary ] && ok "... and the canary keeps owner, mode and content" ||
		not_ok "... and the canary keeps owner, mode and content" "$(ls -l "$VAULT")" "$(cat "$VAULT/canary")"
}

# as_attacker CMD...: run as the attacker.
as_attacker() {
	runuser -u "$ATTACKER" -- "$@"
}

# The attacker's directory, with links named like every output.
EVIL=$TMP/evil
mkdir -m 0755 "$EVIL"
chown "$ATTACKER" "$EVIL"
for f in alice.key alice.pem alice.p12 alice.mobileconfig alice.nmconnection guest.svg crl.pem export.csv audit.html; do
	as_attacker ln -s "$VAULT/canary" "$EVIL/$f" || { not_ok "the attacker plants $f"; exit 1; }
done

OWNED="refusing to write in $EVIL: it belongs to uid [0-9]+ \\($ATTACKER\\).*not to root or you.*mkdir -m 700"
refused 1 "cert issue --out DIR owned by $ATTACKER is refused" "$OWNED" cowork cert issue alice --out "$EVIL"
canary_ok
refused 1 "cert issue --profile into it is refused" "$OWNED" \
	cowork cert issue alice --out "$EVIL" --profile apple,linux
canary_ok
refused 1 "psk show --qr FILE in it is refused" "$OWNED" cowork psk show --ssid CoworkGuest --qr "$EVIL/guest.svg"
canary_ok
refused 1 "crl --out FILE in it is refused (no CRL number taken)" "$OWNED" cowork crl --out "$EVIL/crl.pem"
canary_ok
TODAY=$(date +%Y-%m-%d)
refused 1 "log export --out FILE in it is refused (no export recorded)" "$OWNED" \
	cowork log export --from "$TODAY" --to "$TODAY" --case INC-9 --out "$EVIL/export.csv"
canary_ok
refused 1 "audit --out FILE in it is refused" "$OWNED" cowork audit --out "$EVIL/audit.html"
canary_ok

# A root-owned directory below the attacker's: the attacker could rename it away and plant its own.
mkdir -m 0700 "$EVIL/rootsub"
refused 1 "a root-owned directory below $ATTACKER's is refused" "refusing to write below $EVIL: it belongs to" \
	cowork cert issue alice --out "$EVIL/rootsub"
[ -z "$(ls "$EVIL/rootsub")" ] && ok "... and nothing was written in it" || not_ok "... and nothing was written in it"
# A link of root's pointing into the attacker's directory is resolved, then refused all the same.
ln -s "$EVIL" "$TMP/via-link"
refused 1 "a link to $ATTACKER's directory given as --out is refused" "refusing to write in $EVIL" \
	cowork cert issue alice --out "$TMP/via-link"
canary_ok

# A group-writable directory and a sticky world-writable one (like /tmp).
GW=$TMP/gw
mkdir "$GW"
chmod 0770 "$GW"
GWMSG="refusing to write in $GW: it is writable by its group \\(owner uid 0 \\(root\\), mode 770\\).*chmod go-w $GW"
refused 1 "cert issue --out into a group-writable directory is refused" "$GWMSG" cowork cert issue alice --out "$GW"
refused 1 "psk show --qr into a group-writable directory is refused" "$GWMSG" \
	cowork psk show --ssid CoworkGuest --qr "$GW/guest.svg"
refused 1 "crl --out into a group-writable directory is refused" "$GWMSG" cowork crl --out "$GW/crl.pem"
refused 1 "log export --out into a group-writable directory is refused" "$GWMSG" \
	cowork log export --from "$TODAY" --to "$TODAY" --case INC-9 --out "$GW/export.csv"
[ -z "$(ls -A "$GW")" ] && ok "... and nothing was written in it" || not_ok "... and nothing was written in it" "$(ls -la "$GW")"
STICKY=$TMP/sticky
mkdir "$STICKY"
chmod 1777 "$STICKY"
refused 1 "psk show --qr into a sticky world-writable directory (like /tmp) is refused" \
	"refusing to write in $STICKY: it is writable by everyone" cowork psk show --ssid CoworkGuest --qr "$STICKY/guest.svg"
refused 1 "cert issue --out into it is refused" "writable by everyone" cowork cert issue alice --out "$STICKY"
[ -z "$(ls -A "$STICKY")" ] && ok "... and nothing was written in it" || not_ok "... and nothing was written in it"

# A link of root's own at the output name (no attacker needed): never followed.
SAFE=$TMP/safe
mkdir -m 0700 "$SAFE"
ln -s "$VAULT/canary" "$SAFE/guest.svg"
refused 1 "psk show --qr onto a symbolic link is refused, not followed" \
	"$SAFE/guest.svg already exists as a symbolic link: not following it" \
	cowork psk show --ssid CoworkGuest --qr "$SAFE/guest.svg"
canary_ok
ln -s "$VAULT/canary" "$SAFE/crl.pem"
run_rc 0 "crl --out onto a link replaces the link itself (documented: FILE is replaced)" cowork crl --out "$SAFE/crl.pem"
[ -f "$SAFE/crl.pem" ] && [ ! -L "$SAFE/crl.pem" ] && [ "$(stat -c %a "$SAFE/crl.pem")" = 644 ] &&
	ok "... now a regular 0644 file" || not_ok "... now a regular 0644 file" "$(ls -l "$SAFE")"
canary_ok
rm -f "$SAFE/guest.svg" "$SAFE/crl.pem"

# Into a root-owned 0700 directory everything works as before, whatever the umask.
umask 000
run_rc 0 "cert issue --out a root-owned 0700 directory works" cowork cert issue alice --out "$SAFE" \
	--profile linux --ssid CoworkMember
modes=$(cd "$SAFE" && stat -c '%n %a %u' alice.key alice.pem alice.p12 alice.nmconnection alice-ca.crt | tr '\n' ' ')
[ "$modes" = "alice.key 600 0 alice.pem 644 0 alice.p12 600 0 alice.nmconnection 600 0 alice-ca.crt 644 0 " ] &&
	ok "... each file with its exact mode under umask 000" || not_ok "... each file with its exact mode under umask 000" "$modes"
run_rc 0 "psk show --qr FILE there works" cowork psk show --ssid CoworkGuest --qr "$SAFE/guest.svg"
[ "$(stat -c %a "$SAFE/guest.svg")" = 600 ] && has "... an SVG, 0600" "^<svg " "$SAFE/guest.svg" ||
	not_ok "... an SVG, 0600" "mode $(stat -c %a "$SAFE/guest.svg")"
run_rc 0 "crl --out FILE there works" cowork crl --out "$SAFE/crl.pem"
run_rc 0 "... and again: replaced atomically" cowork crl --out "$SAFE/crl.pem"
[ "$(stat -c %a "$SAFE/crl.pem")" = 644 ] && ok "... 0644" || not_ok "... 0644" "$(stat -c %a "$SAFE/crl.pem")"
[ -z "$(ls -A "$SAFE" | grep '^\.')" ] && ok "... and no temporary file is left" || not_ok "... and no temporary file is left" "$(ls -A "$SAFE")"
run_rc 0 "psk show --qr - still draws on the terminal" cowork psk show --ssid CoworkGuest --qr -
run_rc 0 "log export --out FILE there works" \
	cowork log export --from "$TODAY" --to "$TODAY" --case INC-9 --out "$SAFE/export.csv"
[ "$(stat -c '%a %u' "$SAFE/export.csv")" = "600 0" ] && has "... a CSV, 0600, root's" "^time,clock_synced," "$SAFE/export.csv" ||
	not_ok "... a CSV, 0600, root's" "$(stat -c '%a %u' "$SAFE/export.csv")"
cowork audit --out "$SAFE/audit.html" >/dev/null
[ "$(stat -c '%a %u' "$SAFE/audit.html")" = "600 0" ] && has "audit --out FILE there works: an HTML page, 0600, root's" \
	"^<!DOCTYPE html>" "$SAFE/audit.html" || not_ok "audit --out FILE there works" "$(ls -l "$SAFE")"
refused 1 "audit --out an existing file is refused" "audit.html already exists" cowork audit --out "$SAFE/audit.html"
refused 1 "log export --out an existing file is refused (no export recorded)" "export.csv already exists" \
	cowork log export --from "$TODAY" --to "$TODAY" --case INC-9 --out "$SAFE/export.csv"
NEW=$TMP/made/
run_rc 0 "cert issue --out a missing directory creates it" cowork cert issue alice --out "$NEW"
[ "$(stat -c '%a %u' "$NEW")" = "700 0" ] && ok "... 0700, root's" || not_ok "... 0700, root's" "$(stat -c '%a %u' "$NEW")"
umask 022
canary_ok
