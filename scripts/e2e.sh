#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end test: real, unmodified PXE firmware boots a Linux kernel through
# pxefast.  Runs on the host.
#
#   scripts/e2e.sh [-k KVER] [-t CLIENT_TIMEOUT_S] [-s] [-c] [-d] CLIENT[@SERVER]...
#
# CLIENT is one of
#   bios    SeaBIOS + iPXE ROM on e1000:   pxelinux.0 -> ldlinux.c32 -> Linux
#   uefi    OVMF (EDK2 PxeBcDxe) on virtio-net: snponly.efi -> boot.ipxe -> Linux
#   map     two BIOS clients with different MACs; "map mac" lines give each
#           its own iPXE script, so their kernel command lines differ
#   proxy4011       the bios client in a proxy setup where DHCP comes from
#           another namespace behind a bridge (dnsmasq at 10.55.0.3, pxefast
#           on br0 at 10.55.0.1) and pxefast's proxy offer has a boot menu
#           and no boot file: the boot file comes from the boot server on
#           UDP 4011 (checked in the monitor events)
#   proxy4011-uefi  the same with the uefi client
#   uefi-http       OVMF with only HTTP boot over IPv4 (EDK2 HttpBootDxe;
#           fw_cfg opt/org.tianocore/IPv4PXESupport and IPv6Support "no")
#           on virtio-net: pxefast's proxy offer names
#           http://10.55.0.1/snponly.efi, which nginx in the server guest
#           serves from the TFTP root (read-only) -> boot.ipxe -> Linux;
#           passes only when the monitor shows the URL offered to it and
#           nginx's log its GET of that URL (no dnsmasq comparison)
#   uefi-pxe6       OVMF with PXE over IPv4 switched off (fw_cfg
#           IPv4PXESupport "no"): "UEFI PXEv6" on virtio-net.  dnsmasq
#           gives stateful IPv6 addresses, pxefast ("dhcp6 addr6 fd55::1")
#           the proxy Advertise naming tftp://[fd55::1]/snponly.efi and
#           TFTP over IPv6; iPXE then takes boot6.ipxe from dnsmasq (its
#           stateful DHCPv6 heeds only its address server) and loads
#           Linux over TFTP/IPv6 from pxefast; passes only when the kernel
#           command line has e2e.ipv6 and pxectl counted DHCPv6 Advertises
#           and at least 3 TFTP/IPv6 reads in its phase
#   uefi-http6      OVMF with only HTTP boot over IPv6 (fw_cfg IPv4Support
#           and IPv6PXESupport "no") and a 5 s boot timeout (see
#           README: EDK2 before 2025-05 sends HTTPv6's Solicit only once
#           its link-local address passed DAD): dnsmasq gives the address,
#           pxefast's proxy Advertise names http://[fd55::1]/snponly.efi,
#           nginx serves it and, to iPXE, boot6h.ipxe, vmlinuz and the
#           initrd over HTTP/IPv6; passes only when the kernel command
#           line has e2e.ipv6, pxectl counted DHCPv6 Advertises and nginx
#           logged an IPv6 client's GET of snponly.efi in its phase
#   bios-xdp, uefi-xdp  the bios or uefi client with the server's NIC
#           (virtio-net) in native XDP mode ("dev eth0 ... xdp native"):
#           DHCP comes from a second NIC of the server guest on the same
#           QEMU hub, in its own namespace (another host on the LAN), so
#           pxefast answers the DISCOVERs at XDP; passes only if the
#           client boots and pxectl's xdp-dhcp-tx grew during its boot
#           (no dnsmasq comparison, not with -d)
# (default: bios uefi).  SERVER is pxefast (the default) or dnsmasq: the
# same boot served by dnsmasq alone (DHCP, PXE boot file, TFTP), pxefast
# serving nothing.  -c (compare) runs every CLIENT with both servers, one
# after the other in the same server guest, and prints per client the time
# to the marker and the kernel's TFTP time on the wire (from the guest's
# capture: the client's read request for vmlinuz to its next one, for the
# initrd) with both, and their ratio (pxefast / dnsmasq).
#
# pxefast and dnsmasq share the server's 10.55.0.1 (the usual single-host
# setup: both use the same DHCP server identifier).  -s gives pxefast a
# second address, 10.55.0.2, of its own instead (not for proxy4011).
#
# One server guest (scripts/vm.sh running scripts/e2e-server.sh: pxefast.ko,
# pxectl setconf examples/pxefast.conf, dnsmasq for addresses only) serves
# the clients in turn, one client QEMU at a time, linked to it by a QEMU
# -netdev dgram pair on 127.0.0.1.  A client passes when its serial console
# shows the line "PXEFAST-BOOTED ..." printed by the /init of the initrd it
# was served.  Prints KTAP, timings, the server's pxectl stats and exits 0
# only if every client booted.  Logs stay in build/e2e/run.<pid>/.
#
# -d (Debian packages): the server guest loads no module from build/; it
# installs build/deb/*.deb (make deb) with dpkg, DKMS builds the module for
# the guest's kernel, and every configuration goes to
# /etc/pxefast/pxefast.conf and is applied by the installed
# pxefast.service's own commands (start, reload, stop); pxefast@NETNS.service
# is checked at the end.  The server's checks of the installation are
# reported as tests after the clients.
#
# Environment: E2E_KEEP=1 keeps the logs of passing runs too (they are kept
# on failure anyway); E2E_VERBOSE=1 prints the client consoles.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/.." && pwd)
cd "$REPO"

