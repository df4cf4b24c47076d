#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# XDP mode (issue 11): pxectl attaches pxefast's program in generic and
# native mode on veth; the replayed iPXE BIOS, EDK2 and iPXE EFI clients
# get the same frames, byte for byte, as through the netfilter hook, and
# the XDP counters say they were answered at XDP; non-PXE DHCP and TFTP go
# on to the stack; refusals (another program, MTU); dev del, setconf and
# namespace exit detach; rmmod fails while attached; one namespace's XDP
# mode does not touch another's.
#
# Native mode on virtio-net too, when the guest has two virtio-net NICs
# with MACs 52:54:00:78:00:01 (server) and :02 (client) joined to each
# other (scripts/check.sh gives its guest a pair: QEMU dgram sockets on
# 127.0.0.1); skipped without.

cd "$(dirname "$0")" && . ./lib.sh

require_root
require_cmd ip
require_cmd tcpdump
require_cmd python3
[[ -x $PXE_CLIENT ]] || ktap_skip_all "$PXE_CLIENT not built (make -C selftests)"
[[ -f xdp_pass.bpf.o ]] || ktap_skip_all "xdp_pass.bpf.o not built (make -C selftests)"
pxectl_usable || ktap_skip_all "userspace/pxectl not built"

SRV=10.96.0.1
CLI=10.96.0.50
mark=$(dmesg_mark)

mod_load >/dev/null || ktap_skip_all "cannot load pxefast.ko"
[[ -d /sys/kernel/btf/pxefast ]] || [[ -f /sys/kernel/btf/pxefast ]] ||
	ktap_skip_all "pxefast.ko has no module BTF (see README: module BTF)"

ktap_plan 28

netns_new S srv || ktap_skip_all "cannot create network namespaces"
netns_new C cli
veth_pair "$S" vs "$C" vc $SRV/24 $CLI/24 || ktap_skip_all "cannot create a veth pair"
SRV_MAC=$(ip -n "$S" -br link show dev vs | awk '{print $3}')
TFTPROOT=$(mktemp -d)
on_cleanup "rm -rf '$TFTPROOT'"
head -c 70000 /dev/urandom >"$TFTPROOT/nbp.efi"

client() { ip netns exec "$C" "$PXE_CLIENT" -i vc "$@"; }
xdp_of() { ip -n "$1" -d link show dev "$2" | grep -o 'prog/xdp id [0-9]* name [a-z_]*'; }

# conf [XDP WORDS]: the served interface in that mode.
conf() {
	pxs setconf - <<EOF
dev vs $*
tftp on root $TFTPROOT
map arch 0 file bios/pxelinux.0
map arch 0 user-class iPXE file boot-bios.ipxe
map arch 7 file efi/snponly.efi
map arch 7 user-class iPXE file http://$SRV/boot.ipxe
EOF
}

# replay FILE: the clients' replies on 67 and 4011, captured on the client
# side (what left the server), into FILE.
replay() {
	local pcap=$1 pid out
	ip netns exec "$C" tcpdump -i vc --immediate-mode -U -n -w "$pcap" \
		"ether src $SRV_MAC and udp and (src port 67 or src port 4011)" 2>/dev/null &
	pid=$!
	for _ in $(seq 50); do
		[[ -s $pcap ]] && break
		sleep 0.1
	done
	for args in "-p ipxe-bios -t discover" "-p edk2 -t discover" \
		    "-p ipxe-efi -t discover" \
		    "-p edk2 -t request -s $SRV -d 4011 -S 4011 -c $CLI -I 0:0" \
		    "-p ipxe-bios -t request -s $SRV -d 4011 -S 68 -c $CLI -I 0:0"; do
		# shellcheck disable=SC2086 # words of pxe_client arguments
		out=$(client $args) || { echo "no answer to: $args"; kill "$pid"; return 1; }
		grep -q '^file=' <<<"$out" || { echo "$out"; kill "$pid"; return 1; }
	done
	sleep 1
	kill "$pid"
	wait "$pid" 2>/dev/null
	return 0
}

