#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# harness.sh sets and reads server_pid, server_log, FREERADIUS, COWORKCTL;
# make check sets top_srcdir, top_builddir. `A && ok || not_ok` is meant.
# shellcheck disable=SC2154,SC2034,SC2015
#
# The Debian package end to end, on this machine's real dpkg:
#
# - builds rlm-cowork_VERSION_ARCH.deb with `dpkg-buildpackage -b -us -uc`
#   from a copy of the source tree (the FreeRADIUS headers fetched as in any
#   build), checks its control data (Depends: freeradius (= the installed
#   version)), conffiles and contents;
# - installs it with dpkg -i: man -w coworkctl, coworkctl --help;
# - enables it as README.md says for a real FreeRADIUS, but in a copy of the
#   installed /etc/freeradius/3.0 (Debian's radiusd.conf, dictionary and our
#   installed conffiles) in the scratch directory: only the state directory,
#   the listen address and the ports (18470-18479) differ;
# - runs the installed /usr/sbin/freeradius as freerad with the installed
#   module (libdir /usr/lib/freeradius), on a state made by the installed
#   coworkctl, and authenticates a member with eapol_test (EAP-TLS);
# - purges the package: no file of it remains, and /etc/freeradius is as
#   it was before the test (owners, modes, checksums).
#
# Root only (dpkg), and not in the sanitizer build (the package is the
# normal build's; RADIUSD_PRELOAD is set there only). Runs of this test from
# several trees at once are serialised by a lock. Every wait is bounded.

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP needs root (dpkg -i, dpkg --purge)"
	exit 0
fi
if [ -n "${RADIUSD_PRELOAD:-}" ]; then
	echo "1..0 # SKIP sanitizer build: the package is tested by the normal build"
	exit 0
fi

. "$top_srcdir/tests/integration/harness.sh"

PKG=rlm-cowork
AUTH_PORT=18470
FREERADIUS=/usr/sbin/freeradius
unset FR_LIBRARY_PATH
W=$TMP/pkg
SRC=$W/src
CERTS=$TMP/certs
mkdir -p "$SRC" "$CERTS"
installed=

# Purge the package, whatever state it is in (bounded).
purge() {
	timeout 300 dpkg --purge "$PKG" >>"$TMP/dpkg.log" 2>&1
}

deb_finish() {
	server_stop
	if [ -n "$installed" ] && dpkg-query -W "$PKG" >/dev/null 2>&1; then
		purge || diag "dpkg --purge $PKG failed: $(tail -n 5 "$TMP/dpkg.log")"
	fi
	finish
}
trap deb_finish EXIT
trap 'exit 1' HUP INT TERM

# bail DESC [DIAG...]: a failure after which nothing else can be checked.
bail() {
	not_ok "$@"
	exit 1
}

# /etc/freeradius as a listing: every entry's type, mode, owner, link
# target, and every file's checksum (not times: dpkg touches directories).
etc_listing() {
	find /etc/freeradius -printf '%p %y %m %u %g %l\n' | LC_ALL=C sort
	find /etc/freeradius -type f -exec sha256sum {} + | LC_ALL=C sort -k 2
}

# One run at a time on this machine (dpkg's database is shared).
LOCK=/run/lock/rlm-cowork-debian-test.lock
[ -d /run/lock ] || LOCK=/tmp/rlm-cowork-debian-test.lock
exec 9>"$LOCK"
flock -w 1800 9 || bail "waited 30 min for another run of this test ($LOCK)"

for tool in dpkg-buildpackage dh dpkg-deb man; do
	command -v "$tool" >/dev/null ||
		bail "$tool is installed" "install the packages of scripts/install-deps.sh (debhelper, dpkg-dev, man-db)"
done

# A previous run that did not get to its purge.
if dpkg-query -W "$PKG" >/dev/null 2>&1; then
	diag "$PKG is installed (a previous run?): purging it first"
	purge || bail "purging a previously installed $PKG" "$(tail -n 5 "$TMP/dpkg.log")"
fi
etc_listing >"$TMP/etc-before.txt"

# --- build -------------------------------------------------------------------

