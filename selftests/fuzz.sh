#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The fuzzers (issue 16): fuzz_genl against the generic netlink family and
# fuzz_pkt against proxy DHCP, DHCPv6, the 4011 boot server and TFTP, over
# IPv4 and IPv6 (half the packets each), each part of the time with
# allocation failures injected into pxefast (fail-nth for netlink,
# failslab/fail_page_alloc for packets, both filtered to call chains
# through pxefast's code, so nothing else fails, the harness included).
# Then: every transfer ends, the module still answers (a PXEv6 Solicit
# gets its boot file URL, a file comes over TFTP/IPv6 intact), dmesg is
# clean.  Not part of run_tests (it takes a while): `make check-debug` runs
# it on the debug kernel; on any kernel, in a guest:
#
#   scripts/vm.sh -- ./selftests/fuzz.sh [-s SEED] [-g MESSAGES] [-p PACKETS]
#
#   -s SEED      seed of both fuzzers (default: from the clock; printed)
#   -g N         netlink messages (default 100000): 50 % checked one at a
#                time, 30 % from 4 processes at once with namespaces torn
#                down mid-dump, 20 % with a fault injected into each
#   -p N         packets (default 1000000), half IPv4, half IPv6: 80 %
#                plain, 20 % with faults (all plain where faults cannot be
#                injected); a run the time limit ends short of its count
#                fails
#   -t SECONDS   time limit of each fuzzer run (default 1800)
#
# Fault injection needs CONFIG_FAULT_INJECTION_DEBUG_FS, FAILSLAB,
# FAIL_PAGE_ALLOC and FAULT_INJECTION_STACKTRACE_FILTER (the debug kernel
# has them); elsewhere those parts are skipped.

cd "$(dirname "$0")" && . ./lib.sh

SEED=$(( $(date +%s) % 1000000007 ))
GENL_N=100000
PKT_N=1000000
TLIMIT=1800
while getopts ':s:g:p:t:' opt; do
	case $opt in
	s) SEED=$OPTARG ;;
	g) GENL_N=$OPTARG ;;
	p) PKT_N=$OPTARG ;;
	t) TLIMIT=$OPTARG ;;
	*) echo "usage: fuzz.sh [-s SEED] [-g MESSAGES] [-p PACKETS] [-t SECONDS]" >&2; exit 2 ;;
	esac
done

require_root
require_cmd ip awk ethtool python3 sha256sum
[[ -x $SELFTEST_DIR/fuzz_genl && -x $SELFTEST_DIR/fuzz_pkt ]] ||
	ktap_skip_all "fuzzers not built (make -C selftests)"
pxectl_usable || ktap_skip_all "userspace/pxectl not built"

SRV=10.98.0.1
SRV6=fd98::1
CLI6=fd98::2
DBG=/sys/kernel/debug
# The fuzzers' summaries are diagnostics whatever the result: fd 3.
exec 3>&1
summary() { grep -E 'seed|: (seq|conc|fault|total):|packets in|received' | sed 's/^/# /' >&3; }

mark=$(dmesg_mark)
ktap_plan 12
ktap_diag "seed $SEED: replay with fuzz.sh -s $SEED -g $GENL_N -p $PKT_N"

ktap_test "module loaded" mod_load

netns_new S srv || ktap_skip_all "cannot create network namespaces"
netns_new C cli
netns_new G genl
# No duplicate address detection: the addresses, link-local ones too,
# are usable at once.
for ns in "$S" "$C"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.all.accept_dad=0 || ktap_skip_all "no IPv6 here"
done
veth_pair "$S" vs "$C" vc $SRV/24 10.98.0.2/24 || ktap_skip_all "cannot create a veth pair"
ip -n "$S" addr add $SRV6/64 dev vs nodad && ip -n "$C" addr add $CLI6/64 dev vc nodad ||
	ktap_skip_all "cannot add IPv6 addresses"
# The server's link-local address: the fuzzer sends to it too.
for _ in $(seq 100); do
	SRV_LL=$(ip -n "$S" -6 -o addr show dev vs scope link |
		 awk '$0 !~ /tentative/ {sub("/.*", "", $4); print $4; exit}')
	[[ -n $SRV_LL ]] && break
	sleep 0.1
done
[[ -n $SRV_LL ]] || ktap_skip_all "vs has no link-local address"
# veth marks what it receives as checksummed unless its receive offload
# is off: off, so that the zero and wrong UDP checksums reach the checks.
ip netns exec "$S" ethtool -K vs rx off >/dev/null || ktap_skip_all "cannot turn vs's rx checksumming off"
ip -n "$G" link add g0 type dummy && ip -n "$G" link add g1 type dummy &&
	ip -n "$G" link set g0 up && ip -n "$G" link set g1 up ||
	ktap_skip_all "cannot create dummy interfaces"

