#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PXE server side of the end-to-end test; runs INSIDE the server guest started
# by scripts/e2e.sh through scripts/vm.sh (pxefast.ko loaded, cwd = the repo).
#
#   scripts/e2e-server.sh
#
# Brings the NIC up with 10.55.0.1/24, builds a TFTP root on a tmpfs from
# Debian's packages (pxelinux, syslinux-common, ipxe, busybox-static and the
# guest's own kernel), starts a plain DHCP server (dnsmasq: addresses only, no
# PXE options, no TFTP), applies examples/pxefast.conf with pxectl setconf and
# records `pxectl monitor`.  When clients may boot it prints
# "E2E-SERVER-READY" and creates /run/vm/e2e-ready-$E2E_ID (vm.sh's run
# directory, shared with the host: the console stream reaches the host only
# in blocks), then waits until the host creates /run/vm/e2e-done-$E2E_ID (or
# $E2E_WAIT seconds), prints the monitor events, `pxectl stats` and
# `pxectl show`, and exits 0.  Its output is also copied, as it goes, to
# /run/vm/e2e-server-$E2E_ID.log.
#
# Environment: E2E_ID (default: the PID), E2E_DEV (default: the first
# ethernet NIC),
# E2E_WAIT (default 600), E2E_CONF (default examples/pxefast.conf),
# E2E_TFTP_ROOT (default /srv/tftp, a tmpfs mounted here),
# E2E_MAPS (extra lines appended to the configuration, "|"-separated),
# E2E_EXTRA_CFG (a shell snippet run after the TFTP root is built, for tests),
# E2E_PXE_ADDR (default 10.55.0.1, dnsmasq's address too; 10.55.0.2 is a
# second address of the NIC; written as "dev IF addr A").
set -euo pipefail

ADDR=10.55.0.1                       # the DHCP server's (dnsmasq's) address
PXE_ADDR=${E2E_PXE_ADDR:-10.55.0.1}  # the address pxefast advertises
ROOT=${E2E_TFTP_ROOT:-/srv/tftp}
CONF=${E2E_CONF:-examples/pxefast.conf}
WAIT=${E2E_WAIT:-600}
PXECTL=userspace/pxectl
KVER=$(uname -r)
ID=${E2E_ID:-$$}
SHARE=/run/vm
[[ -d $SHARE ]] || SHARE=/tmp
exec > >(tee "$SHARE/e2e-server-$ID.log") 2>&1

say() { echo "e2e-server: $*"; }
die() { echo "e2e-server: ERROR: $*"; exit 1; }

PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# ------------------------------------------------------------------ network
# No udev in the guest: load the NIC drivers QEMU may give us.
for m in virtio_net e1000; do modprobe -q "$m" 2>/dev/null || true; done
DEV=${E2E_DEV-}
for _ in 1 2 3 4 5 6 7 8 9 10; do
	[[ -n $DEV ]] || ls /sys/class/net/*/device >/dev/null 2>&1 && break
	sleep 0.2
done
if [[ -z $DEV ]]; then
	for d in /sys/class/net/*; do
		[[ -e $d/device && $(cat "$d/type") == 1 ]] && { DEV=${d##*/}; break; }
	done
fi
[[ -n $DEV ]] || die "no network interface (VM_QEMU_ARGS must add a NIC)"
ip link set "$DEV" up
ip addr add "$ADDR/24" dev "$DEV"
[[ $PXE_ADDR == "$ADDR" ]] || ip addr add "$PXE_ADDR/24" dev "$DEV"
# A ULA prefix so that dnsmasq can send router advertisements: iPXE waits
# several seconds for IPv6 autoconfiguration when nobody answers.
ip -6 addr add fd55::1/64 dev "$DEV" nodad 2>/dev/null || true
say "interface $DEV $ADDR/24, pxefast at $PXE_ADDR"

# ------------------------------------------------------------- TFTP root
mkdir -p "$ROOT"
mount -t tmpfs -o mode=0755 tmpfs "$ROOT"
need() { [[ -r $1 ]] || die "$1 missing (install the Debian package $2)"; }
need /usr/lib/PXELINUX/pxelinux.0 pxelinux
need /usr/lib/syslinux/modules/bios/ldlinux.c32 syslinux-common
need /usr/lib/ipxe/snponly.efi ipxe
need "/boot/vmlinuz-$KVER" "linux-image-$KVER"
BUSYBOX=/bin/busybox
file -L "$BUSYBOX" | grep -q 'statically linked' || die "$BUSYBOX is not static (busybox-static)"

cp /usr/lib/PXELINUX/pxelinux.0 /usr/lib/syslinux/modules/bios/ldlinux.c32 \
   /usr/lib/ipxe/snponly.efi "$ROOT/"
