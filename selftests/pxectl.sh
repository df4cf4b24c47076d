#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pxectl (issue 3): every verb changes the configuration as shown by
# "show -j"; showconf | setconf - is the identity; a file with one bad line
# fails naming that line and changes nothing; unprivileged users can read but
# not change; 10,000 mappings round trip; concurrent setconf under traffic;
# per-netns configuration; stats/sessions/monitor JSON; interfaces deleted,
# moved away or renamed under the configuration.

cd "$(dirname "$0")" && . ./lib.sh

require_root
require_cmd ip python3 setpriv timeout
pxectl_usable || ktap_skip_all "userspace/pxectl not built"
[[ -x $PXE_CLIENT ]] || ktap_skip_all "$PXE_CLIENT not built (make -C selftests)"

SRV=10.96.0.1
CLI=10.96.0.2
PROBE="python3 $SELFTEST_DIR/tftp_probe.py"

# note TEXT...: a diagnostic shown even when the test passes.
exec 3>&1
note() { printf '%s\n' "$@" | sed 's/^/# /' >&3; }

mark=$(dmesg_mark)
ktap_plan 44

ktap_test "module loaded" mod_load

netns_new S srv || ktap_skip_all "cannot create network namespaces"
netns_new C cli
netns_new B other
veth_pair "$S" vs "$C" vc $SRV/24 $CLI/24 ||
	ktap_skip_all "cannot create a veth pair"
ip -n "$S" link add dum0 type dummy && ip -n "$S" link set dum0 up &&
	ip -n "$S" addr add 10.96.9.1/24 dev dum0 ||
	ktap_skip_all "cannot create a dummy interface"

TMP=$(mktemp -d /tmp/pxf-pxectl.XXXXXX)
on_cleanup "rm -rf $TMP"
ROOT=$TMP/root
ROOT2=$TMP/root2
mkdir -p "$ROOT" "$ROOT2"
head -c 100000 /dev/urandom > "$ROOT/boot.bin"
cp "$ROOT/boot.bin" "$ROOT2/boot.bin"
printf 'hello\n' > "$ROOT/pxelinux.0"
chmod -R a+rX "$TMP"

inc() { ip netns exec "$C" "$@"; }

# jcheck PYEXPR: "pxectl show -j" in S parses and PYEXPR (over d) holds.
jcheck() {
	local out
	out=$(pxs show -j) || { echo "show -j failed"; return 1; }
	python3 -c '
import json, sys
d = json.loads(sys.stdin.read())
sys.exit(0 if eval(sys.argv[1]) else 1)' "$1" <<<"$out" ||
		{ echo "$out" | head -c 3000; echo; echo "check failed: $1"; return 1; }
}

# run CMD...: echo and run, failing loudly.
run() { "$@" || { echo "failed: $*"; return 1; }; }
# refuse CMD...: CMD must fail.
refuse() { if "$@" >/dev/null 2>&1; then echo "accepted: $*"; return 1; fi; }
# wait_for FILE PATTERN: until FILE has a line matching PATTERN (60 s).
wait_for() {
	local i
	for ((i = 0; i < 600; i++)); do
		grep -q -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "no '$2' in $1:"; cat "$1"
	return 1
}

# refuse_says TEXT CMD...: CMD fails and its error contains TEXT.
refuse_says() {
	local want=$1 err
	shift
	if err=$("$@" 2>&1); then echo "accepted: $*"; return 1; fi
	[[ $err == *"$want"* ]] || { echo "$*: error '$err' lacks '$want'"; return 1; }
}

reset() { pxs setconf - </dev/null || { echo "setconf of an empty file failed"; return 1; }; }

# ---------------------------------------------------------------- 1: verbs

verb_dev() {
	# An address given is shown; without one, the interface's primary
	# address is used and none is shown.
	local names="sorted(x['name'] for x in d.get('devs', []))"
	reset || return 1
	run pxs dev add vs || return 1
	jcheck "$names == ['vs'] and 'addr' not in d['devs'][0]" || return 1
	run pxs dev add dum0 addr 10.96.9.9 || return 1
	jcheck "sorted((x['name'], x.get('addr')) for x in d['devs']) == [('dum0', '10.96.9.9'), ('vs', None)]" || return 1
	# Adding again resets the address to the default.
	run pxs dev add dum0 || return 1
	jcheck "[x.get('addr') for x in d['devs'] if x['name'] == 'dum0'] == [None]" || return 1
	run pxs dev del dum0 || return 1
	jcheck "$names == ['vs']" || return 1
	refuse pxs dev add nosuchif0 || return 1
	refuse pxs dev del dum0 || return 1
	refuse pxs dev add dum0 addr 224.0.0.1 || return 1
	jcheck "$names == ['vs']"
}
ktap_test "dev add/del visible in show -j" verb_dev

verb_tftp() {
	reset || return 1
	refuse pxs tftp set on || return 1
	run pxs tftp set on root "$ROOT" max-sessions 77 max-per-client 5 \
		max-blksize 1024 max-window 8 timeout-ms 500 retries 3 \
		ports 50000-50100 idle-timeout-ms 20000 case-fold on || return 1
	jcheck "d['tftp'] == dict(enabled=True, root='$ROOT', max_sessions=77, max_per_client=5, max_blksize=1024, max_window=8, timeout_ms=500, retries=3, port_min=50000, port_max=50100, idle_timeout_ms=20000, case_fold=True)" || return 1
	run pxs tftp set case-fold off || return 1
	jcheck "d['tftp']['case_fold'] == False and d['tftp']['max_sessions'] == 77" || return 1
	refuse pxs tftp set case-fold maybe || return 1
	run pxs tftp set max-window 16 || return 1
	jcheck "d['tftp']['max_window'] == 16 and d['tftp']['max_sessions'] == 77 and d['tftp']['enabled']" || return 1
	run pxs tftp set off || return 1
	jcheck "d['tftp']['enabled'] == False" || return 1
	refuse pxs tftp set root relative/dir || return 1
	refuse pxs tftp set max-window 257 || return 1
	refuse pxs tftp set ports 2000-1500 || return 1
	jcheck "d['tftp']['max_window'] == 16 and d['tftp']['port_min'] == 50000"
}
ktap_test "tftp set visible in show -j" verb_tftp

