#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: real, unmodified PXE firmware boots Linux through pxefast.
#
# Builds pxefast.ko for the newest kernel of scripts/kernels.sh and pxectl,
# then runs scripts/e2e.sh on that kernel: a server guest (pxefast.ko
# configured with examples/pxefast.conf, dnsmasq handing out addresses only)
# and, one after the other, two QEMU clients linked to it:
#   BIOS: SeaBIOS + iPXE ROM -> pxelinux.0 -> ldlinux.c32 -> vmlinuz + initrd
#   UEFI: OVMF (EDK2 PXE)    -> snponly.efi -> boot.ipxe -> vmlinuz + initrd
# Each client's initrd prints "PXEFAST-BOOTED ..." and powers off.  Prints a
# summary and exits 0 only if both booted.  Needs no terminal.
set -euo pipefail
exec </dev/null

cd "$(dirname "$0")/.."
kdir=$(scripts/kernels.sh | tail -n1)
[[ -n $kdir ]] || { echo "demo.sh: no kernel build tree; run scripts/deps.sh" >&2; exit 1; }
kver=$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$kdir/include/generated/utsrelease.h")

echo "== building pxefast.ko for $kver and pxectl"
make --no-print-directory module KDIR="$kdir" >/dev/null
make --no-print-directory pxectl >/dev/null

echo "== PXE-booting a BIOS and a UEFI client through pxefast (QEMU/TCG, takes ~1-2 min)"
rm -f build/e2e/last-summary
rc=0
scripts/e2e.sh -k "$kver" bios uefi || rc=$?

echo
echo "== summary (kernel $kver)"
if [[ -s build/e2e/last-summary ]]; then
	summary=build/e2e/last-summary
else
	summary=$(ls -td build/e2e/run.*/summary 2>/dev/null | head -n1 || true)
fi
if [[ -n $summary && -s $summary ]]; then
	printf '%-6s %-6s %-12s %-52s %10s %9s %8s\n' client result firmware "files served by TFTP" \
		"kernel B" "kernel s" "boot s"
	while read -r _ line; do
		declare -A f=()
		for kv in $line; do f[${kv%%=*}]=${kv#*=}; done
		case ${f[kind]} in
		bios) fw="SeaBIOS+iPXE" ;;
		uefi) fw="OVMF/EDK2" ;;
		*) fw=${f[kind]} ;;
		esac
		names=$(sed 's/([0-9]*)//g' <<< "${f[tftp]-}")
		ks='?'
		[[ ${f[kernel_ms]} =~ ^[0-9]+$ ]] && ks=$(awk -v m="${f[kernel_ms]}" 'BEGIN { printf "%.1f", m / 1000 }')
		printf '%-6s %-6s %-12s %-52s %10s %9s %8s\n' "${f[client]}" "${f[result]}" "$fw" \
			"${names:-?}" "${f[kernel_bytes]}" "$ks" "${f[time]}"
		unset f
	done < "$summary"
fi
if ((rc == 0)); then
	echo "demo.sh: both clients PXE-booted Linux through pxefast."
else
	echo "demo.sh: FAILED (e2e.sh status $rc); logs under build/e2e/"
fi
exit "$rc"