usage() { sed -n '4,72s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }

KVER=
CTIMEOUT=240
PXE_ADDR=10.55.0.1
COMPARE=0
DEB=0
while getopts ':k:t:scdh' opt; do
	case $opt in
	k) KVER=$OPTARG ;;
	t) CTIMEOUT=$OPTARG ;;
	s) PXE_ADDR=10.55.0.2 ;;
	c) COMPARE=1 ;;
	d) DEB=1 ;;
	h) usage ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
CLIENTS=("$@")
((${#CLIENTS[@]})) || CLIENTS=(bios uefi)
for c in "${CLIENTS[@]}"; do
	case ${c%@*} in bios|uefi|map|proxy4011|proxy4011-uefi|uefi-http|bios-xdp|uefi-xdp|uefi-pxe6|uefi-http6) ;; *) echo "e2e.sh: unknown client '$c'" >&2; usage ;; esac
	case $c in uefi-http@*|*-xdp@*|uefi-pxe6@*|uefi-http6@*) echo "e2e.sh: ${c%@*} has no dnsmasq comparison" >&2; usage ;; esac
	[[ $c != *-xdp || $DEB == 0 ]] || { echo "e2e.sh: $c: not with -d (the package test boots the bios client; the DKMS module's BTF is checked there)" >&2; usage; }
	[[ $c != *@* ]] || case ${c#*@} in pxefast|dnsmasq) ;; *) echo "e2e.sh: unknown server in '$c'" >&2; usage ;; esac
done

if [[ -z $KVER ]]; then
	kdir=$("$SCRIPT_DIR/kernels.sh" | tail -n1)
	KVER=$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$kdir/include/generated/utsrelease.h")
fi
if ((DEB)); then
	for f in build/deb/pxefast-dkms_*_all.deb build/deb/pxectl_*_amd64.deb; do
		[[ -r $f ]] || { echo "e2e.sh: $f not built (make deb)" >&2; exit 1; }
	done
	[[ -x selftests/pxe_client ]] || { echo "e2e.sh: selftests/pxe_client not built" >&2; exit 1; }
else
	[[ -r build/$KVER/pxefast.ko ]] || { echo "e2e.sh: build/$KVER/pxefast.ko not built" >&2; exit 1; }
	[[ -x userspace/pxectl ]] || { echo "e2e.sh: userspace/pxectl not built" >&2; exit 1; }
fi
OVMF_CODE=/usr/share/OVMF/OVMF_CODE.fd
OVMF_VARS=/usr/share/OVMF/OVMF_VARS.fd

# Expand "map" into its two clients.  Each client: name kind mac uuid expect
# mode.  "expect" is a word the marker's kernel command line must contain;
# "mode" the server guest's setup (e2e-server.sh): pxefast, proxy4011 or
# dnsmasq.  A client served by dnsmasq is named CLIENT@dnsmasq.
SPECS=()
add_spec() {   # name kind mac uuid expect mode; honours @dnsmasq and -c
	local base=$1 pxmode=$6
	if [[ $want_srv != dnsmasq ]]; then
		SPECS+=("$1 $2 $3 $4 $5 $pxmode")
	fi
	if [[ $want_srv == dnsmasq ]] || ((COMPARE)); then
		SPECS+=("$base@dnsmasq $2 $3 $4 $5 dnsmasq")
	fi
}
for c in "${CLIENTS[@]}"; do
	want_srv=pxefast
	[[ $c != *@* ]] || want_srv=${c#*@}
	case ${c%@*} in
	bios) add_spec bios bios 52:54:00:55:00:01 5eed0001-0000-4000-8000-525400550001 pxearch=bios-pxelinux pxefast ;;
	uefi) add_spec uefi uefi 52:54:00:55:00:02 5eed0002-0000-4000-8000-525400550002 pxearch=x86_64-efi pxefast ;;
	map)
		add_spec map-a bios 52:54:00:55:00:0a 5eed000a-0000-4000-8000-52540055000a e2e.role=alpha pxefast
		add_spec map-b bios 52:54:00:55:00:0b 5eed000b-0000-4000-8000-52540055000b e2e.role=beta pxefast ;;
	proxy4011)
		add_spec proxy4011 bios 52:54:00:55:00:0c 5eed000c-0000-4000-8000-52540055000c pxearch=bios-pxelinux proxy4011 ;;
	proxy4011-uefi)
		add_spec proxy4011-uefi uefi 52:54:00:55:00:0d 5eed000d-0000-4000-8000-52540055000d pxearch=x86_64-efi proxy4011 ;;
	uefi-http)	# pxefast only: dnsmasq serves no HTTP boot here
		SPECS+=("uefi-http uefi-http 52:54:00:55:00:03 5eed0003-0000-4000-8000-525400550003 pxearch=x86_64-efi http") ;;
	uefi-pxe6)	# pxefast only: its DHCPv6 proxy and TFTP over IPv6
		SPECS+=("uefi-pxe6 uefi-pxe6 52:54:00:55:00:06 5eed0006-0000-4000-8000-525400550006 e2e.ipv6 pxe6") ;;
	uefi-http6)	# pxefast only: its DHCPv6 proxy naming an HTTP URL
		SPECS+=("uefi-http6 uefi-http6 52:54:00:55:00:07 5eed0007-0000-4000-8000-525400550007 e2e.ipv6 http6") ;;
	bios-xdp)	# pxefast only: the point is its XDP path
		SPECS+=("bios-xdp bios 52:54:00:55:00:04 5eed0004-0000-4000-8000-525400550004 pxearch=bios-pxelinux xdp") ;;
	uefi-xdp)
		SPECS+=("uefi-xdp uefi 52:54:00:55:00:05 5eed0005-0000-4000-8000-525400550005 pxearch=x86_64-efi xdp") ;;
	esac