verb_dhcp() {
	reset || return 1
	jcheck "d['dhcp']['proxy'] and d['dhcp']['boot_server'] and d['dhcp']['discovery'] == 0 and 'mcast_addr' not in d['dhcp']" || return 1
	run pxs dhcp set proxy off boot-server off discovery no-broadcast,direct-boot-file mcast-addr 224.0.1.2 || return 1
	jcheck "not d['dhcp']['proxy'] and not d['dhcp']['boot_server'] and d['dhcp']['discovery'] == 9 and d['dhcp'].get('mcast_addr') == '224.0.1.2'" || return 1
	run pxs dhcp set proxy on discovery 6 mcast-addr none || return 1
	jcheck "d['dhcp']['proxy'] and not d['dhcp']['boot_server'] and d['dhcp']['discovery'] == 6 and 'mcast_addr' not in d['dhcp']" || return 1
	refuse pxs dhcp set discovery 16 || return 1
	refuse pxs dhcp set discovery bogus-flag || return 1
	run pxs dhcp set http-base https://boot.example/efi || return 1
	jcheck "d['dhcp'].get('http_base') == 'https://boot.example/efi' and d['dhcp']['discovery'] == 6" || return 1
	refuse pxs dhcp set http-base ftp://boot.example/ || return 1
	refuse pxs dhcp set http-base http:///efi || return 1
	run pxs dhcp set http-base none || return 1
	jcheck "d['dhcp']['discovery'] == 6 and 'http_base' not in d['dhcp']"
}
ktap_test "dhcp set visible in show -j" verb_dhcp

verb_arch() {
	local dis="[a['code'] for a in d.get('archs', []) if not a['enabled']]"
	reset || return 1
	run pxs arch disable efi-ia32 || return 1
	run pxs arch disable 11 || return 1
	jcheck "sorted($dis) == [6, 11]" || return 1
	jcheck "[a.get('code_name') for a in d['archs'] if a['code'] == 11] == ['efi-arm64']" || return 1
	run pxs arch enable 6 || return 1
	jcheck "$dis == [11]" || return 1
	run pxs arch enable efi-arm64 || return 1
	jcheck "$dis == []" || return 1
	run pxs arch disable uefi-x64 || return 1
	jcheck "$dis == [7]" || return 1
	refuse pxs arch disable no-such-arch || return 1
	refuse pxs arch disable 65536 || return 1
	jcheck "$dis == [7]"
}
ktap_test "arch disable/enable by name and number visible in show -j" verb_arch

verb_server() {
	reset || return 1
	run pxs server add 0 label "PXE bootstrap" || return 1
	run pxs server add 15 addr 10.96.0.5,10.96.0.6 label "two boxes" || return 1
	jcheck "sorted(s['type'] for s in d['servers']) == [0, 15]" || return 1
	jcheck "[(s['addrs'], s.get('label')) for s in d['servers'] if s['type'] == 15] == [(['10.96.0.5', '10.96.0.6'], 'two boxes')]" || return 1
	jcheck "[(s['addrs'], s.get('label')) for s in d['servers'] if s['type'] == 0] == [([], 'PXE bootstrap')]" || return 1
	# add fails on an existing type, naming replace; replace replaces.
	refuse_says "exists already (use \"server replace\")" pxs server add 15 addr 10.96.0.7 || return 1
	jcheck "[s['addrs'] for s in d['servers'] if s['type'] == 15] == [['10.96.0.5', '10.96.0.6']]" || return 1
	run pxs server replace 15 addr 10.96.0.7 || return 1
	jcheck "[s['addrs'] for s in d['servers'] if s['type'] == 15] == [['10.96.0.7']]" || return 1
	run pxs server replace 16 || return 1
	run pxs server del 16 || return 1
	run pxs server del 15 || return 1
	jcheck "[s['type'] for s in d['servers']] == [0]" || return 1
	run pxs server add 32768 label "vendor type" || return 1
	jcheck "sorted(s['type'] for s in d['servers']) == [0, 32768]" || return 1
	run pxs server del 32768 || return 1
	refuse pxs server add 65535 || return 1
	refuse pxs server del 15 || return 1
	jcheck "[s['type'] for s in d['servers']] == [0]"
}
ktap_test "server add/replace/del visible in show -j" verb_server

verb_map() {
	local uuid=12345678-1234-1234-1234-123456789abc
	reset || return 1
	run pxs map add arch bios file pxelinux.0 || return 1
	run pxs map add arch efi-x64 user-class iPXE file boot.ipxe next-server 10.96.0.9 || return 1
	run pxs map add mac 52:54:00:12:34:56 file rescue.efi bis-file rescue.bis label "rescue box" || return 1
	run pxs map add uuid $uuid file u.efi || return 1
	run pxs map add vendor-class "PXEClient:Arch:00007" file v.efi || return 1
	run pxs map add type 5 layer 1 file t.efi || return 1
	run pxs map add arch 7 mac 52:54:00:00:00:01 uuid $uuid vendor-class PXE \
		user-class "my class" type 7 layer 2 file "all fields.efi" || return 1
	run pxs map add file default.0 || return 1
	jcheck "len(d['maps']) == 8" || return 1
	jcheck "[m for m in d['maps'] if m.get('arch') == 0] == [dict(arch=0, arch_name='bios', file='pxelinux.0')]" || return 1
	jcheck "[(m.get('next_server'), m['file']) for m in d['maps'] if m.get('user_class') == 'iPXE'] == [('10.96.0.9', 'boot.ipxe')] and [m.get('arch') for m in d['maps'] if m.get('user_class') == 'iPXE'] == [9]" || return 1
	jcheck "[(m['file'], m.get('bis_file'), m.get('label')) for m in d['maps'] if m.get('mac') == '52:54:00:12:34:56'] == [('rescue.efi', 'rescue.bis', 'rescue box')]" || return 1
	jcheck "[m['file'] for m in d['maps'] if m.get('uuid') == '$uuid' and 'arch' not in m] == ['u.efi']" || return 1
	jcheck "[m['file'] for m in d['maps'] if m.get('vendor_class') == 'PXEClient:Arch:00007'] == ['v.efi']" || return 1
	jcheck "[m['file'] for m in d['maps'] if m.get('type') == 5 and m.get('layer') == 1] == ['t.efi']" || return 1
	jcheck "[{k: v for k, v in m.items() if k != 'arch_name'} for m in d['maps'] if m.get('layer') == 2] == [dict(arch=7, mac='52:54:00:00:00:01', uuid='$uuid', vendor_class='PXE', user_class='my class', type=7, layer=2, file='all fields.efi')]" || return 1
	jcheck "[m for m in d['maps'] if m['file'] == 'default.0'] == [dict(file='default.0')]" || return 1
	# Same match fields: add fails and changes nothing, replace replaces.
	refuse_says "exists already (use \"map replace\")" pxs map add arch bios file lpxelinux.0 || return 1
	jcheck "len(d['maps']) == 8 and [m['file'] for m in d['maps'] if m.get('arch') == 0] == ['pxelinux.0']" || return 1
	run pxs map replace arch bios file lpxelinux.0 || return 1
	jcheck "len(d['maps']) == 8 and [m['file'] for m in d['maps'] if m.get('arch') == 0] == ['lpxelinux.0']" || return 1
	run pxs map replace arch 11 file arm.efi || return 1
	jcheck "len(d['maps']) == 9" || return 1
	run pxs map del arch 11 || return 1
	run pxs map del arch bios || return 1
	run pxs map del mac 52:54:00:12:34:56 file ignored.efi label ignored || return 1
	run pxs map del || return 1
	jcheck "len(d['maps']) == 5 and not [m for m in d['maps'] if m.get('arch') == 0 or 'mac' in m and 'layer' not in m or m['file'] == 'default.0']" || return 1
	refuse pxs map del arch bios || return 1
	refuse pxs map add arch bios || return 1
	refuse_says "climbs above the TFTP root" pxs map add arch 6 file ../../etc/passwd || return 1
	run pxs map add arch 6 file sub/../efi/./boot.efi || return 1
	run pxs map del arch 6 || return 1
	run pxs map add arch 6 file http://10.96.0.1/../boot.ipxe || return 1
	run pxs map del arch 6 || return 1
	refuse pxs map add layer 1 file x || return 1
	refuse pxs map add mac 52:54:00:12:34 file x || return 1
	jcheck "len(d['maps']) == 5"
}
ktap_test "map add/replace/del with every field visible in show -j" verb_map

