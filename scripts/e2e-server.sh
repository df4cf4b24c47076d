#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# PXE server side of the end-to-end test; runs INSIDE the server guest started
# by scripts/e2e.sh through scripts/vm.sh (pxefast.ko loaded, cwd = the repo).
#
#   scripts/e2e-server.sh
#
# Builds a TFTP root on a tmpfs from Debian's packages (pxelinux,
# syslinux-common, ipxe, busybox-static and the guest's own kernel), records
# `pxectl monitor` and a tcpdump of DHCP/BINL/TFTP requests, and sets up one
# of these modes (E2E_MODE, and later the host's requests):
#
#   pxefast    the NIC gets 10.55.0.1/24; a plain DHCP server (dnsmasq:
#              addresses only, no PXE options, no TFTP) on it; pxectl setconf
#              examples/pxefast.conf (+ E2E_MAPS)
#   proxy4011  the NIC is a port of bridge br0 (10.55.0.1/24, served by
#              pxefast); dnsmasq (addresses only) runs in network namespace
#              e2edhcp behind a veth on br0 with 10.55.0.3; pxefast sends a
#              boot menu and no boot file in its proxy offer (discovery
#              control no-broadcast,no-multicast,server-list-only, boot
#              server type 4011 at 10.55.0.1), so clients must ask the boot
#              server on UDP 4011
#   dnsmasq    the NIC gets 10.55.0.1/24; pxefast serves no interface; dnsmasq
#              does everything: DHCP, PXE boot files per architecture and
#              TFTP from the same root (the comparison baseline)
#   xdp        pxefast in native XDP mode on the NIC (a virtio-net:
#              "dev IF addr A xdp native"), DHCP from another host on the
#              same segment: the second NIC (MAC $E2E_DHCP_MAC, on the same
#              QEMU hub as the first, which scripts/e2e.sh adds for xdp
#              clients) goes into network namespace e2edhcp with 10.55.0.3,
#              where dnsmasq hands out addresses.  pxefast answers the PXE
#              DISCOVERs at XDP (no DHCP server listens on its host: a local
#              one would make it pass them on), dnsmasq the same broadcasts
#              on its own NIC, as two hosts on one LAN do
#   http       as pxefast, plus UEFI HTTP boot: nginx serves the TFTP root,
#              read-only, at http://$E2E_PXE_ADDR/, and the configuration
#              gets "http-base" for it and a map for x64 HTTP clients (arch
#              16) to snponly.efi
#   pxe6       as pxefast, plus IPv6 network boot: the interface also has
#              fd55::1/64 and "dhcp6 addr6 fd55::1"; dnsmasq gives stateful
#              IPv6 addresses (RA with M set) and, to iPXE (user class
#              iPXE), option 59 naming boot6.ipxe; pxefast's proxy
#              Advertise names tftp://[fd55::1]/snponly.efi for OVMF's
#              PXEv6 and serves every file over TFTP/IPv6
#   http6      as pxe6, but UEFI HTTP boot over IPv6: nginx also listens on
#              [fd55::1]:80, "http-base http://[fd55::1]/" and a map for
#              x64 HTTP clients (arch 16) make pxefast's proxy Advertise
#              name http://[fd55::1]/snponly.efi, and dnsmasq names
#              boot6h.ipxe (Linux over HTTP/IPv6) to iPXE
#
# When clients may boot it prints "E2E-SERVER-READY" and creates
# /run/vm/e2e-ready-$E2E_ID (vm.sh's run directory, shared with the host: the
# console stream reaches the host only in blocks).  Then, until the host
# creates /run/vm/e2e-done-$E2E_ID (or $E2E_WAIT seconds pass), it serves the
# host's phase requests: /run/vm/e2e-phase-$E2E_ID.N (N = 1, 2, ...) holding
# "MODE CLIENT" switches to MODE if needed, logs the phase's start time and
# is acknowledged by /run/vm/e2e-phased-$E2E_ID.N.  At the end it prints the
# phases, the monitor events, dnsmasq's log and the capture (each line with
# the guest's epoch time), `pxectl stats` and `pxectl show`, and exits 0.
# Its output is also copied, as it goes, to /run/vm/e2e-server-$E2E_ID.log.
# Each PHASE line ends with pxectl's xdp-dhcp-tx, xdp-boot-tx,
# dhcp6-advertise-tx, dhcp6-reply-tx and tftp6-rrq-rx counters at that
# moment (the host takes a phase's answers from them).
#
# Environment: E2E_MODE (default pxefast), E2E_ID (default: the PID),
# E2E_DEV (default: the first ethernet NIC but the one of E2E_DHCP_MAC),
# E2E_DHCP_MAC (the MAC of the xdp mode's DHCP server NIC),
# E2E_WAIT (default 600), E2E_CONF (default examples/pxefast.conf),
# E2E_TFTP_ROOT (default /srv/tftp, a tmpfs mounted here),
# E2E_MAPS (extra lines appended to the configuration, "|"-separated),
# E2E_EXTRA_CFG (a shell snippet run after the TFTP root is built, for tests),
# E2E_PXE_ADDR (default 10.55.0.1, dnsmasq's address too; 10.55.0.2 is a
# second address of the NIC; written as "dev IF addr A").
#
# E2E_DEB=1 (scripts/e2e.sh -d, run by vm.sh -n: no module loaded): pxefast
# as an admin installs it.  The packages of build/deb/ are installed with
# dpkg -i (DKMS builds the module for the running kernel), then every
# configuration is written to /etc/pxefast/pxefast.conf and applied by the
# commands of the installed pxefast.service (scripts/unit-run.sh: start,
# reload, stop; systemd is not PID 1 here).  At the end pxefast@NETNS.service
# serves a namespace, checked with a replayed DHCP discover and a TFTP read.
# Each check prints a line "DEB-CHECK ok|not ok NAME", which e2e.sh reports
# as a test.
set -euo pipefail

