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
#   BENCH_SCENARIOS  scenarios to run, in order [single-ls1432 single-w4
#                    single-w64 ceiling storm16 storm64 storm256 notfound dhcp
#                    idle1000 idle10000]; stormN and idleN take any N
#   BENCH_SERVERS    [pxefast tftpd-hpa dnsmasq atftpd]
#   BENCH_BIG_MB     single-transfer file size, MiB [64]
#   BENCH_STORM_MB   boot-storm file size, MiB [2; 32 makes storm256 alone
#                    several hours: the peers serve a few MB/s under TCG]
#   BENCH_STORM_OPTS tftp_load options of each boot-storm client [-b 1468 -w 4 -t]
#   BENCH_SECS       duration of the not-found and DHCP storms, s [5]
#   BENCH_DHCP_SECS  duration of each DHCP measurement, s [BENCH_SECS]
#   BENCH_DHCP_PATHS pxefast's receive paths in the dhcp scenario, each
#                    measured against dnsmasq in the same rounds
#                    [xdp-native xdp-generic netfilter]; the XDP ones need
#                    module BTF and xdp_pass.bpf.o in BENCH_BIN (else they
#                    are left out, with a note)
#   BENCH_IDLE_RUNS  rounds of the idle scenarios [3 below 10,000 sessions, 1
#                    from 10,000: memory figures barely vary, and 10,000
#                    tftpd-hpa processes take minutes to start under TCG]
#   BENCH_STORM256_RUNS  rounds of storm256 [3]
#   BENCH_MEASURE_LIMIT  seconds before a load generator is killed [1200]
#
# With two or more CPUs the server and the client get one each: peers are
# pinned to CPU 1, the load generator to CPU 0, and RPS steers what arrives
# on the server's veth to CPU 1 and what arrives on the client's to CPU 0,
# so pxefast's softirq work runs on CPU 1 too.  The server's CPU time is
# then CPU 1's busy time in /proc/stat, whoever does the work (tftp_load -S
# and dhcp_load -S read it around the measurement).
#
# The dhcp scenario measures pxefast's receive paths side by side: the
# netfilter hook (server "pxefast"), XDP in generic mode
# ("pxefast-xdp-generic") and in native veth mode ("pxefast-xdp-native"),
# and dnsmasq.  For the whole scenario the client's veth has an XDP_PASS
# program (veth delivers native XDP_TX frames only to a peer with one), so
# the client's receive path is the same for all four; NAPI runs in threads
# pinned to each side's CPU (veth's NAPI otherwise runs on the sending CPU,
# so the server's XDP work would land on the client's CPU).
set -uo pipefail

BIN=${BENCH_BIN:?BENCH_BIN not set}
RUNS=${BENCH_RUNS:-5}
SCENARIOS=${BENCH_SCENARIOS:-single-ls1432 single-w4 single-w64 ceiling storm16 storm64 storm256 notfound dhcp idle1000 idle10000}
SERVERS=${BENCH_SERVERS:-pxefast tftpd-hpa dnsmasq atftpd}
BIG_MB=${BENCH_BIG_MB:-64}
STORM_MB=${BENCH_STORM_MB:-2}
read -r -a STORM_OPTS <<<"${BENCH_STORM_OPTS:--b 1468 -w 4 -t}"
SECS=${BENCH_SECS:-5}
DHCP_SECS=${BENCH_DHCP_SECS:-$SECS}
DHCP_PATHS=${BENCH_DHCP_PATHS:-xdp-native xdp-generic netfilter}

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
# 10,000 idle sessions: as many sockets in the client and in some peers.
ulimit -n 65536

SRV_CPU=0
SRV_CPU_OPT=()
BASE_SLAB=0
BASE_MEM=0
CLI_CPU=0
if (($(nproc) >= 2)); then
	SRV_CPU=1
	SRV_CPU_OPT=(-S 1)
	# veth has a queue per possible CPU and a flow lands on any of them:
	# steer them all
	ip netns exec "$S" sh -c 'for q in /sys/class/net/vs/queues/rx-*; do echo 2 > $q/rps_cpus; done' &&
	ip netns exec "$C" sh -c 'for q in /sys/class/net/vc/queues/rx-*; do echo 1 > $q/rps_cpus; done' || exit 1
	# pxefast's work items (file opens, uncached reads) run on an unbound
	# workqueue, on either CPU: they are a small part of a transfer's
	# cost, and the global unbound cpumask would confine every other
	# kernel user too.
