#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make kerneldoc`: every function of the module that other files call
# (not static) has a kernel-doc comment, and scripts/kernel-doc (from
# Debian's linux-source-6.1, scripts/ksrc.sh) finds no fault in any
# kernel-doc comment: arguments, `Return:` sections and so on.
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=scripts/ksrc.sh
. scripts/ksrc.sh
dir=$(ksrc_tool kernel-doc)

shopt -s nullglob
files=(kmod/*.c kmod/*.h)
sources=(kmod/*.c)
rc=0

# A definition at column 0 that is not static: the comment that ends just
# above it (or above its return-type line) must open with "/**".
awk '
	FNR == 1 { in_doc = 0; last_doc_end = -10; prev = "" }
	/^\/\*\*/ { in_doc = 1 }
	in_doc && /\*\// { in_doc = 0; last_doc_end = FNR; next }
	/^[a-z_][a-zA-Z0-9_ *]*\(/ && !/^static / && !/;[[:space:]]*$/ &&
	    !/^(if|for|while|switch|return|sizeof)\b/ && !/^[A-Z_]+\(/ {
		if (prev ~ /^static/)
			next
		start = FNR
		if (prev ~ /^[a-z_][a-zA-Z0-9_ *]*$/ && prev !~ /^static/)
			start = FNR - 1
		if (last_doc_end != start - 1) {
			name = $0; sub(/\(.*/, "", name); sub(/.*[ *]/, "", name)
			printf "%s:%d: %s() has no kernel-doc comment\n", FILENAME, FNR, name
			bad = 1
		}
	}
	{ prev = $0 }
	END { exit bad }
' "${sources[@]}" || rc=1

out=$(perl "$dir/kernel-doc" -v -none "${files[@]}" 2>&1 | grep -v ': info: ' || true)
if [[ -n $out ]]; then
	printf '%s\n' "$out"
	rc=1
fi
((rc == 0)) && echo "kerneldoc.sh: clean (${#files[@]} files)"
exit "$rc"