ADDR=10.55.0.1                       # the DHCP server's (dnsmasq's) address
PXE_ADDR=${E2E_PXE_ADDR:-10.55.0.1}  # the address pxefast advertises
PXE_ADDR6=fd55::1                     # and over IPv6 (modes pxe6, http6)
ROOT=${E2E_TFTP_ROOT:-/srv/tftp}
CONF=${E2E_CONF:-examples/pxefast.conf}
WAIT=${E2E_WAIT:-600}
PXECTL=userspace/pxectl
DEB=${E2E_DEB:-0}
((DEB)) && PXECTL=/usr/sbin/pxectl
UNIT=/lib/systemd/system/pxefast.service
KVER=$(uname -r)
ID=${E2E_ID:-$$}
SHARE=/run/vm
[[ -d $SHARE ]] || SHARE=/tmp
exec > >(tee "$SHARE/e2e-server-$ID.log") 2>&1

say() { echo "e2e-server: $*"; }
die() { echo "e2e-server: ERROR: $*"; exit 1; }

MODE=${E2E_MODE:-pxefast}
case $MODE in pxefast|proxy4011|dnsmasq|http|xdp|pxe6|http6) ;; *) die "unknown mode $MODE" ;; esac
BR=br0 NS=e2edhcp NS_ADDR=10.55.0.3

