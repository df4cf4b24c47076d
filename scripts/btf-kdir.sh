#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# btf-kdir.sh KDIR OUTDIR: print the make arguments that build pxefast.ko
# with module BTF (.BTF split against the kernel's, .BTF_ids resolved), which
# the XDP kfunc needs to be callable from a BPF program.
#
# Kbuild generates module BTF only when the build tree has a vmlinux (the
# base BTF) and resolve_btfids.  Debian's 6.12 headers ship both: KDIR is
# used as it is.  Debian's 6.1 headers ship neither: a shadow tree in
# OUTDIR/kdir links every entry of KDIR, plus a vmlinux extracted from the
# matching /boot/vmlinuz-* (its .BTF is the running kernel's, so the
# module's split BTF validates against it), and resolve_btfids comes from
# any installed linux-kbuild that has it (its job, patching BTF ids into
# .BTF_ids, does not depend on the kernel version).
#
# When neither is possible the module is built without BTF: it loads and
# serves through netfilter; pxectl refuses XDP mode.  A note says why on
# stderr.  Environment: PXEFAST_VMLINUZ overrides the image to extract.
set -euo pipefail

kdir=${1:?usage: btf-kdir.sh KDIR OUTDIR}
out=${2:?usage: btf-kdir.sh KDIR OUTDIR}
cd "$(dirname "$0")/.."

no_btf() {
	echo "btf-kdir.sh: building without module BTF ($*): XDP mode will be refused" >&2
	echo "-C $kdir"
	exit 0
}

grep -qs '^CONFIG_DEBUG_INFO_BTF_MODULES=y' "$kdir/.config" ||
	no_btf "the kernel has no CONFIG_DEBUG_INFO_BTF_MODULES"

resolve=$kdir/tools/bpf/resolve_btfids/resolve_btfids
if [[ -f $kdir/vmlinux && -x $resolve ]]; then
	echo "-C $kdir"
	exit 0
fi

kver=$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$kdir/include/generated/utsrelease.h")
if [[ ! -x $resolve ]]; then
	resolve=$(find /usr/lib/linux-kbuild-*/tools/bpf/resolve_btfids -name resolve_btfids \
		-type f -perm -u+x 2>/dev/null | sort -V | tail -n1)
	[[ -n $resolve ]] || no_btf "no resolve_btfids: install linux-kbuild-6.12 (linux-headers-6.12)"
fi
command -v pahole >/dev/null || no_btf "no pahole: apt-get install pahole"

shadow=$out/kdir
vmlinux=$kdir/vmlinux
if [[ ! -f $vmlinux ]]; then
	vmlinuz=${PXEFAST_VMLINUZ:-/boot/vmlinuz-$kver}
	[[ -r $vmlinuz ]] || no_btf "no $vmlinuz to take the base BTF from"
	vmlinux=$out/vmlinux
	if [[ ! -s $vmlinux || $vmlinuz -nt $vmlinux ]]; then
		# shellcheck source=scripts/ksrc.sh
		. scripts/ksrc.sh
		tools=$(ksrc_tool extract-vmlinux) || no_btf "no extract-vmlinux"
		mkdir -p "$out"
		if ! sh "$tools/extract-vmlinux" "$vmlinuz" >"$vmlinux.tmp" ||
			! readelf -S "$vmlinux.tmp" | grep -q ' \.BTF '; then
			rm -f "$vmlinux.tmp"
			no_btf "no .BTF in the kernel extracted from $vmlinuz"
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
echo "-C $shadow RESOLVE_BTFIDS=$resolve"