# The source tree as git sees it (tracked and new files, without anything
# ignored: no build directory, no configure), else a distribution directory.
if git -C "$top_srcdir" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	(cd "$top_srcdir" && git ls-files -co --exclude-standard | while IFS= read -r f; do
		if [ -e "$f" ] || [ -L "$f" ]; then printf '%s\n' "$f"; fi
	done) >"$W/files" &&
		tar -C "$top_srcdir" -cf - -T "$W/files" | tar -C "$SRC" -xf - ||
		bail "copied the source tree (git ls-files)"
else
	rm -rf "$SRC" &&
		make -C "$top_builddir" distdir distdir="$SRC" top_distdir="$SRC" >"$W/distdir.log" 2>&1 ||
		bail "copied the source tree (make distdir)" "$(tail -n 10 "$W/distdir.log")"
fi
[ -f "$SRC/debian/control" ] && [ -f "$SRC/debian/rules" ] || bail "the source tree has debian/control and debian/rules"

FR_DEB=$(dpkg-query -W -f='${Version}' freeradius)
ARCH=$(dpkg --print-architecture)
VERSION=$(dpkg-parsechangelog -l "$SRC/debian/changelog" -S Version)
DEB=$W/${PKG}_${VERSION}_$ARCH.deb
jobs=$(nproc 2>/dev/null || echo 1)
[ "$jobs" -gt 2 ] && jobs=2

# A clean environment: nothing of make check's (MAKEFLAGS, top_srcdir, ...).
start=$(date +%s)
(cd "$SRC" && env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="${HOME:-/root}" LANG=C.UTF-8 \
	DEB_BUILD_OPTIONS="parallel=$jobs nocheck" timeout 900 dpkg-buildpackage -b -us -uc) >"$W/build.log" 2>&1
rc=$?
if [ $rc = 0 ] && [ -f "$DEB" ]; then
	ok "dpkg-buildpackage -b -us -uc builds $(basename "$DEB") ($(($(date +%s) - start)) s)"
else
	bail "dpkg-buildpackage -b -us -uc builds $(basename "$DEB")" "exit $rc" "$(tail -n 30 "$W/build.log")"
fi
has "the build fetched or took the FreeRADIUS headers Debian does not ship" \
	"provided [0-9]+ FreeRADIUS headers missing" "$W/build.log"

# --- the package's control data and contents --------------------------------

field_is() {
	got=$(dpkg-deb -f "$DEB" "$1")
	if [ "$got" = "$2" ]; then ok "$1: $2"; else not_ok "$1: $2" "got: $got"; fi
}
field_is Package "$PKG"
field_is Architecture "$ARCH"
dpkg-deb -f "$DEB" Depends | tr ',' '\n' | sed 's/^ *//' >"$W/depends"
has "Depends: freeradius (= $FR_DEB), the installed server's exact version" \
	"^freeradius \(= $(printf '%s' "$FR_DEB" | sed 's/[.+]/\\&/g')\)$" "$W/depends"
has "Depends has the libraries' packages (shlibs)" "^libssl3( |$)" "$W/depends"

dpkg-deb -I "$DEB" conffiles 2>/dev/null | LC_ALL=C sort >"$W/conffiles"
cat >"$W/conffiles.want" <<'EOF'
/etc/freeradius/3.0/mods-available/cowork
/etc/freeradius/3.0/mods-available/cowork_eap
/etc/freeradius/3.0/sites-available/cowork
/etc/freeradius/3.0/sites-available/cowork-check-eap-tls
/etc/freeradius/3.0/sites-available/cowork-radsec
EOF
if cmp -s "$W/conffiles" "$W/conffiles.want"; then
	ok "the five raddb files are its conffiles"
else
	not_ok "the five raddb files are its conffiles" "$(diff "$W/conffiles.want" "$W/conffiles")"
fi
dpkg-deb -I "$DEB" >"$W/info"
lacks "no maintainer scripts" "(pre|post)(inst|rm)" "$W/info"

dpkg-deb -c "$DEB" | awk '{ print $6 }' | sed 's|^\./|/|' >"$W/contents"
for f in /usr/lib/freeradius/rlm_cowork.so /usr/share/man/man8/coworkctl.8.gz \
	/usr/share/doc/rlm-cowork/examples/coworkctl /usr/share/doc/rlm-cowork/examples/coworkctl-daily.service \
	/usr/share/doc/rlm-cowork/examples/coworkctl-daily.timer /usr/share/doc/rlm-cowork/copyright \
	/usr/share/doc/rlm-cowork/examples/cowork-enroll.service /usr/share/doc/rlm-cowork/enrollment.md \
	/usr/share/doc/rlm-cowork/README.md /usr/share/doc/rlm-cowork/README.ja.md /usr/share/doc/rlm-cowork/install.md \
	/usr/share/doc/rlm-cowork/operations.md /usr/share/doc/rlm-cowork/INSTALL-DEBIAN.md; do
	has "the package holds $f" "^$f(\.gz)?$" "$W/contents"