PIDS=()       # long-lived helpers: monitor, tcpdump
DNSMASQ_PID=
NGINX_PID=
cleanup() {
	local p
	# The XDP program holds the module: detach it, or vm.sh's rmmod fails.
	[[ $MODE != xdp ]] || "$PXECTL" setconf /dev/null || true
	[[ -z $DNSMASQ_PID ]] || PIDS+=("$DNSMASQ_PID")
	[[ -z $NGINX_PID ]] || PIDS+=("$NGINX_PID")
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT

# Prefix every line read with the epoch time (bash's $EPOCHREALTIME): the
# host cuts the logs into per-client phases with it.
stamp() {
	local l
	while IFS= read -r l; do printf '%s %s\n' "$EPOCHREALTIME" "$l"; done
}

# ------------------------------------------------------------- packages
DEB_FAILS=0
deb_check() {   # NAME CMD...: one DEB-CHECK line
	local name=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	[[ -z $out ]] || printf '%s\n' "$out" | sed 's/^/  /'
	if ((rc == 0)); then
		echo "DEB-CHECK ok $name"
	else
		echo "DEB-CHECK not ok $name"
		DEB_FAILS=$((DEB_FAILS + 1))
	fi
	return "$rc"
}
unit() { scripts/unit-run.sh "$UNIT" "$@"; }
unit_at() { scripts/unit-run.sh "${UNIT%.service}@.service" "$@"; }   # ACTION NETNS
# show_is PYEXPR [NETNS]: "pxectl show -j" holds PYEXPR over d.
show_is() {
	local ns=()
	[[ -z ${2-} ]] || ns=(-n "$2")
	"$PXECTL" "${ns[@]}" show -j | python3 -c '
import json, sys
d = json.load(sys.stdin)
sys.exit(0 if eval(sys.argv[1]) else "show -j: %s does not hold for %s" % (sys.argv[1], d))' "$1"
}
gen_of() { "$PXECTL" "$@" show -j | python3 -c 'import json,sys; print(json.load(sys.stdin)["generation"])'; }

deb_dkms_built() {
	local ko
	dkms status -m pxefast -k "$KVER"
	dkms status -m pxefast -k "$KVER" | grep -q ': installed' || { echo "not installed by DKMS for $KVER"; return 1; }
	ko=$(modinfo -k "$KVER" -n pxefast) || return 1
	echo "module file: $ko"
	[[ $ko == /lib/modules/$KVER/updates/dkms/pxefast.ko* ]] || { echo "not DKMS's module"; return 1; }
	[[ $(modinfo -F vermagic "$ko") == "$KVER "* ]] || { echo "vermagic: $(modinfo -F vermagic "$ko")"; return 1; }
	[[ ! -d /sys/module/pxefast ]] || { echo "pxefast loaded before the unit ran"; return 1; }
}
deb_files() {
	local f
	for f in /usr/sbin/pxectl /lib/systemd/system/pxefast.service \
		 /lib/systemd/system/pxefast@.service /etc/pxefast/pxefast.conf \
		 /usr/share/man/man8/pxectl.8.gz /usr/share/man/man5/pxefast.conf.5.gz \
		 /usr/share/bash-completion/completions/pxectl \
		 /usr/share/doc/pxectl/examples/pxefast.conf /usr/src/pxefast-0.1/dkms.conf; do
		[[ -e $f ]] || { echo "missing: $f"; return 1; }
	done
	dpkg-query -W -f '${Conffiles}\n' pxectl | grep -q '^ /etc/pxefast/pxefast.conf ' ||
		{ echo "/etc/pxefast/pxefast.conf is not a conffile"; return 1; }
	# The shipped file: comments only, so an empty configuration.
	! grep -Ev '^[[:space:]]*(#|$)' /etc/pxefast/pxefast.conf || { echo "shipped conffile has settings"; return 1; }
}
deb_units_verify() {
	local out
	cp /lib/systemd/system/pxefast@.service /tmp/pxefast@labnet.service
	# Exits 0 on directives it ignores: any message is a failure.
	out=$(systemd-analyze verify /lib/systemd/system/pxefast.service /tmp/pxefast@labnet.service 2>&1) &&
		[[ -z $out ]] || { echo "$out"; return 1; }
}
# The shipped configuration: the unit starts, loads DKMS's module, serves nothing.
deb_start_empty() {
	unit start || return 1
	[[ $(cat /sys/module/pxefast/srcversion) == "$(modinfo -F srcversion "$(modinfo -n pxefast)")" ]] ||
		{ echo "the loaded module is not DKMS's"; return 1; }
	show_is "not d.get('devs') and not d.get('maps') and not d['tftp']['enabled']"
}
# The loaded DKMS module's BTF, accepted by the kernel, has the XDP kfunc.
deb_module_btf() {
	bpftool btf dump file /sys/kernel/btf/pxefast -B /sys/kernel/btf/vmlinux |
		grep "FUNC 'pxefast_xdp_rx'"
}
deb_dpkg_i() {
	local t0=$SECONDS l
	DEBIAN_FRONTEND=noninteractive dpkg -i "$@" 2>&1 |
		while IFS= read -r l; do printf '[%4ds] %s\n' $((SECONDS - t0)) "$l"; done
	return "${PIPESTATUS[0]}"
}
deb_install() {
	local t0=$SECONDS debs
	debs=("$VM_REPO"/build/deb/pxefast-dkms_*_all.deb "$VM_REPO"/build/deb/pxectl_*_amd64.deb)
	say "installing ${debs[*]##*/}"
	# No man-db index rebuild in the guest (slow under TCG; not under test).
	rm -f /var/lib/man-db/auto-update
	# Each line of dpkg's (and DKMS's) output with the seconds since the start.
	deb_check "dpkg -i pxefast-dkms pxectl (DKMS build for $KVER)" \
		deb_dpkg_i "${debs[@]}" || die "dpkg -i failed"
	say "dpkg -i took $((SECONDS - t0)) s"
	deb_check "DKMS built and installed pxefast.ko for $KVER" deb_dkms_built || die "no DKMS module"
	deb_check "the packages' files are in place" deb_files
	deb_check "systemd-analyze verify pxefast.service pxefast@labnet.service" deb_units_verify
	deb_check "pxefast.service start with the shipped file: module loaded, nothing served" \
		deb_start_empty || die "the unit did not start"
	deb_check "DKMS built the module with BTF: pxefast_xdp_rx in /sys/kernel/btf/pxefast" \
		deb_module_btf
}
if ((DEB)); then
	deb_install
fi

# ------------------------------------------------------------------ network
# No udev in the guest: load the NIC drivers QEMU may give us.
for m in virtio_net e1000; do modprobe -q "$m" 2>/dev/null || true; done
DEV=${E2E_DEV-}
for _ in 1 2 3 4 5 6 7 8 9 10; do
	[[ -n $DEV ]] || ls /sys/class/net/*/device >/dev/null 2>&1 && break
	sleep 0.2
done
DHCP_DEV=   # xdp mode: the DHCP server's NIC (E2E_DHCP_MAC)
for d in /sys/class/net/*; do
	[[ -e $d/device && $(cat "$d/type") == 1 ]] || continue
	if [[ -n ${E2E_DHCP_MAC-} && $(cat "$d/address") == "$E2E_DHCP_MAC" ]]; then
		DHCP_DEV=${d##*/}
	elif [[ -z $DEV ]]; then
		DEV=${d##*/}
	fi
done
[[ -n $DEV ]] || die "no network interface (VM_QEMU_ARGS must add a NIC)"
ip link set "$DEV" up

NET=   # plain | bridge: how the interfaces are set up

net_plain_up() {
	ip addr add "$ADDR/24" dev "$DEV"
	[[ $PXE_ADDR == "$ADDR" ]] || ip addr add "$PXE_ADDR/24" dev "$DEV"
	# A ULA prefix so that dnsmasq can send router advertisements: iPXE
	# waits several seconds for IPv6 autoconfiguration when nobody answers.
	ip -6 addr add fd55::1/64 dev "$DEV" nodad 2>/dev/null || true
	NET=plain
	say "interface $DEV $ADDR/24, pxefast at $PXE_ADDR"
}
net_plain_down() {
	ip -4 addr flush dev "$DEV"
	ip -6 addr del fd55::1/64 dev "$DEV" 2>/dev/null || true
	NET=
}
# DHCP from another host: $DEV as for plain, the second NIC on the same
# segment in dnsmasq's namespace with 10.55.0.3.
net_xdp_up() {
	[[ -n $DHCP_DEV ]] || die "mode xdp: no NIC with MAC ${E2E_DHCP_MAC:-(E2E_DHCP_MAC unset)}"
	net_plain_up
	ip netns add "$NS"
	ip link set "$DHCP_DEV" netns "$NS"
	ip -n "$NS" link set lo up
	ip -n "$NS" addr add "$NS_ADDR/24" dev "$DHCP_DEV"
	ip -n "$NS" -6 addr add fd55::3/64 dev "$DHCP_DEV" nodad 2>/dev/null || true
	ip -n "$NS" link set "$DHCP_DEV" up
	NET=xdp
	say "interface $DEV $ADDR/24 (pxefast, native XDP); $DHCP_DEV in netns $NS at $NS_ADDR (dnsmasq)"
}
net_xdp_down() {
	# The NIC goes back to the initial namespace with it.
	ip netns del "$NS" 2>/dev/null || true
	for _ in $(seq 50); do
		[[ -e /sys/class/net/$DHCP_DEV ]] && break
		sleep 0.1
	done
	net_plain_down
}

# XDP attached in native mode (the driver's, not generic), and the link
# back up after virtio-net reset its queues for it.
xdp_native_on() {
	local i
	ip -d link show dev "$DEV" | grep -q 'prog/xdp id [0-9]* name pxefast_xdp' &&
		ip link show dev "$DEV" | grep -q 'mtu [0-9]* xdp ' || return 1
	for ((i = 0; i < 50; i++)); do
		ip link show dev "$DEV" | grep -q 'state UP' && return 0
		sleep 0.1
	done
	return 1
}

# DHCP from elsewhere: $DEV in bridge br0 (10.55.0.1, pxefast's), dnsmasq's
# namespace on a veth port of the same bridge (10.55.0.3).
net_bridge_up() {
	modprobe -q bridge 2>/dev/null || true
	modprobe -q veth 2>/dev/null || true
	ip link add "$BR" type bridge stp_state 0 forward_delay 0 mcast_snooping 0
	ip link set "$DEV" master "$BR"
	ip link set "$BR" up
	ip addr add "$ADDR/24" dev "$BR"
	ip -6 addr add fd55::1/64 dev "$BR" nodad 2>/dev/null || true
	ip netns add "$NS"
	ip link add e2ev0 type veth peer name e2ev1
	ip link set e2ev1 netns "$NS"
	ip link set e2ev0 master "$BR"
	ip link set e2ev0 up
	ip -n "$NS" link set lo up
	ip -n "$NS" addr add "$NS_ADDR/24" dev e2ev1
	ip -n "$NS" -6 addr add fd55::3/64 dev e2ev1 nodad 2>/dev/null || true
	ip -n "$NS" link set e2ev1 up
	NET=bridge
	say "bridge $BR ($DEV, e2ev0) $ADDR/24 served by pxefast; dnsmasq in netns $NS at $NS_ADDR"
}
net_bridge_down() {
	ip netns del "$NS" 2>/dev/null || true
	ip link del e2ev0 2>/dev/null || true
	ip link set "$DEV" nomaster 2>/dev/null || true
	ip link del "$BR" 2>/dev/null || true
	ip link set "$DEV" up
	NET=
}

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
  APPEND console=ttyS0,115200 quiet panic=-1 no_timer_check pxearch=bios-pxelinux
EOC

# UEFI: snponly.efi -> boot.ipxe -> vmlinuz + initrd (initrd= for the EFI stub)
cat > "$ROOT/boot.ipxe" <<EOC
#!ipxe
echo pxefast e2e: booting Linux on \${buildarch}-\${platform}
kernel tftp://$PXE_ADDR/vmlinuz initrd=initrd.gz console=ttyS0,115200 quiet panic=-1 no_timer_check pxearch=\${buildarch}-\${platform}
initrd tftp://$PXE_ADDR/initrd.gz
boot
EOC

# IPv6 (mode pxe6): the same over TFTP/IPv6; e2e.ipv6 marks the kernel
# command line this script gave.
cat > "$ROOT/boot6.ipxe" <<EOC
#!ipxe
echo pxefast e2e: booting Linux over IPv6 on \${buildarch}-\${platform}
kernel tftp://[$PXE_ADDR6]/vmlinuz initrd=initrd.gz console=ttyS0,115200 quiet panic=-1 no_timer_check pxearch=\${buildarch}-\${platform} e2e.ipv6
initrd tftp://[$PXE_ADDR6]/initrd.gz
boot
EOC
# And (mode http6) over HTTP/IPv6 from nginx.
cat > "$ROOT/boot6h.ipxe" <<EOC
#!ipxe
echo pxefast e2e: booting Linux over HTTP/IPv6 on \${buildarch}-\${platform}
kernel http://[$PXE_ADDR6]/vmlinuz initrd=initrd.gz console=ttyS0,115200 quiet panic=-1 no_timer_check pxearch=\${buildarch}-\${platform} e2e.ipv6
initrd http://[$PXE_ADDR6]/initrd.gz
boot
EOC

if [[ -n ${E2E_EXTRA_CFG-} ]]; then
	(cd "$ROOT" && eval "$E2E_EXTRA_CFG")
fi
say "TFTP root $ROOT:"
(cd "$ROOT" && find . -type f -printf '  %P %s\n' | sort)

# ------------------------------------------------------------ DHCP server
DNSMASQ_N=0
# shellcheck disable=SC2054 # commas belong to dnsmasq's option values
dnsmasq_start() {   # pxefast|proxy4011|dnsmasq
	local mode=$1 args=() ns=() ifc=$DEV lease
	DNSMASQ_N=$((DNSMASQ_N + 1))
	lease=/tmp/dnsmasq.leases.$DNSMASQ_N
	# IPv6: router advertisements only, or (pxe6, http6) stateful
	# addresses.
	local v6range=fd55::,ra-only
	[[ $mode != pxe6 && $mode != http6 ]] || v6range=fd55::100,fd55::1ff,64,1h
	args=(--conf-file=/dev/null --port=0 --keep-in-foreground --user=root
	      --bind-interfaces --dhcp-range=10.55.0.100,10.55.0.200,1h
	      --dhcp-range="$v6range" --enable-ra
	      --dhcp-leasefile="$lease" --log-dhcp --log-facility=-)
	case $mode in
	pxefast|http)
		# Addresses only: no dhcp-boot, no pxe-service, no TFTP, no DNS.
		;;
	pxe6)
		# IPv6 addresses (IA_NA; OVMF needs one), and for iPXE its
		# script: iPXE's stateful DHCPv6 takes option 59 only from
		# the server that gives its address.  Not authoritative
		# (preference 0), so EDK2 waits for pxefast's Advertise.
		args+=(--dhcp-userclass=set:ipxe6,iPXE
		       "--dhcp-option=tag:ipxe6,option6:bootfile-url,tftp://[$PXE_ADDR6]/boot6.ipxe") ;;
	http6)
		# The same, iPXE's script over HTTP.
		args+=(--dhcp-userclass=set:ipxe6,iPXE
		       "--dhcp-option=tag:ipxe6,option6:bootfile-url,http://[$PXE_ADDR6]/boot6h.ipxe") ;;
	xdp)
		# Addresses only, from the other host's NIC.
		ns=(ip netns exec "$NS") ifc=$DHCP_DEV ;;
	proxy4011)
		# Addresses only, but for iPXE on UEFI (see pxefast_conf).
		args+=(--dhcp-match=set:efi64,option:client-arch,7
		       --dhcp-match=set:efi64,option:client-arch,9
		       --dhcp-match=set:ipxe,175
		       --dhcp-boot=tag:efi64,tag:ipxe,boot.ipxe,,"$ADDR")
		ns=(ip netns exec "$NS") ifc=e2ev1 ;;
	dnsmasq)
		# Everything, as pxefast's maps do it: PXELINUX for BIOS,
		# snponly.efi for x64 UEFI firmware, boot.ipxe once iPXE runs
		# there (it sends option 175); MAC-specific scripts for "map".
		# Option 175.176 = 1 spares iPXE its wait for a ProxyDHCP
		# offer (with pxefast, the proxy offer itself ends the wait).
		args+=(--enable-tftp --tftp-root="$ROOT"
		       --dhcp-match=set:efi64,option:client-arch,7
		       --dhcp-match=set:efi64,option:client-arch,9
		       --dhcp-match=set:ipxe,175
		       --dhcp-option=tag:ipxe,encap:175,176,1b
		       --dhcp-boot=tag:!efi64,tag:!maphost,pxelinux.0,,"$ADDR"
		       --dhcp-boot=tag:efi64,tag:!ipxe,tag:!maphost,snponly.efi,,"$ADDR"
		       --dhcp-boot=tag:efi64,tag:ipxe,tag:!maphost,boot.ipxe,,"$ADDR")
		local m t
		if [[ -n ${E2E_MAPS-} ]]; then
			# "map mac M file F ..." lines: the same per-MAC file.
			while read -r m; do
				[[ $m =~ ^map\ mac\ ([0-9a-f:]+)\ file\ ([^ ]+) ]] || continue
				t=m${BASH_REMATCH[1]//:/}
				args+=(--dhcp-mac="set:maphost,${BASH_REMATCH[1]}"
				       --dhcp-mac="set:$t,${BASH_REMATCH[1]}"
				       --dhcp-boot="tag:$t,${BASH_REMATCH[2]},,$ADDR")
			done < <(tr '|' '\n' <<< "$E2E_MAPS")
		fi ;;
	esac
	"${ns[@]}" dnsmasq "${args[@]}" --interface="$ifc" \
		--pid-file=/tmp/dnsmasq.pid.$DNSMASQ_N 2> >(stamp >> /tmp/dnsmasq.log) &
	DNSMASQ_PID=$!
	sleep 0.5
	kill -0 "$DNSMASQ_PID" 2>/dev/null || { cat /tmp/dnsmasq.log; die "dnsmasq ($mode) died"; }
}
dnsmasq_stop() {
	[[ -n $DNSMASQ_PID ]] || return 0
	kill "$DNSMASQ_PID" 2>/dev/null || true
	wait "$DNSMASQ_PID" 2>/dev/null || true
	DNSMASQ_PID=
}

