#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers shared by the TFTP selftests (tftp.sh over IPv4, tftp6.sh over
# IPv6): the server namespace $S serving $ROOT on vs, the client namespace
# $C, the server's address $SRV (either version), tftp_probe.py as $PROBE.
# Source it after lib.sh; don't run it.

sum() { sha256sum "$1" | awk '{print $1}'; }
inc() { ip netns exec "$C" "$@"; }

conf() {
	printf 'dev vs\ntftp on root %s %s\n' "$ROOT" "$*" | pxs setconf -
}

# probe_ok FILE [PROBE OPTIONS]: tftp_probe gets FILE intact.  The file
# compared is FILE with backslashes as slashes, relative to the root.
probe_ok() {
	local f=$1 out want
	shift
	want=${f//\\//}
	want=$ROOT/${want#/}
	out=$(inc $PROBE $SRV "$f" "$@") || { echo "$out"; return 1; }
	[[ $out == *"sha256=$(sum "$want") "* ]] || {
		echo "got: $out"; echo "want sha256 $(sum "$want")"; return 1; }
}

# wait_stat NAME VALUE: until counter NAME reads VALUE (30 s at most).
wait_stat() {
	local v
	for _ in $(seq 300); do
		v=$(stat_of "$1")
		[[ $v == "$2" ]] && return 0
		sleep 0.1
	done
	echo "$1 is $v, want $2"
	return 1
}

# refused FILE CODE [PROBE OPTIONS]: the server answers ERROR CODE.
refused() {
	local f=$1 code=$2 out
	shift 2
	out=$(inc $PROBE $SRV "$f" "$@")
	[[ $out == "error code=$code "* ]] || { echo "$f: $out (want error $code)"; return 1; }
}

# dup_acks: r300k with every ACK sent four times: no block is sent twice
# (no Sorcerer's Apprentice).
dup_acks() {
	local before after
	before=$(stat_of tftp-data-tx)
	probe_ok r300k --dup-acks 3 || return 1
	after=$(stat_of tftp-data-tx)
	# 586 blocks: each sent once, whatever the duplicate ACKs say.
	(( after - before == 586 )) || { echo "sent $((after - before)) DATA for 586 blocks"; return 1; }
}

# wait_session FILE: until a transfer of FILE is under way (10 s at most).
wait_session() {
	for _ in $(seq 100); do
		pxs sessions | grep -q "$1" && return 0
		sleep 0.1
	done
	echo "no transfer of $1 started"
	return 1
}
