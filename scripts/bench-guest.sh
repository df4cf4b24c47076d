#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Inside a guest of scripts/vm.sh (pxefast.ko loaded): benchmark pxefast and
# the userspace peers (tftpd-hpa, dnsmasq, atftpd) over a veth pair, server
# in one network namespace, load generator (bench/tftp_load, bench/dhcp_load)
# in another.  Every scenario runs BENCH_RUNS rounds; in each round every
# server is started, measured once and stopped, in turn (A B C D A B C D...),
# so that noise from the host hits all of them alike.
#
# Prints one "BENCH scenario=... server=... run=... key=value..." line per
# measurement (scripts/bench.sh aggregates them) and "# " progress lines.
#
# Environment (defaults in brackets):
#   BENCH_BIN        directory holding tftp_load, dhcp_load, pxectl [required]
#   BENCH_RUNS       rounds per scenario [5]
#   BENCH_SCENARIOS  scenarios to run, in order
#                    [single-ls1432 single-w4 single-w64 storm16 storm64 notfound dhcp idle]
#                    (storm256 also exists)
#   BENCH_SERVERS    [pxefast tftpd-hpa dnsmasq atftpd]
#   BENCH_BIG_MB     single-transfer file size, MiB [64]
#   BENCH_STORM_MB   boot-storm file size, MiB [32]
#   BENCH_STORM_OPTS tftp_load options of each boot-storm client [-b 1468 -w 4 -t]
#   BENCH_SECS       duration of the not-found and DHCP storms, s [5]
#   BENCH_IDLE       sessions held idle for the memory figure [1000]
#   BENCH_IDLE_RUNS  rounds of the idle scenario [BENCH_RUNS]
#   BENCH_MEASURE_LIMIT  seconds before a load generator is killed [1200]
set -uo pipefail

BIN=${BENCH_BIN:?BENCH_BIN not set}
RUNS=${BENCH_RUNS:-5}
SCENARIOS=${BENCH_SCENARIOS:-single-ls1432 single-w4 single-w64 storm16 storm64 notfound dhcp idle}
SERVERS=${BENCH_SERVERS:-pxefast tftpd-hpa dnsmasq atftpd}
BIG_MB=${BENCH_BIG_MB:-64}
STORM_MB=${BENCH_STORM_MB:-32}
read -r -a STORM_OPTS <<<"${BENCH_STORM_OPTS:--b 1468 -w 4 -t}"
SECS=${BENCH_SECS:-5}
IDLE_N=${BENCH_IDLE:-1000}

ATFTPD=/var/lib/pxefast/peers/usr/sbin/atftpd
PXECTL=$BIN/pxectl
SRV=10.99.0.1
CLI=10.99.0.2
S=pxb-srv-$$
C=pxb-cli-$$
ROOT=/tmp/bench-root
PEER_PID=

log() { echo "# $*"; }

cleanup() {
	stop_server >/dev/null 2>&1
	ip netns del "$S" 2>/dev/null
	ip netns del "$C" 2>/dev/null
}
trap cleanup EXIT

# ------------------------------------------------------------------ setup
[[ -d /sys/module/pxefast ]] || { echo "pxefast.ko is not loaded"; exit 1; }
ip netns add "$S" && ip netns add "$C" || exit 1
ip -n "$S" link set lo up
ip -n "$C" link set lo up
ip link add vs netns "$S" type veth peer name vc netns "$C" || exit 1
ip -n "$S" addr add $SRV/24 dev vs
ip -n "$C" addr add $CLI/24 dev vc
ip -n "$S" link set vs up
ip -n "$C" link set vc up
# Let each server see the whole burst of a window or a storm.
sysctl -qw net.core.rmem_max=8388608 net.core.wmem_max=8388608 \
	net.core.netdev_max_backlog=10000

mkdir -p $ROOT
head -c $((BIG_MB << 20)) /dev/urandom > $ROOT/big
head -c $((STORM_MB << 20)) /dev/urandom > $ROOT/storm
head -c 1024 /dev/urandom > $ROOT/probe
printf 'x' > $ROOT/pxelinux.0
chmod -R a+rX $ROOT
chmod 755 /tmp

ins() { ip netns exec "$S" "$@"; }
inc() { ip netns exec "$C" "$@"; }

log "kernel $(uname -r), $(nproc) CPU(s), $(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo)"
log "tftpd-hpa: $(/usr/sbin/in.tftpd -V 2>&1 | head -n1)"
log "dnsmasq: $(dnsmasq -v 2>&1 | head -n1)"
log "atftpd: $($ATFTPD --version 2>&1 | head -n1)"
opts_=$(IFS=_; echo "${STORM_OPTS[*]}")
echo "BENCHINFO kernel=$(uname -r) cpus=$(nproc) big_mb=$BIG_MB storm_mb=$STORM_MB runs=$RUNS secs=$SECS idle_sessions=$IDLE_N storm_opts=$opts_"