# ------------------------------------------------------------- HTTP server
# nginx serves the TFTP root, through a read-only bind mount, at
# http://$PXE_ADDR/ and http://[$PXE_ADDR6]/; each request is logged as "NGINX EPOCH CLIENT
# "REQUEST" STATUS BYTES".
HTTP_ROOT=/srv/http
nginx_start() {
	local d=/tmp/nginx
	command -v nginx >/dev/null || die "nginx missing (install the Debian package nginx-light)"
	mkdir -p "$d" "$HTTP_ROOT"
	if ! mountpoint -q "$HTTP_ROOT"; then
		mount --bind "$ROOT" "$HTTP_ROOT" && mount -o remount,bind,ro "$HTTP_ROOT" ||
			die "cannot bind-mount $ROOT read-only on $HTTP_ROOT"
	fi
	cat > "$d/nginx.conf" <<EOC
user www-data;
worker_processes 1;
pid $d/nginx.pid;
error_log $d/error.log;
events { worker_connections 64; }
http {
	include /etc/nginx/mime.types;
	default_type application/octet-stream;
	log_format e2e 'NGINX \$msec \$remote_addr "\$request" \$status \$body_bytes_sent';
	access_log $d/access.log e2e;
	sendfile on;
	server {
		listen $PXE_ADDR:80;
		listen [$PXE_ADDR6]:80;
		root $HTTP_ROOT;
		autoindex off;
	}
}
EOC
	nginx -c "$d/nginx.conf" -g 'daemon off;' 2>>"$d/error.log" &
	NGINX_PID=$!
	sleep 0.5
	kill -0 "$NGINX_PID" 2>/dev/null || { cat "$d/error.log"; die "nginx died"; }
	say "nginx serving $HTTP_ROOT (read-only) at http://$PXE_ADDR/ and http://[$PXE_ADDR6]/"
}
nginx_stop() {
	[[ -n $NGINX_PID ]] || return 0
	kill "$NGINX_PID" 2>/dev/null || true
	wait "$NGINX_PID" 2>/dev/null || true
	NGINX_PID=
}

