#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers and tests shared by the TFTP selftests (tftp.sh over IPv4,
# tftp6.sh over IPv6): the server namespace $S serving $ROOT on vs, the
# client namespace $C, the server's address $SRV (either version) and
# $SRV_URL (as a URL names it), the largest blksize at MTU 1500 as $BLK,
# tftp_probe.py as $PROBE.  Source it after lib.sh; don't run it.

# tftp_fixture TAG: $ROOT, the files both tests serve (0 B, 1 B, 8 blocks
# of 512, 7 of $BLK, 300 kB to 40 MiB, a subdirectory, a directory, a
# private file, symlinks out of the root), and $OUT for what clients
# fetch; both removed at cleanup.  Files a test adds later are readable
# by all (umask 022).
tftp_fixture() {
	ROOT=$(mktemp -d "/tmp/pxf-$1.XXXXXX")
	on_cleanup "rm -rf $ROOT"
	OUT=$(mktemp -d "/tmp/pxf-out-$1.XXXXXX")
	on_cleanup "rm -rf $OUT"

	mkdir -p "$ROOT/sub" "$ROOT/dir"
	: > "$ROOT/empty"
	printf x > "$ROOT/one"
	head -c $((512 * 8)) /dev/urandom > "$ROOT/exact512"
	head -c $((BLK * 7)) /dev/urandom > "$ROOT/exact$BLK"
	head -c 3000000 /dev/urandom > "$ROOT/r3m"
	head -c 1000000 /dev/urandom > "$ROOT/r1m"
	head -c 300000 /dev/urandom > "$ROOT/r300k"
	head -c $((40 * 1024 * 1024)) /dev/urandom > "$ROOT/big40"
	printf 'in a sub directory\n' > "$ROOT/sub/file"
	printf 'secret\n' > "$ROOT/private"
	ln -s /etc/passwd "$ROOT/abs-link"
	ln -s ../../../../../../etc/passwd "$ROOT/rel-link"
	chmod -R a+rX "$ROOT"
	chmod 600 "$ROOT/private"
}

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

# case_ok NAME [ARGS]: a tftp_probe.py scenario from the client namespace;
# with WANT_SUM set, it must end with a file of that sha256.
case_ok() {
	local out
	out=$(inc $PROBE $SRV "$@") || { echo "$out"; return 1; }
	echo "$out" | grep '^#'
	[[ -z ${WANT_SUM-} || $out == *"sha256=$WANT_SUM"* ]] ||
		{ echo "$out"; echo "want sha256 $WANT_SUM"; return 1; }
}

# same_port CASE SPORT FILE [ARGS]: a scenario on r300k from one client
# port that must end with FILE fetched intact.  The server's
# retransmission timeout (4 s) is longer than the deadline (3 s): an
# answer that waits for a retransmission, or for the old transfer to time
# out, misses it.
same_port() {
	local c=$1 port=$2 want=$3 rc
	shift 3
	conf timeout-ms 4000 >/dev/null || return 1
	WANT_SUM=$(sum "$ROOT/$want") case_ok r300k --case "$c" --sport "$port" --within 3 "$@"
	rc=$?
	conf >/dev/null
	return $rc
}

# A stranger's ACK to a transfer's port gets ERROR 5; the transfer itself
# goes on and completes.
unknown_tid() { WANT_SUM=$(sum "$ROOT/r300k") case_ok r300k --case stranger; }

# EDK2 asks for the size first (tsize), aborts with ERROR 8 after the
# OACK, then asks for the file.
edk2() {
	local out
	out=$(inc $PROBE $SRV r1m --blksize $BLK --windowsize 4 --tsize --abort-after-oack) || return 1
	[[ $out == *"tsize=1000000"* ]] || { echo "$out"; return 1; }
	probe_ok r1m --blksize $BLK --windowsize 4
}

# The real clients, each fetching r3m (atftp: FILE, windowsize WINDOW).
curl_get() {
	inc timeout 120 curl -sS "$@" -o "$OUT/curl" "tftp://$SRV_URL/r3m" &&
		cmp "$OUT/curl" "$ROOT/r3m"
}
bb_get() {
	rm -f "$OUT/bb"
	inc timeout 120 busybox tftp -g -b $BLK -r r3m -l "$OUT/bb" $SRV &&
		cmp "$OUT/bb" "$ROOT/r3m"
}
atftp_get() {
	rm -f "$OUT/at"
	inc timeout "$(scaled 300)" atftp --option "blksize $BLK" --option "windowsize $2" \
		-g -r "$1" -l "$OUT/at" $SRV >/dev/null &&
		cmp "$OUT/at" "$ROOT/$1"
}
# hpa_get [TFTP OPTIONS]
hpa_get() {
	rm -f "$OUT/hpa"
	(cd "$OUT" && inc timeout 120 tftp "$@" -m binary $SRV -c get r3m hpa) &&
		cmp "$OUT/hpa" "$ROOT/r3m"
}

# 40 MiB at blksize 512: 81920 blocks, the block number rolls over.
rollover() {
	inc timeout 600 curl -sS -o "$OUT/big" "tftp://$SRV_URL/big40" &&
		cmp "$OUT/big" "$ROOT/big40"
	local rc=$?
	rm -f "$OUT/big"
	return $rc
}

# netem SPEC CMD...: CMD with netem SPEC on the server's vs.
netem() {
	local spec=$1 rc=0
	shift
	ip netns exec "$S" tc qdisc replace dev vs root netem $spec || return 1
	"$@" || rc=$?
	ip netns exec "$S" tc qdisc del dev vs root
	return $rc
}

# netem_usable: whether sch_netem can be used on vs.
netem_usable() {
	ip netns exec "$S" tc qdisc replace dev vs root netem loss 1% 2>/dev/null &&
		ip netns exec "$S" tc qdisc del dev vs root
}

# unload_mid: the module unloaded under a slow transfer, then loaded again.
slow_get() { inc $PROBE $SRV "$1" --ack-delay 0.002 --wait 5 > "$OUT/slow"; }
unload_mid() {
	slow_get r1m & local pid=$!
	wait_session r1m || { wait $pid; return 1; }
	mod_unload || return 1
	wait $pid
	mod_load
}