# ------------------------------------------------------------------ servers
pxf_conf() { "$PXECTL" -n "$S" setconf - ; }

port_free() { ! ins ss -Huln "sport = :$1" | grep -q .; }

wait_port_free() {
	local i
	for ((i = 0; i < 100; i++)); do
		port_free "$1" && return 0
		sleep 0.05
	done
	log "port $1 still in use"
	return 1
}

# tftp_ready: the server answers a small RRQ.
tftp_ready() {
	local i
	for ((i = 0; i < 50; i++)); do
		inc "$BIN/tftp_load" -s $SRV -f probe -l $ROOT/probe -T 200 -r 1 >/dev/null 2>&1 &&
			return 0
		sleep 0.1
	done
	log "TFTP server not answering"
	return 1
}

# start_server NAME KIND: KIND is tftp, dhcp or idle (long timeouts).
start_server() {
	local name=$1 kind=$2
	PEER_PID=
	case $name in
	pxefast)
		if [[ $kind == dhcp ]]; then
			printf 'dev vs\nmap arch 0 file pxelinux.0\n' | pxf_conf || return 1
			return 0
		fi
		local extra=
		[[ $kind == idle ]] && extra="timeout-ms 20000 retries 5 idle-timeout-ms 600000"
		printf 'dev vs\ntftp on root %s max-window 64 max-sessions 4096 max-per-client 4096 %s\n' \
			$ROOT "$extra" | pxf_conf || return 1
		;;
	tftpd-hpa)
		wait_port_free 69 || return 1
		# -T: retransmission timeout in microseconds
		local t=()
		[[ $kind == idle ]] && t=(-T 20000000)
		setsid ip netns exec "$S" /usr/sbin/in.tftpd -L -s $ROOT -a $SRV:69 "${t[@]}" &
		PEER_PID=$!
		;;
	dnsmasq)
		if [[ $kind == dhcp ]]; then
			wait_port_free 67 || return 1
			setsid ip netns exec "$S" dnsmasq --conf-file=/dev/null --no-daemon --port=0 --pid-file= \
				--user=root --interface=vs --bind-interfaces --quiet-dhcp \
				--log-facility=/dev/null --dhcp-range=$SRV,proxy \
				--pxe-service=x86PC,"pxefast bench",pxelinux 2>>/tmp/bench-peer.log &
			PEER_PID=$!
			sleep 0.5
			return 0
		fi
		wait_port_free 69 || return 1
		setsid ip netns exec "$S" dnsmasq --conf-file=/dev/null --no-daemon --port=0 --pid-file= \
			--user=root --interface=vs --bind-interfaces --enable-tftp \
			--tftp-root=$ROOT --tftp-max=4096 --quiet-tftp \
			--log-facility=/dev/null 2>>/tmp/bench-peer.log &
		PEER_PID=$!
		;;
	atftpd)
		wait_port_free 69 || return 1
		local t=()
		[[ $kind == idle ]] && t=(--retry-timeout 20)
		setsid ip netns exec "$S" $ATFTPD --daemon --no-fork --port 69 --bind-address $SRV \
			--maxthread 4096 --user root.root --logfile /dev/null "${t[@]}" $ROOT &
		PEER_PID=$!
		;;
	*) log "unknown server $name"; return 1 ;;
	esac
	[[ $kind == dhcp ]] && return 0
	tftp_ready
}

stop_server() {
	# Peers run in their own process group (setsid): tftpd-hpa's children
	# for transfers and probes go with their parent.
	if [[ -n $PEER_PID ]]; then
		kill -TERM -- -"$PEER_PID" 2>/dev/null
		local i
		for ((i = 0; i < 40; i++)); do
			kill -0 -- -"$PEER_PID" 2>/dev/null || break
			sleep 0.05
		done
		kill -KILL -- -"$PEER_PID" 2>/dev/null
		wait "$PEER_PID" 2>/dev/null
		PEER_PID=
	fi
	# No TFTP, no DHCP: UDP 67 and 69 reach userspace again.
	: | pxf_conf 2>/dev/null
	return 0
}

# Busy CPU time of the whole guest so far, in seconds.
cpu_busy() {
	awk -v hz="$(getconf CLK_TCK)" '/^cpu / {print ($2+$3+$4+$7+$8+$9) / hz; exit}' /proc/stat
}