# ------------------------------------------------------------- pxefast
pxefast_conf() {   # MODE -> the configuration file to apply
	local mode=$1 conf=/tmp/pxefast-$1.conf
	case $mode in
	pxefast|http|xdp|pxe6|http6)
		local xdp=
		[[ $mode != xdp ]] || xdp=" xdp native"
		# pxe6, http6: DHCPv6 boot options too, URLs naming fd55::1.
		[[ $mode != pxe6 && $mode != http6 ]] || xdp=" dhcp6 addr6 $PXE_ADDR6"
		sed -e "s|^dev eth0\b.*|dev $DEV addr $PXE_ADDR$xdp|" -e "s|root /srv/tftp\b|root $ROOT|" "$CONF" > "$conf"
		if [[ -n ${E2E_MAPS-} ]]; then
			tr '|' '\n' <<< "$E2E_MAPS" >> "$conf"
		fi
		if [[ $mode == http ]]; then
			# x64 UEFI HTTP boot: iPXE again, over HTTP from nginx;
			# iPXE then asks as arch 7 with user class iPXE.
			sed -i "s|^dhcp .*|& http-base http://$PXE_ADDR/|" "$conf"
			echo 'map arch efi-x64-http file snponly.efi label "x64 UEFI HTTP: iPXE"' >> "$conf"
		fi
		if [[ $mode == http6 ]]; then
			# The same over IPv6: the URL names fd55::1.
			sed -i "s|^dhcp .*|& http-base http://[$PXE_ADDR6]/|" "$conf"
			echo 'map arch efi-x64-http file snponly.efi label "x64 UEFI HTTPv6: iPXE"' >> "$conf"
		fi ;;
	proxy4011)
		# No boot file in the proxy offer (a menu and a server list
		# make it a boot server discovery; no direct-boot-file bit):
		# the client asks 10.55.0.1:4011 for boot server type 4011,
		# layer 0, and the maps with "type 4011" answer.  The proxy
		# offer needs a map too (the DISCOVER names no boot item, so a
		# "type" map does not match it): the same files without "type";
		# they never reach the client, as the offer carries no file.
		# iPXE's EFI build (snponly.efi) has no PXE menu support: with
		# a menu in a proxy offer it gives up ("Booting from PXE menu",
		# ENOTSUP).  So no map matches its DISCOVER (the EDK2 map names
		# EDK2's own option 60) and it gets no proxy offer; the DHCP
		# server names boot.ipxe for it, served by pxefast's TFTP.  Not type 0:
		# as a menu item, 0 means "boot from local media" to iPXE and
		# EDK2 (PXE 2.1), which then leave the network boot at once.
		cat > "$conf" <<EOC