fi

mkdir -p $ROOT
head -c $((BIG_MB << 20)) /dev/urandom > $ROOT/big
head -c $((STORM_MB << 20)) /dev/urandom > $ROOT/storm
head -c 1024 /dev/urandom > $ROOT/probe
printf 'x' > $ROOT/pxelinux.0
chmod -R a+rX $ROOT
chmod 755 /tmp

ins() { ip netns exec "$S" "$@"; }
inc() { ip netns exec "$C" taskset -c $CLI_CPU "$@"; }
# how a peer server starts: in its own process group (stop_server kills it
# whole; $! must be the group leader, hence no function), on the server CPU
PEER=(setsid ip netns exec "$S" taskset -c "$SRV_CPU")

log "kernel $(uname -r), $(nproc) CPU(s), $(awk '/MemTotal/ {print $2 " kB"}' /proc/meminfo)"
log "tftpd-hpa: $(/usr/sbin/in.tftpd -V 2>&1 | head -n1)"
log "dnsmasq: $(dnsmasq -v 2>&1 | head -n1)"
log "atftpd: $($ATFTPD --version 2>&1 | head -n1)"
opts_=$(IFS=_; echo "${STORM_OPTS[*]}")
echo "BENCHINFO kernel=$(uname -r) cpus=$(nproc) split=$((SRV_CPU != CLI_CPU)) big_mb=$BIG_MB storm_mb=$STORM_MB runs=$RUNS secs=$SECS dhcp_secs=$DHCP_SECS storm_opts=$opts_"

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
	pxefast-xdp-*)
		printf 'dev vs xdp %s\nmap arch 0 file pxelinux.0\n' "${name#pxefast-xdp-}" |
			pxf_conf || return 1
		[[ $name == *native ]] || return 0
		# A NAPI instance per queue now exists: in threads, on the
		# server's CPU (the kthreads come and go with the program)
		ins sh -c 'echo 1 > /sys/class/net/vs/threaded' &&
			napi_pin vs "$SRV_CPU"
		return ;;
	pxefast)
		if [[ $kind == dhcp ]]; then
			printf 'dev vs\nmap arch 0 file pxelinux.0\n' | pxf_conf || return 1
			return 0
		fi
		local extra=
		[[ $kind == idle ]] && extra="timeout-ms 20000 retries 5 idle-timeout-ms 600000"
		printf 'dev vs\ntftp on root %s max-window 64 max-sessions 16384 max-per-client 16384 %s\n' \
			$ROOT "$extra" | pxf_conf || return 1
		;;
	tftpd-hpa)
		wait_port_free 69 || return 1
		# -T: retransmission timeout in microseconds
		local t=()
		[[ $kind == idle ]] && t=(-T 20000000)
		"${PEER[@]}" /usr/sbin/in.tftpd -L -s $ROOT -a $SRV:69 "${t[@]}" &
		PEER_PID=$!
		;;
	dnsmasq)
		if [[ $kind == dhcp ]]; then
			wait_port_free 67 || return 1
			"${PEER[@]}" dnsmasq --conf-file=/dev/null --no-daemon --port=0 --pid-file= \
				--user=root --interface=vs --bind-interfaces --quiet-dhcp \
				--log-facility=/dev/null --dhcp-range=$SRV,proxy \
				--pxe-service=x86PC,"pxefast bench",pxelinux 2>>/tmp/bench-peer.log &
			PEER_PID=$!
			sleep 0.5
			return 0
		fi
		wait_port_free 69 || return 1
		"${PEER[@]}" dnsmasq --conf-file=/dev/null --no-daemon --port=0 --pid-file= \
			--user=root --interface=vs --bind-interfaces --enable-tftp \
			--tftp-root=$ROOT --tftp-max=16384 --quiet-tftp \
			--log-facility=/dev/null 2>>/tmp/bench-peer.log &
		PEER_PID=$!
		;;
	atftpd)
		wait_port_free 69 || return 1
		local t=()
		[[ $kind == idle ]] && t=(--retry-timeout 20)
		"${PEER[@]}" $ATFTPD --daemon --no-fork --port 69 --bind-address $SRV \
			--maxthread 16384 --user root.root --logfile /dev/null "${t[@]}" $ROOT &
		PEER_PID=$!
		;;
	*) log "unknown server $name"; return 1 ;;
	esac
	[[ $kind == dhcp ]] && return 0
	tftp_ready
}