# ------------------------------------------------------------------ measure
# measure SCENARIO SERVER RUN CMD...: run the load generator in the client
# netns, print its RESULT as a BENCH line with the guest's busy CPU time.
measure() {
	local sc=$1 srv=$2 run=$3 c0 c1 out rc
	shift 3
	c0=$(cpu_busy)
	out=$(inc timeout -k 5 "${BENCH_MEASURE_LIMIT:-1200}" "$@" 2>/tmp/bench-err)
	rc=$?
	c1=$(cpu_busy)
	if [[ $out != *RESULT* ]]; then
		log "$sc $srv run $run: no result (status $rc): $(tail -n 3 /tmp/bench-err | tr '\n' ' ')"
		echo "BENCH scenario=$sc server=$srv run=$run status=$rc error=1"
		return 1
	fi
	out=$(grep '^RESULT' <<<"$out" | head -n1)
	echo "BENCH scenario=$sc server=$srv run=$run status=$rc cpu_busy_s=$(awk -v a="$c0" -v b="$c1" 'BEGIN {printf "%.2f", b - a}') ${out#RESULT }"
	[[ -s /tmp/bench-err ]] && log "$sc $srv run $run stderr: $(sort /tmp/bench-err | uniq -c | head -n 3 | tr '\n' ' ')"
	return 0
}

tftp_cmd() {
	case $1 in
	single-ls1432) echo "-f big -l $ROOT/big -b 1432 -t" ;;
	single-w4) echo "-f big -l $ROOT/big -b 1468 -w 4 -t" ;;
	single-w64) echo "-f big -l $ROOT/big -b 1468 -w 64 -t" ;;
	storm*) echo "-f storm -l $ROOT/storm -c ${1#storm} ${STORM_OPTS[*]}" ;;
	esac
}

mem_used_kb() {
	awk '/^MemTotal/ {t=$2} /^MemFree/ {f=$2} /^Buffers/ {b=$2} /^Cached/ {c=$2}
	     /^Slab/ {s=$2} END {print t-f-b-c, s}' /proc/meminfo
}

# idle SERVER RUN: memory per session left idle after its OACK.
measure_idle() {
	local srv=$1 run=$2 m0 s0 m1 s1 out fifo line open=0 pid
	sync
	echo 3 > /proc/sys/vm/drop_caches 2>/dev/null
	sleep 0.5
	read -r m0 s0 < <(mem_used_kb)
	fifo=$(mktemp -u /tmp/bench-idle.XXXXXX)
	mkfifo "$fifo"
	inc "$BIN/tftp_load" -s $SRV -f big -I 8 -c "$IDLE_N" -b 1468 -w 64 -t -T 3000 >"$fifo" 2>/dev/null &
	pid=$!
	while read -r line; do
		if [[ $line == IDLE* ]]; then
			open=$(sed 's/.*open=\([0-9]*\).*/\1/' <<<"$line")
			sleep 1
			read -r m1 s1 < <(mem_used_kb)
		fi
	done <"$fifo"
	wait $pid
	rm -f "$fifo"
	if ((open > 0)); then
		echo "BENCH scenario=idle server=$srv run=$run sessions=$IDLE_N open=$open" \
			"slab_b_per_session=$(((s1 - s0) * 1024 / open))" \
			"mem_b_per_session=$(((m1 - m0) * 1024 / open))"
	else
		echo "BENCH scenario=idle server=$srv run=$run sessions=$IDLE_N open=0 error=1"
	fi
}

# ------------------------------------------------------------------ run
t_all=$SECONDS
for sc in $SCENARIOS; do
	servers=$SERVERS
	kind=tftp
	case $sc in
	dhcp) kind=dhcp; servers=""
	      for s in $SERVERS; do [[ $s == pxefast || $s == dnsmasq ]] && servers+=" $s"; done ;;
	idle) kind=idle ;;
	esac
	t_sc=$SECONDS
	runs=$RUNS
	[[ $sc == idle ]] && runs=${BENCH_IDLE_RUNS:-$RUNS}
	log "scenario $sc, servers: ${servers# }, $runs runs"
	for ((run = 1; run <= runs; run++)); do
		for srv in $servers; do
			if ! start_server "$srv" $kind; then
				echo "BENCH scenario=$sc server=$srv run=$run error=1 start=failed"
				stop_server
				continue
			fi
			case $sc in
			single-*|storm*)
				# shellcheck disable=SC2046
				measure "$sc" "$srv" $run "$BIN/tftp_load" -s $SRV -L 900 $(tftp_cmd "$sc") ;;
			notfound)
				measure "$sc" "$srv" $run "$BIN/tftp_load" -s $SRV -E "$SECS" -c 16 ;;
			dhcp)
				measure "$sc" "$srv" $run "$BIN/dhcp_load" -i vc -T "$SECS" -o 64 ;;
			idle)
				measure_idle "$srv" $run ;;
			esac
			stop_server
		done
	done
	log "scenario $sc took $((SECONDS - t_sc))s"
done
"$PXECTL" -n "$S" stats 2>/dev/null | head -n 40 | sed 's/^/# pxectl stats: /'
log "all scenarios took $((SECONDS - t_all))s"
exit 0