dev $BR addr $ADDR
tftp on root $ROOT
dhcp proxy on boot-server on discovery no-broadcast,no-multicast,server-list-only
server 4011 addr $ADDR label "pxefast boot server"
menu prompt "pxefast e2e proxy4011" timeout 0
menu item 4011 "Linux via the boot server"
map arch bios file pxelinux.0 label "offer: BIOS"
map vendor-class PXEClient:Arch:00007:UNDI:003000 file snponly.efi label "offer: EDK2"
map arch bios type 4011 layer 0 file pxelinux.0 label "4011: PXELINUX"
map arch 7 type 4011 layer 0 file snponly.efi label "4011: iPXE (UEFI)"
EOC
		;;
	dnsmasq)
		# Serve no interface: dnsmasq does everything.
		: > "$conf" ;;
	esac
	echo "$conf"
}

mode_down() {
	dnsmasq_stop
	nginx_stop
	case $NET in
	plain) net_plain_down ;;
	bridge) net_bridge_down ;;
	xdp) net_xdp_down ;;
	esac
}
# deb mode: the unit's reload applies an edited file, the generation moves on.
deb_reload() {
	local g0 g1
	g0=$(gen_of) || return 1
	echo "map mac 02:00:00:00:00:01 file reload-check.0 label reload" >> /etc/pxefast/pxefast.conf
	unit reload || return 1
	g1=$(gen_of) || return 1
	((g1 == g0 + 1)) || { echo "generation $g0 -> $g1"; return 1; }
	"$PXECTL" showconf | grep -q 'reload-check.0' || { echo "reloaded map missing"; return 1; }
}
mode_up() {
	local mode=$1 conf
	# Serve nothing while the interfaces change.
	if ((DEB)); then
		unit stop || die "pxefast.service stop failed"
		show_is "not d.get('devs') and not d['tftp']['enabled']" || die "stop left a configuration"
	else
		: > /tmp/pxefast-none.conf
		"$PXECTL" setconf /tmp/pxefast-none.conf || die "pxectl setconf (empty) failed"
	fi
	mode_down
	case $mode in
	proxy4011) net_bridge_up ;;
	xdp) net_xdp_up ;;
	*) net_plain_up ;;
	esac
	dnsmasq_start "$mode"
	[[ $mode != http && $mode != http6 ]] || nginx_start
	conf=$(pxefast_conf "$mode")
	if ((DEB)); then
		cp "$conf" /etc/pxefast/pxefast.conf
		deb_check "pxefast.service start: /etc/pxefast/pxefast.conf for mode $mode applied" \
			unit start || die "pxefast.service start failed"
		deb_check "pxefast.service reload: an edited file applied, generation + 1" deb_reload
	else
		"$PXECTL" setconf "$conf" || die "pxectl setconf $conf failed"
	fi
	if [[ $mode == xdp ]]; then
		xdp_native_on || { ip -d link show dev "$DEV"; die "$DEV: pxefast_xdp not attached in native mode"; }
		say "$DEV: pxefast_xdp attached in native (driver) mode"
	fi
	MODE=$mode
	say "mode $mode; pxectl showconf:"
	"$PXECTL" showconf | sed 's/^/  /'
}

