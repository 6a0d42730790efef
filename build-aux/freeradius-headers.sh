#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# freeradius-headers.sh - provide the FreeRADIUS headers that Debian's
# libfreeradius-dev 3.2.1 does not install.
#
# Usage: freeradius-headers.sh --version DEBVERSION --installed DIR --out DIR [--source TARBALL]
#
# radiusd.h includes headers (log.h, tmpl.h, xlat.h, ...) that the package
# does not ship; upstream fixed its install list only in 3.2.9. We take them
# from the Debian source package of exactly the installed version, fetched
# from Debian's archive with a private apt configuration (the system's apt
# state is not touched), or from a tarball given with --source. Each header
# missing from the installed directory is copied into OUT/freeradius/ with
# its includes rewritten from <freeradius-devel/X> to <freeradius/X>, as
# upstream's install step does. Nothing of FreeRADIUS is kept in the project.
set -eu

version=
installed=/usr/include/freeradius
out=
source=

die() {
	echo "freeradius-headers.sh: $*" >&2
	exit 1
}

while [ $# -gt 0 ]; do
	case $1 in
	--version) version=$2; shift 2 ;;
	--installed) installed=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--source) source=$2; shift 2 ;;
	*) die "unknown argument $1" ;;
	esac
done
[ -n "$out" ] || die "--out is required"
[ -f "$installed/radiusd.h" ] || die "$installed/radiusd.h not found: install the Debian package libfreeradius-dev"

mkdir -p "$out"
out=$(cd "$out" && pwd)	# apt takes relative paths as relative to /etc/apt
work=$out/.src
rm -rf "$work"
mkdir -p "$work"

# Write deb-src entries for the Debian archives the system already uses
# (same URIs and suites as its deb entries for this release).
write_sources() {
	codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	[ -n "$codename" ] || die "cannot tell the Debian release from /etc/os-release"
	mkdir -p "$work/sources.d"
	for f in /etc/apt/sources.list.d/*.sources; do
		[ -f "$f" ] || continue
		awk -v rel="$codename" '
			BEGIN { RS = ""; ORS = "\n\n" }
			/(^|\n)Types:[^\n]*deb/ && /(^|\n)Suites:[^\n]*/ {
				if ($0 !~ ("Suites:[^\n]*" rel)) next
				if ($0 ~ /(^|\n)Enabled: *no/) next
				sub(/Types:[^\n]*/, "Types: deb-src")
				print
			}' "$f" >> "$work/sources.d/system.sources"
	done
	for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		sed -n "s/^deb \(.* $codename[^ ]* .*\)/deb-src \1/p" "$f" >> "$work/sources.d/system.list"
	done
	[ -s "$work/sources.d/system.sources" ] || [ -s "$work/sources.d/system.list" ] ||
		die "no Debian $codename entry in /etc/apt: cannot fetch the source package"
}

fetch_source() {
	command -v apt-get >/dev/null || die "apt-get not found: give the source tarball with --source"
	[ -n "$version" ] || die "--version is required without --source"
	write_sources
	mkdir -p "$work/lists/partial" "$work/cache/archives/partial"
	: > "$work/empty.list"
	set -- -o "Dir::Etc::SourceList=$work/empty.list" -o "Dir::Etc::SourceParts=$work/sources.d" \
		-o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" \
		-o "Debug::NoLocking=1" -o "APT::Sandbox::User=$(id -un)" -q
	echo "  fetching the FreeRADIUS $version source package from Debian's archive" >&2
	apt-get "$@" update >"$work/apt-update.log" 2>&1 || true
	(cd "$work" && apt-get "$@" source --download-only "freeradius=$version") >"$work/apt-source.log" 2>&1 || {
		cat "$work/apt-update.log" "$work/apt-source.log" >&2
		die "could not download the source of freeradius $version (is Debian's archive reachable?)"
	}
	source=$(ls "$work"/freeradius_*.orig.tar.* 2>/dev/null | head -n 1)
	[ -n "$source" ] || die "the download holds no freeradius_*.orig.tar.* file"
}

[ -n "$source" ] || fetch_source
[ -f "$source" ] || die "$source: no such file"

mkdir -p "$work/x"
tar -xf "$source" -C "$work/x" --wildcards '*/src/include/*.h' ||
	die "$source holds no src/include headers"
src=$(ls -d "$work"/x/*/src/include | head -n 1)
[ -f "$src/radiusd.h" ] || die "$source is not a FreeRADIUS source tarball"

mkdir -p "$out/freeradius"
n=0
for h in "$src"/*.h; do
	name=$(basename "$h")
	[ -e "$installed/$name" ] && continue
	sed 's|<freeradius-devel/|<freeradius/|g' "$h" > "$out/freeradius/$name"
	n=$((n + 1))
done
for need in log.h tmpl.h xlat.h connection.h; do
	[ -e "$installed/$need" ] || [ -e "$out/freeradius/$need" ] || die "$need missing from $source"
done
rm -rf "$work"
echo "  provided $n FreeRADIUS headers missing from $installed in $out/freeradius" >&2