# napi_pin DEV CPU: DEV's NAPI threads (veth: one per queue) onto CPU.
napi_pin() {
	local p n=0
	for p in $(pgrep -x "napi/$1-[0-9]*"); do
		taskset -pc "$2" "$p" >/dev/null || return 1
		n=$((n + 1))
	done
	((n)) || { log "no NAPI thread of $1"; return 1; }
}

# dhcp_paths_up / dhcp_paths_down: the client side of the dhcp scenario
# (XDP_PASS on vc, its NAPI threaded on the client's CPU) and which of
# pxefast's paths can be measured.
DHCP_SERVERS=
dhcp_paths_up() {
	local p xdp=1
	if [[ ! -e /sys/kernel/btf/pxefast ]]; then
		log "dhcp: pxefast.ko has no module BTF: no XDP paths"
		xdp=0
	elif [[ ! -f $BIN/xdp_pass.bpf.o ]]; then
		log "dhcp: no $BIN/xdp_pass.bpf.o: no XDP paths"
		xdp=0
	elif ! ip -n "$C" link set dev vc xdpdrv obj "$BIN/xdp_pass.bpf.o" sec xdp ||
	     ! inc sh -c 'echo 1 > /sys/class/net/vc/threaded' || ! napi_pin vc "$CLI_CPU"; then
		log "dhcp: cannot set up the client's XDP_PASS program: no XDP paths"
		ip -n "$C" link set dev vc xdpdrv off 2>/dev/null
		xdp=0
	fi
	DHCP_SERVERS=
	for p in $DHCP_PATHS; do
		case $p in
		xdp-*) ((xdp)) && DHCP_SERVERS+=" pxefast-$p" ;;
		netfilter) DHCP_SERVERS+=" pxefast" ;;
		*) log "dhcp: unknown path $p" ;;
		esac
	done
}
dhcp_paths_down() {
	ip -n "$C" link set dev vc xdpdrv off 2>/dev/null
	return 0
}

# stat_of NAME: one of pxectl's counters in the server's namespace.
stat_of() { "$PXECTL" -n "$S" stats | awk -v k="$1" '$1 == k {v = $2} END {print v + 0}'; }

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
		# tftpd-hpa's children outlive their parent until init reaps
		# them; 10,000 of them take a while to free their memory, which
		# the next idle measurement must not see going away
		for ((i = 0; i < 600; i++)); do
			pgrep -x 'in.tftpd|atftpd|dnsmasq' >/dev/null || break
			sleep 0.1
		done
	fi
	# No TFTP, no DHCP: UDP 67 and 69 reach userspace again.
	: | pxf_conf 2>/dev/null
	return 0
}

# ------------------------------------------------------------------ measure
# measure SCENARIO SERVER RUN CMD...: run the load generator in the client
# netns, print its RESULT as a BENCH line with the guest's busy CPU time.
measure() {
	local sc=$1 srv=$2 run=$3 out rc cpu
	shift 3
	out=$(inc timeout -k 5 "${BENCH_MEASURE_LIMIT:-1200}" "$@" 2>/tmp/bench-err)
	rc=$?
	cpu=$(grep '^CPU ' <<<"$out" | head -n1)
	if [[ $out != *RESULT* ]]; then
		log "$sc $srv run $run: no result (status $rc): $(tail -n 3 /tmp/bench-err | tr '\n' ' ')"
		echo "BENCH scenario=$sc server=$srv run=$run status=$rc error=1"
		return 1
	fi
	out=$(grep '^RESULT' <<<"$out" | head -n1)
	echo "BENCH scenario=$sc server=$srv run=$run status=$rc ${out#RESULT } ${cpu#CPU }"
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
	     END {print t-f-b-c}' /proc/meminfo
}

