#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (once) the debug kernel for `make check-debug` and print its build
# tree: Debian's linux-source-6.12 with scripts/debug.config applied to
# `allnoconfig` (KASAN, lockdep, kmemleak, UBSAN, debug objects, fault
# injection; see the fragment).  The tree lives in
# build/debug-kernel/<source version>-<fragment hash>/, so a second call
# reuses it and a changed fragment builds afresh.  Build steps run under
# `nice -n 19`.
#
#   scripts/debug-kernel.sh [-j JOBS]     print the tree (building it first)
#
# Environment: DEBUG_KERNEL_SOURCE (the linux-source package, default
# linux-source-6.12).
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$PWD
JOBS=2
while getopts ':j:h' opt; do
	case $opt in
	j) JOBS=$OPTARG ;;
	*) sed -n '4,15s/^# \{0,1\}//p' "$0" >&2; exit 2 ;;
	esac
done

die() { echo "debug-kernel.sh: $*" >&2; exit 1; }
log() { echo "debug-kernel.sh: $*" >&2; }

PKG=${DEBUG_KERNEL_SOURCE:-linux-source-6.12}
pkgver=$(dpkg-query -W -f='${Version}' "$PKG" 2>/dev/null) ||
	die "$PKG is not installed (scripts/deps.sh installs it)"
TARBALL=/usr/src/$PKG.tar.xz
[[ -r $TARBALL ]] || die "$TARBALL not found (reinstall $PKG)"
# A path without '~' and ':' (make does not like them).
ver=$(tr '~:' '__' <<<"$pkgver")

# The fragment as applied: BTF needs pahole >= 1.16.
frag=$(mktemp)
trap 'rm -f "$frag"' EXIT
pahole_ver=$(pahole --version 2>/dev/null | tr -dc '0-9.' || true)
if [[ -n $pahole_ver ]] && [[ $(printf '%s\n' 1.16 "$pahole_ver" | sort -V | head -n1) == 1.16 ]]; then
	cp scripts/debug.config "$frag"
else
	log "pahole >= 1.16 not installed: building without BTF"
	grep -v '^CONFIG_DEBUG_INFO_BTF' scripts/debug.config > "$frag"
fi
hash=$(sha256sum < "$frag" | cut -c1-12)

TOP=$REPO/build/debug-kernel
SRC=$TOP/src-$ver
OUT=$TOP/$ver-$hash
mkdir -p "$TOP"

# One build per tree at a time.
exec 8>"$TOP/.lock"
flock 8

if [[ -f $OUT/.pxefast-done && -r $OUT/arch/x86/boot/bzImage ]]; then
	echo "$OUT"
	exit 0
fi

if [[ ! -f $SRC/.pxefast-extracted ]]; then
	log "extracting $TARBALL ($pkgver) into $SRC"
	rm -rf "$SRC" "$SRC.tmp"
	mkdir -p "$SRC.tmp"
	nice -n 19 tar -xJf "$TARBALL" -C "$SRC.tmp" --strip-components=1
	touch "$SRC.tmp/.pxefast-extracted"
	mv "$SRC.tmp" "$SRC"
fi

start=$SECONDS
log "configuring $OUT"
rm -rf "$OUT"
mkdir -p "$OUT"
cp "$frag" "$OUT/pxefast-debug.config"
make -s -C "$SRC" O="$OUT" ARCH=x86_64 allnoconfig >/dev/null
# -n: allnoconfig with the fragment as KCONFIG_ALLCONFIG
(cd "$SRC" && ARCH=x86_64 scripts/kconfig/merge_config.sh -n -O "$OUT" \
	"$OUT/pxefast-debug.config") > "$OUT/merge_config.log" 2>&1 ||
	{ cat "$OUT/merge_config.log" >&2; die "merge_config.sh failed"; }
make -s -C "$SRC" O="$OUT" ARCH=x86_64 olddefconfig >/dev/null

# Every option the fragment sets must have survived.
bad=0
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF "$line" "$OUT/.config" || {
			log "fragment line not in .config: $line (now: $(grep -E "^(# )?${line%%=*}[= ]" "$OUT/.config" || echo absent))"
			bad=1
		} ;;
	'# CONFIG_'*' is not set')
		opt=${line#\# }; opt=${opt%% *}
		if grep -q "^$opt=" "$OUT/.config"; then
			log "fragment wants $opt off, .config has it on"
			bad=1
		fi ;;
	esac
done < "$OUT/pxefast-debug.config"
((bad == 0)) || die "the fragment does not apply (missing dependencies above)"

log "building $OUT (make -j$JOBS under nice -n 19; a first build takes a while)"
if ! nice -n 19 make -C "$SRC" O="$OUT" ARCH=x86_64 -j"$JOBS" > "$OUT/build.log" 2>&1; then
	tail -n 40 "$OUT/build.log" >&2
	die "kernel build failed (log: $OUT/build.log)"
fi
[[ -r $OUT/arch/x86/boot/bzImage && -r $OUT/Module.symvers ]] ||
	die "the build left no bzImage or Module.symvers"
echo "$((SECONDS - start))" > "$OUT/.pxefast-build-seconds"
touch "$OUT/.pxefast-done"
log "built in $((SECONDS - start))s: $OUT"
echo "$OUT"
