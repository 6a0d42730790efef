#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Bad conditions for coworkctl (issue 7), beyond cli.sh's wrong flags,
# dates and duplicates: a full disk (the state on a small tmpfs, filled up)
# and a state directory that cannot be written (the tmpfs remounted
# read-only; as root, modes alone would not stop a write). Every command
# must fail with a clear message and a non-zero exit, and leave nothing
# half-written: the registry as it was (dump before/after), no partial key,
# certificate or export file, and everything works again once there is room.
# Needs root (mount); skipped otherwise. No server.
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP not root: cannot mount a tmpfs"
	exit 0
fi
. "$top_srcdir/tests/integration/harness.sh"

DISK=$TMP/disk
mkdir -p "$DISK"
mount -t tmpfs -o size=3m,mode=0755 cowork-badcli "$DISK" || { not_ok "mount a 3 MB tmpfs"; exit 1; }
trap 'umount -l "$DISK" 2>/dev/null; finish' EXIT

init_state "$DISK/state" >/dev/null || { not_ok "coworkctl init on the tmpfs"; exit 1; }
vlan_plan &&
cowork ssid add CoworkGuest --class guest >/dev/null &&
cowork member add alice >/dev/null &&
cowork psk rotate --ssid CoworkGuest >/dev/null || { not_ok "registry set-up"; exit 1; }
OUT=$DISK/out
mkdir -p "$OUT"

# More bad dates and durations than cli.sh's (each refused with exit 2, nothing changed).
for d in 2026-13-01 2026-00-10 2026-12-32 99999-01-01 "" yesterday 2026-1-1 "2026-12-01 " "2026-12-01T00:00"; do
	refused 2 "member add --until '$d' is refused as a bad date" "until" cowork member add x1 --until "$d"
done
for d in 0 -1 abc 10x 826 99999999999999999999; do
	refused 2 "cert issue --days '$d' is refused" "days" cowork cert issue alice --out "$OUT" --days "$d"
done
[ -z "$(ls "$OUT")" ] && ok "... and no file was written for them" || not_ok "... and no file was written for them" "$(ls "$OUT")"
printf 'badcli-nas-secret-0123\n' >"$TMP/nas.secret"
refused 2 "nas add --radsec without --out is refused" "--radsec needs --out DIR" \
	cowork nas add ap1 --address 127.0.0.1 --secret-file "$TMP/nas.secret" --radsec
refused 2 "nas add --out without --radsec is refused" "--out is only for --radsec" \
	cowork nas add ap1 --address 127.0.0.1 --secret-file "$TMP/nas.secret" --out "$OUT"
refused 2 "nas add --radsec with a bad NAS name is refused" "NAS name" \
	cowork nas add "../ap1" --address 127.0.0.1 --secret-file "$TMP/nas.secret" --radsec --out "$OUT"
[ -z "$(ls "$OUT")" ] && [ ! -e "$STATE/nas-ca" ] && ok "... and no file or NAS CA was written for them" ||
	not_ok "... and no file or NAS CA was written for them" "$(ls "$OUT" "$STATE")"

# Fill the disk.
dd if=/dev/zero of="$DISK/filler" bs=64k >/dev/null 2>&1
[ "$(df --output=avail "$DISK" | tail -n 1 | tr -d ' ')" -lt 64 ] && ok "the tmpfs is full" ||
	not_ok "the tmpfs is full" "$(df "$DISK")"

refused 1 "member add on a full disk fails" "(full|space|disk)" cowork member add bob
refused 1 "member suspend on a full disk fails" "(full|space|disk)" cowork member suspend alice
refused 1 "psk rotate --force on a full disk fails" "(full|space|disk)" cowork psk rotate --ssid CoworkGuest --force
refused 1 "cert issue on a full disk fails" "(full|space|disk|write)" cowork cert issue alice --out "$OUT"
[ -z "$(ls "$OUT")" ] && ok "... and leaves no partial key, certificate or PKCS#12 behind" ||
	not_ok "... and leaves no partial key, certificate or PKCS#12 behind" "$(ls -l "$OUT")"
refused 1 "nas add --radsec on a full disk fails" "(full|space|disk|write)" \
	cowork nas add ap1 --address 127.0.0.1 --secret-file "$TMP/nas.secret" --radsec --out "$OUT"
[ -z "$(ls "$OUT")" ] && [ -z "$(ls "$STATE/nas-ca" 2>/dev/null)" ] &&
	ok "... and leaves no NAS certificate, key or half-made NAS CA behind" ||
	not_ok "... and leaves no NAS certificate, key or half-made NAS CA behind" "$(ls -l "$OUT" "$STATE/nas-ca")"
cowork log export --from 2000-01-01 --to 2100-01-01 --case T-1 --format csv --out "$OUT/x.csv" >"$TMP/out" 2>"$TMP/err"
rc=$?
[ $rc != 0 ] && [ ! -e "$OUT/x.csv" ] && ok "log export to a full disk fails (exit $rc) and leaves no partial file" ||
	not_ok "log export to a full disk fails and leaves no partial file" "exit $rc" "$(ls -l "$OUT")"
has "... saying why" "(full|space|disk|write)" "$TMP/err"
# Reading needs the access log's WAL files (SQLite creates them on open): on a full disk it may fail, but clearly.
if cowork member list >"$TMP/out" 2>"$TMP/err"; then
	ok "member list on a full disk works"
else
	has "member list on a full disk fails naming the file and the cause" "accesslog.db: .*No space left on device" "$TMP/err"
fi

rm -f "$DISK/filler"
equals() {
	[ "$2" = "$3" ] && ok "$1" || not_ok "$1" "got '$2', want '$3'"
}
equals "with room again, the registry passes integrity_check" "$("$SQLITE3" "$STATE/registry.db" "PRAGMA integrity_check")" ok
run_rc 0 "... member add works" cowork member add bob
cowork cert issue bob --out "$OUT" >"$TMP/issue.out" 2>&1 && ok "... cert issue works" ||
	not_ok "... cert issue works" "$(cat "$TMP/issue.out")"
BOB=$(sed -n 's/^serial: //p' "$TMP/issue.out")
run_rc 0 "... psk rotate --force works" cowork psk rotate --ssid CoworkGuest --force
cowork nas add ap1 --address 127.0.0.1 --secret-file "$TMP/nas.secret" --radsec --out "$OUT/ap1" >"$TMP/nas.out" 2>&1 &&
	"$OPENSSL" verify -CAfile "$STATE/nas-ca/ca.pem" "$OUT/ap1/ap1.pem" >/dev/null 2>&1 &&
	ok "... nas add --radsec works, its certificate from the NAS CA" ||
	not_ok "... nas add --radsec works, its certificate from the NAS CA" "$(cat "$TMP/nas.out")"

# A state directory that cannot be written at all.
mount -o remount,ro "$DISK" || { not_ok "remount the tmpfs read-only"; exit 1; }
refused 1 "member add on a read-only state fails" "(read-only|readonly|Read-only)" cowork member add carol
refused 1 "cert revoke on a read-only state fails" "(read-only|readonly|Read-only)" cowork cert revoke "$BOB"
mount -o remount,rw "$DISK"
run_rc 0 "read-write again: member add works" cowork member add carol
equals "... and the registry passes integrity_check" "$("$SQLITE3" "$STATE/registry.db" "PRAGMA integrity_check")" ok