# Capture the requests (and DHCP replies) on the wire: tcpdump sees frames
# before pxefast's netfilter hook consumes them.  Requests only for TFTP,
# so the capture costs little during transfers.
tcpdump -i "$DEV" -n -U -s 256 -w /tmp/e2e.pcap \
	'udp and (port 67 or port 68 or port 4011 or dst port 69)' 2>/tmp/tcpdump.err &
PIDS+=($!)
"$PXECTL" monitor > >(stamp > /tmp/monitor.log) 2>&1 &
PIDS+=($!)
mode_up "$MODE"
sleep 0.5

echo "E2E-SERVER-READY"
: > "$SHARE/e2e-ready-$ID"

# ------------------------------------------------------------- deb: netns
# pxefast@labnet.service: a namespace with a veth to a client namespace, a
# replayed PXE DHCPDISCOVER (selftests/pxe_client, iPXE BIOS ROM profile)
# gets a proxy offer naming the file, and a TFTP read (tftp-hpa) returns the
# file whole.
NS2=labnet NS2C=labnet-client
deb_netns_up() {
	modprobe -q veth 2>/dev/null || true
	ip netns add "$NS2" && ip netns add "$NS2C" || return 1
	ip -n "$NS2" link set lo up
	ip link add lbs0 netns "$NS2" type veth peer name lbc0 netns "$NS2C" || return 1
	ip -n "$NS2" addr add 10.66.0.1/24 dev lbs0
	ip -n "$NS2C" addr add 10.66.0.2/24 dev lbc0
	ip -n "$NS2" link set lbs0 up && ip -n "$NS2C" link set lbc0 up || return 1
	mkdir -p /srv/labnet
	head -c 300000 /dev/urandom > /srv/labnet/labnet.0
	chmod -R a+rX /srv/labnet
	cat > "/etc/pxefast/$NS2.conf" <<EOC
dev lbs0
tftp on root /srv/labnet
map arch bios file labnet.0 label "labnet BIOS"
EOC
	unit_at start "$NS2" || return 1
	show_is "[x['name'] for x in d['devs']] == ['lbs0'] and d['tftp']['enabled']" "$NS2" || return 1
	# The host's namespace keeps its own configuration.
	show_is "'lbs0' not in [x.get('name') for x in d.get('devs', [])]"
}
deb_netns_dhcp() {
	local out i
	# The veth may take a moment to pass packets: retry for a while.
	for ((i = 0; i < 20; i++)); do
		out=$(ip netns exec "$NS2C" selftests/pxe_client -i lbc0 -p ipxe-bios -t discover -w 3000 2>&1) || true
		grep -q '^msgtype=2$' <<<"$out" && break
	done
	printf '%s\n' "$out" | grep -E '^(from|msgtype|file|opt67)=' || true
	grep -q '^msgtype=2$' <<<"$out" && grep -Eq '^(file|opt67)=labnet\.0$' <<<"$out"
}
deb_netns_tftp() {
	rm -f /tmp/labnet.0
	(cd /tmp && ip netns exec "$NS2C" timeout 60 tftp -m binary 10.66.0.1 -c get labnet.0) || return 1
	cmp /tmp/labnet.0 /srv/labnet/labnet.0
}
deb_netns_reload_stop() {
	local g0 g1
	g0=$(gen_of -n "$NS2") || return 1
	echo "map arch 7 file labnet.efi" >> "/etc/pxefast/$NS2.conf"
	unit_at reload "$NS2" || return 1
	g1=$(gen_of -n "$NS2") || return 1
	((g1 == g0 + 1)) || { echo "generation $g0 -> $g1"; return 1; }
	unit_at stop "$NS2" || return 1
	show_is "not d.get('devs') and not d.get('maps') and not d['tftp']['enabled']" "$NS2"
}
deb_netns() {
	deb_check "pxefast@$NS2.service start in network namespace $NS2" deb_netns_up &&
	deb_check "pxefast@$NS2.service: a replayed PXE DHCPDISCOVER gets the mapped file" deb_netns_dhcp
	deb_check "pxefast@$NS2.service: a TFTP read returns the file whole" deb_netns_tftp
	deb_check "pxefast@$NS2.service reload and stop" deb_netns_reload_stop
	ip netns del "$NS2C" 2>/dev/null || true
	ip netns del "$NS2" 2>/dev/null || true
}
deb_prometheus() {
	local out
	out=$("$PXECTL" stats --prometheus) || return 1
	python3 userspace/prom_check.py --metric pxefast_tftp_sessions \
		--metric pxefast_tftp_done_total --metric pxefast_arch_requests_total <<<"$out" ||
		{ echo "$out"; return 1; }
	grep -E '^pxefast_(tftp_done_total|arch_requests_total)' <<<"$out"
}
deb_stop() {
	unit stop || return 1
	show_is "not d.get('devs') and not d.get('maps') and not d['tftp']['enabled']"
}