# Bytes of allocated slab objects, cache by cache: active objects times
# object size.  Not /proc/meminfo's Slab: that counts slab pages, which
# stay allocated (and get reused) after their objects are freed, so it
# says as much about the previous measurement as about this one.
slab_snapshot() {
	awk 'NR > 2 {printf "%s %d\n", $1, $2 * $4}' /proc/slabinfo
}

slab_total_kb() {
	awk '{t += $2} END {printf "%d\n", t / 1024}' "$1"
}

# The caches that grew most between two slab_snapshot files, per session.
slab_growth() {
	awk -v n="$3" 'NR == FNR {b[$1] = $2; next}
		{d = $2 - b[$1]; if (d > 0) printf "%s:%d\n", $1, d / n}' "$1" "$2" |
		sort -t: -k2 -nr | head -n 8 | tr '\n' ' '
}

# measure_idle SCENARIO SERVER RUN N: kernel memory per session left idle
# after its OACK.  SERVER "baseline" holds N bare client sockets: what the
# client alone costs, subtracted from every server's figure of that round.
measure_idle() {
	local sc=$1 srv=$2 run=$3 n=$4 m0 s0 m1 s1 fifo line open=0 pid ds dm
	local extra=()
	[[ $srv == baseline ]] && extra=(-B)
	sync
	echo 3 > /proc/sys/vm/drop_caches 2>/dev/null
	sleep 0.5
	m0=$(mem_used_kb)
	slab_snapshot >/tmp/bench-slab0
	s0=$(slab_total_kb /tmp/bench-slab0)
	fifo=$(mktemp -u /tmp/bench-idle.XXXXXX)
	mkfifo "$fifo"
	inc "$BIN/tftp_load" -s $SRV -f big -I 8 -c "$n" -b 1468 -w 64 -t -T 3000 \
		"${extra[@]}" >"$fifo" 2>/dev/null &
	pid=$!
	while read -r line; do
		if [[ $line == IDLE* ]]; then
			open=$(sed 's/.*open=\([0-9]*\).*/\1/' <<<"$line")
			sleep 1
			m1=$(mem_used_kb)
			slab_snapshot >/tmp/bench-slab1
			s1=$(slab_total_kb /tmp/bench-slab1)
		fi
	done <"$fifo"
	wait $pid
	rm -f "$fifo"
	if ((open == 0)); then
		echo "BENCH scenario=$sc server=$srv run=$run sessions=$n open=0 error=1"
		return
	fi
	ds=$((s1 - s0))
	dm=$((m1 - m0))
	if [[ $srv == baseline ]]; then
		BASE_SLAB=$ds
		BASE_MEM=$dm
		log "$sc run $run: client sockets alone: slab $((ds * 1024 / open)) B, memory $((dm * 1024 / open)) B each: $(slab_growth /tmp/bench-slab0 /tmp/bench-slab1 "$open")"
		return
	fi
	log "$sc $srv run $run: slab objects per session (client's included), bytes: $(slab_growth /tmp/bench-slab0 /tmp/bench-slab1 "$open")"
	echo "BENCH scenario=$sc server=$srv run=$run sessions=$n open=$open" \
		"slab_b_per_session=$(((ds - BASE_SLAB) * 1024 / open))" \
		"mem_b_per_session=$(((dm - BASE_MEM) * 1024 / open))" \
		"raw_slab_kb=$ds raw_mem_kb=$dm base_slab_kb=$BASE_SLAB base_mem_kb=$BASE_MEM"
}

