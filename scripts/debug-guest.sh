#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The guest half of `make check-debug` (scripts/check-debug.sh starts it
# with scripts/vm.sh -K): in the debug kernel, with pxefast.ko loaded, run
# every selftest, scan for leaks with kmemleak, run the fuzzers
# (selftests/fuzz.sh), scan again.  Each check it makes prints one line
#
#   check-debug: ok - WHAT         check-debug: not ok - WHAT
#   check-debug: skip - WHAT
#
# and the selftests their usual "# totals:" line; check-debug.sh counts
# both.  Environment: FUZZ_SEED, FUZZ_GENL (messages), FUZZ_PKTS (packets),
# FUZZ_TIME (seconds per fuzzer run), FUZZ_TOTAL_TIME (seconds for all of
# fuzz.sh), SELFTESTS=0 (fuzzers only).
set -u

cd "$(dirname "$0")/.." || exit 1
. selftests/lib.sh
trap - EXIT

KL=/sys/kernel/debug/kmemleak
rc=0

ok() { echo "check-debug: ok - $1"; }
bad() { echo "check-debug: not ok - $1"; rc=1; }

# kmemleak_check WHEN: unload pxefast (its objects must all be freed), scan
# twice (kmemleak reports an object only once it is 5 s old and was not
# seen referenced in two scans), and fail on any report.  Then forget them
# and load the module again.
kmemleak_check() {
	local leaks
	if ! mod_unload; then
		bad "kmemleak $1: pxefast did not unload"
		return
	fi
	echo scan > "$KL"
	sleep 6
	echo scan > "$KL"
	leaks=$(cat "$KL")
	if [[ -n $leaks ]]; then
		echo "# kmemleak $1: $(grep -c '^unreferenced object' <<<"$leaks") objects" \
			"($(grep -c pxefast <<<"$leaks") with pxefast in their backtrace):"
		head -n 80 <<<"$leaks" | sed 's/^/#   /'
		bad "kmemleak $1: no leak"
	else
		ok "kmemleak $1: no leak"
	fi
	echo clear > "$KL"
	mod_load || bad "pxefast loads again after the scan"
}

if [[ ! -w $KL ]]; then
	bad "kmemleak available (no $KL: not the debug kernel?)"
	KL=
else
	# What boot and module loading left is not ours: forget it.
	echo scan > "$KL"
	echo clear > "$KL"
	ok "kmemleak available"
fi

if [[ ${SELFTESTS:-1} == 1 ]]; then
	echo "# ==== selftests"
	make -C selftests run_tests
	echo "# selftests ended with status $?"
fi

[[ -n $KL ]] && kmemleak_check "after the selftests"

echo "# ==== fuzzers"
args=()
[[ -n ${FUZZ_SEED-} ]] && args+=(-s "$FUZZ_SEED")
[[ -n ${FUZZ_GENL-} ]] && args+=(-g "$FUZZ_GENL")
[[ -n ${FUZZ_PKTS-} ]] && args+=(-p "$FUZZ_PKTS")
[[ -n ${FUZZ_TIME-} ]] && args+=(-t "$FUZZ_TIME")
plan='' ran=0
while IFS= read -r line; do
	case $line in
	1..[0-9]*) plan=${line#1..}; plan=${plan%% *} ;;
	esac
	case $line in
	'ok '[0-9]* | 'not ok '[0-9]*) ran=$((ran + 1)) ;;
	esac
	case $line in
	'ok '[0-9]*'# SKIP'*)
		line=${line#ok }
		echo "check-debug: skip - fuzz: ${line#* }" ;;
	'ok '[0-9]*)
		line=${line#ok }
		echo "check-debug: ok - fuzz: ${line#* }" ;;
	'not ok '[0-9]*)
		line=${line#not ok }
		echo "check-debug: not ok - fuzz: ${line#* }"
		rc=1 ;;
	*) echo "# fuzz| $line" ;;
	esac
done < <(timeout -k 10 "${FUZZ_TOTAL_TIME:-7200}" ./selftests/fuzz.sh "${args[@]}" 2>&1)
if [[ -z $plan || $ran != "$plan" ]]; then
	bad "fuzz.sh ran its whole plan (${ran} of ${plan:-?}: crashed or timed out)"
fi

[[ -n $KL ]] && kmemleak_check "after the fuzzers"
exit "$rc"