# One verb table drives -h, usage errors and the completion's word list.
verb_table() {
	local verbs help
	verbs=$("$PXECTL" help verbs) || return 1
	help=$("$PXECTL" -h) || return 1
	while IFS=$'\t' read -r words _; do
		grep -q "^  $words\( \|$\)" <<<"$help" || { echo "-h lacks '$words'"; return 1; }
	done <<<"$verbs"
	(($(wc -l <<<"$verbs") >= 20)) || { echo "too few verbs: $verbs"; return 1; }
	refuse_says "usage: pxectl map add" pxs map || return 1
	refuse_says "or: pxectl menu item del TYPE" pxs menu item || return 1
	refuse_says "usage: pxectl stats [clear] [--prometheus] [-j]" pxs stats bogus || return 1
	refuse_says "unknown verb 'bogus'" pxs bogus
}
ktap_test "verb table: -h lists every verb, errors print the verb's usage" verb_table

verb_map_prefix() {
	reset || return 1
	run pxs map add mac-prefix B8:27:EB file pi3.bin delay-ms 1000 || return 1
	run pxs map add uuid-prefix 00:80:01:75:90 file pi4.elf || return 1
	jcheck "[(m['file'], m.get('delay_ms')) for m in d['maps'] if m.get('mac_prefix') == 'b8:27:eb'] == [('pi3.bin', 1000)]" || return 1
	jcheck "[m['file'] for m in d['maps'] if m.get('uuid_prefix') == '00:80:01:75:90'] == ['pi4.elf']" || return 1
	# Same prefix: add fails, replace replaces.
	refuse_says "exists already" pxs map add mac-prefix b8:27:eb file pi3b.bin || return 1
	run pxs map replace mac-prefix b8:27:eb file pi3b.bin || return 1
	jcheck "len(d['maps']) == 2 and [m.get('delay_ms') for m in d['maps'] if 'mac_prefix' in m] == [None]" || return 1
	run pxs map del mac-prefix b8:27:eb || return 1
	refuse pxs map add uuid-prefix 01:80 file x || return 1
	refuse pxs map add mac-prefix 11:22:33:44:55:66 file x || return 1
	refuse pxs map add mac 11:22:33:44:55:66 mac-prefix 11 file x || return 1
	refuse pxs map add mac-prefix 11 file x delay-ms 60001 || return 1
	jcheck "len(d['maps']) == 1"
}
ktap_test "map add/del by mac-prefix and uuid-prefix, with delay-ms" verb_map_prefix

verb_menu() {
	reset || return 1
	refuse pxs menu set prompt "no items" || return 1
	refuse pxs menu item add 0 "no menu" || return 1
	run pxs menu set prompt "Press F8 for the menu" timeout 5 item 0 "Boot Linux" item 15 "Second entry" || return 1
	jcheck "d['menu'] == dict(prompt='Press F8 for the menu', timeout=5, items=[dict(type=0, label='Boot Linux'), dict(type=15, label='Second entry')])" || return 1
	run pxs menu item add 20 "Third" || return 1
	run pxs menu item add 0 "Boot Linux again" || return 1
	jcheck "[(i['type'], i['label']) for i in d['menu']['items']] == [(0, 'Boot Linux again'), (15, 'Second entry'), (20, 'Third')]" || return 1
	run pxs menu set timeout 255 || return 1
	jcheck "d['menu']['timeout'] == 255 and d['menu']['prompt'] == 'Press F8 for the menu'" || return 1
	run pxs menu item del 15 || return 1
	run pxs menu item del 20 || return 1
	jcheck "[i['type'] for i in d['menu']['items']] == [0]" || return 1
	refuse pxs menu item del 0 || return 1
	run pxs menu clear || return 1
	jcheck "'menu' not in d"
}
ktap_test "menu set/item add/del/clear visible in show -j" verb_menu

# ---------------------------------------------------------------- 2: round trip

RICH=$TMP/rich.conf
cat > "$RICH" <<EOF
# a rich configuration
dev vs addr 10.96.0.1
dev dum0
tftp on root $ROOT max-sessions 100 max-per-client 4 max-blksize 8192 max-window 32 timeout-ms 700 retries 7 ports 50000-51000 idle-timeout-ms 10000 case-fold on
dhcp proxy on boot-server off discovery 5 mcast-addr 224.0.1.2 http-base http://10.96.0.1/tftp/
arch disable efi-ia32
arch disable 33
server 0 label "PXE bootstrap"
server 12 addr 10.96.0.7,10.96.0.8 label "two \"quoted\" boxes"
menu prompt "Press F8 for the boot menu" timeout 5
menu item 0 "Boot Linux"
menu item 12 "Install # not a comment"
map arch bios file pxelinux.0
map arch 7 file grubx64.efi
map arch 7 user-class iPXE file boot.ipxe next-server 10.96.0.9
map arch uefi-x64-http file http://10.96.0.1/x64/grubx64.efi
map mac 52:54:00:12:34:56 file "rescue dir/rescue.efi" bis-file rescue.bis label "rescue box"
map uuid 12345678-1234-1234-1234-123456789abc vendor-class "PXEClient:Arch:00007" file "a\\\\b\\tc"
map type 12 layer 0 file install.0 label ""
map file default.0
map user-class "ctl\\x01\\x7f ü \\\\n" file "we\\"ird name"
EOF