done

# Per-MAC maps for the "map" clients: the MAC match is the most specific, so
# their iPXE ROM gets its own iPXE script (made from boot.ipxe) at once.
MAPS=
EXTRA_CFG=
if [[ " ${CLIENTS[*]} " =~ \ map(@[a-z]+)?\  ]]; then
	MAPS="map mac 52:54:00:55:00:0a file alpha.ipxe label alpha|map mac 52:54:00:55:00:0b file beta.ipxe label beta"
	# shellcheck disable=SC2016
	EXTRA_CFG='for r in alpha beta; do sed "/^kernel /s/\$/ e2e.role=$r/" boot.ipxe > $r.ipxe; done'
fi

RUN=$REPO/build/e2e/run.$$
mkdir -p "$RUN"
ID=e2e$$.$RANDOM
VMRUN=   # scripts/vm.sh's run directory, shared with the server guest (/run/vm)
signal_done() { [[ -n $VMRUN && -d $VMRUN ]] && : > "$VMRUN/e2e-done-$ID" 2>/dev/null || true; }

# Two free UDP ports on 127.0.0.1: server guest A, client B.
port_free() { ! ss -Hulnp "sport = :$1" 2>/dev/null | grep -q .; }
base=$((20000 + ($$ * 2) % 40000))
for _ in $(seq 50); do
	port_free "$base" && port_free $((base + 1)) && break
	base=$((base + 2))
	((base < 65000)) || base=20000
done
PA=$base PB=$((base + 1))
dgram() {
	echo "-netdev dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port=$1,remote.type=inet,remote.host=127.0.0.1,remote.port=$2"
}

SERVER_PID=
CLIENT_PID=
kill_client() {
	[[ -n $CLIENT_PID ]] || return 0
	kill -TERM "$CLIENT_PID" 2>/dev/null || true
	for _ in $(seq 20); do kill -0 "$CLIENT_PID" 2>/dev/null || break; sleep 0.2; done
	kill -KILL "$CLIENT_PID" 2>/dev/null || true
	local qp
	qp=$(cat "$RUN/client.pid" 2>/dev/null || true)
	if [[ $qp =~ ^[0-9]+$ ]] && tr '\0' ' ' < "/proc/$qp/cmdline" 2>/dev/null | grep -qF "$RUN/"; then
		kill -KILL "$qp" 2>/dev/null || true
	fi
	wait "$CLIENT_PID" 2>/dev/null || true
	CLIENT_PID=
	rm -f "$RUN/client.pid"
}
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	kill_client
	if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
		signal_done
		for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.3; done
		kill -TERM "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# ------------------------------------------------------------ server guest
