#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Proxy DHCP on UDP 67 and the PXE boot server on UDP 4011 (issue 4):
# pxe_client replays what iPXE BIOS, EDK2 and iPXE EFI send and checks the
# answers (file per arch/MAC/UUID/user class, reply ports, BIS, disabled
# arch, non-PXE clients left alone); dnsmasq on the same interface still
# gets every packet and leases addresses; a malformed-packet barrage leaves
# dmesg clean and the module answering.

cd "$(dirname "$0")" && . ./lib.sh

require_root
require_cmd ip
[[ -x $PXE_CLIENT ]] || ktap_skip_all "$PXE_CLIENT not built (make -C selftests)"
pxectl_usable || ktap_skip_all "userspace/pxectl not built"

SRV=10.96.0.1
UUID=11111111-2222-3333-4444-555555555555

mark=$(dmesg_mark)
ktap_plan 31

ktap_test "module loaded" mod_load

netns_new S srv || ktap_skip_all "cannot create network namespaces"
netns_new C cli
veth_pair "$S" vs "$C" vc $SRV/24 || ktap_skip_all "cannot create a veth pair"

pxs() { "$PXECTL" -n "$S" "$@"; }
stat_of() { pxs stats | awk -v k="$1" '$1 == k {print $2}'; }
client() { ip netns exec "$C" "$PXE_CLIENT" -i vc "$@"; }

conf() {
	pxs setconf - <<EOF
dev vs
arch disable 6
map arch 0 file bios/pxelinux.0
map arch 0 user-class iPXE file boot-bios.ipxe
map arch 7 file efi/snponly.efi
map arch 7 user-class iPXE file http://$SRV/boot.ipxe
map mac 52:54:00:aa:bb:cc file by-mac.0
map uuid $UUID file by-uuid.0
map arch 7 type 1 layer 0 file layer0.efi bis-file layer0.bis
map arch 7 type 2 layer 0 file nobis.efi
EOF
}
ktap_test "configure proxy DHCP and mappings" conf

# expect OUTPUT KEY=VALUE...: every KEY=VALUE is a line of OUTPUT.
expect() {
	local out=$1 kv
	shift
	for kv in "$@"; do
		grep -qxF -- "$kv" <<<"$out" || { printf '%s\n' "$out"; echo "missing: $kv"; return 1; }
	done
}