round_trip() {
	run pxs setconf "$RICH" || return 1
	pxs showconf > "$TMP/rt1" || return 1
	grep -q '"rescue box"' "$TMP/rt1" || { cat "$TMP/rt1"; echo "label lost"; return 1; }
	[[ $(grep -c '^map ' "$TMP/rt1") == 9 ]] || { cat "$TMP/rt1"; echo "not 9 maps"; return 1; }
	grep -q '^tftp on .* case-fold on$' "$TMP/rt1" || { cat "$TMP/rt1"; echo "case-fold lost"; return 1; }
	grep -qx 'dhcp .* http-base http://10.96.0.1/tftp/' "$TMP/rt1" || { cat "$TMP/rt1"; echo "http-base lost"; return 1; }
	grep -qx 'map arch 16 file http://10.96.0.1/x64/grubx64.efi' "$TMP/rt1" || { cat "$TMP/rt1"; echo "HTTP map lost"; return 1; }
	pxs showconf | pxs setconf - || { echo "showconf | setconf - failed"; return 1; }
	pxs showconf > "$TMP/rt2" || return 1
	cmp "$TMP/rt1" "$TMP/rt2" || { diff "$TMP/rt1" "$TMP/rt2"; return 1; }
	jcheck "[m['file'] for m in d['maps'] if 'uuid' in m] == ['a\\\\b\\tc'] and [s.get('label') for s in d['servers'] if s['type'] == 12] == ['two \"quoted\" boxes']"
}
ktap_test "showconf | setconf - then showconf is byte-identical" round_trip

# ---------------------------------------------------------------- 3: bad line

# bad_line NAME LINE7: a file whose line 7 is LINE7 fails, names line 7 and
# changes nothing.
bad_line() {
	local f=$TMP/bad.conf before after err chk
	run pxs setconf "$RICH" || return 1
	before=$(pxs showconf) || return 1
	{
		echo "# bad file"
		echo "dev vs"
		echo "dhcp proxy on"
		echo "map arch bios file pxelinux.0"
		echo "map vendor-class PXEClient file pxe.0"
		echo "server 3 label \"three\""
		printf '%s\n' "$1"
		echo "map arch 9 file efi.0"
	} > "$f"
	# setconf --check refuses it the same way, the kernel's checks included.
	chk=$(pxs setconf --check "$f" 2>&1) && { echo "--check accepted: $1"; return 1; }
	err=$(pxs setconf "$f" 2>&1) && { echo "accepted: $1"; return 1; }
	grep -q "$f:7:" <<<"$err" || { echo "error does not name $f:7: $err"; return 1; }
	[[ $chk == "$err" ]] || { echo "--check said '$chk', setconf '$err'"; return 1; }
	after=$(pxs showconf) || return 1
	[[ $before == "$after" ]] || { diff <(echo "$before") <(echo "$after"); return 1; }
	note "$(head -n 2 <<<"$err")"
}
LONG=$(printf 'x%.0s' {1..200})
LONGPATH=/$(printf 'p%.0s' {1..1100})
ktap_test "setconf refuses line 7: unknown arch name" bad_line "arch disable no-such-arch"
ktap_test "setconf refuses line 7: duplicate map" bad_line "map arch bios file other.0"
ktap_test "setconf refuses line 7: ambiguous vendor-class prefix" bad_line "map vendor-class PXEClient:Arch file other.0"
ktap_test "setconf refuses line 7: relative tftp root" bad_line "tftp on root relative/dir"
ktap_test "setconf refuses line 7: missing tftp root" bad_line "tftp on root $TMP/nonexistent"
ktap_test "setconf refuses line 7: overlong label" bad_line "map mac 52:54:00:00:00:07 file x label $LONG"
ktap_test "setconf refuses line 7: overlong file" bad_line "map mac 52:54:00:00:00:07 file $LONGPATH"
ktap_test "setconf refuses line 7: an HTTP boot URL over 255 bytes" bad_line "map arch efi-x64-http file http://h/$LONG$LONG"
ktap_test "setconf refuses line 7: nonexistent interface" bad_line "dev nosuchif0"
ktap_test "setconf refuses line 7: duplicate server" bad_line "server 3 label again"
ktap_test "setconf refuses line 7: out of range / junk" bad_line "tftp max-window 999"
ktap_test "setconf refuses line 7: a file above the TFTP root" bad_line "map mac 52:54:00:00:00:07 file sub/../../etc/passwd"
ktap_test "setconf refuses line 7: a BIS file above the root, mixed separators" bad_line 'map mac 52:54:00:00:00:07 file ok.0 bis-file "\\x\\..\\../passwd"'


# Two mappings with the same MAC prefix are the same mapping twice; prefixes
# of different lengths are not (the longer is more specific).
prefix_dup() {
	local f=$TMP/prefix.conf err
	printf '%s\n' "dev vs" "map mac-prefix b8:27:eb file a" "map mac-prefix b8:27:eb:01 file b" \
		"map uuid-prefix 00:80:01 file c" "map mac-prefix b8:27:eb file d" > "$f"
	err=$(pxs setconf "$f" 2>&1) && { echo "accepted a duplicate mac-prefix"; return 1; }
	grep -q "$f:5: mapping matches the same clients" <<<"$err" ||
		{ echo "error does not name $f:5: $err"; return 1; }
	sed -i '$d' "$f"
	run pxs setconf "$f" || return 1
	jcheck "sorted((m.get('mac_prefix', ''), m.get('uuid_prefix', '')) for m in d['maps']) == [('', '00:80:01'), ('b8:27:eb', ''), ('b8:27:eb:01', '')]"
}
ktap_test "mac-prefix: a duplicate is refused naming its line, a longer one is not" prefix_dup