done
has "the package holds coworkctl in /usr/bin or /usr/sbin" "^/usr/s?bin/coworkctl$" "$W/contents"
has "the package holds cowork-enroll in /usr/bin" "^/usr/bin/cowork-enroll$" "$W/contents"
lacks "nothing in /usr/local, no libtool archive, no header, no state" \
	"^/usr/local/|\.la$|^/usr/include/|fr-include|^/var/" "$W/contents"
dpkg-deb --fsys-tarfile "$DEB" | tar -xOf - ./usr/share/doc/rlm-cowork/examples/coworkctl >"$W/cron" 2>/dev/null
has "the cron example runs the packaged coworkctl" "root[[:space:]]+/usr/s?bin/coworkctl psk rotate --all" "$W/cron"

# --- install --------------------------------------------------------------------

# Files of the package already on disk but owned by no package (a make
# install) would be overwritten and then purged: leave such a system alone.
conflicts=
while read -r f; do
	case $f in */) continue ;; esac
	if [ -e "$f" ] && ! [ -d "$f" ] && ! dpkg-query -S "$f" >/dev/null 2>&1; then
		conflicts="$conflicts $f"
	fi
done <"$W/contents"
if [ -n "$conflicts" ]; then
	ok "# SKIP the rest: files of a non-packaged install are present:$conflicts"
	exit 0
fi

installed=yes
if timeout 300 dpkg -i "$DEB" >>"$TMP/dpkg.log" 2>&1; then
	ok "dpkg -i installs it"
else
	bail "dpkg -i installs it" "$(tail -n 20 "$TMP/dpkg.log")"
fi
status=$(dpkg-query -W -f='${Status}' "$PKG" 2>&1)
[ "$status" = "install ok installed" ] && ok "dpkg says: $status" || not_ok "dpkg says: install ok installed" "got: $status"

man_path=$(timeout 60 man -w coworkctl 2>&1)
[ "$man_path" = /usr/share/man/man8/coworkctl.8.gz ] && ok "man -w coworkctl finds coworkctl(8)" ||
	not_ok "man -w coworkctl finds coworkctl(8)" "got: $man_path"
CTL=$(dpkg -L "$PKG" | grep -E '^/usr/s?bin/coworkctl$')
[ -n "$CTL" ] && [ -x "$CTL" ] || bail "the package installed coworkctl" "$(dpkg -L "$PKG")"
run_rc 0 "$CTL --help runs" "$CTL" --help
has "... and prints its usage" "[Uu]sage" "$TMP/out"

# --- enable it as README.md says, in a copy of the installed configuration ---

COWORKCTL=$CTL
STATE=$TMP/state
init_state "$STATE" >"$TMP/init.out" 2>&1 || bail "installed coworkctl init --group $RADIUS_USER" "$(cat "$TMP/init.out")"
cowork vlan set --staff 10,20 --members 100-189 --shared 190 --guest 300 >/dev/null &&
	cowork ssid add CoworkMembers --class member >/dev/null &&
	cowork tenant add acme >/dev/null &&
	cowork member add alice --tenant acme >/dev/null &&
	issue alice "$CERTS/alice" || bail "registry set-up and certificate issue with the installed coworkctl"
ok "the installed coworkctl made the state, a member and her certificate"

CONF=$TMP/raddb
cp -a /etc/freeradius/3.0 "$CONF" || bail "copied /etc/freeradius/3.0"
(
	cd "$CONF" &&
		ln -s ../mods-available/cowork mods-enabled/cowork &&
		ln -s ../mods-available/cowork_eap mods-enabled/cowork_eap &&
		ln -s ../sites-available/cowork sites-enabled/cowork &&
		ln -s ../sites-available/cowork-check-eap-tls sites-enabled/cowork-check-eap-tls &&
		rm sites-enabled/default sites-enabled/inner-tunnel mods-enabled/eap
) || bail "the README's enabling steps in the copy"
# What differs from the system's: the paths of the copy, the state directory,
# loopback and the test's ports. The module directory stays Debian's.
grep -q '^libdir = /usr/lib/freeradius$' "$CONF/radiusd.conf" ||
	not_ok "Debian's radiusd.conf loads modules from /usr/lib/freeradius" "$(grep libdir "$CONF/radiusd.conf")"
