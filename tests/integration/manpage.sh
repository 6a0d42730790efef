#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The coworkctl(8) man page against the real binary's --help, both ways:
#
# - every command of `coworkctl --help` and of `coworkctl GROUP --help` has
#   an entry in COMMANDS whose usage line is the one its --help prints, and
#   every --option its --help mentions is named in that entry;
# - every entry and every --option of the page exists in the corresponding
#   --help (also where the page names a command with options elsewhere, as in
#   EXAMPLES: `coworkctl psk rotate --all`);
# - SYNOPSIS lists the commands as `coworkctl --help` does, OPTIONS the
#   global options;
# - groff -man -ww prints no warning.
#
# The page's convention (man/coworkctl.8): one `.B "coworkctl ..."` line per
# command in COMMANDS, holding the usage line; the entry runs to the next
# such line, .SS or .SH. No radiusd, no port, no state directory.
# shellcheck disable=SC2154 # make check sets top_srcdir
. "$top_srcdir/tests/integration/harness.sh"

MAN=${MANPAGE:-$top_srcdir/man/coworkctl.8}
W=$TMP/man
mkdir -p "$W"

# help ARGS...: coworkctl ARGS... --help, away from any real state directory.
help() {
	"$COWORKCTL" -d "$TMP/no-state" "$@" --help
}

# long_opts: the --options in standard input, one per line, sorted, unique.
long_opts() {
	grep -oE -- '--[a-z0-9][a-z0-9-]*' | sort -u
}

# missing A B: lines of file A that file B lacks (both sorted).
missing() {
	comm -23 "$1" "$2" | tr '\n' ' ' | sed 's/ $//'
}

if [ ! -r "$MAN" ]; then
	not_ok "man page $MAN exists" "cannot read $MAN"
	exit 1
fi
ok "man page $MAN exists"

# ---- what the binary says -------------------------------------------------

if ! help >"$W/top.help" 2>"$W/top.err"; then
	not_ok "coworkctl --help exits 0" "$(cat "$W/top.err")"
	exit 1
fi
# "  init --org ...": the command list, between "Commands:" and the blank line.
sed -n '/^Commands:/,/^$/p' "$W/top.help" | grep -E '^  [a-z]' | sed 's/^  //' >"$W/top.usages"
sed -n '/^Options:/,/^$/p' "$W/top.help" | long_opts >"$W/top.opts"
if [ -s "$W/top.usages" ] && [ -s "$W/top.opts" ]; then
	ok "coworkctl --help lists $(wc -l <"$W/top.usages") commands and $(wc -l <"$W/top.opts") global options"
else
	not_ok "coworkctl --help lists commands and global options" "$(cat "$W/top.help")"
fi

# usage_of FILE: the usage line(s) of a --help output, joined, spaces collapsed.
usage_of() {
	awk 'NR == 1 && /^usage: / { sub(/^usage: /, ""); u = $0; next }
	     u != "" && /^       / { u = u " " $0; next }
	     { exit }
	     END { gsub(/[ \t]+/, " ", u); print u }' "$1"
}

# Every command: "KEY<TAB>usage" into help.cmds, its --options into help.KEY.opts.
: >"$W/help.cmds"
: >"$W/groups"
for name in $(cut -d' ' -f1 "$W/top.usages"); do
	help "$name" >"$W/h" 2>&1
	if head -n 1 "$W/h" | grep -qx "usage: coworkctl $name COMMAND \[OPTIONS\]"; then
		echo "$name" >>"$W/groups"
		# "  coworkctl vlan set ...", continued on lines indented by 7 spaces.
		awk -v g="$name" '
			/^  coworkctl / { if (u != "") print u; u = $0; next }
			/^       / && u != "" { u = u " " $0; next }
			{ if (u != "") print u; u = "" }
			END { if (u != "") print u }' "$W/h" |
			sed 's/^ *coworkctl //; s/[ 	][ 	]*/ /g' >"$W/group.usages"
		while IFS= read -r u; do
			cmd=$(echo "$u" | cut -d' ' -f2)
			key="$name $cmd"
			help "$name" "$cmd" >"$W/h2" 2>&1
			own=$(usage_of "$W/h2")
			if [ "coworkctl $u" != "$own" ]; then
				not_ok "coworkctl $name --help and coworkctl $key --help print the same usage" \
					"group list: coworkctl $u" "own help:   $own"
			fi
			printf '%s\t%s\n' "$key" "coworkctl $u" >>"$W/help.cmds"
			long_opts <"$W/h2" >"$W/help.$name.$cmd.opts"
		done <"$W/group.usages"
	else
		printf '%s\t%s\n' "$name" "$(usage_of "$W/h")" >>"$W/help.cmds"
		long_opts <"$W/h" >"$W/help.$name.opts"
	fi