ROOT=$(mktemp -d /tmp/pxf-fuzz.XXXXXX)
on_cleanup "rm -rf $ROOT"
: > "$ROOT/empty"
printf x > "$ROOT/one"
for n in 511 512 513 1467 1468 1469 8192 100000; do
	head -c "$n" /dev/urandom > "$ROOT/r$n"
done
# 66,000 blocks of 8 bytes: block numbers wrap past 65535.
head -c 528003 /dev/urandom > "$ROOT/rollover"
mkdir -p "$ROOT/sub"
printf 'in a sub directory\n' > "$ROOT/sub/file"
cp "$ROOT/r8192" "$ROOT/pxelinux.0"
printf 'secret\n' > "$ROOT/private"
chmod -R a+rX "$ROOT"
chmod 600 "$ROOT/private"


conf() {
	pxs setconf - <<EOF
dev vs dhcp6 addr6 $SRV6
tftp on root $ROOT max-sessions 4096 max-per-client 4096 max-blksize 1468 max-window 64 timeout-ms 1000 retries 5 idle-timeout-ms 3000
dhcp proxy on boot-server on discovery 0 http-base http://10.0.0.1/fuzz/
server 1 label "fuzz boot server"
menu prompt "fuzz" timeout 2
menu item 1 "Boot over the network"
map arch 0 file pxelinux.0
map arch 0 user-class iPXE file boot.ipxe
map arch 7 file snponly.efi
map arch 7 type 1 layer 0 file layer0.efi bis-file layer0.bis
map arch 16 file http://[$SRV6]/x64/boot.efi
map arch 19 file arm64/grub.efi
map mac 52:54:00:aa:bb:cc file bymac.0
map mac 52:54:00:aa:bb:cd file delayed.0 delay-ms 200
map file default.0
EOF
}
ktap_test "configure the server namespace" conf

# ---------------------------------------------------------------- faults

# fault_on MODE: failslab and fail_page_alloc fail only allocations whose
# call chain passes through pxefast's code.  MODE nth: only where a task
# arms /proc/thread-self/fail-nth; MODE every: every 7th (slab) / 11th
# (page) such allocation, in any context (the packet path is softirq).
fault_on() {
	local range start end a
	range=$(awk '$4 == "[pxefast]" && ($2 == "t" || $2 == "T") {print $1}' /proc/kallsyms | sort)
	start=$(head -n1 <<<"$range")
	end=$(tail -n1 <<<"$range")
	[[ -n $start && $start != 0000000000000000 ]] ||
		{ echo "no pxefast text in /proc/kallsyms"; return 1; }
	end=$(printf '0x%x' $((0x$end + 0x4000)))
	for a in failslab fail_page_alloc; do
		echo 0 > "$DBG/$a/probability" &&
		echo N > "$DBG/$a/task-filter" &&
		echo N > "$DBG/$a/ignore-gfp-wait" &&
		echo 0 > "$DBG/$a/verbose" &&
		echo -1 > "$DBG/$a/times" &&
		echo 32 > "$DBG/$a/stacktrace-depth" &&
		echo "0x$start" > "$DBG/$a/require-start" &&
		echo "$end" > "$DBG/$a/require-end" || return 1
	done
	echo N > "$DBG/fail_page_alloc/ignore-gfp-highmem" &&
	echo 0 > "$DBG/fail_page_alloc/min-order" || return 1
	if [[ $1 == every ]]; then
		echo 7 > "$DBG/failslab/interval" &&
		echo 11 > "$DBG/fail_page_alloc/interval" &&
		echo 100 > "$DBG/failslab/probability" &&
		echo 100 > "$DBG/fail_page_alloc/probability" || return 1
	fi
}

fault_off() {
	local a
	for a in failslab fail_page_alloc; do
		[[ -d $DBG/$a ]] || continue
		echo 0 > "$DBG/$a/probability"
		echo 1 > "$DBG/$a/interval"
		echo 0 > "$DBG/$a/require-start"
		echo 0xffffffffffffffff > "$DBG/$a/require-end"
	done
}
on_cleanup fault_off

FAULTS=
if [[ -w $DBG/failslab/require-start && -w $DBG/fail_page_alloc/require-start &&
      -e /proc/thread-self/fail-nth ]]; then
	FAULTS=1
else
	FAULTS_WHY="no failslab/fail_page_alloc with a stack filter in debugfs, or no fail-nth"
fi

# ---------------------------------------------------------------- netlink

