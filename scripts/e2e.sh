#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# End-to-end test: real, unmodified PXE firmware boots a Linux kernel through
# pxefast.  Runs on the host.
#
#   scripts/e2e.sh [-k KVER] [-t CLIENT_TIMEOUT_S] [-s] CLIENT...
#
# CLIENT is one of
#   bios    SeaBIOS + iPXE ROM on e1000:   pxelinux.0 -> ldlinux.c32 -> Linux
#   uefi    OVMF (EDK2 PxeBcDxe) on virtio-net: snponly.efi -> boot.ipxe -> Linux
#   map     two BIOS clients with different MACs; "map mac" lines give each
#           its own iPXE script, so their kernel command lines differ
# (default: bios uefi).
#
# pxefast and dnsmasq share the server's 10.55.0.1 (the usual single-host
# setup: both use the same DHCP server identifier).  -s gives pxefast a
# second address, 10.55.0.2, of its own instead.
#
# One server guest (scripts/vm.sh running scripts/e2e-server.sh: pxefast.ko,
# pxectl setconf examples/pxefast.conf, dnsmasq for addresses only) serves
# the clients in turn, one client QEMU at a time, linked to it by a QEMU
# -netdev dgram pair on 127.0.0.1.  A client passes when its serial console
# shows the line "PXEFAST-BOOTED ..." printed by the /init of the initrd it
# was served.  Prints KTAP, timings, the server's pxectl stats and exits 0
# only if every client booted.  Logs stay in build/e2e/run.<pid>/.
#
# Environment: E2E_KEEP=1 keeps the logs of passing runs too (they are kept
# on failure anyway); E2E_VERBOSE=1 prints the client consoles.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/.." && pwd)
cd "$REPO"

usage() { sed -n '4,31s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2; }

KVER=
CTIMEOUT=240
PXE_ADDR=10.55.0.1
while getopts ':k:t:sh' opt; do
	case $opt in
	k) KVER=$OPTARG ;;
	t) CTIMEOUT=$OPTARG ;;
	s) PXE_ADDR=10.55.0.2 ;;
	h) usage ;;
	*) usage ;;
	esac
done
shift $((OPTIND - 1))
CLIENTS=("$@")
((${#CLIENTS[@]})) || CLIENTS=(bios uefi)
for c in "${CLIENTS[@]}"; do
	case $c in bios|uefi|map) ;; *) echo "e2e.sh: unknown client '$c'" >&2; usage ;; esac
done

if [[ -z $KVER ]]; then
	kdir=$("$SCRIPT_DIR/kernels.sh" | tail -n1)
	KVER=$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$kdir/include/generated/utsrelease.h")
fi
[[ -r build/$KVER/pxefast.ko ]] || { echo "e2e.sh: build/$KVER/pxefast.ko not built" >&2; exit 1; }
[[ -x userspace/pxectl ]] || { echo "e2e.sh: userspace/pxectl not built" >&2; exit 1; }
OVMF_CODE=/usr/share/OVMF/OVMF_CODE.fd
OVMF_VARS=/usr/share/OVMF/OVMF_VARS.fd

# Expand "map" into its two clients.  Each client: name kind mac uuid expect.
# "expect" is a word the marker's kernel command line must contain.
SPECS=()
for c in "${CLIENTS[@]}"; do
	case $c in
	bios) SPECS+=("bios bios 52:54:00:55:00:01 5eed0001-0000-4000-8000-525400550001 pxearch=bios-pxelinux") ;;
	uefi) SPECS+=("uefi uefi 52:54:00:55:00:02 5eed0002-0000-4000-8000-525400550002 pxearch=x86_64-efi") ;;
	map)
		SPECS+=("map-a bios 52:54:00:55:00:0a 5eed000a-0000-4000-8000-52540055000a e2e.role=alpha")
		SPECS+=("map-b bios 52:54:00:55:00:0b 5eed000b-0000-4000-8000-52540055000b e2e.role=beta") ;;
	esac
done