# same_frames A B: the two captures hold the same frames in the same order,
# byte for byte but the xid (the clients pick it at random) and the UDP
# checksum that covers it; every UDP checksum is right.
same_frames() {
	python3 - "$1" "$2" <<'EOF'
import struct, sys

def frames(path):
    data = open(path, 'rb').read()
    off, out = 24, []
    while off + 16 <= len(data):
        incl = struct.unpack_from('<I', data, off + 8)[0]
        out.append(bytearray(data[off + 16:off + 16 + incl]))
        off += 16 + incl
    return out

def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s

def check_udp(f):
    ihl = (f[14] & 15) * 4
    udp = f[14 + ihl:]
    ulen = struct.unpack_from('!H', udp, 4)[0]
    pseudo = f[26:34] + bytes([0, 17]) + struct.pack('!H', ulen)
    return csum(bytes(pseudo) + bytes(udp[:ulen])) == 0xffff

def norm(f):
    f = bytearray(f)
    f[40:42] = b'\0\0'     # UDP checksum
    f[46:50] = b'\0\0\0\0'  # BOOTP xid
    return bytes(f)

a, b = frames(sys.argv[1]), frames(sys.argv[2])
if len(a) != len(b) or not a:
    sys.exit('%d frames through netfilter, %d through XDP:\n%s' % (len(a), len(b),
             '\n'.join(f.hex()[:120] for f in a + b)))
for i, (x, y) in enumerate(zip(a, b)):
    if not check_udp(y):
        sys.exit('frame %d from XDP: bad UDP checksum: %s' % (i, y.hex()))
    if not check_udp(x):
        sys.exit('frame %d from netfilter: bad UDP checksum: %s' % (i, x.hex()))
    if norm(x) != norm(y):
        d = next(j for j in range(min(len(x), len(y))) if x[j] != y[j]) \
            if len(x) == len(y) else -1
        sys.exit('frame %d differs (lengths %d %d, first at %d)' % (i, len(x), len(y), d))
print('%d frames identical' % len(a))
EOF
}

PCAP_NF=$(mktemp) PCAP_GEN=$(mktemp) PCAP_NAT=$(mktemp) PCAP_VNF=$(mktemp) PCAP_VIO=$(mktemp)
on_cleanup "rm -f '$PCAP_NF' '$PCAP_GEN' '$PCAP_NAT' '$PCAP_VNF' '$PCAP_VIO'"

# The virtio-net pair, renamed vs and vc in namespaces of their own, so
# that the tests below run on it as they are.
nic_by_mac() {
	ip -br link | awk -v m="$1" '$3 == m {sub(/@.*/, "", $1); print $1}'
}
VS='' VC=''
modprobe -q virtio_net 2>/dev/null
vio_s=$(nic_by_mac 52:54:00:78:00:01) vio_c=$(nic_by_mac 52:54:00:78:00:02)
if [[ -n $vio_s && -n $vio_c ]] && netns_new VS vsrv && netns_new VC vcli; then
	if ip link set dev "$vio_s" netns "$VS" && ip -n "$VS" link set dev "$vio_s" name vs &&
		ip link set dev "$vio_c" netns "$VC" && ip -n "$VC" link set dev "$vio_c" name vc &&
		ip -n "$VS" addr add $SRV/24 dev vs && ip -n "$VC" addr add $CLI/24 dev vc &&
		ip -n "$VS" link set vs up && ip -n "$VC" link set vc up; then
		# The NICs go back to the initial namespace at exit: without
		# pxefast's program, or it would hold the module.
		on_cleanup "$PXECTL -n $VS setconf /dev/null"
	else
		VS=''
	fi
fi

nf_replay() { conf && replay "$PCAP_NF"; }
ktap_test "netfilter mode: the replayed clients are answered" nf_replay

