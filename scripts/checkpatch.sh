#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make checkpatch`: the kernel's checkpatch.pl --strict over the module's
# sources and the uapi header, with the checkpatch.pl of Debian's
# linux-source-6.1 (scripts/ksrc.sh).  Extra arguments go to checkpatch.pl.
set -euo pipefail

cd "$(dirname "$0")/.."
# shellcheck source=scripts/ksrc.sh
. scripts/ksrc.sh
dir=$(ksrc_tool checkpatch.pl spelling.txt const_structs.checkpatch)

shopt -s nullglob
targets=(kmod/*.c kmod/*.h include/uapi/linux/pxefast.h)
# checkpatch.pl finds spelling.txt and const_structs.checkpatch beside itself.
exec perl "$dir/checkpatch.pl" --strict --no-tree --show-types "$@" -f "${targets[@]}"