# PXE 2.1 option 43.8 against siaddr: EDK2 fetches its boot file from the
# first boot server address rather than from siaddr (the mapping's
# next-server, or this host).  Accepted, with a warning naming each line.
servers_warn() {
	local f=$TMP/warn.conf err
	{
		echo "dev vs"					# 1
		echo "server 0 addr 10.96.0.7 label far"	# 2
		echo "map arch 0 file a next-server 10.96.0.7"	# 3: agrees
		echo "map arch 7 file b next-server 10.96.0.9"	# 4: differs
		echo "map arch 9 type 5 file c next-server 10.96.0.9"	# 5: 4011 only
		echo "map arch 6 file d"			# 6: this host
	} > "$f"
	err=$(pxs setconf "$f" 2>&1) || { echo "refused: $err"; return 1; }
	note "$err"
	grep -q "^$f:4: warning: next-server is not the first boot server address" <<<"$err" ||
		{ echo "no warning for line 4: $err"; return 1; }
	grep -q "^$f:2: warning: first boot server address (43.8) is not this host" <<<"$err" ||
		{ echo "no warning for line 2: $err"; return 1; }
	! grep -qE ":(1|3|5|6): " <<<"$err" || { echo "warned about other lines: $err"; return 1; }
	jcheck "len(d['maps']) == 4" || return 1
	# Consistent: the first boot server is this host (no address, or ours).
	printf '%s\n' "dev vs" "server 0 addr $SRV" "map arch 0 file a" \
		"map arch 7 file b next-server $SRV" > "$f"
	err=$(pxs setconf "$f" 2>&1) || { echo "refused: $err"; return 1; }
	[[ -z $err ]] || { echo "warned: $err"; return 1; }
	# The change verbs warn too.
	err=$(pxs map add arch 10 file e next-server 10.96.0.8 2>&1) || { echo "$err"; return 1; }
	grep -q "^pxectl: warning: next-server is not the first boot server address" <<<"$err" ||
		{ echo "map add did not warn: $err"; return 1; }
}
ktap_test "setconf warns (exit 0) about next-server vs the first 43.8 address, naming lines" servers_warn

# The kernel's refusal of object N is traced to its line far down a file
# with blank lines, comments and other objects in between, from stdin too.
bad_far() {
	local f=$TMP/far.conf before after err
	run pxs setconf "$RICH" || return 1
	before=$(pxs showconf) || return 1
	{
		echo "dev vs"; echo
		for ((i = 0; i < 3000; i++)); do
			printf 'map mac 02:00:01:00:%02x:%02x file f%d\n\n# c\n' $((i >> 8)) $((i & 255)) $i
		done
		echo "server 1"
		echo "map mac 02:00:01:00:00:05 file dup"    # line 9004
		echo "map file last"
	} > "$f"
	err=$(pxs setconf "$f" 2>&1) && { echo "accepted"; return 1; }
	grep -q "$f:9004:" <<<"$err" || { echo "error does not name $f:9004: $err"; return 1; }
	err=$(pxs setconf - < "$f" 2>&1) && { echo "accepted from stdin"; return 1; }
	grep -q ":9004:" <<<"$err" || { echo "stdin error does not name line 9004: $err"; return 1; }
	note "$err"
	after=$(pxs showconf) || return 1
	[[ $before == "$after" ]] || { diff <(echo "$before") <(echo "$after"); return 1; }
}
ktap_test "setconf names line 9004 of a long file the kernel refuses" bad_far

# setconf --check of a good file: "FILE: OK", nothing applied, no event,
# the generation unchanged; a stale generation is refused by --check too.
check_ok() {
	local mon=$TMP/check.mon pid g0 g1 out rc=0 i
	reset || return 1
	timeout 120 "$PXECTL" -n "$S" monitor > "$mon" 2>&1 &
	pid=$!
	# Wait until the listener is subscribed: a real change it hears.
	for ((i = 0; i < 60; i++)); do
		reset || { rc=1; break; }
		grep -q config-changed "$mon" && break
		sleep 0.5
	done
	check_ok_steps "$mon" || rc=1
	kill "$pid" 2>/dev/null
	wait "$pid"
	return "$rc"
}
gen_now() { pxs show -j | python3 -c 'import json,sys; print(json.load(sys.stdin)["generation"])'; }
# With the monitor on MON subscribed: --check and dry runs publish nothing.
check_ok_steps() {
	local mon=$1 g0 g1 out
	g0=$(gen_now) || return 1
	# stdout only: the rich file draws a 43.8 warning on stderr, as setconf's
	out=$(pxs setconf --check "$RICH" 2>/dev/null) ||
		{ echo "--check refused: $(pxs setconf --check "$RICH" 2>&1)"; return 1; }
	[[ $out == "$RICH: OK" ]] || { echo "--check printed '$out'"; return 1; }
	g1=$(gen_now) || return 1
	[[ $g0 == "$g1" ]] || { echo "generation $g0 -> $g1 after --check"; return 1; }
	jcheck "not d.get('devs') and not d.get('maps') and not d['tftp']['enabled']" || return 1
	# A dry run compares the generation too.
	if out=$(ip netns exec "$S" "$PXF_NL" set -n -g $((g0 - 1)) vs 2>&1); then
		echo "dry run with a stale generation succeeded"; return 1
	fi
	grep -q 'Stale file handle' <<<"$out" || { echo "stale dry run: $out"; return 1; }
	out=$(ip netns exec "$S" "$PXF_NL" set -n -g "$g0" vs 2>&1) ||
		{ echo "dry run with the current generation refused: $out"; return 1; }
	out=$(ip netns exec "$S" "$PXF_NL" set -n nosuchif0 2>&1) &&
		{ echo "dry run with a missing interface succeeded"; return 1; }
	# The next real change is the first event after the checks.
	run pxs setconf "$RICH" || return 1
	wait_for "$mon" "^config-changed generation $((g0 + 1))\$" || return 1
	jcheck "d['generation'] == $((g0 + 1)) and len(d['maps']) == 9" || return 1
	[[ $(grep -c '^config-changed' "$mon" | tr -d ' ') -ge 1 ]] || return 1
	! grep -q "^config-changed generation $((g0 + 2))" "$mon" ||
		{ cat "$mon"; echo "an event too many"; return 1; }
	# Every event before g0 + 1 has a generation <= g0: none from a check.
	awk -v g="$g0" '$1 == "config-changed" && $3 > g + 1 { bad = 1 } END { exit bad }' "$mon" ||
		{ cat "$mon"; echo "a dry run sent an event"; return 1; }
}
ktap_test "setconf --check: FILE: OK, nothing applied, no event, generation kept" check_ok

# An empty file is a configuration that serves nothing (what stopping
# pxefast.service applies).
empty_serves_nothing() {
	run pxs setconf "$RICH" || return 1
	run pxs setconf /dev/null || return 1
	jcheck "not d.get('devs') and not d.get('maps') and not d.get('servers') and not d['tftp']['enabled'] and not d.get('menu')" || return 1
	[[ -z $(pxs showconf | grep -Ev '^(#|$|tftp off|dhcp )') ]] ||
		{ pxs showconf; echo "showconf of an empty configuration lists objects"; return 1; }
}
ktap_test "setconf /dev/null: an empty configuration serves nothing" empty_serves_nothing

# ---------------------------------------------------------------- 4: unprivileged