genl() {
	local out rc=0
	out=$(ip netns exec "$G" "$SELFTEST_DIR/fuzz_genl" -s "$SEED" -t "$TLIMIT" -r "$ROOT" \
		-i g0 -i g1 "$@" 2>&1) || rc=$?
	summary <<<"$out"
	((rc == 0)) || printf '%s\n' "$out" | grep -v -E ': (seq|conc|fault|total):' | tail -n 20
	return "$rc"
}
ktap_test "fuzz_genl: $((GENL_N / 2)) messages, one at a time, checked" \
	genl -m seq -n $((GENL_N / 2))
ktap_test "fuzz_genl: $((GENL_N * 3 / 10)) messages from 4 processes, namespaces torn down" \
	genl -m conc -p 4 -n $((GENL_N * 3 / 10))
if [[ -n $FAULTS ]]; then
	genl_faults() {
		local rc=0
		fault_on nth || { fault_off; return 1; }
		genl -m fault -n $((GENL_N - GENL_N / 2 - GENL_N * 3 / 10)) || rc=$?
		fault_off
		return "$rc"
	}
	ktap_test "fuzz_genl: $((GENL_N - GENL_N / 2 - GENL_N * 3 / 10)) messages, a failed allocation in each" \
		genl_faults
else
	ktap_skip "fuzz_genl with faults injected" "$FAULTS_WHY"
fi

# ---------------------------------------------------------------- packets

SRV_MAC=$(ip -n "$S" -br link show vs | awk '{print $3}')
pkt() {
	local out rc=0
	out=$(ip netns exec "$C" "$SELFTEST_DIR/fuzz_pkt" -S $SRV -6 $SRV6 -6 "$SRV_LL" \
		-M "$SRV_MAC" -i vc -r "$ROOT" -t "$TLIMIT" "$@" 2>&1) || rc=$?
	summary <<<"$out"
	((rc == 0)) || printf '%s\n' "$out" | grep -v -E 'packets in|received' | tail -n 20
	return "$rc"
}
# Without fault injection the plain part sends them all.
PLAIN_N=$PKT_N
[[ -n $FAULTS ]] && PLAIN_N=$((PKT_N * 4 / 5))
ktap_test "fuzz_pkt: $PLAIN_N packets" pkt -s "$SEED" -n $PLAIN_N
if [[ -n $FAULTS ]]; then
	pkt_faults() {
		local rc=0
		fault_on every || { fault_off; return 1; }
		pkt -s $((SEED + 1)) -n $((PKT_N - PLAIN_N)) -F || rc=$?
		fault_off
		return "$rc"
	}
	ktap_test "fuzz_pkt: $((PKT_N - PLAIN_N)) packets, every 7th slab / 11th page allocation of pxefast failing" \
		pkt_faults
else
	ktap_skip "fuzz_pkt with faults injected" "$FAULTS_WHY"
fi
# After the faults: everything works again.
ktap_test "fuzz_pkt: 20000 packets after the faults, every oracle on" \
	pkt -s $((SEED + 2)) -n 20000

# Every transfer ends and the namespace's gauge says so, within the idle
# timeout (3 s; a client's timeout option cannot stretch it) plus the
# retransmissions: 300 s leave room for a slow debug kernel.
sessions_drain() {
	local n
	for _ in $(seq 300); do
		n=$(stat_of tftp-sessions)
		[[ $n == 0 ]] && return 0
		sleep 1
	done
	echo "tftp-sessions still $n after 300 s"
	pxs sessions | head -n 20
	return 1
}
ktap_test "every transfer ended" sessions_drain

# The well-formed requests of the firmware, once more, from its own
# client: an EDK2 PXEv6 Solicit gets its boot file URL (option 59), a
# file comes over TFTP/IPv6 intact.
solicit6() {
	local out
	out=$(ip netns exec "$C" python3 ./dhcp6_probe.py -i vc -p edk2-pxe) || { echo "$out"; return 1; }
	expect "$out" replies=1 msgtype=2 "url=tftp://[$SRV6]/snponly.efi"
}
if python3 -c 'import scapy.layers.dhcp6' 2>/dev/null; then
	ktap_test "a PXEv6 Solicit still gets an Advertise with 59 tftp://[$SRV6]/snponly.efi" solicit6
else
	ktap_skip "a PXEv6 Solicit still gets an Advertise with 59" "python3-scapy is not installed"
fi
tftp6_intact() {
	local out
	out=$(ip netns exec "$C" python3 ./tftp_probe.py $SRV6 r100000 --blksize 1428 --windowsize 4 --tsize) ||
		{ echo "$out"; return 1; }
	[[ $out == *"sha256=$(sha256sum "$ROOT/r100000" | awk '{print $1}') "* ]] || { echo "$out"; return 1; }
}
ktap_test "TFTP over IPv6 still serves r100000 intact" tftp6_intact

ktap_test "dmesg clean" dmesg_clean_since "$mark"
ktap_finished