sed -i -e "s|^raddbdir = .*|raddbdir = $CONF|" -e "s|^logdir = .*|logdir = $CONF/log|" \
	-e "s|^run_dir = .*|run_dir = $CONF/run|" "$CONF/radiusd.conf" &&
	sed -i -e "s|/var/lib/cowork|$STATE|g" -e 's/\<1814\>/18472/g' \
		"$CONF/mods-available/cowork" "$CONF/mods-available/cowork_eap" &&
	sed -i -e 's|ipaddr = \*|ipaddr = 127.0.0.1|' -e "s|port = 1812$|port = $AUTH_PORT|" \
		-e "s|port = 1813$|port = $((AUTH_PORT + 1))|" "$CONF/sites-available/cowork" &&
	rm -f "$CONF/clients.conf" && cat >"$CONF/clients.conf" <<CLIENTS &&
client localhost {
	ipaddr = 127.0.0.1
	secret = testing123
	require_message_authenticator = yes
}
CLIENTS
	mkdir -p "$CONF/log" "$CONF/run" &&
	chown -R -h freerad:freerad "$CONF" && chmod 0640 "$CONF/clients.conf" ||
	bail "the copy adapted to the scratch directory"
grep -q "state_dir = $STATE$" "$CONF/mods-available/cowork" &&
	grep -q "port = $AUTH_PORT$" "$CONF/sites-available/cowork" ||
	bail "the installed files have the state directory and ports to adapt" \
		"$(grep -n 'state_dir\|port =' "$CONF/mods-available/cowork" "$CONF/sites-available/cowork")"

server_run || bail "the installed freeradius starts with the installed rlm_cowork"
ok "the installed freeradius starts with the installed rlm_cowork"
uid=$(awk '/^Uid:/ { print $2 }' "/proc/$server_pid/status")
[ "$uid" = "$(id -u freerad)" ] && ok "radiusd runs as freerad" || not_ok "radiusd runs as freerad" "uid $uid"
has "it loaded /usr/lib/freeradius/rlm_cowork.so (the package's)" " /usr/lib/freeradius/rlm_cowork\.so$" \
	"/proc/$server_pid/maps"

# shellcheck disable=SC2086
eap_accept "alice (tenant acme) gets Access-Accept on VLAN 100 (EAP-TLS)" 100 alice \
	"$CERTS/alice/alice.pem" "$CERTS/alice/alice.key" CoworkMembers
has "the installed module logged the accept" "cowork: accept: member alice of tenant acme, certificate $SERIAL: VLAN 100" \
	"$server_log"
server_stop

# --- purge ------------------------------------------------------------------------

dpkg -L "$PKG" >"$W/files-installed"
if purge; then ok "dpkg --purge removes it"; else not_ok "dpkg --purge removes it" "$(tail -n 20 "$TMP/dpkg.log")"; fi
if dpkg-query -W "$PKG" >/dev/null 2>&1; then
	not_ok "dpkg no longer knows $PKG" "$(dpkg-query -W -f='${Status}' "$PKG")"
else
	ok "dpkg no longer knows $PKG"
fi
left=
while read -r f; do
	[ "$f" = /. ] && continue
	[ -e "$f" ] || [ -L "$f" ] || continue
	# Directories of other packages (/usr/bin, /etc/freeradius/3.0/...) stay.
	[ -d "$f" ] && dpkg-query -S "$f" >/dev/null 2>&1 && continue
	left="$left $f"
done <"$W/files-installed"
[ -z "$left" ] && ok "no file of the package remains ($(wc -l <"$W/files-installed") paths checked)" ||
	not_ok "no file of the package remains" "left:$left"

etc_listing >"$TMP/etc-after.txt"
if cmp -s "$TMP/etc-before.txt" "$TMP/etc-after.txt"; then
	ok "/etc/freeradius is as it was before the test (owners, modes, checksums)"
else
	not_ok "/etc/freeradius is as it was before the test" "$(diff "$TMP/etc-before.txt" "$TMP/etc-after.txt" | head -n 20)"
fi
installed=