generic_on() {
	conf xdp generic || return 1
	xdp_of "$S" vs | grep -q 'name pxefast_xdp' || { ip -n "$S" -d link show vs; return 1; }
	ip -n "$S" link show vs | grep -q xdpgeneric || { echo "not in generic mode"; return 1; }
	pxs show -j dev | grep -q '"xdp":"generic","xdp_attached":"generic"' ||
		{ pxs show -j dev; return 1; }
}
ktap_test "setconf 'dev vs xdp generic' attaches pxefast_xdp in generic mode" generic_on

# xdp_replay PCAP: replay, then all five were answered at XDP.
xdp_replay() {
	local d0 b0 d1 b1
	d0=$(stat_of xdp-dhcp-tx) b0=$(stat_of xdp-boot-tx)
	replay "$1" || return 1
	d1=$(stat_of xdp-dhcp-tx) b1=$(stat_of xdp-boot-tx)
	((d1 == d0 + 3 && b1 == b0 + 2)) ||
		{ echo "xdp-dhcp-tx $d0 -> $d1, xdp-boot-tx $b0 -> $b1"; return 1; }
}
ktap_test "generic: all five answered at XDP (xdp-dhcp-tx +3, xdp-boot-tx +2)" \
	xdp_replay "$PCAP_GEN"
ktap_test "generic: frames byte-identical to the netfilter path's" \
	same_frames "$PCAP_NF" "$PCAP_GEN"

non_pxe() {
	local p0 r0 p1 r1 out
	p0=$(stat_of xdp-dhcp-pass) r0=$(stat_of dhcp-rx)
	out=$(client -p plain -n) || { echo "$out"; return 1; }
	p1=$(stat_of xdp-dhcp-pass) r1=$(stat_of dhcp-rx)
	((p1 == p0 + 1 && r1 == r0 + 1)) ||
		{ echo "xdp-dhcp-pass $p0 -> $p1, dhcp-rx $r0 -> $r1 (want +1 each)"; return 1; }
}
ktap_test "non-PXE DHCP passes to the stack, counted once" non_pxe

# xdp_seen: every packet XDP looked at on a served interface.
xdp_seen() {
	pxs stats | awk '$1 ~ /^xdp-/ {n += $2} END {print n + 0}'
}

barrage() {
	local out n0 n1
	n0=$(xdp_seen)
	out=$(client -F 20000 -R 7 -t discover -p edk2 2>&1) || { echo "67: $out"; return 1; }
	[[ $out =~ sent=[1-9] ]] || { echo "67 barrage sent nothing: $out"; return 1; }
	out=$(client -F 20000 -R 11 -t request -s "$SRV" -d 4011 -S 4011 -p edk2 2>&1) ||
		{ echo "4011: $out"; return 1; }
	[[ $out =~ sent=[1-9] ]] || { echo "4011 barrage sent nothing: $out"; return 1; }
	n1=$(xdp_seen)
	echo "# $((n1 - n0)) of them answered or passed on at XDP"
	((n1 - n0 >= 10000)) || { echo "XDP saw $((n1 - n0)) of 40,000"; return 1; }
	out=$(client -p edk2 -t discover) || { echo "$out"; return 1; }
	grep -qx 'file=efi/snponly.efi' <<<"$out" || { echo "$out"; return 1; }
}
ktap_test "40,000 mutated packets through XDP, still answering" barrage

tftp_passes() {
	local out
	out=$(cd "$TFTPROOT" && ip netns exec "$C" timeout 20 tftp $SRV -m binary \
		-c get nbp.efi /dev/stdout | cmp - nbp.efi 2>&1) || { echo "$out"; return 1; }
}
if command -v tftp >/dev/null; then
	ktap_test "TFTP passes to the stack and transfers" tftp_passes
else
	ktap_skip "TFTP passes to the stack and transfers" "no tftp client"
fi