NOBODY_CTL=$TMP/bin/pxectl
mkdir -p "$TMP/bin" && cp "$PXECTL" "$NOBODY_CTL" && chmod -R a+rX "$TMP/bin"
nobody() {
	ip netns exec "$S" setpriv --reuid=65534 --regid=65534 --clear-groups \
		--inh-caps=-all --bounding-set=-all "$NOBODY_CTL" "$@"
}
unpriv() {
	local before after out
	run pxs setconf "$RICH" || return 1
	before=$(pxs showconf) || return 1
	out=$(nobody show 2>&1) || { echo "unprivileged show failed: $out"; return 1; }
	out=$(nobody show -j 2>&1) || { echo "unprivileged show -j failed: $out"; return 1; }
	out=$(nobody stats 2>&1) || { echo "unprivileged stats failed: $out"; return 1; }
	out=$(nobody dev del dum0 2>&1) && { echo "unprivileged dev del succeeded"; return 1; }
	grep -qiE 'permi|privileg|CAP_NET_ADMIN' <<<"$out" || { echo "dev del: no permission message: $out"; return 1; }
	out=$(nobody map add arch 3 file x 2>&1) && { echo "unprivileged map add succeeded"; return 1; }
	grep -qiE 'permi|privileg|CAP_NET_ADMIN' <<<"$out" || { echo "map add: no permission message: $out"; return 1; }
	out=$(nobody setconf - </dev/null 2>&1) && { echo "unprivileged setconf succeeded"; return 1; }
	grep -qiE 'permi|privileg|CAP_NET_ADMIN' <<<"$out" || { echo "setconf: no permission message: $out"; return 1; }
	out=$(nobody stats clear 2>&1) && { echo "unprivileged stats clear succeeded"; return 1; }
	grep -qiE 'permi|privileg|CAP_NET_ADMIN' <<<"$out" || { echo "stats clear: no permission message: $out"; return 1; }
	after=$(pxs showconf) || return 1
	[[ $before == "$after" ]] || { diff <(echo "$before") <(echo "$after"); return 1; }
}
ktap_test "unprivileged: show works, changes refused with a permission error" unpriv

# ---------------------------------------------------------------- 5: 10,000 maps

many_maps() {
	local f=$TMP/many.conf t0 n
	{
		echo "dev vs"
		echo "tftp on root $ROOT"
		for ((i = 0; i < 10000; i++)); do
			printf 'map mac 02:00:00:%02x:%02x:%02x file host%05d.efi\n' \
				$((i >> 16)) $(((i >> 8) & 255)) $((i & 255)) $i
		done
	} > "$f"
	t0=$(date +%s%N)
	run pxs setconf "$f" || return 1
	note "setconf of 10000 maps: $((($(date +%s%N) - t0) / 1000000)) ms"
	t0=$(date +%s%N)
	pxs showconf > "$TMP/many1" || return 1
	note "showconf of 10000 maps: $((($(date +%s%N) - t0) / 1000000)) ms"
	n=$(grep -c '^map ' "$TMP/many1")
	[[ $n == 10000 ]] || { echo "showconf has $n maps"; return 1; }
	cmp <(grep '^map ' "$f" | sort) <(grep '^map ' "$TMP/many1" | sort) ||
		{ echo "maps differ from the file"; return 1; }
	pxs showconf | pxs setconf - || { echo "round trip setconf failed"; return 1; }
	pxs showconf > "$TMP/many2" || return 1
	cmp "$TMP/many1" "$TMP/many2" || return 1
	jcheck "len(d['maps']) == 10000"
}
ktap_test "10000 mappings: setconf, showconf, round trip" many_maps

# ---------------------------------------------------------------- 6: concurrency

CONF1=$TMP/c1.conf
CONF2=$TMP/c2.conf
printf 'dev vs\ntftp on root %s\nmap arch bios file pxelinux.0 label one\nmap file boot.bin\nserver 0 label "config one"\n' "$ROOT" > "$CONF1"
printf 'dev vs\ntftp on root %s max-window 8\nmap arch bios file pxelinux.0 label two\nmap arch 7 file boot.bin\nmap file boot.bin\nmenu prompt "config two" timeout 3\nmenu item 0 "two"\n' "$ROOT2" > "$CONF2"

offer() {
	local out
	out=$(inc "$PXE_CLIENT" -i vc -p ipxe-bios -t discover -w 3000 2>&1)
	grep -q '^msgtype=2$' <<<"$out" || { echo "$out"; return 1; }
}
fetch() {
	local out
	out=$(inc $PROBE $SRV boot.bin 2>&1) || { echo "$out"; return 1; }
	[[ $out == *"sha256=$(sha256sum "$ROOT/boot.bin" | awk '{print $1}') "* ]] || { echo "$out"; return 1; }
}

concurrent() {
	local pids=() i end fails canon1 canon2 final
	run pxs setconf "$CONF1" || return 1
	canon1=$(pxs showconf)
	run pxs setconf "$CONF2" || return 1
	canon2=$(pxs showconf)
	offer || { echo "no offer before the storm"; return 1; }
	fetch || { echo "no TFTP before the storm"; return 1; }
	end=$((SECONDS + 20))
	for i in 1 2 3; do
		(
			f=0
			while ((SECONDS < end)); do
				pxs setconf "$CONF1" 2>>"$TMP/loop.err" || f=$((f + 1))
				pxs setconf "$CONF2" 2>>"$TMP/loop.err" || f=$((f + 1))
			done
			echo $f > "$TMP/loop$i.fails"
		) &
		pids+=($!)
	done
	(
		while ((SECONDS < end)); do
			inc "$PXE_CLIENT" -i vc -p ipxe-bios -t discover -w 500 >/dev/null 2>&1
			inc "$PXE_CLIENT" -i vc -p edk2 -t discover -w 500 >/dev/null 2>&1
		done
	) &
	pids+=($!)
	(
		while ((SECONDS < end)); do
			inc $PROBE $SRV boot.bin >/dev/null 2>&1
		done
	) &
	pids+=($!)
	wait "${pids[@]}"
	fails=$(($(cat "$TMP"/loop?.fails | paste -sd+)))
	note "setconf failures during the storm: $fails"
	[[ -s $TMP/loop.err ]] && note "$(sort "$TMP/loop.err" | uniq -c | head -5)"
	final=$(pxs showconf)
	[[ $final == "$canon1" || $final == "$canon2" ]] ||
		{ echo "final config is neither:"; echo "$final"; return 1; }
	offer || { echo "no offer after the storm"; return 1; }
	run pxs setconf "$CONF1" || return 1
	fetch || { echo "no TFTP after the storm"; return 1; }
	((fails == 0)) || { echo "$fails setconf calls failed"; return 1; }
	dmesg_clean_since "$mark"
}
ktap_test "concurrent setconf loops under DHCP and TFTP traffic" concurrent

