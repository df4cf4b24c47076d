#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make checkpatch`: the kernel's checkpatch.pl --strict over the module's
# sources and the uapi header.  Debian's headers packages lack checkpatch.pl;
# it is taken once from /usr/src/linux-source-6.1.tar.xz (linux-source-6.1)
# into build/checkpatch/.  Extra arguments go to checkpatch.pl.
set -euo pipefail

cd "$(dirname "$0")/.."
DIR=build/checkpatch
SRC_TAR=${CHECKPATCH_SOURCE:-$(ls /usr/src/linux-source-*.tar.xz 2>/dev/null | sort -V | tail -n1)}
FILES=(scripts/checkpatch.pl scripts/spelling.txt scripts/const_structs.checkpatch)

if [[ ! -x $DIR/checkpatch.pl || ! -s $DIR/spelling.txt || ! -s $DIR/const_structs.checkpatch ]]; then
	[[ -r $SRC_TAR ]] || { echo "checkpatch.sh: no /usr/src/linux-source-*.tar.xz (apt-get install linux-source-6.1)" >&2; exit 1; }
	echo "checkpatch.sh: extracting checkpatch.pl from $SRC_TAR (once)" >&2
	top=$(tar -tJf "$SRC_TAR" 2>/dev/null | head -n1 | cut -d/ -f1) || true
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	# --occurrence: stop reading the archive once all three are found.
	tar -xJf "$SRC_TAR" -C "$tmp" --occurrence=1 "${FILES[@]/#/$top/}"
	mkdir -p "$DIR"
	for f in "${FILES[@]}"; do
		cp "$tmp/$top/$f" "$DIR/"
	done
	chmod +x "$DIR/checkpatch.pl"
fi

shopt -s nullglob
targets=(kmod/*.c kmod/*.h include/uapi/linux/pxefast.h)
# checkpatch.pl finds spelling.txt and const_structs.checkpatch beside itself.
exec perl "$DIR/checkpatch.pl" --strict --no-tree --show-types "$@" -f "${targets[@]}"