# unload_reload: programs are freed after an RCU grace period; then the
# module unloads and loads again.
unload_reload() {
	for _ in $(seq 100); do
		[[ $(cat /sys/module/pxefast/refcnt) == 0 ]] && break
		sleep 0.1
	done
	mod_unload && mod_load
}

no_unload() {
	local out
	if out=$(rmmod pxefast 2>&1); then
		echo "rmmod succeeded with the program attached"
		mod_load
		return 1
	fi
	echo "# rmmod: $out"
}
ktap_test "rmmod fails while a program is attached" no_unload

# What modprobe -r runs (/lib/modprobe.d/pxefast.conf): refuses, naming the
# interface and how to detach.  (Past the refusal it runs modprobe -r,
# which knows only installed modules: the module is unloaded here as
# insmod loaded it.)
xdp_unload() {
	local out
	out=$("$PXECTL" xdp list) || return 1
	grep -qx "$S vs generic" <<<"$out" || { echo "xdp list: $out"; return 1; }
	out=$("$PXECTL" xdp unload 2>&1) && { echo "unloaded while attached"; mod_load; return 1; }
	grep -q "dev del IFACE" <<<"$out" && grep -qx "$S vs generic" <<<"$out" ||
		{ echo "$out"; return 1; }
	pxs dev del vs || return 1
	out=$("$PXECTL" xdp list) || return 1
	[[ -z $out ]] || { echo "still listed: $out"; return 1; }
	unload_reload && conf xdp generic
}
ktap_test "pxectl xdp unload (modprobe -r) refuses naming vs; detached, unloads" xdp_unload

native_mtu() {
	local out
	ip -n "$C" link set vc mtu 9000 || return 1
	out=$(pxs dev add vs xdp native 2>&1) && { echo "accepted"; return 1; }
	ip -n "$C" link set vc mtu 1500
	grep -q 'MTU' <<<"$out" || { echo "$out"; return 1; }
	xdp_of "$S" vs | grep -q pxefast_xdp || { echo "generic program lost"; return 1; }
}
ktap_test "native with the peer's MTU 9000: refused naming the MTU, generic kept" native_mtu

native_on() {
	conf xdp native || return 1
	ip -n "$S" link show vs | grep -q 'xdp qdisc\|mtu [0-9]* xdp ' ||
		{ ip -n "$S" link show vs; return 1; }
	pxs show dev | grep -qx '  xdp: native' || { pxs show dev; return 1; }
	# veth hands XDP_TX frames to a peer with an XDP program only.
	ip -n "$C" link set dev vc xdp obj xdp_pass.bpf.o sec xdp
}
ktap_test "native mode on veth (XDP_PASS program on the client side)" native_on
ktap_test "native: all five answered at XDP" xdp_replay "$PCAP_NAT"
ktap_test "native: frames byte-identical to the netfilter path's" \
	same_frames "$PCAP_NF" "$PCAP_NAT"

# A reply longer than the request plus the frame's tailroom: native veth
# leaves 30 bytes on 6.12 (a page_pool fragment sized to the packet), 3422
# on 6.1; a menu of long labels makes the offer ~150 bytes longer than the
# DISCOVER.  Either it fits, or XDP leaves the request to the netfilter
# path; it is answered once either way.
fallback() {
	local f0 t0 o0 f1 t1 o1 out label
	label=$(printf 'x%.0s' $(seq 80))
	pxs menu set prompt "${label:0:30}" timeout 5 item 1 "A$label" item 2 "B$label" ||
		return 1
	f0=$(stat_of xdp-fallback) t0=$(stat_of xdp-dhcp-tx) o0=$(stat_of dhcp-offer-tx)
	out=$(client -p edk2 -t discover -C 2 -w 2000) || { echo "$out"; return 1; }
	f1=$(stat_of xdp-fallback) t1=$(stat_of xdp-dhcp-tx) o1=$(stat_of dhcp-offer-tx)
	conf xdp native || return 1
	[[ $(grep -c '^msgtype=2$' <<<"$out") == 1 ]] || { echo "$out"; echo "not one offer"; return 1; }
	((o1 == o0 + 1)) || { echo "dhcp-offer-tx $o0 -> $o1"; return 1; }
	if ((f1 == f0 + 1 && t1 == t0)); then
		echo "# $(uname -r): fell back to the netfilter path"
	elif ((f1 == f0 && t1 == t0 + 1)); then
		echo "# $(uname -r): fits the tailroom, answered at XDP"
		[[ $(uname -r) == 6.1.* ]] || { echo "expected a fallback on $(uname -r)"; return 1; }
	else
		echo "xdp-fallback $f0 -> $f1, xdp-dhcp-tx $t0 -> $t1"
		return 1
	fi
}
ktap_test "native: a reply larger than the tailroom is answered once" fallback

