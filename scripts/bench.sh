#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: benchmark pxefast against tftpd-hpa, dnsmasq and atftpd, side
# by side in one guest per kernel (scripts/vm.sh runs scripts/bench-guest.sh),
# and report each figure and the ratio pxefast / best peer.
#
#   scripts/bench.sh [-k KVER]... [-q] [-t TIMEOUT_S]
#
#   -k KVER   benchmark this kernel only (repeatable); default: every kernel
#             of scripts/kernels.sh
#   -q        quick run: 2 rounds, 16 MiB / 2 MiB files, 3 s storms,
#             no storm256, 200 idle sessions (for trying the harness, not
#             for quoting)
#   -t SECS   wall-clock limit per guest (default 3600)
#
# The BENCH_* variables of scripts/bench-guest.sh (BENCH_RUNS,
# BENCH_SCENARIOS, BENCH_SERVERS, BENCH_BIG_MB, BENCH_STORM_MB, BENCH_SECS,
# BENCH_DHCP_SECS, BENCH_DHCP_PATHS, BENCH_STORM_OPTS, BENCH_IDLE_RUNS,
# BENCH_STORM256_RUNS) are passed to the guest.  VM_SMP (default 2: one vCPU for the server, one for the client)
# and BENCH_MEM (default 4G: 10,000 idle tftpd-hpa processes) size the guest.
#
# Writes build/bench/results-KVER.{txt,json}, build/bench/log-KVER.txt (the
# raw guest output), build/bench/dmesg-KVER.txt and
# build/bench/throughput-KVER.png, and copies the results of the last run to
# bench/results/ for the README to quote.  A run of some scenarios only
# (BENCH_SCENARIOS) names its results after them, e.g. results-KVER-dhcp.txt
# for BENCH_SCENARIOS=dhcp, so that it does not replace a full run's.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/.." && pwd)
OUT=$REPO/build/bench
KVERS=()
QUICK=0
TIMEOUT=3600

while getopts ':k:qt:h' opt; do
	case $opt in
	k) KVERS+=("$OPTARG") ;;
	q) QUICK=1 ;;
	t) TIMEOUT=$OPTARG ;;
	h) sed -n '4,25s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
	*) sed -n '4,25s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
	esac
done

kver_of_kdir() {
	sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$1/include/generated/utsrelease.h" 2>/dev/null
}

cd "$REPO"
mkdir -p "$OUT"

# ---------------------------------------------------------------- build
KDIRS=()
for kdir in $("$SCRIPT_DIR/kernels.sh"); do
	kv=$(kver_of_kdir "$kdir")
	if ((${#KVERS[@]} == 0)) || [[ " ${KVERS[*]} " == *" $kv "* ]]; then
		KDIRS+=("$kdir")
	fi
done
((${#KDIRS[@]})) || { echo "bench.sh: no kernel to benchmark" >&2; exit 1; }
for kdir in "${KDIRS[@]}"; do
	make -s module KDIR="$kdir"
done
make -s -C userspace
make -s -C bench
# the client-side XDP_PASS program of the dhcp scenario's XDP paths
make -s -C selftests xdp_pass.bpf.o

# The guest reads binaries from the host (9p, no cache): run private copies
# so that a rebuild or an edit during the benchmark cannot change them under
# it (bash reads a script as it runs it).
BIN=$(mktemp -d "$OUT/bin.XXXXXX")
trap 'rm -rf "$BIN"' EXIT
cp bench/tftp_load bench/dhcp_load userspace/pxectl userspace/pxefast_xdp.bpf.o \
   selftests/xdp_pass.bpf.o scripts/bench-guest.sh "$BIN/"

GUEST_ENV=(-e "BENCH_BIN=$BIN")
if ((QUICK)); then
	GUEST_ENV+=(-e BENCH_RUNS="${BENCH_RUNS:-2}" -e BENCH_BIG_MB="${BENCH_BIG_MB:-16}"
		    -e BENCH_STORM_MB="${BENCH_STORM_MB:-2}" -e BENCH_SECS="${BENCH_SECS:-3}"
		    -e BENCH_SCENARIOS="${BENCH_SCENARIOS:-single-ls1432 single-w4 single-w64 ceiling storm16 storm64 notfound dhcp idle200}")
fi
for v in BENCH_RUNS BENCH_SCENARIOS BENCH_SERVERS BENCH_BIG_MB BENCH_STORM_MB \
	 BENCH_SECS BENCH_DHCP_SECS BENCH_DHCP_PATHS BENCH_STORM_OPTS BENCH_IDLE_RUNS \
	 BENCH_STORM256_RUNS; do
	[[ -n ${!v-} ]] && GUEST_ENV+=(-e "$v=${!v}")
done

# ---------------------------------------------------------------- run
TAG=
[[ -z ${BENCH_SCENARIOS-} ]] || TAG=-$(tr -s ' ' '+' <<<"${BENCH_SCENARIOS# }" | sed 's/+$//')
rc=0
t0=$SECONDS
for kdir in "${KDIRS[@]}"; do
	kv=$(kver_of_kdir "$kdir")
	log=$OUT/log-$kv.txt
	echo "bench.sh: $kv: guest running, raw output in $log" >&2
	t1=$SECONDS
	if ! VM_SMP=${VM_SMP:-2} VM_DMESG_OUT=$OUT/dmesg-$kv.txt \
		"$SCRIPT_DIR/vm.sh" -k "$kv" -m "${BENCH_MEM:-4G}" \
		-t "$TIMEOUT" "${GUEST_ENV[@]}" -- "$BIN/bench-guest.sh" 2>&1 | tee "$log" |
		grep --line-buffered -E '^# |^vm\.sh'; then
		echo "bench.sh: $kv: the guest failed (see $log)" >&2
		rc=1
	fi
	grep -q '^BENCH ' "$log" || { echo "bench.sh: $kv: no measurement" >&2; rc=1; continue; }
	res=$OUT/results-$kv$TAG
	python3 "$SCRIPT_DIR/bench-report.py" "$log" "$res"
	if command -v gnuplot >/dev/null && (($(wc -l <"$res-concurrency.dat") > 1)); then
		gnuplot <<EOF || echo "bench.sh: gnuplot failed" >&2
set terminal pngcairo size 900,560 noenhanced
set output "$OUT/throughput-$kv$TAG.png"
set title "TFTP aggregate throughput vs concurrent clients ($kv, blksize 1468 windowsize 4)"
set xlabel "concurrent clients"
set ylabel "MB/s (median)"
set logscale x 2
set key top left
set grid
plot for [i=2:5] "$res-concurrency.dat" using 1:i with linespoints lw 2 title columnhead(i)
EOF
	fi
	echo "bench.sh: $kv: $((SECONDS - t1))s" >&2
	# the last results, for the README
	mkdir -p bench/results
	cp "$res.txt" "$res.json" bench/results/
	[[ -s $OUT/throughput-$kv$TAG.png ]] && cp "$OUT/throughput-$kv$TAG.png" bench/results/
done
echo "bench.sh: done in $((SECONDS - t0))s; results in $OUT and bench/results/" >&2
exit $rc
