#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check-debug`: build (once) the debug kernel of scripts/debug.config
# (KASAN, lockdep, kmemleak, UBSAN, debug objects, fault injection) from
# Debian's 6.12 source, build pxefast.ko against it (W=1, sparse, warnings
# are errors), boot it with scripts/vm.sh -K and run there
# scripts/debug-guest.sh: every selftest, a kmemleak scan, the fuzzers
# (selftests/fuzz.sh, part of the time with allocation failures injected),
# a kmemleak scan again.  Any splat in dmesg fails the run (vm.sh).  The
# last line is "N passed, N failed".
#
# Environment: CHECK_DEBUG_SEED (the fuzzers' seed, default from the clock;
# printed), CHECK_DEBUG_GENL (netlink messages, default 100000),
# CHECK_DEBUG_PKTS (packets, default 1000000: 130-620 packets/s in the
# debug kernel under TCG, 30 to 120 minutes), CHECK_DEBUG_TIMEOUT (seconds
# for the whole guest, default 18000), CHECK_DEBUG_MEM (guest memory,
# default 2G), CHECK_DEBUG_SELFTESTS=0 (fuzzers only), CHECK_DEBUG_CMD (run
# this in the guest instead of scripts/debug-guest.sh, e.g. one selftest).
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
REPO=$PWD
LOGDIR=$REPO/build/check-debug
mkdir -p "$LOGDIR"

CHECK_NAME=check-debug.sh
BUILD_NICE="nice -n 19"
# shellcheck source=scripts/check-lib.sh
. scripts/check-lib.sh

start=$SECONDS

# ---- the kernel
echo "# ==== debug kernel (scripts/debug.config, Debian linux-source-6.12)"
t0=$SECONDS
if ! ktree=$(scripts/debug-kernel.sh 2> >(tee "$LOGDIR/kernel.log" >&2)); then
	bad "debug kernel builds"
	summary_line
	exit 1
fi
ok "debug kernel builds ($ktree)"
if (( SECONDS - t0 > 60 )); then
	echo "# debug kernel built in $((SECONDS - t0)) s"
else
	echo "# debug kernel reused (first build took $(cat "$ktree/.pxefast-build-seconds" 2>/dev/null || echo ?) s)"
fi

# ---- the module and the helpers
step "build pxefast.ko for the debug kernel (W=1, sparse)" "$LOGDIR/module.log" \
	build_module "$ktree" || { summary_line; exit 1; }
step "build pxectl" "$LOGDIR/pxectl.log" nice -n 19 make --no-print-directory pxectl
step "build the selftest helpers and fuzzers" "$LOGDIR/selftests-build.log" \
	nice -n 19 make --no-print-directory -C selftests all

# ---- the guest
seed=${CHECK_DEBUG_SEED:-$(( $(date +%s) % 1000000007 ))}
echo "# ==== guest: selftests, kmemleak, fuzzers (seed $seed; replay: CHECK_DEBUG_SEED=$seed)"
log=$LOGDIR/guest.log
if [[ -n ${CHECK_DEBUG_CMD-} ]]; then
	guest_cmd=("$CHECK_DEBUG_CMD")
else
	guest_cmd=(scripts/debug-guest.sh)
fi
# kasan_multi_shot: report every bad access, not only the first;
# log_buf_len: a long run's splats must still be in dmesg at the end.
# The guest's whole dmesg is kept (hung tasks, RCU stalls, fault traces).
run_logged "$log" env VM_APPEND="kasan_multi_shot log_buf_len=16M ${VM_APPEND-}" \
	VM_DMESG_OUT="$LOGDIR/dmesg" \
	scripts/vm.sh -K "$ktree" -m "${CHECK_DEBUG_MEM:-2G}" -t "${CHECK_DEBUG_TIMEOUT:-18000}" \
	-e PXF_TEST_TIMEOUT=3600 -e PXF_TIME_SCALE=10 -e FUZZ_SEED="$seed" \
	-e FUZZ_GENL="${CHECK_DEBUG_GENL:-100000}" -e FUZZ_PKTS="${CHECK_DEBUG_PKTS:-1000000}" \
	-e FUZZ_TIME=9000 -e FUZZ_TOTAL_TIME=12600 -e SELFTESTS="${CHECK_DEBUG_SELFTESTS:-1}" \
	-- "${guest_cmd[@]}"
vm_rc=$run_rc

# The selftests' totals.
if ! count_selftests "$log" selftest && [[ -z ${CHECK_DEBUG_CMD-} && ${CHECK_DEBUG_SELFTESTS:-1} == 1 ]]; then
	bad "selftests in the debug kernel (no results)"
fi
# The guest script's own checks: kmemleak, fuzzers.
while read -r verdict what; do
	case $verdict in
	ok) pass=$((pass + 1)) ;;
	skip) skip=$((skip + 1)) ;;
	*) fail=$((fail + 1)); failed_checks+=("$what") ;;
	esac
done < <(sed -nE 's/^check-debug: (ok|not ok|skip) - (.*)$/\1 \2/p' "$log" |
	 sed -E 's/^not ok /bad /')
# A clean report but a failing guest: splat, rmmod, timeout.
if ((vm_rc != 0)); then
	if grep -q 'kernel splat in dmesg' "$log"; then
		bad "no kernel splat in dmesg (KASAN, lockdep, UBSAN, kmemleak, debug objects, WARN/BUG)"
	else
		bad "guest run (vm.sh status $vm_rc: rmmod failed, timeout or a failure above)"
	fi
else
	ok "no kernel splat in dmesg (KASAN, lockdep, UBSAN, kmemleak, debug objects, WARN/BUG)"
fi

echo "# ==== summary ($((SECONDS - start)) s; guest log: $log, its dmesg: $LOGDIR/dmesg)"
grep -E 'fuzz_(genl|pkt): .*(total|packets in|received)' "$log" | sed 's/^# fuzz| //'
summary_line