showconf_xdp() {
	local out
	out=$(pxs showconf) || return 1
	grep -qx 'dev vs xdp native' <<<"$out" || { echo "$out"; return 1; }
	pxs setconf - <<<"$out" || return 1
	[[ $(pxs showconf) == "$out" ]] || { echo "showconf changed after a round trip"; return 1; }
}
ktap_test "showconf prints 'dev vs xdp native' and it round-trips" showconf_xdp

setconf_detach() {
	conf || return 1
	if xdp_of "$S" vs; then echo "still attached"; return 1; fi
	replay "$PCAP_GEN" >/dev/null
}
ktap_test "setconf without xdp detaches; netfilter answers again" setconf_detach

other_prog() {
	local out
	ip -n "$S" link set dev vs xdpgeneric obj xdp_pass.bpf.o sec xdp || return 1
	out=$(pxs dev add vs xdp 2>&1) && { echo "accepted"; return 1; }
	ip -n "$S" link set dev vs xdpgeneric off
	grep -q 'another XDP program' <<<"$out" || { echo "$out"; return 1; }
}
ktap_test "another program on the interface: refused, naming it" other_prog

dev_del_detach() {
	pxs dev add vs xdp || return 1
	xdp_of "$S" vs | grep -q pxefast_xdp || return 1
	pxs dev del vs || return 1
	if xdp_of "$S" vs; then echo "still attached"; return 1; fi
}
ktap_test "dev add vs xdp attaches, dev del vs detaches" dev_del_detach

cycles() {
	for _ in 1 2 3; do
		conf xdp || return 1
		pxs setconf /dev/null || return 1
		unload_reload || return 1
	done
}
ktap_test "attach, detach, unload, reload: three times" cycles

# Two servers, two namespaces, both in XDP mode.
isolation() {
	netns_new S2 srv2 || return 1
	netns_new C2 cli2 || return 1
	veth_pair "$S2" vs "$C2" vc $SRV/24 $CLI/24 || return 1
	conf xdp || return 1
	"$PXECTL" -n "$S2" setconf - <<<"dev vs xdp
map arch 7 file other.efi" || return 1
	pxs setconf /dev/null || return 1
	xdp_of "$S2" vs | grep -q pxefast_xdp || { echo "S2's program detached by S"; return 1; }
	local out
	out=$(ip netns exec "$C2" "$PXE_CLIENT" -i vc -p edk2 -t discover) || { echo "$out"; return 1; }
	grep -qx 'file=other.efi' <<<"$out" || { echo "$out"; return 1; }
	[[ $("$PXECTL" -n "$S2" stats | awk '$1 == "xdp-dhcp-tx" {print $2}') == 1 ]] ||
		{ "$PXECTL" -n "$S2" stats; return 1; }
	netns_del "$S2" && netns_del "$C2"
}
ktap_test "namespaces: one's setconf leaves the other's program, answers its own" isolation