# ------------------------------------------------------------- wait
# phase_counters: pxectl's counters the host reads per phase: requests
# answered at XDP (DHCP, boot server), DHCPv6 Advertises and Replies sent,
# TFTP read requests over IPv6.
phase_counters() {
	"$PXECTL" stats | awk '{ v[$1] = $2 } END {
		print v["xdp-dhcp-tx"] + 0, v["xdp-boot-tx"] + 0, v["dhcp6-advertise-tx"] + 0,
		      v["dhcp6-reply-tx"] + 0, v["tftp6-rrq-rx"] + 0 }'
}
PHASES=()
phase=1
start=$SECONDS
while ((SECONDS - start < WAIT)); do
	[[ -e $SHARE/e2e-done-$ID ]] && break
	if [[ -e $SHARE/e2e-phase-$ID.$phase ]]; then
		read -r want client < "$SHARE/e2e-phase-$ID.$phase" || true
		case ${want-} in pxefast|proxy4011|dnsmasq|http|xdp|pxe6|http6) ;; *) want=$MODE ;; esac
		[[ $want == "$MODE" ]] || mode_up "$want"
		PHASES+=("$EPOCHREALTIME $phase ${client:-?} $MODE $(phase_counters)")
		say "phase $phase: client ${client:-?}, mode $MODE"
		: > "$SHARE/e2e-phased-$ID.$phase"
		phase=$((phase + 1))
		continue
	fi
	sleep 0.2
done
((SECONDS - start < WAIT)) || say "no done signal after ${WAIT}s"
end=$EPOCHREALTIME
end_xdp=$(phase_counters)
sleep 0.5

say "phases:"
for p in "${PHASES[@]}"; do echo "  PHASE $p"; done
echo "  PHASE $end end - - $end_xdp"
say "pxectl monitor:"
sed 's/^/  MON /' /tmp/monitor.log
say "dnsmasq log:"
grep -E 'DHCP[A-Z]+\(|RTR-ADVERT|dnsmasq-tftp|TFTP' /tmp/dnsmasq.log | sed 's/^/  DNSMASQ /' || true
say "nginx log:"
sed 's/^/  /' /tmp/nginx/access.log 2>/dev/null || true
say "capture:"
tcpdump -r /tmp/e2e.pcap -n -tt 2>/dev/null | sed 's/^/  PCAP /' || true
if ((DEB)); then
	deb_netns
	deb_check "pxectl stats --prometheus: exposition format" deb_prometheus
fi
say "pxectl stats:"
"$PXECTL" stats | sed "s/^/  /"
say "pxectl show:"
"$PXECTL" show | sed 's/^/  /'
if ((DEB)); then
	deb_check "pxefast.service stop: an empty configuration, nothing served" deb_stop
	echo "DEB-CHECKS failed: $DEB_FAILS"
fi
echo "E2E-SERVER-DONE"
: > "$SHARE/e2e-finished-$ID"
exit 0
