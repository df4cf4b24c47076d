#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# TFTP over IPv6 (issue 12): the engine of tftp.sh reached over IPv6.  Real
# clients (tftp-hpa -6, atftp, curl, busybox) and tftp_probe.py fetch files
# and check their sha256; the blksize cap leaves room for the 40-byte IPv6
# header (MTU 1500 and 1280), options, windows, loss, traversal refused,
# limits, a link-local client, zero UDP checksums refused, sessions, events
# and counters showing IPv6 clients, IPv4 served alongside, and unloading
# the module mid-transfer.

cd "$(dirname "$0")" && . ./lib.sh && . ./tftp_lib.sh

require_root
require_cmd ip python3 sha256sum cmp curl ethtool
pxectl_usable || ktap_skip_all "userspace/pxectl not built"
[[ -e /proc/net/if_inet6 ]] || ktap_skip_all "IPv6 disabled in this kernel"

PROBE="python3 $SELFTEST_DIR/tftp_probe.py"
SRV=fd97::1
CLI=fd97::2
SRV4=10.98.0.1
# shellcheck disable=SC2034 # read by tftp_lib.sh
SRV_URL=[$SRV] BLK=1448

mark=$(dmesg_mark)
ktap_plan 35

ktap_test "module loaded" mod_load

netns_new S srv || ktap_skip_all "cannot create network namespaces"
netns_new C cli
veth_pair "$S" vs "$C" vc $SRV4/24 10.98.0.2/24 ||
	ktap_skip_all "cannot create a veth pair"
# nodad: the addresses are usable at once, not after duplicate address
# detection.
ip -n "$S" addr add $SRV/64 dev vs nodad &&
	ip -n "$C" addr add $CLI/64 dev vc nodad ||
	ktap_skip_all "cannot add IPv6 addresses"
# The link-local addresses, whose DAD the namespaces cannot skip.
lladdr() {
	ip -n "$1" -6 -o addr show dev "$2" scope link 2>/dev/null |
		awk '$0 !~ /tentative/ {sub("/.*", "", $4); print $4; exit}'
}
for _ in $(seq 100); do
	SRV_LL=$(lladdr "$S" vs)
	CLI_LL=$(lladdr "$C" vc)
	[[ -n $SRV_LL && -n $CLI_LL ]] && break
	sleep 0.1
done

tftp_fixture tftp6

ktap_test "configure TFTP on vs" conf


sizes() {
	local f
	for f in empty one exact512 exact1448 r300k; do
		probe_ok "$f" || return 1
		probe_ok "$f" --blksize 1448 --windowsize 4 --tsize || return 1
	done
}
ktap_test "0 B, 1 B, N*blksize files, lock-step and windowed" sizes

# oack_is OPTIONS... -- WANT: the OACK to a request with OPTIONS is WANT.
oack_is() {
	local out want=${*: -1}
	out=$(inc $PROBE $SRV r300k "${@:1:$#-1}") || { echo "$out"; return 1; }
	[[ $out == *"oack=$want" ]] || { echo "$out (want oack=$want)"; return 1; }
}
ktap_test "OACK: blksize capped at MTU 1500 - 40 - 8 - 4 = 1448, windowsize, tsize, timeout" \
	oack_is --blksize 65464 --windowsize 1000 --tsize --timeout-opt 3 \
	blksize=1448,timeout=3,tsize=300000,windowsize=64

mtu1280() {
	local rc=0
	ip -n "$S" link set vs mtu 1280 && ip -n "$C" link set vc mtu 1280 || return 1
	oack_is --blksize 1468 --tsize blksize=1228,tsize=300000 || rc=1
	probe_ok r1m --blksize 1468 --windowsize 8 || rc=1
	ip -n "$S" link set vs mtu 1500 && ip -n "$C" link set vc mtu 1500
	return $rc
}
ktap_test "MTU 1280 (the IPv6 minimum): blksize 1228, transfer intact" mtu1280

ktap_test "tftp_probe blksize 1448 windowsize 64" probe_ok r3m --blksize 1448 --windowsize 64

ktap_test "EDK2: tsize probe aborted with ERROR 8, then the real transfer" edk2

ktap_test "curl tftp://[$SRV]/ (blksize 512)" curl_get
ktap_test "curl --tftp-blksize 1432" curl_get --tftp-blksize 1432

# A client's IPv6 support is probed against the module itself: a client
# that cannot speak IPv6 is skipped, one that can must fetch the file.
if busybox tftp 2>&1 | grep -q -- '-b SIZE' && busybox --list | grep -qx ping6; then
	ktap_test "busybox tftp -b 1448" bb_get