ns_exit() {
	local s3 c3
	netns_new s3 srv3 && netns_new c3 cli3 || return 1
	veth_pair "$s3" vs "$c3" vc $SRV/24 $CLI/24 || return 1
	"$PXECTL" -n "$s3" setconf - <<<"dev vs xdp" || return 1
	xdp_of "$s3" vs | grep -q pxefast_xdp || return 1
	netns_del "$s3" && netns_del "$c3" || return 1
	# The device and its program go with the namespace: nothing pins the module.
	unload_reload
}
ktap_test "namespace exit leaves nothing attached: the module unloads" ns_exit

no_btf_msg() {
	local out
	# The module's answer without BTF, simulated by pointing at no object.
	out=$(PXEFAST_XDP_OBJ=/nonexistent pxs dev add vs xdp 2>&1) && { echo "accepted"; return 1; }
	grep -q 'cannot open the XDP program /nonexistent' <<<"$out" || { echo "$out"; return 1; }
	pxs show dev | grep -q 'interface: (none' || { pxs show dev; return 1; }
}
ktap_test "a program that cannot be loaded: refused, nothing changed" no_btf_msg

# Last: with a DHCP server listening, 67 goes to the stack (it must see
# every packet) and the netfilter path answers.
dnsmasq_coexists() {
	local p0 p1 out
	conf xdp generic || return 1
	dnsmasq_start "$S" vs 10.96.0.100,10.96.0.150
	ip -n "$C" addr flush dev vc
	p0=$(stat_of xdp-dhcp-pass)
	out=$(client -p ipxe-bios -m 52:54:00:00:00:77 -t discover -B -C 2 -w 6000) ||
		{ echo "$out"; return 1; }
	p1=$(stat_of xdp-dhcp-pass)
	grep -qx "yiaddr=0.0.0.0" <<<"$out" || { echo "$out"; echo "no proxy offer"; return 1; }
	grep -qE "^yiaddr=10\.96\.0\.1[0-9][0-9]$" <<<"$out" ||
		{ echo "$out"; echo "no address offered by dnsmasq"; return 1; }
	((p1 == p0 + 1)) || { echo "xdp-dhcp-pass $p0 -> $p1"; return 1; }
}
if command -v dnsmasq >/dev/null; then
	ktap_test "dnsmasq on the same interface: 67 passes, both offer" dnsmasq_coexists
else
	ktap_skip "dnsmasq on the same interface: 67 passes, both offer" "dnsmasq not installed"
fi

if [[ -n $VS ]]; then
	S=$VS C=$VC
	SRV_MAC=$(ip -n "$S" -br link show dev vs | awk '{print $3}')
	vio_nf() { conf && replay "$PCAP_VNF"; }
	ktap_test "virtio-net: netfilter mode answers the replayed clients" vio_nf
	vio_native() {
		conf xdp native || return 1
		ip -n "$S" link show vs | grep -q 'mtu [0-9]* xdp ' ||
			{ ip -n "$S" link show vs; return 1; }
		# The driver resets its queues for XDP: wait for the link.
		for _ in $(seq 50); do
			ip -n "$S" link show vs | grep -q 'state UP' && return 0
			sleep 0.1
		done
	}
	ktap_test "virtio-net: native mode attached in the driver" vio_native
	ktap_test "virtio-net native: all five answered at XDP" xdp_replay "$PCAP_VIO"
	ktap_test "virtio-net native: frames byte-identical to the netfilter path's" \
		same_frames "$PCAP_VNF" "$PCAP_VIO"
	pxs setconf /dev/null
else
	for t in "virtio-net: netfilter mode answers the replayed clients" \
		 "virtio-net: native mode attached in the driver" \
		 "virtio-net native: all five answered at XDP" \
		 "virtio-net native: frames byte-identical to the netfilter path's"; do
		ktap_skip "$t" "no virtio-net pair 52:54:00:78:00:01/02 (see the header)"
	done
fi

ktap_test "no kernel splat in dmesg" dmesg_clean_since "$mark"
ktap_finished
