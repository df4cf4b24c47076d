#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# DHCPv6 boot options (RFC 5970, issue 12): dhcp6_probe.py replays EDK2
# UefiPxeBcDxe's and HttpBootDxe's Solicits (x64 and arm64) and iPXE's
# Information-Request byte for byte.  Each gets an Advertise or Reply with
# no IA, options 1 (echoed), 2 (pxefast's DUID-LL), 16 (343, PXEClient or
# HTTPClient) and 59, whose URL is checked byte for byte; the PXEv6 boot
# server step on UDP 4011 gets a Reply, no sooner than the delay EDK2
# needs, and a mapping's delay-ms delays an Advertise; replies still
# waiting when their namespace goes or the module is unloaded are freed;
# what is not a netboot client's,
# names another server or is malformed gets nothing and is counted; the
# same requests through up to 8 nested relay agents (RFC 8415 19) get the
# same answers in Relay-replies echoing each level, option 79 naming the
# client's MAC; a malformed or too deep relay wrapping gets nothing; the
# interface joins ff02::1:2 and ff05::1:3 only while served over DHCPv6;
# dnsmasq on the same interface still answers.

cd "$(dirname "$0")" && . ./lib.sh

require_root
require_cmd ip python3
python3 -c 'import scapy.layers.dhcp6' 2>/dev/null ||
	ktap_skip_all "python3-scapy is not installed"
pxectl_usable || ktap_skip_all "userspace/pxectl not built"