# offer PROFILE [CLIENT OPTS] -- KEY=VALUE...: a DISCOVER on 67 gets an OFFER.
offer() {
	local profile=$1 out args=()
	shift
	while [[ $# -gt 0 && $1 != -- ]]; do args+=("$1"); shift; done
	shift
	out=$(client -p "$profile" -t discover "${args[@]}") || { echo "$out"; return 1; }
	expect "$out" msgtype=2 yiaddr=0.0.0.0 server-id=$SRV vendor-class=PXEClient "$@"
}

ktap_test "iPXE BIOS: OFFER names boot-bios.ipxe (user class iPXE)" \
	offer ipxe-bios -- file=boot-bios.ipxe siaddr=$SRV
ktap_test "plain BIOS PXE firmware (no 77, no 175): pxelinux.0" \
	offer edk2 -a 0 -- file=bios/pxelinux.0
ktap_test "iPXE known by option 175 alone: the iPXE script" \
	offer ipxe-bios -U '' -- file=boot-bios.ipxe
ktap_test "EDK2 (arch 7): snponly.efi, broadcast reply" \
	offer edk2 -- file=efi/snponly.efi to=255.255.255.255
ktap_test "iPXE EFI: the iPXE script URL" \
	offer ipxe-efi -- file=http://$SRV/boot.ipxe
ktap_test "RFC 3004 user class matches too" \
	offer edk2 -U iPXE -3 -- file=http://$SRV/boot.ipxe
ktap_test "MAC mapping beats arch" \
	offer edk2 -m 52:54:00:aa:bb:cc -- file=by-mac.0
ktap_test "UUID mapping beats arch" \
	offer ipxe-bios -u $UUID -- file=by-uuid.0 uuid="00$(tr -d - <<<"$UUID")"

# Port 67 REQUESTs naming us: a proxy-phase one (no address asked) gets an
# ACK; one taking a lease (option 50) belongs to the DHCP server, which may
# share our address on this host, and gets nothing from us.
proxy_request() {
	local out
	out=$(client -p edk2 -t request -e $SRV) || { echo "$out"; return 1; }
	expect "$out" msgtype=5 yiaddr=0.0.0.0 file=efi/snponly.efi
}
ktap_test "proxy-phase REQUEST on 67 naming us: ACK" proxy_request
ktap_test "lease REQUEST on 67 (option 50) naming our address: left to the DHCP server" \
	client -p edk2 -t request -e $SRV -r 10.96.0.120 -n

no_answer() {
	local out
	out=$(client "$@" -n) || { echo "$out"; return 1; }
}
ktap_test "disabled arch 6 gets no answer" no_answer -p edk2 -a 6
ktap_test "a non-PXE DHCP client is left alone" no_answer -p plain

drops() {
	local before after
	before=$(stat_of drop-arch)
	client -p edk2 -a 6 -n >/dev/null || return 1
	after=$(stat_of drop-arch)
	((after == before + 1)) || { echo "drop-arch $before -> $after"; return 1; }
}
ktap_test "the disabled-arch drop is counted" drops

# The boot server on 4011: the client has its address by now.
ip -n "$C" addr add 10.96.0.50/24 dev vc

boot_ok() {
	local sport=$1 want=$2
	shift 2
	local out
	out=$(client -t request -s $SRV -d 4011 -S "$sport" -c 10.96.0.50 "$@") ||
		{ echo "$out"; return 1; }
	expect "$out" msgtype=5 "from=$SRV:4011" "$want" || return 1
	grep -q "^opt43.71=" <<<"$out" || { echo "$out"; echo "43.71 not echoed"; return 1; }
}
ktap_test "4011 from port 4011 (EDK2): ACK to port 4011 with the NBP" \
	boot_ok 4011 file=efi/snponly.efi -p edk2 -I 0:0
ktap_test "4011 from port 68 (iPXE): ACK to port 68" \
	boot_ok 68 file=boot-bios.ipxe -p ipxe-bios -I 0:0
ktap_test "4011 boot server type 1 layer 0: its own file" \
	boot_ok 4011 file=layer0.efi -p edk2 -I 1:0
ktap_test "4011 BIS layer (bit 15): the credentials file" \
	boot_ok 4011 file=layer0.bis -p edk2 -I 1:32768
ktap_test "4011 INFORM is answered too" \
	boot_ok 4011 file=efi/snponly.efi -p edk2 -t inform -I 0:0
ktap_test "4011 BIS asked where none is configured: no answer" \
	no_answer -t request -s $SRV -d 4011 -S 4011 -c 10.96.0.50 -p edk2 -I 2:32768

# Boot server discovery: with a boot server and a menu, the proxy offer
# names no file (only mapped clients get one: the arch line); the client
# picks an item and asks 4011, whose answer comes from the item type's
# mapping.  Vendor types (32768 and up) are accepted.
menu_conf() {
	pxs setconf - <<EOF
dev vs
dhcp discovery no-broadcast,no-multicast,server-list-only
server 32769 addr $SRV label "vendor boot server"
menu prompt "Boot menu" timeout 2
menu item 32769 "Linux"
map arch 7 file not-sent.efi
map arch 7 type 32769 layer 0 file vendor.efi
EOF
}
menu_offer() {
	local out
	out=$(client -p edk2 -t discover) || { echo "$out"; return 1; }
	expect "$out" msgtype=2 file= || return 1
	grep -q '^opt43.8=' <<<"$out" && grep -q '^opt43.9=' <<<"$out" &&
		grep -q '^opt43.10=' <<<"$out" || { echo "$out"; echo "no 43.8/9/10"; return 1; }
}
ktap_test "boot servers + menu configured" menu_conf
ktap_test "proxy offer lists the boot server and menu, names no file" menu_offer
ktap_test "4011 request for the menu's vendor item: its file" \
	boot_ok 4011 file=vendor.efi -p edk2 -I 32769:0
ktap_test "back to the mapping configuration" conf

# Coexistence: dnsmasq as the plain DHCP server on the same namespace and
# interface still sees the PXE clients' packets and offers addresses.
if command -v dnsmasq >/dev/null; then
	start_dnsmasq() {
		ip netns exec "$S" dnsmasq --keep-in-foreground --port=0 \
			--interface=vs --bind-interfaces --dhcp-range=10.96.0.100,10.96.0.150,1h \
			--dhcp-leasefile=/tmp/pxf-dnsmasq-$$.leases --pid-file=/tmp/pxf-dnsmasq-$$.pid \
			--log-facility=/tmp/pxf-dnsmasq-$$.log &
		on_cleanup "kill $! ; rm -f /tmp/pxf-dnsmasq-$$.*"
		sleep 1
	}
	start_dnsmasq
	both_offer() {
		local out
		# No address yet, and the broadcast flag: dnsmasq's OFFER of an
		# address can reach the client.
		ip -n "$C" addr flush dev vc
		out=$(client -p ipxe-bios -m 52:54:00:00:00:77 -t discover -B -C 2 -w 6000) ||
			{ echo "$out"; return 1; }
		grep -qx "yiaddr=0.0.0.0" <<<"$out" || { echo "$out"; echo "no proxy offer"; return 1; }
		grep -qE "^yiaddr=10\.96\.0\.1[0-9][0-9]$" <<<"$out" ||
			{ echo "$out"; echo "no address offered by dnsmasq"; return 1; }
	}
	ktap_test "same host: dnsmasq still offers an address to a PXE client" both_offer
	lease() {
		ip -n "$C" addr flush dev vc
		ip netns exec "$C" busybox udhcpc -i vc -n -q -f -t 5 -s /bin/true >/dev/null 2>&1 || return 1
		grep -q 10.96.0.1 /tmp/pxf-dnsmasq-$$.leases ||
			{ echo "dnsmasq recorded no lease"; return 1; }
	}
	ktap_test "same host: a plain client leases an address from dnsmasq" lease
else
	ktap_skip "same host: dnsmasq still offers an address to a PXE client" "dnsmasq not installed"
	ktap_skip "same host: a plain client leases an address from dnsmasq" "dnsmasq not installed"
fi

# Both barrages must be sent (the helper prints how many left) and reach
# the module: UDP 67 ones as DHCP packets, 4011 ones as boot requests.
barrage() {
	local before after rx0 rx1 out
	before=$(stat_of drop-malformed)
	rx0=$(stat_of boot-rx)
	out=$(client -F 20000 -R 7) || { echo "67 barrage: $out"; return 1; }
	[[ $out =~ sent=[1-9] ]] || { echo "67 barrage sent nothing: $out"; return 1; }
	# Unicast to the boot server: the client needs its address back (the
	# dnsmasq tests above flushed it), else ARP drops the lot unseen.
	ip -n "$C" addr replace 10.96.0.50/24 dev vc || return 1
	out=$(client -F 20000 -R 11 -t request -s "$SRV" -d 4011 -S 4011 2>&1) ||
		{ echo "4011 barrage: $out"; return 1; }
	[[ $out =~ sent=[1-9] ]] || { echo "4011 barrage sent nothing: $out"; return 1; }
	after=$(stat_of drop-malformed)
	rx1=$(stat_of boot-rx)
	((after > before)) || { echo "no malformed packet counted ($before -> $after)"; return 1; }
	((rx1 > rx0)) || { echo "no 4011 request counted ($rx0 -> $rx1)"; return 1; }
}
ktap_test "malformed-packet barrage (40,000 mutated packets)" barrage
ktap_test "still answering after the barrage" \
	offer edk2 -- file=efi/snponly.efi

other_dev() {
	# Traffic on an interface not configured is never answered.
	pxs setconf - <<<"dev lo" || return 1
	local out
	out=$(client -p edk2 -n) || { echo "$out"; return 1; }
	conf
}
ktap_test "an interface not configured is not served" other_dev

ktap_test "no kernel splat in dmesg" dmesg_clean_since "$mark"
ktap_finished