echo "# e2e: kernel $KVER, clients: ${CLIENTS[*]}, dgram ports $PA/$PB, logs $RUN"
t_server=$(now)
SERVER_WAIT=$(( ${#SPECS[@]} * (CTIMEOUT + 60) + 120 ))
# Until the server is ready: its boot, and with -d the packages' install
# with a DKMS build of the module under TCG (one or two kernels).
READY_WAIT=300
VM_OPTS=()
if ((DEB)); then
	READY_WAIT=3600
	VM_OPTS=(-n -e E2E_DEB=1)
fi
read -ra first <<< "${SPECS[0]}"
# The server's NIC on the link to the client; for xdp clients a QEMU hub
# joins that link, the NIC and a second NIC for the DHCP server (another
# host on the same LAN).
DHCP_MAC=52:54:00:55:00:fd
NICS="$(dgram "$PA" "$PB") -device virtio-net-pci,netdev=n0,mac=52:54:00:55:00:fe"
if [[ " ${SPECS[*]} " == *" xdp "* ]]; then
	NICS="$(dgram "$PA" "$PB") -netdev hubport,id=hub0,hubid=0,netdev=n0"
	NICS+=" -netdev hubport,id=hub1,hubid=0 -device virtio-net-pci,netdev=hub1,mac=52:54:00:55:00:fe"
	NICS+=" -netdev hubport,id=hub2,hubid=0 -device virtio-net-pci,netdev=hub2,mac=$DHCP_MAC"
fi
VM_QEMU_ARGS="$NICS" \
	scripts/vm.sh -k "$KVER" -t $((SERVER_WAIT + READY_WAIT + 300)) "${VM_OPTS[@]}" \
	-e E2E_ID="$ID" -e E2E_PXE_ADDR="$PXE_ADDR" -e E2E_WAIT="$SERVER_WAIT" \
	-e E2E_MODE="${first[5]}" -e E2E_DHCP_MAC="$DHCP_MAC" \
	-e E2E_MAPS="$MAPS" -e E2E_EXTRA_CFG="$EXTRA_CFG" \
	-- scripts/e2e-server.sh </dev/null >"$RUN/server.log" 2>&1 &
SERVER_PID=$!

ready=0
for _ in $(seq $((READY_WAIT * 2))); do
	for f in build/vm/run.*/"e2e-ready-$ID"; do
		[[ -e $f ]] && { VMRUN=$(dirname "$f"); ready=1; }
	done
	((ready)) && break
	kill -0 "$SERVER_PID" 2>/dev/null || break
	sleep 0.5
done
if ((!ready)); then
	echo "# e2e: the server guest did not get ready; its log:"
	wait "$SERVER_PID" 2>/dev/null || true
	SERVER_PID=
	sed 's/^/# /' "$RUN/server.log"
	mapfile -t debchecks < <(tr -d '\r' < "$RUN/server.log" | sed -n 's/^DEB-CHECK //p')
	echo "KTAP version 1"
	echo "1..$(( ${#SPECS[@]} + ${#debchecks[@]} ))"
	i=0
	for s in "${SPECS[@]}"; do i=$((i + 1)); echo "not ok $i ${s%% *} client booted # server not ready"; done
	for c in "${debchecks[@]}"; do
		i=$((i + 1))
		case $c in "ok "*) echo "ok $i ${c#ok }" ;; *) echo "not ok $i ${c#not ok }" ;; esac
	done
	exit 1
fi
echo "# e2e: server guest ready after $(secs "$t_server" "$(now)") s"

# ------------------------------------------------------------ clients
declare -A RESULT TIME MARK
# Ask the server guest to set up MODE for the next client; wait until it has.
PHASE=0
server_phase() {   # mode client
	PHASE=$((PHASE + 1))
	echo "$1 $2" > "$VMRUN/e2e-phase-$ID.$PHASE"
	for _ in $(seq 240); do
		[[ -e $VMRUN/e2e-phased-$ID.$PHASE ]] && return 0
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.25
	done
	echo "# e2e: the server guest did not switch to mode $1"
	return 1
}
run_client() {
	local name=$1 kind=$2 mac=$3 uuid=$4 expect=$5
	local log=$RUN/client-${name/@/-}.log args=()
	case $kind in
	bios)
		args=(-machine pc -boot n -device "e1000,netdev=n0,mac=$mac") ;;
	uefi|uefi-http|uefi-pxe6|uefi-http6)
		cp "$OVMF_VARS" "$RUN/OVMF_VARS-${name/@/-}.fd"
		args=(-machine q35
		      -drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE"
		      -drive "if=pflash,format=raw,unit=1,file=$RUN/OVMF_VARS-${name/@/-}.fd"
		      -device "virtio-net-pci,netdev=n0,romfile=,bootindex=1,mac=$mac")
		# OVMF's own switches.  uefi-http: no PXE over IPv4, no IPv6
		# stack, so "UEFI HTTPv4" is the only network boot option
		# left.  uefi-pxe6: no PXE over IPv4, so "UEFI PXEv6" is first.
		# uefi-http6: no IPv4 stack and no PXEv6, so "UEFI HTTPv6" is
		# the only one; its 5 s boot timeout (fw_cfg etc/boot-menu-wait)
		# gives the link-local address time to pass DAD, which EDK2
		# 2022.11's HttpBootDxe needs before its Solicit (it fails with
		# EFI_NO_MAPPING instead of waiting, as PXE does).
		case $kind in
		uefi-http)
			args+=(-fw_cfg "name=opt/org.tianocore/IPv4PXESupport,string=no"
			       -fw_cfg "name=opt/org.tianocore/IPv6Support,string=no") ;;
		uefi-pxe6)
			args+=(-fw_cfg "name=opt/org.tianocore/IPv4PXESupport,string=no") ;;
		uefi-http6)
			args+=(-fw_cfg "name=opt/org.tianocore/IPv4Support,string=no"
			       -fw_cfg "name=opt/org.tianocore/IPv6PXESupport,string=no"
			       -boot "menu=on,splash-time=5000") ;;
		esac ;;
	esac
	# shellcheck disable=SC2046
	timeout -k 5 $((CTIMEOUT + 30)) qemu-system-x86_64 -name "pxefast-e2e-${name/@/-}" \
		-accel tcg -cpu max -smp 1 -m 512 -no-reboot -nographic \
		$(dgram "$PB" "$PA") "${args[@]}" -uuid "$uuid" \
		-pidfile "$RUN/client.pid" </dev/null >"$log" 2>&1 &
	CLIENT_PID=$!
	local t0 t1 ok=0
	t0=$(now)
	while (( $(secs "$t0" "$(now)" | cut -d. -f1) < CTIMEOUT )); do
		# grep reads the file itself: behind a pipe, grep -q's early exit
		# could fail the pipeline (SIGPIPE under pipefail) on a large log.
		if grep -q $'^\r*PXEFAST-BOOTED ' "$log"; then ok=1; break; fi
		# Firmware that gave up on the network: no need to wait any longer.
		if grep -qE 'Shell> |No bootable device|Kernel panic' "$log"; then sleep 1; break; fi
		kill -0 "$CLIENT_PID" 2>/dev/null || break
		sleep 0.5
	done
	t1=$(now)
	kill_client
	TIME[$name]=$(secs "$t0" "$t1")
	MARK[$name]=$(tr -d '\r' < "$log" | grep -m1 '^PXEFAST-BOOTED ' || true)
	if ((ok)) && [[ " ${MARK[$name]} " == *" $expect "* ]]; then
		RESULT[$name]=ok
	elif ((ok)); then
		RESULT[$name]="not ok"
		MARK[$name]+="  (expected '$expect')"
	else
		RESULT[$name]="not ok"
	fi
	[[ -n ${E2E_VERBOSE-} ]] && sed "s/^/# [$name] /" "$log" | tr -d '\r'
	return 0
}