# Concurrent read-modify-write commands must not lose each other's changes
# (they carry the generation and retry on a conflict).
no_lost_update() {
	local pids=() i
	run pxs setconf "$CONF1" || return 1
	for i in 1 2 3; do
		(
			for ((j = 0; j < 15; j++)); do
				pxs map add mac "02:00:00:00:0$i:$(printf %02x "$j")" file "w$i-$j" ||
					echo "map add $i $j failed" >> "$TMP/rmw.err"
			done
		) &
		pids+=($!)
	done
	wait "${pids[@]}"
	[[ -s $TMP/rmw.err ]] && { cat "$TMP/rmw.err"; return 1; }
	jcheck "len([m for m in d['maps'] if m['file'].startswith('w')]) == 45 and len(d['maps']) == 47"
}
ktap_test "concurrent map add from 3 writers loses nothing" no_lost_update

# ---------------------------------------------------------------- 7: netns

netns_sep() {
	local a b
	run pxs setconf "$RICH" || return 1
	b=$("$PXECTL" -n "$B" showconf) || return 1
	grep -qE '^(dev|map|server|menu|arch) ' <<<"$b" && { echo "B sees: $b"; return 1; }
	run "$PXECTL" -n "$B" map add arch 3 file only-in-b || return 1
	a=$(pxs showconf)
	grep -q only-in-b <<<"$a" && { echo "A sees B's map"; return 1; }
	refuse "$PXECTL" -n "$B" dev add vs || return 1
	# B's monitor sees no event of A's: B's own changes bracket A's one,
	# so the monitor was listening while A changed; it must report
	# exactly B's changes.
	local pid i genB
	timeout 120 "$PXECTL" -n "$B" monitor -j > "$TMP/monB.out" 2>&1 &
	pid=$!
	for ((i = 0; i < 60; i++)); do
		"$PXECTL" -n "$B" arch disable 3 >/dev/null || return 1
		grep -q config-changed "$TMP/monB.out" && break
		sleep 0.5
	done
	run pxs map add arch 4 file seen-by-a-only || return 1
	"$PXECTL" -n "$B" arch enable 3 >/dev/null || return 1
	genB=$("$PXECTL" -n "$B" show -j | python3 -c 'import json,sys; print(json.load(sys.stdin)["generation"])')
	wait_for "$TMP/monB.out" "\"generation\":$genB}" || { kill "$pid"; return 1; }
	kill "$pid" 2>/dev/null; wait "$pid"
	# The first events may predate the subscription: count from the first.
	python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
gens = [e["generation"] for e in ev if e.get("event") == "config-changed"]
sys.exit(0 if gens == list(range(gens[0], int(sys.argv[2]) + 1)) else "B saw %s" % gens)
' "$TMP/monB.out" "$genB" || { cat "$TMP/monB.out"; return 1; }
	"$PXECTL" -n "$B" show -j | python3 -c 'import json,sys; d=json.load(sys.stdin); sys.exit(0 if len(d["maps"]) == 1 and not d.get("devs") else 1)'
}
ktap_test "configuration in one netns is invisible in another" netns_sep

# ---------------------------------------------------------------- 8: JSON

isjson() { python3 -c 'import json,sys; json.load(sys.stdin)'; }
stats_json() {
	local out
	out=$(pxs stats -j) || return 1
	isjson <<<"$out" || { echo "$out"; return 1; }
	out=$(pxs -j stats) || return 1
	isjson <<<"$out" || { echo "$out"; return 1; }
	out=$(pxs stats clear -j) || return 1
	isjson <<<"$out" || { echo "$out"; return 1; }
	out=$(pxs sessions -j) || return 1
	isjson <<<"$out" || { echo "$out"; return 1; }
}
ktap_test "stats -j and sessions -j are valid JSON" stats_json

# stats --prometheus: valid exposition format, the netns label on every
# sample, the gauge and the per-arch counters present (after an offer).
stats_prometheus() {
	local out
	run pxs setconf "$RICH" || return 1
	offer >/dev/null
	out=$(pxs stats --prometheus) || return 1
	python3 "$REPO_DIR/userspace/prom_check.py" --label netns="$S" \
		--metric pxefast_tftp_sessions --metric pxefast_dhcp_rx_total \
		--metric pxefast_arch_requests_total <<<"$out" || { echo "$out"; return 1; }
	grep -q '^# TYPE pxefast_tftp_sessions gauge$' <<<"$out" || { echo "$out"; return 1; }
	grep -Eq '^pxefast_arch_requests_total\{netns="[^"]*",arch="0",arch_name="bios"\} [1-9]' <<<"$out" ||
		{ echo "$out"; return 1; }
	out=$(ip netns exec "$S" "$PXECTL" stats --prometheus) || return 1
	python3 "$REPO_DIR/userspace/prom_check.py" <<<"$out" || return 1
	grep -q netns= <<<"$out" && { echo "netns label without -n"; return 1; }
	refuse pxs stats --prometheus -j
}
ktap_test "stats --prometheus: exposition format, netns label, arch labels" stats_prometheus

# The same events through both renderers of monitor's field table.
monitor_events() {
	local out=$TMP/monitor.out txt=$TMP/monitor.txt pid pid2 i rc=0
	timeout 120 "$PXECTL" -n "$S" monitor -j > "$out" 2>&1 &
	pid=$!
	timeout 120 "$PXECTL" -n "$S" monitor > "$txt" 2>&1 &
	pid2=$!
	# Changes until both listeners have seen one: they are subscribed.
	for ((i = 0; i < 60; i++)); do
		run pxs map replace arch 5 file "mon$i.0" || return 1
		grep -q config-changed "$out" && grep -q config-changed "$txt" && break
		sleep 0.5
	done
	offer >/dev/null
	inc $PROBE $SRV 'we"ird\name' >/dev/null 2>&1
	inc $PROBE $SRV boot.bin >/dev/null 2>&1
	wait_for "$out" '"transfer-done"' && wait_for "$txt" '^transfer-done' || rc=1
	kill "$pid" "$pid2" 2>/dev/null
	wait "$pid" "$pid2"
	((rc == 0)) || return 1
	python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def one(kind, **want):
    for e in ev:
        if e.get("event") == kind and all(e.get(k) == v for k, v in want.items()):
            return e
    sys.exit("no %s event with %s in %s" % (kind, want, ev))
c = one("config-changed")
assert isinstance(c["generation"], int), c
one("transfer-failed", file="we\"ird/name", error=1, dev="vs")
d = one("transfer-done", file="boot.bin", dev="vs")
assert d["bytes"] > 0 and "duration_ms" in d and "addr" in d, d
' "$out" || { cat "$out"; return 1; }
	grep -Eq '^config-changed generation [0-9]+$' "$txt" &&
		grep -Eq '^transfer-done dev vs addr [0-9.]+ file boot.bin bytes [0-9]+ duration [0-9]+ms$' "$txt" ||
		{ echo "text monitor:"; cat "$txt"; return 1; }
}
ktap_test "monitor and monitor -j report the same events and fields" monitor_events

