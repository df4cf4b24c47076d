#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# btf-kdir.sh KDIR OUTDIR: print the make arguments that build pxefast.ko
# with module BTF (.BTF split against the kernel's, .BTF_ids resolved), which
# the XDP kfunc needs to be callable from a BPF program.
# btf-kdir.sh --make KDIR OUTDIR MAKEARGS...: run make with them (dkms.conf).
#
# Kbuild generates module BTF only when the build tree has a vmlinux (the
# base BTF) and resolve_btfids.  Debian's 6.12 headers ship both: KDIR is
# used as it is.  Debian's 6.1 headers ship neither: a shadow tree in
# OUTDIR/kdir links every entry of KDIR, plus the vmlinux inside the
# matching /boot/vmlinuz-* (its .BTF is the running kernel's, so the
# module's split BTF validates against it), and resolve_btfids comes from
# any installed linux-kbuild that has it (its job, patching BTF ids into
# .BTF_ids, does not depend on the kernel version).
#
# The vmlinux is the image's compressed payload, found through the x86 boot
# protocol's setup header (Documentation/arch/x86/boot.rst: setup_sects at
# 0x1f1, payload_offset at 0x248 and payload_length at 0x24c, version 2.08
# and later) and decompressed with the tool the kernel's .config names.
#
# When neither is possible the module is built without BTF: it loads and
# serves through netfilter; pxectl refuses XDP mode.  A note says why on
# stderr and in OUTDIR/no-btf.  Environment: PXEFAST_VMLINUZ overrides the
# image to extract.
set -euo pipefail

run_make=
if [[ ${1-} == --make ]]; then
	run_make=1
	shift
fi
kdir=${1:?usage: btf-kdir.sh [--make] KDIR OUTDIR [MAKEARGS...]}
out=${2:?usage: btf-kdir.sh [--make] KDIR OUTDIR [MAKEARGS...]}
shift 2
mkdir -p "$out"
rm -f "$out/no-btf"

# result ARGS...: print the make arguments, or run make with them.
result() {
	if [[ -n $run_make ]]; then
		exec make "$@" "${make_args[@]}"
	fi
	echo "$*"
	exit 0
}
make_args=("$@")

no_btf() {
	echo "btf-kdir.sh: building without module BTF ($*): XDP mode will be refused" >&2
	echo "$*" >"$out/no-btf"
	result -C "$kdir"
}

# u32_at FILE OFFSET [BYTES]: the little-endian unsigned integer there.
u32_at() { od -An -tu"${3:-4}" -j "$2" -N "${3:-4}" "$1" | tr -d ' '; }

# payload DECOMPRESSOR...: the image's payload, less its size trailer,
# through DECOMPRESSOR (dd reads exactly that range: no SIGPIPE).
payload() {
	dd if="$img" iflag=skip_bytes,count_bytes skip="$start" \
		count=$((payload_length - 4)) bs=1M status=none | "$@"
}

# extract_vmlinux VMLINUZ: the ELF vmlinux of a bzImage on stdout.
extract_vmlinux() {
	local img=$1 setup_sects payload_offset payload_length start
	[[ $(od -An -c -j $((0x202)) -N4 "$img" | tr -d ' ') == HdrS ]] ||
		{ echo "not a bzImage" >&2; return 1; }
	(($(u32_at "$img" $((0x206)) 2) >= 0x208)) ||
		{ echo "boot protocol older than 2.08" >&2; return 1; }
	setup_sects=$(u32_at "$img" $((0x1f1)) 1)
	((setup_sects)) || setup_sects=4
	payload_offset=$(u32_at "$img" $((0x248)))
	payload_length=$(u32_at "$img" $((0x24c)))
	start=$(((setup_sects + 1) * 512 + payload_offset))
	# xz and zstd payloads end in the 4-byte decompressed size.
	case $(grep -o '^CONFIG_KERNEL_[A-Z0-9]*=y' "$kdir/.config") in
	CONFIG_KERNEL_XZ=y) payload xz -dc ;;
	CONFIG_KERNEL_ZSTD=y) payload zstd -dcq ;;
	CONFIG_KERNEL_GZIP=y) payload_length=$((payload_length + 4)) payload gzip -dc ;;
	*)
		echo "a compression this script does not know" >&2
		return 1 ;;
	esac
}

grep -qs '^CONFIG_DEBUG_INFO_BTF_MODULES=y' "$kdir/.config" ||
	no_btf "the kernel has no CONFIG_DEBUG_INFO_BTF_MODULES"

resolve=$kdir/tools/bpf/resolve_btfids/resolve_btfids
if [[ -f $kdir/vmlinux && -x $resolve ]]; then
	result -C "$kdir"
fi

kver=$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$kdir/include/generated/utsrelease.h")
if [[ ! -x $resolve ]]; then
	resolve=
	for f in /usr/lib/linux-kbuild-*/tools/bpf/resolve_btfids/resolve_btfids; do
		[[ -x $f ]] && resolve=$f
	done
	[[ -n $resolve ]] ||
		no_btf "no resolve_btfids: install a linux-kbuild-6.12.* (bookworm-backports)"
fi
command -v pahole >/dev/null || no_btf "no pahole: apt-get install pahole"

shadow=$out/kdir
vmlinux=$kdir/vmlinux
if [[ ! -f $vmlinux ]]; then
	vmlinuz=${PXEFAST_VMLINUZ:-/boot/vmlinuz-$kver}
	[[ -r $vmlinuz ]] || no_btf "no $vmlinuz to take the base BTF from"
	vmlinux=$out/vmlinux
	if [[ ! -s $vmlinux || $vmlinuz -nt $vmlinux ]]; then
		# grep reads all of readelf's output (no -q: no SIGPIPE).
		if ! extract_vmlinux "$vmlinuz" >"$vmlinux.tmp" ||
			! readelf -S "$vmlinux.tmp" | grep ' \.BTF ' >/dev/null; then
			rm -f "$vmlinux.tmp"
			no_btf "no vmlinux with .BTF in $vmlinuz"
		fi
		mv "$vmlinux.tmp" "$vmlinux"
	fi
fi

# The shadow tree: KDIR's entries (dot files too) and the base vmlinux.
mkdir -p "$shadow"
find "$shadow" -mindepth 1 -maxdepth 1 -type l -delete
for e in "$kdir"/* "$kdir"/.[!.]*; do
	[[ -e $e && $(basename "$e") != vmlinux ]] && ln -s "$e" "$shadow/"
done
ln -s "$(realpath "$vmlinux")" "$shadow/vmlinux"
result -C "$shadow" RESOLVE_BTFIDS="$resolve"