cp "/boot/vmlinuz-$KVER" "$ROOT/vmlinuz"

# The client's initrd: busybox and an /init that prints the marker the host
# waits for, then powers the machine off.
ird=$(mktemp -d /tmp/initrd.XXXXXX)
mkdir -p "$ird"/{bin,dev,proc,sys}
cp "$BUSYBOX" "$ird/bin/busybox"
mknod -m 600 "$ird/dev/console" c 5 1
cat > "$ird/init" <<'EOI'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
cmdline=$(/bin/busybox cat /proc/cmdline)
arch=unknown
for w in $cmdline; do
	case $w in pxearch=*) arch=${w#pxearch=} ;; esac
done
echo
echo "PXEFAST-BOOTED arch=$arch cmdline=$cmdline"
echo
/bin/busybox sleep 1
/bin/busybox poweroff -f
EOI
chmod 755 "$ird/init"
(cd "$ird" && find . | cpio -o -H newc --quiet) | gzip -9 > "$ROOT/initrd.gz"
rm -rf "$ird"

# BIOS: pxelinux.0 -> ldlinux.c32 -> pxelinux.cfg/default -> vmlinuz + initrd
mkdir -p "$ROOT/pxelinux.cfg"
cat > "$ROOT/pxelinux.cfg/default" <<'EOC'
SERIAL 0 115200
DEFAULT linux
PROMPT 0
TIMEOUT 0
LABEL linux
  KERNEL vmlinuz
  INITRD initrd.gz
  APPEND console=ttyS0,115200 quiet panic=-1 pxearch=bios-pxelinux
EOC

# UEFI: snponly.efi -> boot.ipxe -> vmlinuz + initrd (initrd= for the EFI stub)
cat > "$ROOT/boot.ipxe" <<EOC
#!ipxe
echo pxefast e2e: booting Linux on \${buildarch}-\${platform}
kernel tftp://$PXE_ADDR/vmlinuz initrd=initrd.gz console=ttyS0,115200 quiet panic=-1 pxearch=\${buildarch}-\${platform}
initrd tftp://$PXE_ADDR/initrd.gz
boot
EOC

if [[ -n ${E2E_EXTRA_CFG-} ]]; then
	(cd "$ROOT" && eval "$E2E_EXTRA_CFG")
fi
say "TFTP root $ROOT:"
(cd "$ROOT" && find . -type f -printf '  %P %s\n' | sort)

# ------------------------------------------------------------ DHCP server
# Addresses only: no dhcp-boot, no pxe-service, no enable-tftp, no DNS.
dnsmasq --conf-file=/dev/null --port=0 --keep-in-foreground --user=root \
	--interface="$DEV" --bind-interfaces \
	--dhcp-range=10.55.0.100,10.55.0.200,1h \
	--dhcp-range=fd55::,ra-only --enable-ra \
	--dhcp-leasefile=/tmp/dnsmasq.leases --pid-file=/tmp/dnsmasq.pid \
	--log-dhcp --log-facility=/tmp/dnsmasq.log &
PIDS+=($!)

# ------------------------------------------------------------- pxefast
conf=/tmp/pxefast.conf
sed -e "s|^dev eth0\b.*|dev $DEV addr $PXE_ADDR|" -e "s|root /srv/tftp\b|root $ROOT|" "$CONF" > "$conf"
if [[ -n ${E2E_MAPS-} ]]; then
	tr '|' '\n' <<< "$E2E_MAPS" >> "$conf"
fi
"$PXECTL" setconf "$conf" || die "pxectl setconf $conf failed"
"$PXECTL" monitor > /tmp/monitor.log 2>&1 &
PIDS+=($!)
sleep 1
kill -0 "${PIDS[0]}" 2>/dev/null || { cat /tmp/dnsmasq.log; die "dnsmasq died"; }
say "pxectl showconf:"
"$PXECTL" showconf | sed 's/^/  /'

echo "E2E-SERVER-READY"
: > "$SHARE/e2e-ready-$ID"

# ------------------------------------------------------------- wait
start=$SECONDS
while ((SECONDS - start < WAIT)); do
	[[ -e $SHARE/e2e-done-$ID ]] && break
	sleep 1
done
((SECONDS - start < WAIT)) || say "no done signal after ${WAIT}s"

say "pxectl monitor:"
sed 's/^/  MON /' /tmp/monitor.log
say "dnsmasq log:"
grep -E 'DHCP[A-Z]+\(|RTR-ADVERT' /tmp/dnsmasq.log | sed 's/^/  DNSMASQ /' || true
say "pxectl stats:"
"$PXECTL" stats | sed "s/^/  /"
say "pxectl show:"
"$PXECTL" show | sed 's/^/  /'
echo "E2E-SERVER-DONE"
: > "$SHARE/e2e-finished-$ID"
exit 0
