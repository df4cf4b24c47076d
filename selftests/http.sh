#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# UEFI HTTP boot over IPv4 (issue 12): pxe_client replays EDK2 HttpBootDxe's
# DISCOVER (option 60 "HTTPClient:Arch:NNNNN", 93, 94, 97) for x64 (arch 16)
# and arm64 (19).  Each gets a proxy offer with 60 "HTTPClient", no address,
# siaddr 0, no option 43, and its mapping's URL in option 67 and the file
# field: a URL as configured, or a file joined to the HTTP base.  A PXE
# client on the same configuration gets the very offer it got without HTTP
# boot configured; no mapping, no URL, a REQUEST or 4011 get nothing.

cd "$(dirname "$0")" && . ./lib.sh

require_root
require_cmd ip python3
[[ -x $PXE_CLIENT ]] || ktap_skip_all "$PXE_CLIENT not built (make -C selftests)"
pxectl_usable || ktap_skip_all "userspace/pxectl not built"

SRV=10.97.0.1
BASE=http://$SRV/tftp
UUID=aaaaaaaa-2222-3333-4444-555555555555

mark=$(dmesg_mark)
ktap_plan 21

ktap_test "module loaded" mod_load

netns_new S srv || ktap_skip_all "cannot create network namespaces"
netns_new C cli
veth_pair "$S" vs "$C" vc $SRV/24 || ktap_skip_all "cannot create a veth pair"

client() { ip netns exec "$C" "$PXE_CLIENT" -i vc "$@"; }

# The PXE part alone, then with HTTP boot added.
PXE_CONF="dev vs
map arch 7 file efi/snponly.efi
map arch 0 file bios/pxelinux.0"
HTTP_CONF="$PXE_CONF
dhcp http-base $BASE
map arch uefi-x64-http file http://$SRV/x64/boot.efi
map arch uefi-arm64-http file arm64/grub.efi
map arch uefi-x64-http mac 52:54:00:aa:bb:cc file \"\\\\hosts\\\\aa bb#1.efi\"
map arch uefi-x64-http uuid $UUID file /by-uuid.efi
map arch uefi-x86-http file tftp://$SRV/ia32.efi"

pxe_offer() { client -p edk2 -m 52:54:00:00:00:07; }
TMPDIR_HTTP=$(mktemp -d)
on_cleanup "rm -rf $TMPDIR_HTTP"

pxe_before() {
	pxs setconf - <<<"$PXE_CONF" || return 1
	PXE_OFFER=$(pxe_offer) || { echo "$PXE_OFFER"; return 1; }
	printf '%s\n' "$PXE_OFFER" > "$TMPDIR_HTTP/pxe_before"
}
ktap_test "PXE offer on a configuration without HTTP boot" pxe_before
ktap_test "configure HTTP boot: a base, URL and file mappings" \
	pxs setconf - <<<"$HTTP_CONF"

# lacks OUTPUT PATTERN: no line of OUTPUT matches PATTERN.
lacks() { ! grep -q -- "$2" <<<"$1" || { printf '%s\n' "$1"; echo "unexpected: $2"; return 1; }; }

# http_offer URL [CLIENT OPTS]: EDK2's HTTP DISCOVER gets the URL offer.
http_offer() {
	local url=$1 out
	shift
	out=$(client -p edk2-http "$@") || { echo "$out"; return 1; }
	expect "$out" msgtype=2 yiaddr=0.0.0.0 siaddr=0.0.0.0 flags=8000 \
		to=255.255.255.255 server-id=$SRV vendor-class=HTTPClient \
		"opt67=$url" "file=$url" || return 1
	lacks "$out" '^opt43' || return 1
	lacks "$out" '^vendor-class=PXEClient'
}
ktap_test "x64 HTTP (arch 16): the mapping's URL, 60=HTTPClient, no 43" \
	http_offer http://$SRV/x64/boot.efi
ktap_test "arm64 HTTP (arch 19): the HTTP base joined with the file" \
	http_offer $BASE/arm64/grub.efi -a 19
ktap_test "MAC mapping for arch 16: backslashes as slashes, space and # encoded" \
	http_offer "$BASE/hosts/aa%20bb%231.efi" -m 52:54:00:aa:bb:cc
uuid_offer() {
	local out
	out=$(client -p edk2-http -u $UUID) || { echo "$out"; return 1; }
	expect "$out" file=$BASE/by-uuid.efi "uuid=00$(tr -d - <<<"$UUID")"
}
ktap_test "UUID mapping for arch 16, option 97 echoed, leading / dropped" uuid_offer

pxe_after() {
	local out
	out=$(pxe_offer) || { echo "$out"; return 1; }
	expect "$out" vendor-class=PXEClient file=efi/snponly.efi || return 1
	diff "$TMPDIR_HTTP/pxe_before" <(printf '%s\n' "$out")
}
ktap_test "PXEClient DISCOVER on the same configuration: the same PXE offer" pxe_after