# Per-MAC maps for the "map" clients: the MAC match is the most specific, so
# their iPXE ROM gets its own iPXE script (made from boot.ipxe) at once.
MAPS=
EXTRA_CFG=
if [[ " ${CLIENTS[*]} " == *" map "* ]]; then
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
SERVER_WAIT=$(( ${#SPECS[@]} * (CTIMEOUT + 30) + 120 ))
VM_QEMU_ARGS="$(dgram "$PA" "$PB") -device virtio-net-pci,netdev=n0,mac=52:54:00:55:00:fe" \
	scripts/vm.sh -k "$KVER" -t $((SERVER_WAIT + 300)) \
	-e E2E_ID="$ID" -e E2E_PXE_ADDR="$PXE_ADDR" -e E2E_WAIT="$SERVER_WAIT" \
	-e E2E_MAPS="$MAPS" -e E2E_EXTRA_CFG="$EXTRA_CFG" \
	-- scripts/e2e-server.sh </dev/null >"$RUN/server.log" 2>&1 &
SERVER_PID=$!

ready=0
for _ in $(seq 600); do
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
	echo "KTAP version 1"
	echo "1..${#SPECS[@]}"
	i=0
	for s in "${SPECS[@]}"; do i=$((i + 1)); echo "not ok $i ${s%% *} client booted # server not ready"; done
	exit 1
fi
echo "# e2e: server guest ready after $(secs "$t_server" "$(now)") s"

# ------------------------------------------------------------ clients
declare -A RESULT TIME MARK
run_client() {
	local name=$1 kind=$2 mac=$3 uuid=$4 expect=$5
	local log=$RUN/client-$name.log args=()
	case $kind in
	bios)
		args=(-machine pc -boot n -device "e1000,netdev=n0,mac=$mac") ;;
	uefi)
		cp "$OVMF_VARS" "$RUN/OVMF_VARS-$name.fd"
		args=(-machine q35
		      -drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE"
		      -drive "if=pflash,format=raw,unit=1,file=$RUN/OVMF_VARS-$name.fd"
		      -device "virtio-net-pci,netdev=n0,romfile=,bootindex=1,mac=$mac") ;;
	esac
	# shellcheck disable=SC2046
	timeout -k 5 $((CTIMEOUT + 30)) qemu-system-x86_64 -name "pxefast-e2e-$name" \
		-accel tcg -cpu max -smp 1 -m 512 -no-reboot -nographic \
		$(dgram "$PB" "$PA") "${args[@]}" -uuid "$uuid" \
		-pidfile "$RUN/client.pid" </dev/null >"$log" 2>&1 &
	CLIENT_PID=$!
	local t0 t1 ok=0
	t0=$(now)
	while (( $(secs "$t0" "$(now)" | cut -d. -f1) < CTIMEOUT )); do
		if tr -d '\r' < "$log" | grep -q '^PXEFAST-BOOTED '; then ok=1; break; fi
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
	echo "# e2e: client $1 ($2, mac $3) ..."
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

# Per client: the files served and the kernel's transfer time, from the
# server's `pxectl monitor` lines ("transfer-done ... mac M ... file F bytes B
# duration Dms").
fail=0
echo "KTAP version 1"
echo "1..${#SPECS[@]}"
i=0
for s in "${SPECS[@]}"; do
	# shellcheck disable=SC2086
	set -- $s
	i=$((i + 1))
	name=$1 kind=$2 mac=$3
	# TFTP events name the client's address: find it in dnsmasq's DHCPACKs.
	addrs=$(sed -n "s/.*DHCPACK([^)]*) \([0-9.]*\) $mac.*/\1/Ip" "$RUN/server.txt" | sort -u | tr '\n' ' ')
	tlines=$(for a in $addrs; do grep "MON transfer-.* addr $a " "$RUN/server.txt" || true; done)
	kline=$(grep ' file vmlinuz ' <<< "$tlines" | grep transfer-done | tail -n1 || true)
	kbytes=$(sed -n 's/.* bytes \([0-9]*\).*/\1/p' <<< "$kline")
	kms=$(sed -n 's/.* duration \([0-9]*\)ms.*/\1/p' <<< "$kline")
	files=$(grep transfer-done <<< "$tlines" | sed -n 's/.* file \([^ ]*\) bytes \([0-9]*\).*/\1(\2)/p' | tr '\n' ' ' || true)
	nfail=$(grep -c transfer-failed <<< "$tlines" || true)
	boot=$( (grep -E 'MON (offer|ack)-sent' "$RUN/server.txt" || true) | grep -i "mac $mac" |
		sed -n 's/.* file \([^ ]*\).*/\1/p' | sort -u | tr '\n' ' ' || true)
	echo "# $name: boot files offered: ${boot:-?}"
	echo "# $name: address ${addrs:-?}; TFTP transfers: ${files:-none seen}; not found: ${nfail:-0}"
	if [[ -n $kms ]]; then
		echo "# $name: kernel vmlinuz $kbytes bytes in $kms ms" \
			"($(awk -v b="$kbytes" -v t="$kms" 'BEGIN { if (t) printf "%.2f", b / t / 1000; else print "inf" }') MB/s)"
	fi
	echo "# $name: marker: ${MARK[$name]:-none}"
	echo "E2E-SUMMARY client=$name kind=$kind mac=$mac result=${RESULT[$name]// /-} time=${TIME[$name]} kernel_bytes=${kbytes:-?} kernel_ms=${kms:-?} offered=$(tr ' ' ',' <<< "${boot% }") tftp=$(tr ' ' ',' <<< "${files% }")" >> "$RUN/summary"
	if [[ ${RESULT[$name]} == ok ]]; then
		echo "ok $i $name client booted (${TIME[$name]} s)"
	else
		fail=1
		echo "not ok $i $name client booted (${TIME[$name]} s, no marker)"
		echo "# last lines of $name's console:"
		tr -d '\r' < "$RUN/client-$name.log" | grep -v '^\s*$' | tail -n 25 | sed 's/^/#   /'
	fi
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