done
cut -f1 "$W/help.cmds" | sort >"$W/help.keys"

# ---- what the man page says -----------------------------------------------

# The page as plain text, line for line: comments emptied, no font changes, \- as -.
sed -e 's/^\.\\".*//' -e 's/\\f[BIRP]//g' -e 's/\\f(..//g' -e 's/\\-/-/g' -e 's/\\&//g' \
	-e 's/\\(aq/'"'"'/g' -e 's/\\(dq/"/g' -e 's/\\(lq/"/g' -e 's/\\(rq/"/g' -e 's/\\(em/ - /g' \
	-e 's/\\(bu/*/g' -e 's/\\e/\\/g' "$MAN" >"$W/man.txt"

groups_re=$(tr '\n' '|' <"$W/groups" | sed 's/|$//')

# COMMANDS entries: "KEY<TAB>usage" into man.cmds, each entry's text into man.entry.N.
awk -v W="$W" -v groups="$groups_re" '
	BEGIN { n = split(groups, g, "|"); for (i = 1; i <= n; i++) isgroup[g[i]] = 1 }
	function close_entry() { if (f != "") close(f); f = "" }
	/^\.SH / { close_entry(); sect = $0; sub(/^\.SH +/, "", sect); gsub(/"/, "", sect); next }
	sect != "COMMANDS" { next }
	/^\.SS / { close_entry(); next }
	/^\.B "coworkctl / {
		close_entry()
		u = $0; sub(/^\.B "/, "", u); sub(/"[ \t]*$/, "", u)
		split(u, w, " ")
		key = isgroup[w[2]] ? w[2] " " w[3] : w[2]
		entries++
		f = W "/man.entry." entries
		printf "%s\t%s\n", key, u > (W "/man.cmds")
		printf "%s\n", key > (W "/man.entry." entries ".key")
		close(W "/man.entry." entries ".key")
	}
	f != "" { print > f }
' "$W/man.txt"
[ -f "$W/man.cmds" ] || : >"$W/man.cmds"
cut -f1 "$W/man.cmds" | sort >"$W/man.keys"

# SYNOPSIS: its `.B "coworkctl X"` lines, as X.
sed -n '/^\.SH SYNOPSIS/,/^\.SH /p' "$W/man.txt" | sed -n 's/^\.B "coworkctl \(.*\)"[ 	]*$/\1/p' |
	sort >"$W/man.synopsis"
sed -n '/^\.SH OPTIONS/,/^\.SH /p' "$W/man.txt" | long_opts >"$W/man.top.opts"

# ---- both ways ------------------------------------------------------------

sort "$W/top.usages" >"$W/top.usages.sorted"
lost=$(comm -23 "$W/top.usages.sorted" "$W/man.synopsis" | sed 's/^/coworkctl /' | tr '\n' ';')
extra=$(comm -13 "$W/top.usages.sorted" "$W/man.synopsis" | sed 's/^/coworkctl /' | tr '\n' ';')
if [ -z "$lost" ] && [ -z "$extra" ]; then
	ok "SYNOPSIS lists the commands as coworkctl --help does"
else
	not_ok "SYNOPSIS lists the commands as coworkctl --help does" \
		"in coworkctl --help, not in SYNOPSIS: ${lost:-none}" "in SYNOPSIS, not in coworkctl --help: ${extra:-none}"
fi

lost=$(missing "$W/top.opts" "$W/man.top.opts")
extra=$(missing "$W/man.top.opts" "$W/top.opts")
if [ -z "$lost" ] && [ -z "$extra" ]; then
	ok "OPTIONS documents the global options of coworkctl --help ($(tr '\n' ' ' <"$W/top.opts" | sed 's/ $//'))"
else
	not_ok "OPTIONS documents the global options of coworkctl --help" \
		"in --help, not in OPTIONS: ${lost:-none}" "in OPTIONS, not in --help: ${extra:-none}"
fi

for name in $(cut -d' ' -f1 "$W/top.usages"); do
	if grep -qE "^\\.SS \"?$name( |\")" "$W/man.txt"; then
		ok "COMMANDS has a section for $name"
	else
		not_ok "COMMANDS has a section for $name" "no '.SS \"$name ...' in $MAN"
	fi
done

if [ -z "$(comm -13 "$W/help.keys" "$W/man.keys")" ]; then
	ok "every command in the man page exists in --help"
else
	not_ok "every command in the man page exists in --help" \
		"documented but unknown to coworkctl --help: $(comm -13 "$W/help.keys" "$W/man.keys" | tr '\n' ';')"
fi
dups=$(uniq -d "$W/man.keys" | tr '\n' ';')
if [ -z "$dups" ]; then
	ok "every command has one entry in the man page"
else
	not_ok "every command has one entry in the man page" "documented twice: $dups"
fi

# Per command: the usage line, then the --options both ways.
while IFS="$(printf '\t')" read -r key usage; do
	man_usage=$(awk -F'\t' -v k="$key" '$1 == k { print $2; exit }' "$W/man.cmds")
	if [ -z "$man_usage" ]; then
		not_ok "man page: coworkctl $key" "COMMANDS has no entry for 'coworkctl $key'" \
			"expected a line: .B \"$usage\" (with \\- for -)"
		continue
	fi
	if [ "$man_usage" = "$usage" ]; then
		ok "man page: coworkctl $key has the usage line of its --help"
	else
		not_ok "man page: coworkctl $key has the usage line of its --help" "--help: $usage" "man:    $man_usage"
	fi
	entry=$(grep -lxF "$key" "$W"/man.entry.*.key | head -n 1)
	entry=${entry%.key}
	# Documented means described below the usage line, not only listed in it.
	sed 1d "$entry" | long_opts >"$W/man.body.opts"
	long_opts <"$entry" >"$W/man.opts"
	hopts="$W/help.$(echo "$key" | tr ' ' '.').opts"
	lost=$(missing "$hopts" "$W/man.body.opts")
	extra=$(missing "$W/man.opts" "$hopts")
	if [ -z "$lost" ] && [ -z "$extra" ]; then
		ok "man page: coworkctl $key documents the options of its --help, no others"
	else
		not_ok "man page: coworkctl $key documents the options of its --help, no others" \
			"in 'coworkctl $key --help', not described in its man section: ${lost:-none}" \
			"in its man section, unknown to 'coworkctl $key --help': ${extra:-none}"
	fi
done <"$W/help.cmds"

# Anywhere in the page (EXAMPLES, SECURITY, cross-references): a command
# named with --options, such as `coworkctl psk rotate --all` or
# `.B "log show --exports"`: those options must be the command's. A line
# stops at | || > ; or the next coworkctl. Top-level commands count only
# after "coworkctl" (or "coworkctl -d DIR") or opening a quoted argument.
awk -v groups="$groups_re" -v tops="$(grep -v ' ' "$W/help.keys" | tr '\n' '|')" '
	BEGIN {
		n = split(groups, g, "|"); for (i = 1; i <= n; i++) isgroup[g[i]] = 1
		n = split(tops, t, "|"); for (i = 1; i <= n; i++) if (t[i] != "") istop[t[i]] = 1
	}
	/^\.\\"/ { next }
	{
		n = split($0, w, /[ \t]+/)
		for (i = 1; i <= n; i++) {
			raw = w[i]; word = raw; gsub(/^[("]+|[)",.;:]+$/, "", word)
			prev = i > 1 ? w[i - 1] : ""
			key = ""
			if (isgroup[word] && i < n) {
				next_word = w[i + 1]; gsub(/^[("]+|[)",.;:]+$/, "", next_word)
				key = word " " next_word; start = i + 2
			} else if (istop[word] && (prev ~ /coworkctl"?$/ || raw ~ /^"/ || (i > 2 && w[i - 2] == "-d"))) {
				key = word; start = i + 1
			}
			if (key == "") continue
			for (j = start; j <= n; j++) {
				if (w[j] ~ /^(\||\|\||>.*|;|.*coworkctl"?)$/) break
				s = w[j]
				while (match(s, /--[a-z0-9][a-z0-9-]*/)) {
					printf "%s\t%s\t%d\n", key, substr(s, RSTART, RLENGTH), NR
					s = substr(s, RSTART + RLENGTH)
				}
			}
		}
	}' "$W/man.txt" | sort -u >"$W/refs"
bad=
while IFS="$(printf '\t')" read -r key opt line; do
	grep -qxF "$key" "$W/help.keys" || continue	# "member SSID", "log purge" in prose: not a command line
	hopts="$W/help.$(echo "$key" | tr ' ' '.').opts"
	grep -qxF -- "$opt" "$hopts" || bad="$bad; line $line: coworkctl $key $opt"
done <"$W/refs"
if [ -z "$bad" ]; then
	ok "every command named with options in the page ($(cut -f1 "$W/refs" | sort -u | wc -l) of them) has those options"
else
	not_ok "every command named with options in the page has those options" \
		"options unknown to the command's --help (man.txt lines):${bad#;}"
fi

# ---- groff ------------------------------------------------------------------

if command -v groff >/dev/null 2>&1; then
	groff -man -ww -z "$MAN" >"$W/groff.out" 2>&1
	if [ -s "$W/groff.out" ]; then
		not_ok "groff -man -ww -z prints no warning" "$(head -n 20 "$W/groff.out")"
	else
		ok "groff -man -ww -z prints no warning"
	fi
else
	echo "ok $((tap_n + 1)) # SKIP groff -man -ww -z: groff is not installed (Debian: groff-base)"
	tap_n=$((tap_n + 1))
fi