# ---------------------------------------------------------------- 9: gone

# An interface that leaves its namespace leaves the configuration, with a
# new generation; a renamed one is shown under its new name.  Either way
# showconf | setconf - keeps round-tripping.

GONE_CONF=$TMP/gone.conf
cat > "$GONE_CONF" <<EOF
dev vs
dev dum0 addr 10.96.9.9
tftp on root $ROOT
map arch bios file pxelinux.0
EOF

gen() { pxs show -j | python3 -c 'import json,sys; print(json.load(sys.stdin)["generation"])'; }
devnames() {
	pxs show -j | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(" ".join(sorted(x.get("name", "?") for x in d.get("devs", []))))'
}

# served_only NAMES: show -j lists exactly these interfaces (sorted), all
# by name; showconf names none by index; showconf | setconf - round-trips.
served_only() {
	local names
	names=$(devnames) || return 1
	[[ $names == "$1" ]] || { echo "served: '$names', expected '$1'"; return 1; }
	pxs showconf > "$TMP/g1" || return 1
	grep -q '^dev ifindex' "$TMP/g1" && { cat "$TMP/g1"; echo "dead ifindex in showconf"; return 1; }
	pxs showconf | pxs setconf - || { cat "$TMP/g1"; echo "showconf | setconf - failed"; return 1; }
	pxs showconf > "$TMP/g2" || return 1
	cmp -s "$TMP/g1" "$TMP/g2" || { diff "$TMP/g1" "$TMP/g2"; return 1; }
}

# wait_gone NS IF: wait (up to 30 s) until IF no longer exists in NS.
wait_gone() {
	local i
	for ((i = 0; i < 300; i++)); do
		ip -n "$1" link show "$2" >/dev/null 2>&1 || return 0
		sleep 0.1
	done
	echo "$2 still in $1 after 30 s"
	return 1
}

# gone_conf IF: the base configuration plus "dev IF", applied.
gone_conf() {
	{ cat "$GONE_CONF"; echo "dev $1"; } > "$TMP/$1.conf"
	run pxs setconf "$TMP/$1.conf"
}

gone_del() {
	local g0 g1 m
	run ip -n "$S" link add gone0 type dummy || return 1
	run ip -n "$S" link set gone0 up || return 1
	gone_conf gone0 || return 1
	served_only "dum0 gone0 vs" || return 1
	g0=$(gen) || return 1
	m=$(dmesg_mark)
	run ip -n "$S" link del gone0 || return 1
	g1=$(gen) || return 1
	((g1 == g0 + 1)) || { echo "generation $g0 -> $g1, expected $((g0 + 1))"; return 1; }
	served_only "dum0 vs" || return 1
	dmesg | awk -v m="$m" 'found {print} index($0, m) {found = 1}' |
		grep -q 'pxefast: gone0 (ifindex [0-9]*) left its namespace' ||
		{ dmesg | tail -n 5; echo "no log line for gone0"; return 1; }
	# The rest of the configuration is untouched.
	jcheck "d['tftp']['enabled'] and len(d['maps']) == 1 and [x.get('addr') for x in d['devs'] if x['name'] == 'dum0'] == ['10.96.9.9']"
}
ktap_test "a deleted interface leaves the configuration; showconf | setconf - round-trips" gone_del

# A change based on the generation read before the drop is refused, as
# after any concurrent change.
gone_stale() {
	local g o
	run ip -n "$S" link add gone1 type dummy || return 1
	gone_conf gone1 || return 1
	g=$(gen) || return 1
	run ip -n "$S" link del gone1 || return 1
	if o=$(ip netns exec "$S" "$PXF_NL" set -g "$g" vs 2>&1); then
		echo "SET_CONFIG with generation $g, read before the drop, succeeded"
		return 1
	fi
	grep -q 'Stale file handle' <<<"$o" || { echo "stale: $o"; return 1; }
	served_only "dum0 vs"
}
ktap_test "a change based on the generation before the drop gets ESTALE" gone_stale

gone_peer() {
	local P
	netns_new P peer || return 1
	veth_pair "$S" vgone "$P" vpeer || return 1
	gone_conf vgone || return 1
	served_only "dum0 vgone vs" || return 1
	netns_del "$P" || return 1
	wait_gone "$S" vgone || return 1
	served_only "dum0 vs"
}
ktap_test "an interface whose veth peer's netns died leaves the configuration" gone_peer

gone_move() {
	run ip -n "$S" link add gone2 type dummy || return 1
	gone_conf gone2 || return 1
	run ip -n "$S" link set gone2 netns "$B" || return 1
	served_only "dum0 vs" || return 1
	if "$PXECTL" -n "$B" showconf | grep -q '^dev '; then
		echo "B serves an interface"
		return 1
	fi
	run ip -n "$B" link del gone2
}
ktap_test "an interface moved to another netns leaves the configuration" gone_move

# setconf naming an interface while it is deleted: refused, or applied and
# then dropped; never a dead index left behind.
gone_race() {
	local i pid
	for ((i = 0; i < 20; i++)); do
		run ip -n "$S" link add race0 type dummy || return 1
		{ cat "$GONE_CONF"; echo "dev race0"; } > "$TMP/race0.conf"
		pxs setconf "$TMP/race0.conf" >/dev/null 2>&1 &
		pid=$!
		((i % 2)) && sleep 0.0$((RANDOM % 10))
		run ip -n "$S" link del race0 || return 1
		wait "$pid"
		served_only "dum0 vs" || { echo "round $i"; return 1; }
	done
}
ktap_test "setconf racing the interface's deletion leaves no dead index" gone_race

# rename IF NEW: 6.1 renames only interfaces that are down.
rename() {
	run ip -n "$S" link set "$1" down &&
		run ip -n "$S" link set "$1" name "$2" &&
		run ip -n "$S" link set "$2" up
}

renamed() {
	run pxs setconf "$GONE_CONF" || return 1
	rename dum0 dumr || return 1
	served_only "dumr vs" || return 1
	grep -qx 'dev dumr addr 10.96.9.9' "$TMP/g2" || { cat "$TMP/g2"; echo "no 'dev dumr'"; return 1; }
	rename dumr dum0 || return 1
	served_only "dum0 vs"
}
ktap_test "a renamed interface is shown under its new name and round-trips" renamed

ktap_test "no kernel splat in dmesg" dmesg_clean_since "$mark"
ktap_finished
