#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# install-deps.sh - install the Debian 12 packages rlm_cowork needs to build,
# run and test. Safe to run again.
set -eu

# python3, python3-gi, gir1.2-nm-1.0: tests/integration/profiles.sh reads the onboarding
# files with python3's parsers and with NetworkManager's own keyfile reader (libnm).
# libmicrohttpd-dev: the HTTP server of the enrollment service cowork-enroll (enroll/).
# python3-lxml, python3-cryptography: tests/tools/check_eapconfig.py and check_mobileconfig.py
# validate the self-enrollment files against an XSD and open their PKCS#12.
# chromium, chromium-driver, python3-selenium, fonts-ipafont-gothic: tests/integration/enroll_browser.sh
# opens the enrollment pages in a real headless browser (and screenshots them, Japanese included).
# curl: tests/integration/enroll.sh speaks HTTP and HTTPS to cowork-enroll.
# libpq-dev, postgresql: cowork-logship ships access logs to PostgreSQL; tests/integration/logship.sh
# starts its own cluster (initdb, pg_ctl) as the unprivileged user postgres on a loopback port.
# strace: tests/integration/crash.sh kills coworkctl at each of its disk writes.
# clang, libclang-rt-14-dev: the libFuzzer harnesses (tests/fuzz; make fuzz).
# groff-base, man-db: read the coworkctl(8) man page; tests/integration/manpage.sh runs groff -ww.
# radsecproxy: the test NAS of tests/integration/radsec.sh (UDP in, RadSec out with a client certificate).
# debhelper, dpkg-dev, fakeroot, devscripts: build the Debian package (docs/INSTALL-DEBIAN.md;
# tests/integration/debian.sh builds, installs and purges it).
packages="
	build-essential autoconf automake libtool pkg-config
	freeradius freeradius-utils libfreeradius-dev libtalloc-dev libpcre3-dev
	libssl-dev openssl libsqlite3-dev sqlite3 libcmocka-dev libqrencode-dev libmicrohttpd-dev eapoltest
	libpq-dev postgresql
	hostapd wpasupplicant iproute2
	ca-certificates tzdata xz-utils curl
	python3 python3-gi gir1.2-nm-1.0 python3-lxml python3-cryptography
	chromium chromium-driver python3-selenium fonts-ipafont-gothic
	strace clang libclang-rt-14-dev
	groff-base man-db
	radsecproxy
	debhelper dpkg-dev fakeroot devscripts
"

if [ "$(id -u)" -eq 0 ]; then
	sudo=
elif command -v sudo >/dev/null; then
	sudo=sudo
else
	echo "install-deps.sh: run as root (or install sudo)" >&2
	exit 1
fi

$sudo apt-get update
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends $packages