else
	ktap_skip "busybox tftp -b 1448" "busybox without IPv6 or blksize"
fi

if command -v atftp >/dev/null; then
	ktap_test "atftp blksize 1448 windowsize 16" atftp_get r3m 16
else
	ktap_skip "atftp blksize 1448 windowsize 16" "atftp not installed"
fi

if command -v tftp >/dev/null && tftp -V 2>&1 | grep -qi hpa; then
	ktap_test "tftp-hpa -6" hpa_get -6
else
	ktap_skip "tftp-hpa -6" "tftp-hpa not installed"
fi

ktap_test "40 MB at blksize 512: block numbers roll over, content identical" rollover

ktap_test "absent file: ERROR 1" refused nothere 1
traversal() {
	local rc=0 n
	for n in ../etc/passwd /../../etc/passwd 'sub\..\..\etc\passwd' \
		 abs-link rel-link dir private; do
		refused "$n" 2 || rc=1
	done
	return $rc
}
ktap_test "../, absolute and escaping symlinks, directories, private files: ERROR 2" traversal
ktap_test "write request: ERROR 2" refused anything 2 --wrq
ktap_test "a file in a subdirectory" probe_ok sub/file --blksize 1448

ktap_test "duplicate ACKs send nothing twice" dup_acks

ktap_test "client-side loss in a window: go back to the gap" \
	probe_ok r300k --blksize 1448 --windowsize 8 --drop-every 7 --wait 0.5

conf timeout-ms 100 retries 20 >/dev/null
if netem_usable; then
	ktap_test "netem 10% loss: retransmitted until complete" \
		netem "loss 10%" probe_ok r300k --blksize 1448 --windowsize 4 --wait 0.3
else
	ktap_skip "netem 10% loss: retransmitted until complete" "sch_netem unavailable"
fi
conf >/dev/null

# The same-port scenarios of tftp.sh, over IPv6 (see there).
ktap_test "a reset client's identical request from the same port: fresh OACK at once" \
	same_port reboot 2071 r300k
ktap_test "a byte-identical request before any ACK is a retransmission" \
	same_port retransmit 2074 r300k

linklocal() {
	local out
	[[ -n $SRV_LL && -n $CLI_LL ]] || { echo "no link-local addresses"; return 1; }
	out=$(inc $PROBE "$SRV_LL%vc" r1m --blksize 1448 --windowsize 4) || { echo "$out"; return 1; }
	[[ $out == *"sha256=$(sum "$ROOT/r1m") "* ]] || { echo "$out"; return 1; }
}
ktap_test "a link-local client ($CLI_LL) is answered on its link" linklocal

# tftp_restart: TFTP off (which ends every transfer) and on again.
tftp_restart() { printf 'dev vs\n' | pxs setconf - && conf >/dev/null; }

sessions_v6() {
	local rc=0 js
	conf timeout-ms 5000 retries 2 >/dev/null || return 1
	inc $PROBE $SRV r300k --stop-after 1 >/dev/null
	inc $PROBE "$SRV_LL%vc" r1m --stop-after 1 >/dev/null
	wait_session r1m || rc=1
	pxs sessions | awk -v c=$CLI '$1 == c && $2 == "vs" && /r300k/ {f = 1} END {exit !f}' ||
		{ echo "no line '$CLI vs ... r300k':"; rc=1; }
	pxs sessions | awk -v c="$CLI_LL" '$1 == c && $2 == "vs" && /r1m/ {f = 1} END {exit !f}' ||
		{ echo "no line '$CLI_LL vs ... r1m':"; rc=1; }
	js=$(pxs -j sessions)
	grep -q "\"client_addr\":\"$CLI\"" <<<"$js" || { echo "$js"; rc=1; }
	((rc == 0)) || pxs sessions
	tftp_restart
	return $rc
}
ktap_test "pxectl sessions lists IPv6 clients with their address and interface" sessions_v6

monitor_v6() {
	local log=$OUT/monitor
	monitor_during "$log" "^transfer-done .* addr $CLI " probe_ok one || return 1
	grep -q "^transfer-done .*addr $CLI file one " "$log" || { cat "$log"; return 1; }
}
ktap_test "pxectl monitor shows an IPv6 client's transfer" monitor_v6

counters() {
	local rrq6 rrq
	rrq6=$(stat_of tftp6-rrq-rx)
	rrq=$(stat_of tftp-rrq-rx)
	probe_ok one || return 1
	inc $PROBE $SRV4 one >/dev/null || return 1
	[[ $(stat_of tftp6-rrq-rx) == $((rrq6 + 1)) && $(stat_of tftp-rrq-rx) == $((rrq + 2)) ]] || {
		echo "tftp6-rrq-rx $rrq6 -> $(stat_of tftp6-rrq-rx) (want +1)," \
		     "tftp-rrq-rx $rrq -> $(stat_of tftp-rrq-rx) (want +2)"
		return 1
	}
}
ktap_test "tftp6-rrq-rx counts IPv6 requests, tftp-rrq-rx both" counters