SRV=fd00::1
CLI=fd00::50
SRV_MAC=52:54:00:00:06:01
CLI_MAC=52:54:00:00:06:07
SRV_DUID=00030001${SRV_MAC//:/}
UUID=aaaaaaaa-bbbb-cccc-dddd-000000000006

# The delay of the 4011 Reply, from the module's source (its one home).
BINL_DELAY_MS=$(awk '$2 == "PXEFAST_DHCP6_BINL_DELAY_MS" {print $3}' ../kmod/dhcp6.h)
[[ $BINL_DELAY_MS =~ ^[0-9]+$ ]] || ktap_skip_all "no PXEFAST_DHCP6_BINL_DELAY_MS in ../kmod/dhcp6.h"
# A mapping's delay-ms on 547, and one no test waits for.
MAP_DELAY_MS=300
SLOW_MAC=52:54:00:00:06:97

mark=$(dmesg_mark)
ktap_plan 51

ktap_test "module loaded" mod_load

netns_new S srv || ktap_skip_all "cannot create network namespaces"
netns_new C cli
for ns in "$S" "$C"; do
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.all.accept_dad=0 || ktap_skip_all "no IPv6 here"
done
ip link add vs netns "$S" address $SRV_MAC type veth \
	peer name vc netns "$C" address $CLI_MAC || ktap_skip_all "cannot create a veth pair"
ip -n "$S" addr add $SRV/64 dev vs nodad
ip -n "$C" addr add $CLI/64 dev vc nodad
ip -n "$S" link set vs up && ip -n "$C" link set vc up

probe() { ip netns exec "$C" python3 ./dhcp6_probe.py -i vc "$@"; }
# groups: how many of ff02::1:2 and ff05::1:3 vs is in.
groups() { ip -n "$S" -6 maddr show dev vs | grep -cE 'ff02::1:2$|ff05::1:3$'; }
joined() { (($(groups) == 2)); }
unjoined() { (($(groups) == 0)); }

CONF="dev vs dhcp6
dhcp http-base http://[$SRV]/tftp
map arch 7 file efi/snponly.efi
map arch 11 file \"arm64\\\\grub aa.efi\"
map arch uefi-x64-http file http://[$SRV]/x64/boot.efi
map arch uefi-arm64-http file arm64/grub.efi
map arch 7 user-class iPXE file http://[$SRV]/boot.ipxe
map arch 7 mac 52:54:00:00:06:99 file by-mac.efi
map arch 7 mac 52:54:00:00:06:98 file delayed.efi delay-ms $MAP_DELAY_MS
map arch 7 mac $SLOW_MAC file slow.efi delay-ms 60000"

ktap_test "configure DHCPv6 on vs: PXE, HTTP, iPXE and MAC mappings" \
	pxs setconf - <<<"$CONF"

# Nothing else on the server side listens on 547: the join is pxefast's.
ktap_test "vs joined ff02::1:2 and ff05::1:3 (no DHCPv6 server on the host)" joined


# offer URL CLASS PROBE_ARGS...: an Advertise (or, with -t inforeq or
# profile ipxe, a Reply) from 547 naming URL, class CLASS, no IA.
offer() {
	local url=$1 cls=$2 type=2 out
	shift 2
	[[ " $* " == *" ipxe "* || " $* " == *" inforeq "* ]] && type=7
	out=$(probe "$@") || { echo "$out"; return 1; }
	expect "$out" replies=1 sport=547 msgtype=$type opts=1,2,16,59 \
		"server-id=$SRV_DUID" "vendor-class=343:$cls" "url=$url" || return 1
	grep -q '^from=fe80::' <<<"$out" || { echo "$out"; echo "not from link-local"; return 1; }
	printf '%s\n' "$out"
}

pxe6() {
	local out
	out=$(offer "tftp://[$SRV]/efi/snponly.efi" PXEClient -p edk2-pxe -u $UUID) || {
		echo "$out"; return 1; }
	expect "$out" "client-id=0004${UUID//-/}"
}
ktap_test "EDK2 PXEv6 Solicit (arch 7): Advertise, 59 tftp://[$SRV]/efi/snponly.efi, DUID echoed" pxe6
ktap_test "EDK2 PXEv6 arm64 (arch 11): '\\' as '/', space percent-encoded" \
	offer "tftp://[$SRV]/arm64/grub%20aa.efi" PXEClient -p edk2-pxe -a 11
ktap_test "EDK2 HTTPv6 Solicit (arch 16): 16 HTTPClient, the mapping's URL" \
	offer "http://[$SRV]/x64/boot.efi" HTTPClient -p edk2-http
ktap_test "EDK2 HTTPv6 arm64 (arch 19): the HTTP base joined with the file" \
	offer "http://[$SRV]/tftp/arm64/grub.efi" HTTPClient -p edk2-http -a 19
ktap_test "iPXE Information-Request (user class iPXE): Reply with its script URL" \
	offer "http://[$SRV]/boot.ipxe" PXEClient -p ipxe -t inforeq

# The monitor's events name the client by its IPv6 source address (its
# link-local one, which DHCPv6 clients send from).
monitor_v6() {
	local log=/tmp/pxf-mon6-$$ rc=0 ll
	ll=$(ip -n "$C" -6 -o addr show dev vc scope link | awk '{sub("/.*", "", $4); print $4; exit}')
	[[ -n $ll ]] || { echo "vc has no link-local address"; return 1; }
	monitor_during "$log" "^offer-sent .* addr $ll " probe -p edk2-pxe -u $UUID >/dev/null || rc=1
	grep -q "^client-seen .* addr $ll " "$log" || { echo "no client-seen with addr $ll"; rc=1; }
	grep -q "^offer-sent .* addr $ll .*file efi/snponly.efi" "$log" ||
		{ echo "no offer-sent with addr $ll"; rc=1; }
	((rc == 0)) || cat "$log"
	rm -f "$log"
	return $rc
}
ktap_test "pxectl monitor: a Solicit's client-seen and offer-sent carry its IPv6 address" monitor_v6
ktap_test "client DUID-LL names the MAC of a MAC mapping" \
	offer "tftp://[$SRV]/by-mac.efi" PXEClient -p edk2-pxe --duid-ll 52:54:00:00:06:99

# The PXEv6 boot server step: the Request copy from [CLI]:4011 to the
# address of the URL, naming our server id, gets a Reply from 4011, no
# sooner than BINL_DELAY_MS (EDK2 is not reading yet before), counted once
# sent.  Only a lower bound: a slow host may take longer.
binl() {
	local out ms rep
	rep=$(stat_of dhcp6-reply-tx)
	out=$(probe -p edk2-pxe -t request -b $CLI -d $SRV -P 4011 -s "$SRV_DUID") ||
		{ echo "$out"; return 1; }
	expect "$out" replies=1 "from=$SRV" sport=4011 msgtype=7 opts=1,2,16,59 \
		"url=tftp://[$SRV]/efi/snponly.efi" vendor-class=343:PXEClient || return 1
	ms=$(sed -n 's/^ms=//p' <<<"$out")
	((ms >= BINL_DELAY_MS)) || { echo "Reply after $ms ms, before $BINL_DELAY_MS"; return 1; }
	(($(stat_of dhcp6-reply-tx) == rep + 1)) || { echo "dhcp6-reply-tx $rep -> $(stat_of dhcp6-reply-tx)"; return 1; }
}
ktap_test "Request to [$SRV]:4011 naming us: Reply from 4011 with 59, no sooner than ${BINL_DELAY_MS} ms" binl

# A mapping's delay-ms delays its Advertise as it does a proxy offer.
map_delay() {
	local out ms
	out=$(offer "tftp://[$SRV]/delayed.efi" PXEClient -p edk2-pxe --duid-ll 52:54:00:00:06:98) ||
		{ echo "$out"; return 1; }
	ms=$(sed -n 's/^ms=//p' <<<"$out")
	((ms >= MAP_DELAY_MS)) || { echo "Advertise after $ms ms, before $MAP_DELAY_MS"; return 1; }
}
ktap_test "delay-ms ${MAP_DELAY_MS}: the Advertise no sooner than ${MAP_DELAY_MS} ms" map_delay

# none STAT PROBE_ARGS...: no reply, and STAT counted once more.
none() {
	local stat=$1 before after out
	shift
	before=$(stat_of "$stat")
	out=$(probe -n -w 1 "$@") || { echo "$out"; return 1; }
	after=$(stat_of "$stat")
	((after == before + 1)) || { echo "$stat $before -> $after"; return 1; }
}
ktap_test "4011 Request naming another server: no answer" \
	none dhcp6-boot-rx -p edk2-pxe -t request -b $CLI -d $SRV -P 4011 -s 000100011234
ktap_test "Solicit from a plain host (no 16, no 61): no answer" none dhcp6-rx -p plain
ktap_test "Solicit with a Server ID: no answer (RFC 8415 16.2)" \
	none dhcp6-rx -p edk2-pxe -s "$SRV_DUID"
ktap_test "Solicit without a Client ID: no answer" none dhcp6-rx -p edk2-pxe --no-client-id
ktap_test "Request on 547 (the site server's step): no answer" \
	none dhcp6-rx -p edk2-pxe -t request -s "$SRV_DUID"
ktap_test "PXE arch 9 with no mapping: drop-no-map" none drop-no-map -p edk2-pxe -a 9

# Malformed: a Solicit whose last option runs 1 byte past the datagram,
# and a 3-byte message.
SOL=$(printf '01abcdef0001000a00030001%s' "${CLI_MAC//:/}")
ktap_test "an option running past the datagram: dhcp6-drop-malformed" \
	none dhcp6-drop-malformed -p raw --raw "${SOL}003d000300"
ktap_test "a 3-byte message: dhcp6-drop-malformed" \
	none dhcp6-drop-malformed -p raw --raw 01abcd

bad_arch() {
	local before out
	before=$(stat_of dhcp-bad-options)
	# Option 61 of odd length is ignored; the arch comes from 16.
	out=$(probe -p raw --raw "${SOL}003d000300070000100026000001570020$(printf %s PXEClient:Arch:00007:UNDI:003000 | od -An -tx1 | tr -d ' \n')") ||
		{ echo "$out"; return 1; }
	expect "$out" "url=tftp://[$SRV]/efi/snponly.efi" || return 1
	(($(stat_of dhcp-bad-options) == before + 1)) || { echo "dhcp-bad-options not counted"; return 1; }
}
ktap_test "option 61 of odd length ignored and counted, arch from 16" bad_arch

counted() {
	local adv rep
	adv=$(stat_of dhcp6-advertise-tx)
	rep=$(stat_of dhcp6-reply-tx)
	probe -p edk2-pxe >/dev/null && probe -p ipxe -t inforeq >/dev/null || return 1
	(($(stat_of dhcp6-advertise-tx) == adv + 1)) || { echo "dhcp6-advertise-tx"; return 1; }
	(($(stat_of dhcp6-reply-tx) == rep + 1)) || { echo "dhcp6-reply-tx"; return 1; }
}
ktap_test "Advertises and Replies counted" counted

# Relay agents (RFC 8415 19): the probe forwards the client's request as
# --relay N nested relay agents do, the outermost at [RELAY]:547, and
# checks that each Relay-reply level echoes its Relay-forward's.
RELAY=fd00::2
ip -n "$C" addr add $RELAY/64 dev vc nodad

# relayed URL CLASS PROBE_ARGS...: a Relay-reply from [SRV]:547 to the
# relay agent, levels echoed, the answer on the link inside.
relayed() {
	local url=$1 cls=$2 type=2 out
	shift 2
	[[ " $* " == *" inforeq "* ]] && type=7
	out=$(probe -b $RELAY "$@") || { echo "$out"; return 1; }
	expect "$out" replies=1 "from=$SRV" sport=547 msgtype=$type opts=1,2,16,59 \
		"server-id=$SRV_DUID" "vendor-class=343:$cls" "url=$url" || return 1
	printf '%s\n' "$out"
}
ktap_test "PXEv6 Solicit through a relay agent (unicast): Advertise in a Relay-reply, levels echoed" \
	relayed "tftp://[$SRV]/efi/snponly.efi" PXEClient -p edk2-pxe --relay 1 -d $SRV
ktap_test "HTTPv6 Solicit through 2 nested relay agents (to ff02::1:2)" \
	relayed "http://[$SRV]/x64/boot.efi" HTTPClient -p edk2-http --relay 2
ktap_test "PXEv6 Solicit through a relay agent sending to All_DHCP_Servers (ff05::1:3)" \
	relayed "tftp://[$SRV]/efi/snponly.efi" PXEClient -p edk2-pxe --relay 1 -d ff05::1:3
ktap_test "iPXE Information-Request through a relay agent: Reply in a Relay-reply" \
	relayed "http://[$SRV]/boot.ipxe" PXEClient -p ipxe -t inforeq --relay 1 -d $SRV
ktap_test "through 8 nested relay agents (HOP_COUNT_LIMIT): answered" \
	relayed "tftp://[$SRV]/efi/snponly.efi" PXEClient -p edk2-pxe --relay 8 -d $SRV
ktap_test "option 79 names the MAC of a MAC mapping, before the client's DUID-LL" \
	relayed "tftp://[$SRV]/by-mac.efi" PXEClient -p edk2-pxe --relay 1 -d $SRV \
	--lla 52:54:00:00:06:99 --duid-ll 52:54:00:00:06:98

# Option 79 of another link-layer type names no MAC: ignored and counted;
# the client's DUID-LL names it then.
relay_lla_type() {
	local before out
	before=$(stat_of dhcp-bad-options)
	out=$(relayed "tftp://[$SRV]/by-mac.efi" PXEClient -p edk2-pxe --relay 1 -d $SRV \
		--lla 52:54:00:00:06:98 --lla-type 6 --duid-ll 52:54:00:00:06:99) ||
		{ echo "$out"; return 1; }
	(($(stat_of dhcp-bad-options) == before + 1)) || { echo "dhcp-bad-options not counted"; return 1; }
}
ktap_test "option 79 not of Ethernet type: ignored and counted, the DUID-LL names the MAC" relay_lla_type

relay_delay() {
	local out ms
	out=$(relayed "tftp://[$SRV]/delayed.efi" PXEClient -p edk2-pxe --relay 2 -d $SRV \
		--lla 52:54:00:00:06:98) || { echo "$out"; return 1; }
	ms=$(sed -n 's/^ms=//p' <<<"$out")
	((ms >= MAP_DELAY_MS)) || { echo "Relay-reply after $ms ms, before $MAP_DELAY_MS"; return 1; }
}
ktap_test "relayed, delay-ms ${MAP_DELAY_MS}: the Relay-reply no sooner" relay_delay

# The events name the client by the innermost peer-address (fe80::1).
relay_monitor() {
	local log=/tmp/pxf-mon6r-$$ rc=0
	monitor_during "$log" "^offer-sent .* addr fe80::1 " \
		probe -b $RELAY -d $SRV --relay 2 -p edk2-pxe >/dev/null || rc=1
	grep -q "^client-seen .* addr fe80::1 " "$log" || { echo "no client-seen with addr fe80::1"; rc=1; }
	grep -q "^offer-sent .* addr fe80::1 " "$log" || { echo "no offer-sent with addr fe80::1"; rc=1; }
	((rc == 0)) || cat "$log"
	rm -f "$log"
	return $rc
}
ktap_test "pxectl monitor: a relayed Solicit's events carry the client's peer-address" relay_monitor

relay_counted() {
	local rel rx
	rel=$(stat_of dhcp6-relay-rx)
	rx=$(stat_of dhcp6-rx)
	probe -b $RELAY -d $SRV --relay 3 -p edk2-pxe >/dev/null || return 1
	probe -p edk2-pxe >/dev/null || return 1
	(($(stat_of dhcp6-relay-rx) == rel + 1)) || { echo "dhcp6-relay-rx $rel -> $(stat_of dhcp6-relay-rx)"; return 1; }
	(($(stat_of dhcp6-rx) == rx + 2)) || { echo "dhcp6-rx $rx -> $(stat_of dhcp6-rx)"; return 1; }
}
ktap_test "a Relay-forward counted in dhcp6-relay-rx and dhcp6-rx, a client's only in dhcp6-rx" relay_counted

# No DHCPv6 server on the host: UDP would answer a unicast Relay-forward
# with an ICMPv6 port unreachable; an answered one ends in pxefast.
relay_no_icmp() {
	local before after
	unreach() { ip netns exec "$S" awk '$1 == "Icmp6OutDestUnreachs" {print $2}' /proc/net/snmp6; }
	ip netns exec "$S" sysctl -qw net.ipv6.icmp.ratelimit=0 || return 1
	before=$(unreach)
	relayed "tftp://[$SRV]/efi/snponly.efi" PXEClient -p edk2-pxe --relay 1 -d $SRV >/dev/null ||
		return 1
	after=$(unreach)
	((after == before)) || { echo "Icmp6OutDestUnreachs $before -> $after"; return 1; }
}
ktap_test "an answered unicast Relay-forward draws no ICMPv6 port unreachable" relay_no_icmp

ktap_test "9 nested relay agents (beyond HOP_COUNT_LIMIT): dhcp6-drop-malformed" \
	none dhcp6-drop-malformed -p edk2-pxe -b $RELAY -d $SRV --relay 9
ktap_test "a Relay-forward with hop-count 9: dhcp6-drop-malformed" \
	none dhcp6-drop-malformed -p edk2-pxe -b $RELAY -d $SRV --relay 1 --hop-count 9
ktap_test "a Relay-forward whose last option runs past the datagram: dhcp6-drop-malformed" \
	none dhcp6-drop-malformed -p edk2-pxe -b $RELAY -d $SRV --relay 2 --overrun
ktap_test "a Relay-forward without a Relay Message: dhcp6-drop-malformed" \
	none dhcp6-drop-malformed -p edk2-pxe -b $RELAY -d $SRV --relay 2 --no-relay-msg

# With no global address on vs, tftp://[link-local]/ would be useless to
# a client on another link: no answer, drop-no-addr.
relay_ll_only() {
	local ll rc=0
	ll=$(ip -n "$C" -6 -o addr show dev vc scope link | awk '{sub("/.*", "", $4); print $4; exit}')
	[[ -n $ll ]] || { echo "vc has no link-local address"; return 1; }
	ip -n "$S" addr del $SRV/64 dev vs || return 1
	none drop-no-addr -p edk2-pxe -b "$ll" --relay 1 || rc=1
	ip -n "$S" addr add $SRV/64 dev vs nodad || return 1
	return $rc
}
ktap_test "relayed, vs with only a link-local address: no answer, drop-no-addr" relay_ll_only

relay_mutated() {
	probe -p edk2-pxe -b $RELAY -d $SRV --relay 2 --lla $CLI_MAC --fuzz 2000 || return 1
	sleep 1
	relayed "tftp://[$SRV]/efi/snponly.efi" PXEClient -p edk2-pxe --relay 2 -d $SRV >/dev/null
}
ktap_test "2,000 mutated Relay-forwards, then a relayed Solicit is still answered" relay_mutated

mutated() {
	probe -p edk2-pxe --fuzz 2000 || return 1
	probe -p edk2-http --fuzz 2000 || return 1
	probe -p ipxe -t inforeq --fuzz 1000 || return 1
	sleep 1
	probe -p edk2-pxe >/dev/null
}
ktap_test "5,000 mutated requests, then a real one is still answered" mutated

addr6() {
	pxs setconf - <<<"${CONF/dev vs dhcp6/dev vs dhcp6 addr6 fd00::abcd}" || return 1
	offer "tftp://[fd00::abcd]/efi/snponly.efi" PXEClient -p edk2-pxe >/dev/null
}
ktap_test "addr6 fd00::abcd names that address in tftp:// URLs" addr6

round_trip() {
	local a b
	a=$(pxs showconf) || return 1
	grep -qx "dev vs dhcp6 addr6 fd00::abcd" <<<"$a" || { echo "$a"; return 1; }
	pxs showconf | pxs setconf - || return 1
	b=$(pxs showconf) || return 1
	[[ $a == "$b" ]] || { diff <(echo "$a") <(echo "$b"); return 1; }
	pxs show -j | python3 -c 'import json,sys; d=json.load(sys.stdin)["devs"][0]; sys.exit(not d["dhcp6"] or d["addr6"] != "fd00::abcd")'
}
ktap_test "showconf | setconf - keeps dhcp6 and addr6; show -j has them" round_trip

# refused TEXT CONF: setconf refuses CONF with an error containing TEXT.
refused() {
	local err
	err=$(pxs setconf - <<<"$2" 2>&1) && { echo "accepted"; return 1; }
	[[ $err == *"$1"* ]] || { echo "error '$err' lacks '$1'"; return 1; }
}
ktap_test "a link-local addr6 is refused by the kernel" \
	refused "not a global unicast" "dev vs dhcp6 addr6 fe80::1"

dhcp6_off() {
	pxs setconf - <<<"${CONF/dev vs dhcp6/dev vs}" || return 1
	unjoined || { echo "ff02::1:2 or ff05::1:3 still joined"; return 1; }
	probe -p edk2-pxe -n >/dev/null || { echo "answered with dhcp6 off"; return 1; }
	pxs setconf - <<<"$CONF" && joined
}
ktap_test "dev without dhcp6: ff02::1:2 and ff05::1:3 left, no answer; back on: joined" dhcp6_off

if command -v dnsmasq >/dev/null; then
	ip netns exec "$S" dnsmasq --keep-in-foreground --port=0 --interface=vs \
		--bind-interfaces --dhcp-range=fd00::100,fd00::1ff,64,1h \
		--dhcp-leasefile=/tmp/pxf-dnsmasq6-$$.leases \
		--pid-file=/tmp/pxf-dnsmasq6-$$.pid --log-facility=/tmp/pxf-dnsmasq6-$$.log &
	DNSMASQ6=$!
	on_cleanup "kill $DNSMASQ6 2>/dev/null; rm -f /tmp/pxf-dnsmasq6-$$.*"
	for ((i = 0; i < 300; i++)); do
		[[ -n $(ip netns exec "$S" ss -Hlun 'sport = :547') ]] && break
		sleep 0.1
	done
	both() {
		local out
		out=$(probe -p edk2-pxe -w 3) || { echo "$out"; return 1; }
		grep -qx 'opts=1,2,16,59' <<<"$out" || { echo "$out"; echo "no proxy Advertise"; return 1; }
		grep -q '^opts=.*\b3\b' <<<"$out" || { echo "$out"; echo "dnsmasq gave no IA_NA"; return 1; }
	}
	ktap_test "same host: dnsmasq still advertises an address to a PXEv6 client" both
	plain() {
		local out
		out=$(probe -p plain -w 3) || { echo "$out"; return 1; }
		expect "$out" replies=1 || return 1
		! grep -q "server-id=$SRV_DUID" <<<"$out"
	}
	ktap_test "same host: a plain Solicit is answered by dnsmasq alone" plain
	kill "$DNSMASQ6" 2>/dev/null
	wait "$DNSMASQ6" 2>/dev/null
	ktap_test "dnsmasq gone: vs still in ff02::1:2 and ff05::1:3 (pxefast's memberships)" joined
else
	ktap_skip "same host: dnsmasq still advertises" "dnsmasq not installed"
	ktap_skip "same host: a plain Solicit is answered by dnsmasq alone" "dnsmasq not installed"
	ktap_skip "dnsmasq gone: vs still in ff02::1:2 and ff05::1:3" "dnsmasq not installed"
fi

# slow_solicit NS IFACE: a Solicit whose Advertise waits 60 s, queued (not
# sent, not refused) in NS's pxefast.
slow_solicit() {
	local adv drops rx
	adv=$("$PXECTL" -n "$1" stats | awk '$1 == "dhcp6-advertise-tx" {print $2}')
	drops=$("$PXECTL" -n "$1" stats | awk '$1 == "dhcp-delay-drops" {print $2}')
	rx=$("$PXECTL" -n "$1" stats | awk '$1 == "dhcp6-rx" {print $2}')
	ip netns exec "$2" python3 ./dhcp6_probe.py -i "$3" -p edk2-pxe \
		--duid-ll $SLOW_MAC -n -w 0.3 >/dev/null || { echo "answered at once"; return 1; }
	"$PXECTL" -n "$1" stats | awk -v a="$adv" -v d="$drops" -v r="$rx" '
		$1 == "dhcp6-advertise-tx" && $2 != a {bad = 1}
		$1 == "dhcp-delay-drops" && $2 != d {bad = 1}
		$1 == "dhcp6-rx" {seen = $2 > r}
		END {exit bad || !seen}' || { "$PXECTL" -n "$1" stats; echo "not queued"; return 1; }
}

# Replies still waiting when their namespace goes: freed with it (the
# final dmesg check and rmmod catch a splat; kmemleak, in the debug
# kernel, a leak).
pending_netns() {
	local s2 c2 ns
	netns_new s2 srv2 && netns_new c2 cli2 || return 1
	for ns in "$s2" "$c2"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0 || return 1
	done
	ip link add vs2 netns "$s2" type veth peer name vc2 netns "$c2" || return 1
	ip -n "$s2" addr add fd01::1/64 dev vs2 nodad &&
		ip -n "$c2" addr add fd01::50/64 dev vc2 nodad || return 1
	ip -n "$s2" link set vs2 up && ip -n "$c2" link set vc2 up || return 1
	printf 'dev vs2 dhcp6\nmap arch 7 file fast.efi delay-ms 200\nmap arch 7 mac %s file slow.efi delay-ms 60000\n' \
		$SLOW_MAC | "$PXECTL" -n "$s2" setconf - || return 1
	# The namespace answers (after 200 ms), then one reply waits.
	ip netns exec "$c2" python3 ./dhcp6_probe.py -i vc2 -p edk2-pxe |
		grep -qxF 'url=tftp://[fd01::1]/fast.efi' || { echo "no delayed Advertise in $s2"; return 1; }
	slow_solicit "$s2" "$c2" vc2 || return 1
	netns_del "$s2" && netns_del "$c2"
}
ktap_test "a DHCPv6 reply pending when its namespace goes: freed" pending_netns

ktap_test "an Advertise pending (delay-ms 60000) before rmmod" slow_solicit "$S" "$C" vc

unload() {
	joined || { echo "ff02::1:2 and ff05::1:3 not joined before rmmod"; return 1; }
	mod_unload || return 1
	unjoined || { echo "ff02::1:2 or ff05::1:3 still joined after rmmod"; return 1; }
}
ktap_test "rmmod while vs is served over DHCPv6, a reply pending: both groups left" unload

ktap_test "no kernel splat in dmesg" dmesg_clean_since "$mark"
ktap_finished