# no_answer STAT CLIENT_OPTS...: no reply, and STAT counted once more.
no_answer() {
	local stat=$1 before after out
	shift
	before=$(stat_of "$stat")
	out=$(client "$@" -n) || { echo "$out"; return 1; }
	after=$(stat_of "$stat")
	((after == before + 1)) || { echo "$stat $before -> $after"; return 1; }
}
ktap_test "no mapping (arch 18, arm32 HTTP): no answer, drop-no-map" \
	no_answer drop-no-map -p edk2-http -a 18
ktap_test "mapping without an http URL (tftp://, arch 15): no answer, drop-no-url" \
	no_answer drop-no-url -p edk2-http -a 15
ktap_test "HTTPClient REQUEST naming us: no answer" \
	no_answer dhcp-http-rx -p edk2-http -t request -e $SRV
ip -n "$C" addr add 10.97.0.50/24 dev vc
ktap_test "HTTPClient REQUEST to 4011: no answer" \
	no_answer boot-rx -p edk2-http -t request -s $SRV -d 4011 -S 4011 -c 10.97.0.50

counted() {
	local rx0 pxe0 tx0
	rx0=$(stat_of dhcp-http-rx)
	pxe0=$(stat_of dhcp-pxe-rx)
	tx0=$(stat_of dhcp-offer-tx)
	client -p edk2-http >/dev/null || return 1
	client -p edk2 >/dev/null || return 1
	(($(stat_of dhcp-http-rx) == rx0 + 1)) || { echo "dhcp-http-rx"; return 1; }
	(($(stat_of dhcp-pxe-rx) == pxe0 + 2)) || { echo "dhcp-pxe-rx"; return 1; }
	(($(stat_of dhcp-offer-tx) == tx0 + 2)) || { echo "dhcp-offer-tx"; return 1; }
}
ktap_test "dhcp-http-rx counts HTTP clients, offers counted as such" counted

# Hand-made: HTTPClient in 60 and no 93: the arch comes from 60.
hex() { printf %s "$1" | od -An -tx1 | tr -d ' \n'; }
vclass_arch() {
	local out
	out=$(ip netns exec "$C" python3 ./dhcp_probe.py -i vc --dst-mac ff:ff:ff:ff:ff:ff \
		--opt 53:01 --opt 60:"$(hex HTTPClient:Arch:00019:UNDI:003000)") ||
		{ echo "$out"; return 1; }
	expect "$out" "file=$BASE/arm64/grub.efi" "opt60=$(hex HTTPClient)" \
		"opt67=$(hex $BASE/arm64/grub.efi)"
}
ktap_test "HTTPClient:Arch:00019 in 60 without 93: the arm64 URL" vclass_arch

no_base() {
	pxs setconf - <<<"$(grep -v http-base <<<"$HTTP_CONF")" || return 1
	no_answer drop-no-url -p edk2-http -a 19 || return 1
	http_offer http://$SRV/x64/boot.efi
}
ktap_test "without an HTTP base: a file mapping gets no answer, a URL one does" no_base

proxy_off() {
	pxs setconf - <<<"${HTTP_CONF/dhcp http-base/dhcp proxy off http-base}" || return 1
	client -p edk2-http -n >/dev/null || { echo "answered with proxy off"; return 1; }
	pxs setconf - <<<"$HTTP_CONF"
}
ktap_test "proxy off: HTTP clients are not answered either" proxy_off

# refused TEXT CONF: setconf refuses CONF with an error containing TEXT.
refused() {
	local err
	err=$(pxs setconf - <<<"$2" 2>&1) && { echo "accepted"; return 1; }
	[[ $err == *"$1"* ]] || { echo "error '$err' lacks '$1'"; return 1; }
}
LONG=$(printf 'x%.0s' {1..240})
ktap_test "a base plus file over 255 bytes is refused" \
	refused "longer than 255" "dhcp http-base $BASE
map arch 16 file $LONG"
ktap_test "a base without a host is refused by the kernel" \
	refused "with a host" "dhcp http-base http:///tftp"
ktap_test "a base with a space is refused by the kernel" \
	refused "with a host" "dhcp http-base \"http://$SRV/a b\""

round_trip() {
	local a b
	pxs setconf - <<<"$HTTP_CONF" || return 1
	a=$(pxs showconf) || return 1
	grep -qx "dhcp proxy on boot-server on discovery 0 http-base $BASE" <<<"$a" ||
		{ echo "$a"; echo "no http-base"; return 1; }
	pxs showconf | pxs setconf - || return 1
	b=$(pxs showconf) || return 1
	[[ $a == "$b" ]] || { diff <(echo "$a") <(echo "$b"); return 1; }
	pxs show -j | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(d["dhcp"]["http_base"] != sys.argv[1])' "$BASE"
}
ktap_test "showconf | setconf - keeps the HTTP base; show -j has it" round_trip

ktap_test "no kernel splat in dmesg" dmesg_clean_since "$mark"
ktap_finished