dual_stack() {
	local out
	out=$(inc $PROBE $SRV4 r1m --blksize 1468 --tsize) || { echo "$out"; return 1; }
	[[ $out == *"sha256=$(sum "$ROOT/r1m") "*"blksize=1468,tsize=1000000"* ]] || { echo "$out"; return 1; }
}
ktap_test "IPv4 still served alongside (blksize 1468 there)" dual_stack

limits() {
	local rc=0 out
	printf 'dev vs\n' | pxs setconf - || return 1
	conf max-per-client 1 idle-timeout-ms 20000 timeout-ms 5000 retries 2 >/dev/null || return 1
	inc $PROBE $SRV r300k --stop-after 1 >/dev/null
	out=$(inc $PROBE $SRV r300k)
	[[ $out == "error code=0 msg=too many transfers from this client" ]] ||
		{ echo "$out (want too many transfers from this client)"; rc=1; }
	# The client's link-local address is another client.
	out=$(inc $PROBE "$SRV_LL%vc" r300k)
	[[ $out == *"sha256=$(sum "$ROOT/r300k") "* ]] || { echo "link-local: $out"; rc=1; }
	printf 'dev vs\n' | pxs setconf - && conf max-sessions 1 >/dev/null || return 1
	inc $PROBE $SRV r300k --stop-after 1 >/dev/null
	out=$(inc $PROBE "$SRV_LL%vc" r300k)
	[[ $out == "error code=0 msg=server busy" ]] || { echo "$out (want server busy)"; rc=1; }
	tftp_restart
	return $rc
}
ktap_test "max-per-client and max-sessions hold for IPv6 clients" limits

ktap_test "a stranger's ACK gets ERROR 5, unknown transfer ID" unknown_tid

# A read request over a raw socket, its UDP checksum set by hand: right,
# it is answered; zero (which IPv6 forbids, RFC 8200 8.1) or wrong, not.
# veth takes unchecked packets as verified (CHECKSUM_UNNECESSARY) unless
# its receive offload is off, so the server's is turned off here.
raw_checksums() {
	local how out rc=0 port=3100
	ip netns exec "$S" ethtool -K vs rx off >/dev/null || return 1
	for how in good zero bad; do
		port=$((port + 1))	# none hears the last one's retransmissions
		out=$(inc $PROBE $SRV one --case checksum --how $how --client $CLI \
			--sport $port --within 2) || rc=1
		echo "$out"
	done
	ip netns exec "$S" ethtool -K vs rx on >/dev/null
	return $rc
}
ktap_test "UDP checksum: right answered, zero and wrong dropped" raw_checksums

ports_released() {
	local during after
	conf timeout-ms 1000 retries 2 >/dev/null || return 1
	inc $PROBE $SRV r300k --stop-after 1 >/dev/null
	during=$(ip netns exec "$S" ss -6 -Huan 'sport >= :49152' | wc -l)
	((during >= 1)) || { echo "no IPv6 server port reserved during a transfer"; return 1; }
	for _ in $(seq 100); do
		after=$(ip netns exec "$S" ss -Huan 'sport >= :49152' | wc -l)
		((after == 0)) && { conf >/dev/null; return 0; }
		sleep 0.2
	done
	echo "$after server ports still bound after the transfer ended"
	ip netns exec "$S" ss -Huan
	return 1
}
ktap_test "an IPv6 transfer's server port is reserved while it runs, released after" ports_released

off_leaves_port() {
	local out
	printf 'dev vs\n' | pxs setconf - || return 1
	out=$(inc $PROBE $SRV one --wait 0.5 --retries 1)
	conf >/dev/null
	[[ $out == timeout ]] || { echo "TFTP off, yet: $out"; return 1; }
}
ktap_test "TFTP off: UDP 69 over IPv6 is left to the host" off_leaves_port

unserved() {
	local out
	printf 'tftp on root %s\n' "$ROOT" | pxs setconf - || return 1
	out=$(inc $PROBE $SRV one --wait 0.5 --retries 1)
	conf >/dev/null
	[[ $out == timeout ]] || { echo "vs not served, yet: $out"; return 1; }
}
ktap_test "a request on an interface that is not served is not answered" unserved

ktap_test "module unloaded mid-transfer over IPv6" unload_mid

ktap_test "no kernel splat in dmesg" dmesg_clean_since "$mark"
ktap_finished
