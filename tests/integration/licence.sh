#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Licence: LICENSE holds the GPL version 2 text, and every source file
# (C, shell, Python, SQL, the autotools inputs, the raddb and dist
# templates, the man page) says so on one SPDX line near its top. No server.
. "$top_srcdir/tests/integration/harness.sh"

TAG='SPDX-License-Identifier: GPL-2.0-or-later'
has "LICENSE is the GNU GPL version 2" "GNU GENERAL PUBLIC LICENSE" "$top_srcdir/LICENSE"
has "... version 2" "Version 2, June 1991" "$top_srcdir/LICENSE"

( cd "$top_srcdir" && find lib coworkctl enroll rlm_cowork tests scripts sql raddb dist man \
	-path tests/fuzz/corpus -prune -o -type f \
	\( -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name '*.py' -o -name '*.sql' -o -name '*.in' \
	   -o -name '*.8' -o -name 'clients.conf.example' \) -print; printf '%s\n' Makefile.am configure.ac build-aux/freeradius-headers.sh build-aux/sql2c.sh ) |
	sort >"$TMP/files"
n=$(wc -l <"$TMP/files")
: >"$TMP/missing"
while read -r f; do
	head -n 3 "$top_srcdir/$f" | grep -q "$TAG" || echo "$f" >>"$TMP/missing"
done <"$TMP/files"
[ "$n" -gt 100 ] && [ ! -s "$TMP/missing" ] && ok "all $n source files carry the SPDX line" ||
	not_ok "all $n source files carry the SPDX line" "missing in:" "$(head -n 20 "$TMP/missing")"