for s in "${SPECS[@]}"; do
	# shellcheck disable=SC2086
	set -- $s
	echo "# e2e: client $1 ($2, mac $3, server mode $6) ..."
	if ! server_phase "$6" "$1"; then
		RESULT[$1]="not ok" TIME[$1]=0 MARK[$1]=
		continue
	fi
	run_client "$@"
	echo "# e2e: client $1: ${RESULT[$1]} after ${TIME[$1]} s: ${MARK[$1]:-no marker}"
done

# ------------------------------------------------------------ server output
signal_done
# The guest's own copy of its output is complete once e2e-finished appears;
# copy it before vm.sh removes its run directory.
copied=0
for _ in $(seq 240); do
	if [[ -e $VMRUN/e2e-finished-$ID ]]; then
		sleep 0.5
		tr -d '\r' < "$VMRUN/e2e-server-$ID.log" > "$RUN/server.txt" && copied=1
		break
	fi
	kill -0 "$SERVER_PID" 2>/dev/null || break
	sleep 0.5
done
for _ in $(seq 240); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.5; done
server_rc=0
wait "$SERVER_PID" || server_rc=$?
SERVER_PID=
((copied)) || tr -d '\r' < "$RUN/server.log" > "$RUN/server.txt"

# Per client, from the server's lines of that client's phase (each carries
# the guest's epoch time): dnsmasq's DHCPACKs give the client's address;
# pxefast's `pxectl monitor` lines ("transfer-done ... addr A ... file F
# bytes B duration Dms") the files served and the kernel's transfer time; the
# capture the kernel's time on the wire (the client's RRQ for vmlinuz to its
# next RRQ, for the initrd), the same measure for pxefast and dnsmasq.
phase_start() {   # client -> the guest time its phase began
	awk -v c="$1" '$1 == "PHASE" && $4 == c { print $2; exit }' "$RUN/server.txt"
}
phase_lines() {   # client: the stamped lines of its phase
	local t0 t1
	t0=$(phase_start "$1")
	[[ -n $t0 ]] || return 0
	t1=$(awk -v t="$t0" '$1 == "PHASE" && $2 + 0 > t + 0 { print $2; exit }' "$RUN/server.txt")
	awk -v a="$t0" -v b="${t1:-1e12}" '$1 ~ /^(MON|DNSMASQ|PCAP|NGINX)$/ && $2 + 0 >= a + 0 && $2 + 0 < b + 0 {
		sub(/^[ \t]+/, ""); print }' "$RUN/server.txt"
}
declare -A WIRE KMS
fail=0
# With -d, the server's checks of the installation follow the clients.
debchecks=()
((DEB)) && mapfile -t debchecks < <(sed -n 's/^DEB-CHECK //p' "$RUN/server.txt")
echo "KTAP version 1"
echo "1..$(( ${#SPECS[@]} + ${#debchecks[@]} ))"
i=0
for s in "${SPECS[@]}"; do
	# shellcheck disable=SC2086
	set -- $s
	i=$((i + 1))
	name=$1 kind=$2 mac=$3 mode=$6
	lines=$(phase_lines "$name")
	addrs=$(sed -n "s/.*DHCPACK([^)]*) \([0-9.]*\) $mac.*/\1/Ip" <<< "$lines" | sort -u | tr '\n' ' ')
	tlines=$(for a in $addrs; do grep "^MON .*transfer-.* addr $a " <<< "$lines" || true; done)
	kline=$(grep ' file vmlinuz ' <<< "$tlines" | grep transfer-done | tail -n1 || true)
	kbytes=$(sed -n 's/.* bytes \([0-9]*\).*/\1/p' <<< "$kline")
	kms=$(sed -n 's/.* duration \([0-9]*\)ms.*/\1/p' <<< "$kline")
	files=$(grep transfer-done <<< "$tlines" | sed -n 's/.* file \([^ ]*\) bytes \([0-9]*\).*/\1(\2)/p' | tr '\n' ' ' || true)
	nfail=$(grep -c transfer-failed <<< "$tlines" || true)
	# The kernel on the wire: RRQ vmlinuz .. the next RRQ of the client.
	wire=
	for a in $addrs; do
		wire=$(grep "^PCAP .* $a\.[0-9]* > [0-9.]*\.69: .*RRQ" <<< "$lines" | awk '
			/RRQ "vmlinuz"/ { t = $2; next }
			t != "" { printf "%d", ($2 - t) * 1000; exit }') || true
		[[ -z $wire ]] || break
	done
	WIRE[$name]=$wire KMS[$name]=$kms
	offers=$( (grep -E '^MON [0-9.]* offer-sent' <<< "$lines" || true) | grep -ci "mac $mac" || true)
	offers_nofile=$( (grep -E '^MON [0-9.]* offer-sent' <<< "$lines" || true) | grep -i "mac $mac" | grep -vc ' file ' || true)
	acks=$( (grep -E '^MON [0-9.]* ack-sent' <<< "$lines" || true) | grep -i "mac $mac" |
		sed -n 's/.* file \([^ ]*\).*/\1/p' | sort -u | tr '\n' ' ' || true)
	boot=$( (grep -E '^MON [0-9.]* (offer|ack)-sent' <<< "$lines" || true) | grep -i "mac $mac" |
		sed -n 's/.* file \([^ ]*\).*/\1/p' | sort -u | tr '\n' ' ' || true)
	if [[ $mode == dnsmasq ]]; then
		boot=$( (grep '^DNSMASQ .*dnsmasq-tftp.*sent ' <<< "$lines" || true) | grep -F "$(tr ' ' '\n' <<< "$addrs" | sed -n 's/^\(.\+\)$/to \1/p' | head -n1)" |
			sed -n 's|.* sent [^ ]*/\([^/ ]*\) to .*|\1|p' | tr '\n' ' ' || true)
		echo "# $name: server dnsmasq (pxefast serving nothing); TFTP files sent: ${boot:-?}"
		echo "# $name: address ${addrs:-?}"
	else
		echo "# $name: boot files offered: ${boot:-?}"
		echo "# $name: address ${addrs:-?}; TFTP transfers: ${files:-none seen}; not found: ${nfail:-0}"
	fi
	if [[ -n $kms ]]; then
		echo "# $name: kernel vmlinuz $kbytes bytes in $kms ms" \
			"($(awk -v b="$kbytes" -v t="$kms" 'BEGIN { if (t) printf "%.2f", b / t / 1000; else print "inf" }') MB/s)"
	fi
	[[ -z $wire ]] || echo "# $name: kernel on the wire (RRQ vmlinuz to next RRQ): $wire ms"
	extra=
	if [[ $mode == proxy4011 ]]; then
		# The boot file must have come from the boot server (4011): proxy
		# offers without a file, and an ACK naming one.
		echo "# $name: proxy offers $offers (without a boot file: $offers_nofile); boot server ACKs with files: ${acks:-none}"
		if [[ ${RESULT[$name]} == ok ]] && { ((offers == 0 || offers_nofile != offers)) || [[ -z $acks ]]; }; then
			RESULT[$name]="not ok"
			extra=", boot file not from the boot server on 4011"
		fi
	fi
	if [[ $mode == http ]]; then
		# The NBP must have come over HTTP, from the URL pxefast offered.
		url=http://$PXE_ADDR/snponly.efi
		hoffers=$( (grep -E '^MON [0-9.]* offer-sent' <<< "$lines" || true) | grep -i "mac $mac" | grep -cF " file $url" || true)
		gets=$(for a in $addrs; do grep -E "^NGINX [0-9.]* $a \"GET /snponly.efi HTTP/1\.[01]\" 200 " <<< "$lines" || true; done | wc -l)
		echo "# $name: proxy offers naming $url: $hoffers; nginx GETs of it with status 200: $gets"
		(grep '^NGINX ' <<< "$lines" || true) | sed 's/^/#   /'
		if [[ ${RESULT[$name]} == ok ]] && ((hoffers == 0 || gets == 0)); then
			RESULT[$name]="not ok"
			extra=", the NBP did not come over HTTP from the URL pxefast offered"
		fi
	fi
	if [[ $mode == pxe6 ]]; then
		# pxectl's DHCPv6 and TFTP/IPv6 counters over its phase.
		v6=$(awk -v c="$name" '$1 == "PHASE" && f { print $8 - a, $9 - r, $10 - t; exit }
			$1 == "PHASE" && $4 == c { f = 1; a = $8; r = $9; t = $10 }' "$RUN/server.txt")
		read -r v6_adv v6_rep v6_rrq <<< "${v6:-0 0 0}"
		echo "# $name: DHCPv6 Advertises $v6_adv, Replies $v6_rep (dhcp6-*-tx), TFTP/IPv6 read requests $v6_rrq (tftp6-rrq-rx)"
		if [[ ${RESULT[$name]} == ok ]] && ((v6_adv <= 0 || v6_rrq < 3)); then
			RESULT[$name]="not ok"
			extra=", not booted through pxefast's DHCPv6 Advertise and TFTP over IPv6"
		fi
	fi
	if [[ $mode == http6 ]]; then
		# pxefast's Advertises over its phase, and the NBP over HTTP
		# from the URL it named, to an IPv6 client.
		v6_adv=$(awk -v c="$name" '$1 == "PHASE" && f { print $8 - a; exit }
			$1 == "PHASE" && $4 == c { f = 1; a = $8 }' "$RUN/server.txt")
		gets=$( (grep -E '^NGINX [0-9.]* [0-9a-f:]*:[0-9a-f:]* "GET /snponly\.efi HTTP/1\.[01]" 200 ' <<< "$lines" || true) | wc -l)
		echo "# $name: DHCPv6 Advertises ${v6_adv:-0} (dhcp6-advertise-tx); nginx GETs of snponly.efi from IPv6 clients with status 200: $gets"
		(grep '^NGINX ' <<< "$lines" || true) | sed 's/^/#   /'
		if [[ ${RESULT[$name]} == ok ]] && ((${v6_adv:-0} <= 0 || gets == 0)); then
			RESULT[$name]="not ok"
			extra=", the NBP did not come over HTTP/IPv6 from pxefast's Advertise"
		fi
	fi
	if [[ $mode == xdp ]]; then
		# pxectl's XDP counters at the start of its phase and of the next.
		xdp=$(awk -v c="$name" '$1 == "PHASE" && f { print $6 - d, $7 - b; exit }
			$1 == "PHASE" && $4 == c { f = 1; d = $6; b = $7 }' "$RUN/server.txt")
		read -r xdp_d xdp_b <<< "${xdp:-0 0}"
		echo "# $name: answered at XDP (native, virtio-net): $xdp_d proxy offers (xdp-dhcp-tx), $xdp_b boot server ACKs (xdp-boot-tx)"
		if [[ ${RESULT[$name]} == ok ]] && ((xdp_d <= 0)); then
			RESULT[$name]="not ok"
			extra=", no proxy offer answered at XDP"
		fi
	fi
	echo "# $name: marker: ${MARK[$name]:-none}"
	echo "E2E-SUMMARY client=$name kind=$kind mac=$mac mode=$mode result=${RESULT[$name]// /-} time=${TIME[$name]} kernel_bytes=${kbytes:-?} kernel_ms=${kms:-?} kernel_wire_ms=${wire:-?} offered=$(tr ' ' ',' <<< "${boot% }") ack4011=$(tr ' ' ',' <<< "${acks% }") tftp=$(tr ' ' ',' <<< "${files% }")" >> "$RUN/summary"
	if [[ ${RESULT[$name]} == ok ]]; then
		echo "ok $i $name client booted (${TIME[$name]} s)"
	else
		fail=1
		echo "not ok $i $name client booted (${TIME[$name]} s${extra:-, no marker})"
		echo "# last lines of $name's console:"
		tr -d '\r' < "$RUN/client-${name/@/-}.log" | grep -v '^\s*$' | tail -n 25 | sed 's/^/#   /'
	fi
done
for c in "${debchecks[@]}"; do
	i=$((i + 1))
	case $c in
	"ok "*) echo "ok $i ${c#ok }" ;;
	*) fail=1; echo "not ok $i ${c#not ok }" ;;
	esac
done
if ((DEB)); then
	grep -E '^e2e-server: dpkg -i took' "$RUN/server.txt" | sed 's/^/# /' || true
fi
# pxefast against dnsmasq: the same client, the same server guest.
ncmp=0
for s in "${SPECS[@]}"; do
	set -- $s
	[[ $1 != *@dnsmasq && -n ${TIME[$1@dnsmasq]-} ]] || continue
	if ((ncmp++ == 0)); then
		echo "# compare (ratio = pxefast / dnsmasq; below 1: pxefast faster):"
		printf '# %-16s %9s %9s %6s   %12s %12s %6s   %9s\n' client pxefast_s dnsmasq_s ratio \
			wire_pxefast wire_dnsmasq ratio pxefast_ms
	fi
	d=$1@dnsmasq
	printf '# %-16s %9s %9s %6s   %12s %12s %6s   %9s\n' "$1" "${TIME[$1]}" "${TIME[$d]}" \
		"$(awk -v a="${TIME[$1]}" -v b="${TIME[$d]}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }')" \
		"${WIRE[$1]:-?}" "${WIRE[$d]:-?}" \
		"$(awk -v a="${WIRE[$1]}" -v b="${WIRE[$d]}" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "-" }')" \
		"${KMS[$1]:-?}"
	echo "E2E-COMPARE client=$1 pxefast_s=${TIME[$1]} dnsmasq_s=${TIME[$d]} pxefast_wire_ms=${WIRE[$1]:-?} dnsmasq_wire_ms=${WIRE[$d]:-?} pxefast_kernel_ms=${KMS[$1]:-?} result=${RESULT[$1]// /-},${RESULT[$d]// /-}" >> "$RUN/summary"
done
echo "# server: pxectl stats / show:"
sed -n '/^e2e-server: pxectl stats:/,/^E2E-SERVER-DONE/p' "$RUN/server.txt" | sed 's/^/# /'
if ((server_rc)); then
	echo "# server guest exited with status $server_rc; its log: $RUN/server.txt"
	grep -E 'vm\.sh|ERROR' "$RUN/server.txt" | sed 's/^/# /' | tail -n 40
	fail=1
fi
if ((fail)); then
	echo "# logs kept in $RUN"
	exit 1
fi
[[ -n ${E2E_KEEP-} ]] || { cp "$RUN/summary" "$REPO/build/e2e/last-summary" 2>/dev/null || true; rm -rf "$RUN"; }
exit 0
