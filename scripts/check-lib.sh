# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# What make check (scripts/check.sh) and make check-debug
# (scripts/check-debug.sh) share: one run per work tree at a time, the
# pass/fail counters, quiet build steps, the module build with warnings as
# errors, and a guest run that a signal stops.  Source it after setting
# CHECK_NAME (for messages) and LOGDIR.

# One run per work tree at a time: they share build/ and the logs, and
# two guests on two cores starve each other.
exec 9>"$LOGDIR/.lock"
if ! flock -n 9; then
	echo "$CHECK_NAME: another run is using $LOGDIR; waiting for it" >&2
	flock 9
fi

pass=0 fail=0 skip=0
failed_checks=()
VM_PID=
TAIL_PID=

on_signal() {
	trap - INT TERM
	echo "$CHECK_NAME: interrupted, stopping the guest" >&2
	if [[ -n $VM_PID ]]; then
		kill -TERM "$VM_PID" 2>/dev/null
		wait "$VM_PID" 2>/dev/null
	fi
	[[ -n $TAIL_PID ]] && kill "$TAIL_PID" 2>/dev/null
	exit "$1"
}
trap 'on_signal 130' INT
trap 'on_signal 143' TERM

ok() { pass=$((pass + 1)); echo "ok - $1"; }
bad() { fail=$((fail + 1)); failed_checks+=("$1"); echo "not ok - $1"; }
skipped() { skip=$((skip + 1)); echo "ok - $1 # SKIP $2"; }

# step NAME LOG CMD...: run a build step quietly, show its log on failure.
# Returns CMD's success.
step() {
	local name=$1 log=$2
	shift 2
	if "$@" >"$log" 2>&1; then
		ok "$name"
	else
		tail -n 40 "$log" | sed 's/^/  | /'
		bad "$name"
		return 1
	fi
}

# build_module KDIR: W=1 and sparse; compiler and modpost warnings fail the
# build.  BUILD_NICE: a prefix such as "nice -n 19".
build_module() {
	local out rc=0
	out=$(${BUILD_NICE-} make --no-print-directory module KDIR="$1" W=1 C=1 KCFLAGS=-Werror 2>&1) ||
		rc=$?
	printf '%s\n' "$out"
	((rc == 0)) || return "$rc"
	if grep -Eq 'WARNING: modpost|warning:' <<<"$out"; then
		echo "$CHECK_NAME: warnings in the module build"
		return 1
	fi
}

# run_logged LOG CMD...: run CMD in the background (so a signal can stop
# it), its output to LOG and, as it comes, to ours; status in run_rc.
run_logged() {
	local log=$1
	shift
	: >"$log"
	"$@" </dev/null >"$log" 2>&1 9>&- &
	VM_PID=$!
	tail -n +1 -s 0.5 -f --pid="$VM_PID" "$log" &
	TAIL_PID=$!
	wait "$VM_PID"
	# shellcheck disable=SC2034 # for the caller
	run_rc=$?
	VM_PID=
	wait "$TAIL_PID" 2>/dev/null
	TAIL_PID=
}

# count_selftests LOG PREFIX: add the "# totals:" of run_tests in LOG to
# the counters, failed subtests to the list (named PREFIX: ...).  Sets
# p f s to that run's counts; returns 1 when LOG has no totals.
count_selftests() {
	local totals line
	totals=$(grep -E '^# totals: pass:[0-9]+ fail:[0-9]+ skip:[0-9]+' "$1" | tail -n1)
	[[ -n $totals ]] || return 1
	read -r p f s < <(sed -E 's/.*pass:([0-9]+) fail:([0-9]+) skip:([0-9]+).*/\1 \2 \3/' <<<"$totals")
	pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
	while read -r line; do
		failed_checks+=("$2: ${line#not ok }")
	done < <(grep -E '^# not ok [0-9]+ ' "$1" | sed 's/^# //')
}

# The result line, "N passed, N failed[, N skipped]"; status 1 on failures.
summary_line() {
	local c line
	for c in "${failed_checks[@]}"; do
		echo "# failed: $c"
	done
	line="$pass passed, $fail failed"
	((skip)) && line+=", $skip skipped"
	echo "$line"
	((fail == 0))
}
