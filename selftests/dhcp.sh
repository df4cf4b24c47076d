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
ktap_plan 46

ktap_test "module loaded" mod_load

netns_new S srv || ktap_skip_all "cannot create network namespaces"
netns_new C cli
veth_pair "$S" vs "$C" vc $SRV/24 || ktap_skip_all "cannot create a veth pair"

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

# ---- hand-made requests (dhcp_probe.py): options of any content, relays,
# IP padding.  PXE_OPTS is what a PC's BIOS PXE ROM (and the Raspberry Pi's)
# sends on a DISCOVER.
SRV_MAC=$(ip -n "$S" -br link show vs | awk '{print $3}')
hex() { printf %s "$1" | od -An -tx1 | tr -d ' \n'; }
VC_BIOS=$(hex PXEClient:Arch:00000:UNDI:002001)
VC_EFI=$(hex PXEClient:Arch:00007:UNDI:003016)
UUID_HEX=$(tr -d - <<<"$UUID")
R82=0106000400010203020c0a72656c61792d6167656e74	# circuit id, remote id
PXE_OPTS=(--opt 53:01 --opt 93:0000 --opt 60:"$VC_BIOS")
probe() { ip netns exec "$C" python3 ./dhcp_probe.py -i vc "$@"; }
# bprobe ARGS... -- KEY=VALUE...: a broadcast request gets a reply with
# these lines and no PAD between its options.
bprobe() {
	local out args=()
	while [[ $# -gt 0 && $1 != -- ]]; do args+=("$1"); shift; done
	shift
	out=$(probe --dst-mac ff:ff:ff:ff:ff:ff "${args[@]}") || { echo "$out"; return 1; }
	expect "$out" pad-between=0 "$@"
}
# lacks OUTPUT PATTERN: no line of OUTPUT matches PATTERN.
lacks() { ! grep -q -- "$2" <<<"$1" || { printf '%s\n' "$1"; echo "unexpected: $2"; return 1; }; }

uuid16_mapped_mac() {
	local before out
	before=$(stat_of dhcp-bad-options)
	out=$(probe --dst-mac ff:ff:ff:ff:ff:ff --mac 52:54:00:aa:bb:cc "${PXE_OPTS[@]}" \
		--opt 97:"$UUID_HEX") || { echo "$out"; return 1; }
	expect "$out" file=by-mac.0 yiaddr=0.0.0.0 pad-between=0 || return 1
	lacks "$out" '^opt97=' || return 1
	(($(stat_of dhcp-bad-options) > before)) || { echo "not counted"; return 1; }
}
ktap_test "97 of 16 bytes (no type byte), MAC mapped: offer from the MAC, 97 ignored" \
	uuid16_mapped_mac

uuid_type1() {
	local out
	out=$(probe --dst-mac ff:ff:ff:ff:ff:ff "${PXE_OPTS[@]}" --opt 97:01"$UUID_HEX") ||
		{ echo "$out"; return 1; }
	expect "$out" file=bios/pxelinux.0 || return 1
	lacks "$out" '^opt97='
}
ktap_test "97 of type 1: no UUID match, not echoed" uuid_type1

# Each optional field whose content cannot be used is ignored; the rest of
# the request is answered as if it were absent.
bad_fields() {
	local before
	before=$(stat_of dhcp-bad-options)
	bprobe --opt 53:01 --opt 93:000700 --opt 60:"$VC_EFI" -- file=efi/snponly.efi ||
		{ echo "93 of odd length: arch from 60"; return 1; }
	bprobe --opt 53:01 --opt 93:00 --opt 60:"$VC_EFI" -- file=efi/snponly.efi ||
		{ echo "93 of 1 byte"; return 1; }
	bprobe "${PXE_OPTS[@]}" --opt 94:0102 -- file=bios/pxelinux.0 || { echo "94 of 2 bytes"; return 1; }
	bprobe "${PXE_OPTS[@]}" --opt 57:05 -- file=bios/pxelinux.0 || { echo "57 of 1 byte"; return 1; }
	bprobe "${PXE_OPTS[@]}" --opt 54:0a6000 -- file=bios/pxelinux.0 || { echo "54 of 3 bytes"; return 1; }
	bprobe "${PXE_OPTS[@]}" --opt 43:470400 -- file=bios/pxelinux.0 || { echo "43.71 overrunning 43"; return 1; }
	bprobe "${PXE_OPTS[@]}" --opt 77:0a69 -- file=bios/pxelinux.0 || { echo "77 (RFC 3004) overrunning"; return 1; }
	bprobe "${PXE_OPTS[@]}" --opt 97: -- file=bios/pxelinux.0 || { echo "97 empty"; return 1; }
	bprobe --opt 53:01 --opt 93:0000 --opt 60: -- file=bios/pxelinux.0 || { echo "60 empty"; return 1; }
	bprobe "${PXE_OPTS[@]}" --opt 175: -- file=boot-bios.ipxe || { echo "175 empty: still iPXE"; return 1; }
	# 93 twice, 94, 57, 54, 43, 97 (77, 60 and 175 are usable as they are)
	(($(stat_of dhcp-bad-options) >= before + 7)) ||
		{ echo "dhcp-bad-options $before -> $(stat_of dhcp-bad-options)"; return 1; }
}
ktap_test "unusable 93/94/57/54/43/97 are ignored, the rest is answered" bad_fields

# Structural damage still drops the packet.
structural() {
	local before after
	before=$(stat_of drop-malformed)
	probe --dst-mac ff:ff:ff:ff:ff:ff "${PXE_OPTS[@]}" --raw 3c20414243 --no-end \
		--expect-none --wait 2 >/dev/null || { echo "option past the end answered"; return 1; }
	probe --dst-mac ff:ff:ff:ff:ff:ff --opt 53:0101 --opt 93:0000 --opt 60:"$VC_BIOS" \
		--expect-none --wait 2 >/dev/null || { echo "53 of 2 bytes answered"; return 1; }
	after=$(stat_of drop-malformed)
	((after >= before + 2)) || { echo "drop-malformed $before -> $after"; return 1; }
}
ktap_test "an option running past the datagram, a 2-byte 53: dropped, counted" structural

# A relay (here the client namespace's 10.96.0.50) unicasts to 67 from 67
# with giaddr set and flags 0; nothing listens on 67 in the server's
# namespace.  The proxy offer goes to giaddr:67 with the broadcast flag,
# option 82 last, and no ICMP port unreachable comes back.
RELAY=(--dst-mac "$SRV_MAC" --src 10.96.0.50 --dst "$SRV" --sport 67 --dport 67
       --giaddr 10.96.0.50 --hops 1 --flags 0)
relayed() {
	local out
	out=$(probe "${RELAY[@]}" "${PXE_OPTS[@]}" --opt 82:$R82 --linger 2) ||
		{ echo "$out"; return 1; }
	expect "$out" icmp-unreach=0 "from=$SRV:67" to=10.96.0.50:67 flags=8000 \
		yiaddr=0.0.0.0 giaddr=10.96.0.50 file=bios/pxelinux.0 opt82=$R82 \
		last-opt=82 pad-between=0
}
ktap_test "relayed DISCOVER: offer to giaddr:67, broadcast flag, 82 echoed last, no ICMP" relayed

# An unanswered relayed request is left to UDP as before (here: ICMP).
relayed_unanswered() {
	local out
	out=$(probe "${RELAY[@]}" --opt 53:01 --opt 60:"$(hex udhcp)" --expect-none --wait 3) ||
		{ echo "$out"; return 1; }
	expect "$out" icmp-unreach=1
}
ktap_test "relayed non-PXE DISCOVER: not answered, not consumed (ICMP as without pxefast)" \
	relayed_unanswered

relayed_4011() {
	local out
	out=$(probe --dst-mac "$SRV_MAC" --src 10.96.0.50 --dst $SRV --sport 4011 --dport 4011 \
		--ciaddr 10.96.0.50 --opt 53:03 --opt 93:0007 --opt 60:"$VC_EFI" \
		--opt 43:470400000000ff --opt 82:$R82) || { echo "$out"; return 1; }
	expect "$out" "from=$SRV:4011" to=10.96.0.50:4011 file=efi/snponly.efi \
		opt82=$R82 last-opt=82 pad-between=0 opt43.71=00000000
}
ktap_test "4011 request with option 82: echoed last in the ACK" relayed_4011

# The UDP length is authoritative: bytes after it inside the IP packet are
# ignored (as Linux's UDP does); a UDP length past the data is refused.
ip_padding() {
	local out before after
	bprobe "${PXE_OPTS[@]}" --trailer 20 -- file=bios/pxelinux.0 ||
		{ echo "67 with 20 bytes of IP padding"; return 1; }
	out=$(probe --dst-mac "$SRV_MAC" --src 10.96.0.50 --dst $SRV --sport 4011 --dport 4011 \
		--ciaddr 10.96.0.50 --opt 53:03 --opt 93:0007 --opt 60:"$VC_EFI" \
		--opt 43:470400000000ff --trailer 7) || { echo "$out"; echo "4011 with padding"; return 1; }
	expect "$out" file=efi/snponly.efi || return 1
	before=$(stat_of drop-malformed)
	probe --dst-mac ff:ff:ff:ff:ff:ff "${PXE_OPTS[@]}" --udp-len-delta 10 --expect-none --wait 2 \
		>/dev/null || { echo "UDP length past the data answered"; return 1; }
	after=$(stat_of drop-malformed)
	((after == before + 1)) || { echo "drop-malformed $before -> $after"; return 1; }
}
ktap_test "IP padding after the UDP payload: answered on 67 and 4011; UDP length past the data: dropped" \
	ip_padding

# ---- Raspberry Pi netboot: MAC and UUID prefixes, a reply delay, menu text
# kept byte for byte.  The Pi sends arch 0 and a PC's option 60.
PI_DELAY=3000
PI_LABEL="Raspberry Pi Boot   "
pi_conf() {
	pxs setconf - <<EOF
dev vs
dhcp discovery direct-boot-file
menu prompt "$PI_LABEL" timeout 1
menu item 0 "$PI_LABEL"
map arch 0 file bios/pxelinux.0
map mac-prefix dc:a6:32 file pi4/start4.elf
map mac-prefix dc:a6:32:99 file pi4-lab/start4.elf
map mac dc:a6:32:99:00:01 file one-pi.elf
map uuid-prefix 00:80:01:75:90 file pi4-uuid/start4.elf
map mac-prefix b8:27:eb file pi3/bootcode.bin delay-ms $PI_DELAY
EOF
}
ktap_test "Raspberry Pi mappings (mac-prefix, uuid-prefix, delay-ms) configured" pi_conf

PI_UUID=0080017590$(printf '%024x' 7)
pi_match() {
	bprobe "${PXE_OPTS[@]}" --mac dc:a6:32:01:02:03 -- file=pi4/start4.elf ||
		{ echo "MAC prefix"; return 1; }
	bprobe "${PXE_OPTS[@]}" --mac dc:a6:32:99:01:02 -- file=pi4-lab/start4.elf ||
		{ echo "longer MAC prefix"; return 1; }
	bprobe "${PXE_OPTS[@]}" --mac dc:a6:32:99:00:01 -- file=one-pi.elf ||
		{ echo "MAC over MAC prefix"; return 1; }
	bprobe "${PXE_OPTS[@]}" --mac 52:54:00:00:00:42 --opt 97:$PI_UUID -- \
		file=pi4-uuid/start4.elf opt97=$PI_UUID || { echo "UUID prefix"; return 1; }
	bprobe "${PXE_OPTS[@]}" --mac dc:a6:32:01:02:03 --opt 97:$PI_UUID -- \
		file=pi4/start4.elf || { echo "MAC prefix over UUID prefix"; return 1; }
	bprobe "${PXE_OPTS[@]}" --mac 52:54:00:00:00:42 --opt 97:01${PI_UUID:2} -- \
		file=bios/pxelinux.0 || { echo "97 of type 1 matched a UUID prefix"; return 1; }
	bprobe "${PXE_OPTS[@]}" --mac 52:54:00:00:00:42 -- file=bios/pxelinux.0 ||
		{ echo "a PC"; return 1; }
}
ktap_test "Pi by MAC prefix (longer wins, MAC wins) and by 97 prefix; PCs by arch" pi_match

# The menu's prompt and label, trailing spaces included, reach the wire as
# configured and survive showconf | setconf -.
pi_menu() {
	local out lab f=/tmp/pxf-pi-$$
	lab=$(hex "$PI_LABEL")
	out=$(probe --dst-mac ff:ff:ff:ff:ff:ff "${PXE_OPTS[@]}" --mac dc:a6:32:01:02:03) ||
		{ echo "$out"; return 1; }
	expect "$out" file=pi4/start4.elf pad-between=0 \
		"opt43.9=0000$(printf %02x ${#PI_LABEL})$lab" "opt43.10=01$lab" || return 1
	pxs showconf > $f.1 || return 1
	grep -qxF "menu item 0 \"$PI_LABEL\"" $f.1 || { cat $f.1; echo "label changed"; return 1; }
	pxs setconf $f.1 && pxs showconf > $f.2 || return 1
	cmp $f.1 $f.2 || { diff $f.1 $f.2; return 1; }
	rm -f $f.1 $f.2
}
ktap_test "menu text with trailing spaces: byte-exact on the wire and through showconf" pi_menu

# The Pi 3's offer comes no sooner than its delay; a PC asking meanwhile is
# answered at once, before it.
pi_delay() {
	local out pc t_pi t_pc ms pid f=/tmp/pxf-pi-$$.d
	probe --dst-mac ff:ff:ff:ff:ff:ff "${PXE_OPTS[@]}" --mac b8:27:eb:00:00:01 \
		--wait $((PI_DELAY / 1000 + 60)) > $f &
	pid=$!
	pc=$(probe --dst-mac ff:ff:ff:ff:ff:ff "${PXE_OPTS[@]}" --mac 52:54:00:00:00:43 --wait 30) ||
		{ echo "$pc"; kill $pid; return 1; }
	wait $pid || { cat $f; echo "no delayed offer"; return 1; }
	out=$(cat $f)
	rm -f $f
	expect "$out" file=pi3/bootcode.bin pad-between=0 || return 1
	expect "$pc" file=bios/pxelinux.0 || return 1
	ms=$(sed -n 's/^ms=//p' <<<"$out")
	((ms >= PI_DELAY)) || { echo "delayed offer after $ms ms, before $PI_DELAY"; return 1; }
	t_pi=$(sed -n 's/^at=//p' <<<"$out")
	t_pc=$(sed -n 's/^at=//p' <<<"$pc")
	python3 -c "import sys; sys.exit(0 if $t_pc < $t_pi else 1)" ||
		{ echo "the PC's offer ($t_pc) came after the delayed one ($t_pi)"; return 1; }
}
ktap_test "delay-ms: the Pi 3's offer no sooner than ${PI_DELAY} ms, a PC in between at once" pi_delay

# At most 256 replies wait per namespace; more are dropped and counted, the
# queued ones still leave.
pi_delay_cap() {
	local drops offers deadline
	drops=$(stat_of dhcp-delay-drops)
	offers=$(stat_of dhcp-offer-tx)
	probe --dst-mac ff:ff:ff:ff:ff:ff "${PXE_OPTS[@]}" --mac b8:27:eb:00:00:02 --repeat 300 \
		--wait 0 --expect-none >/dev/null || true
	deadline=$((SECONDS + 120))
	while (($(stat_of dhcp-offer-tx) < offers + 256 && SECONDS < deadline)); do sleep 0.5; done
	(($(stat_of dhcp-delay-drops) >= drops + 44)) ||
		{ echo "dhcp-delay-drops $drops -> $(stat_of dhcp-delay-drops)"; return 1; }
	(($(stat_of dhcp-offer-tx) >= offers + 256)) ||
		{ echo "dhcp-offer-tx $offers -> $(stat_of dhcp-offer-tx)"; return 1; }
}
ktap_test "delayed replies: 256 queued at most, the rest dropped and counted" pi_delay_cap

# Replies still waiting when their namespace goes: freed with it (the
# final dmesg check and the guest's rmmod catch a leak or a splat).
pi_delay_exit() {
	local s2 c2
	netns_new s2 srv2 && netns_new c2 cli2 || return 1
	veth_pair "$s2" vs2 "$c2" vc2 10.97.0.1/24 || return 1
	printf 'dev vs2\nmap file slow.0 delay-ms 60000\n' | "$PXECTL" -n "$s2" setconf - || return 1
	ip netns exec "$c2" python3 ./dhcp_probe.py -i vc2 --dst-mac ff:ff:ff:ff:ff:ff \
		"${PXE_OPTS[@]}" --repeat 20 --wait 0 --expect-none >/dev/null || true
	netns_del "$s2" && netns_del "$c2"
}
ktap_test "delayed replies pending when the namespace goes: freed" pi_delay_exit
ktap_test "back to the mapping configuration" conf

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
	dnsmasq_start "$S" vs 10.96.0.100,10.96.0.150
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
	# The tests below expect no answer but pxefast's: dnsmasq's offers
	# (late ones too: it pings an address before offering it) must not
	# reach them.
	dnsmasq_stop
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