# measure_ceiling RUN: how many 1514-byte frames per second pktgen moves from
# the server's veth into the client's namespace (the same frame size as a
# blksize-1468 DATA), as received there.
measure_ceiling() {
	local run=$1 mac pg=/proc/net/pktgen in0 in1 res
	mac=$(ip -n "$C" -br link show vc | awk '{print $3}')
	in0=$(inc nstat -az IpInReceives | awk '/IpInReceives/ {print $2}')
	res=$(ins sh -c "
		echo rem_device_all > $pg/kpktgend_$SRV_CPU &&
		echo 'add_device vs' > $pg/kpktgend_$SRV_CPU &&
		for c in 'count 300000' 'clone_skb 0' 'pkt_size 1514' 'delay 0' \
			 'dst $CLI' 'dst_mac $mac' 'udp_src_min 40000' 'udp_src_max 40000' \
			 'udp_dst_min 9' 'udp_dst_max 9'; do echo \"\$c\" > $pg/vs || exit 1; done &&
		echo start > $pg/pgctrl && cat $pg/vs" 2>&1)
	in1=$(inc nstat -az IpInReceives | awk '/IpInReceives/ {print $2}')
	# "Result: OK: 1234(c1000+d234) usec, 300000 (1514byte,0frags)"
	awk -v r="$run" -v got=$((in1 - in0)) '/Result: OK:/ {
		sub(/\(.*/, "", $3); us = $3
		printf "BENCH scenario=ceiling server=pktgen run=%d sent=300000 received=%d usec=%d pps=%.0f\n",
			r, got, us, got / (us / 1e6); ok = 1 }
		END { if (!ok) printf "BENCH scenario=ceiling server=pktgen run=%d error=1\n", r }' <<<"$res"
	grep -q 'Result: OK' <<<"$res" || log "pktgen: $(tr '\n' ' ' <<<"$res" | tail -c 300)"
}

# ------------------------------------------------------------------ run
t_all=$SECONDS
for sc in $SCENARIOS; do
	servers=$SERVERS
	kind=tftp
	case $sc in
	dhcp) kind=dhcp; servers=""
	      dhcp_paths_up
	      for s in $SERVERS; do
		      [[ $s == pxefast ]] && servers+=$DHCP_SERVERS
		      [[ $s == dnsmasq ]] && servers+=" $s"
	      done ;;
	idle*) kind=idle; servers="baseline $SERVERS" ;;
	ceiling) kind=none; servers=pktgen
		 modprobe pktgen || { log "no pktgen"; continue; } ;;
	esac
	t_sc=$SECONDS
	runs=$RUNS
	if [[ $sc == idle* ]]; then
		runs=3
		((${sc#idle} >= 10000)) && runs=1
		runs=${BENCH_IDLE_RUNS:-$runs}
	fi
	[[ $sc == storm256 ]] && runs=${BENCH_STORM256_RUNS:-3}
	log "scenario $sc, servers: ${servers# }, $runs runs"
	for ((run = 1; run <= runs; run++)); do
		for srv in $servers; do
			if [[ $kind != none && $srv != baseline ]] &&
			   ! start_server "$srv" $kind; then
				echo "BENCH scenario=$sc server=$srv run=$run error=1 start=failed"
				stop_server
				continue
			fi
			case $sc in
			single-*|storm*)
				# shellcheck disable=SC2046
				measure "$sc" "$srv" $run "$BIN/tftp_load" -s $SRV -L 900 "${SRV_CPU_OPT[@]}" \
					$(tftp_cmd "$sc") ;;
			notfound)
				measure "$sc" "$srv" $run "$BIN/tftp_load" -s $SRV -E "$SECS" -c 16 ;;
			dhcp)
				x0=$(stat_of xdp-dhcp-tx) o0=$(stat_of dhcp-offer-tx)
				measure "$sc" "$srv" $run "$BIN/dhcp_load" -i vc -T "$DHCP_SECS" -o 64 \
					"${SRV_CPU_OPT[@]}"
				x1=$(stat_of xdp-dhcp-tx) o1=$(stat_of dhcp-offer-tx)
				[[ $srv == dnsmasq ]] ||
					log "dhcp $srv run $run: pxefast sent $((o1 - o0)) offers, $((x1 - x0)) of them at XDP" ;;
			idle*)
				measure_idle "$sc" "$srv" $run "${sc#idle}" ;;
			ceiling)
				measure_ceiling $run ;;
			esac
			[[ $kind == none || $srv == baseline ]] || stop_server
		done
	done
	[[ $sc == dhcp ]] && dhcp_paths_down
	log "scenario $sc took $((SECONDS - t_sc))s"
done
"$PXECTL" -n "$S" stats 2>/dev/null | head -n 40 | sed 's/^/# pxectl stats: /'
log "all scenarios took $((SECONDS - t_all))s"
exit 0
