#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Helpers for pxefast's selftests: KTAP output, network namespaces and veth
# pairs cleaned up on exit, module load/unload, dmesg checks, and the
# run_tests runner used by selftests/Makefile.  Source it; don't run it.

KSFT_PASS=0
KSFT_FAIL=1
KSFT_SKIP=4

SELFTEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_DIR=$(cd "$SELFTEST_DIR/.." && pwd)
PXEFAST_KO=${PXEFAST_KO:-$REPO_DIR/build/$(uname -r)/pxefast.ko}
PXF_NL=$SELFTEST_DIR/pxf_nl
# shellcheck disable=SC2034 # for the tests
PXE_CLIENT=$SELFTEST_DIR/pxe_client
PXECTL=${PXECTL:-$REPO_DIR/userspace/pxectl}

# Debug kernels (make check-debug) add lockdep, UBSAN, KASAN, kmemleak and
# debug-objects reports; kmemleak's boot line is not one ("suspected").
DMESG_SPLAT='BUG:|WARNING:|Oops|UBSAN|KASAN|kmemleak: .*suspected|refcount_t|list_(add|del) corruption'
DMESG_SPLAT+='|general protection|unregister_netdevice: waiting'
DMESG_SPLAT+='|possible circular locking|inconsistent lock state|possible recursive locking'
DMESG_SPLAT+='|sleeping function called from invalid context|suspicious RCU usage|ODEBUG:'

# ---------------------------------------------------------------- KTAP

_ktap_num=0
_ktap_pass=0
_ktap_fail=0
_ktap_skip=0
_ktap_plan=

ktap_print_header() { echo "TAP version 13"; }

# ktap_plan N: header and plan line.
ktap_plan() {
	_ktap_plan=$1
	ktap_print_header
	echo "1..$1"
}

# ktap_ok DESC / ktap_fail DESC [REASON] / ktap_skip DESC REASON
ktap_ok() {
	_ktap_num=$((_ktap_num + 1)); _ktap_pass=$((_ktap_pass + 1))
	echo "ok $_ktap_num $1"
}

ktap_fail() {
	_ktap_num=$((_ktap_num + 1)); _ktap_fail=$((_ktap_fail + 1))
	[[ -n ${2-} ]] && echo "# $1: $2"
	echo "not ok $_ktap_num $1"
}

ktap_skip() {
	_ktap_num=$((_ktap_num + 1)); _ktap_skip=$((_ktap_skip + 1))
	echo "ok $_ktap_num $1 # SKIP ${2-}"
}

# ktap_test DESC CMD...: run CMD, its output as diagnostics; ok on status 0.
ktap_test() {
	local _kt_desc=$1 _kt_out _kt_rc=0
	shift
	_kt_out=$("$@" 2>&1) || _kt_rc=$?
	if ((_kt_rc == 0)); then
		ktap_ok "$_kt_desc"
	else
		[[ -n $_kt_out ]] && printf '%s\n' "$_kt_out" | tail -n 15 | sed 's/^/# /'
		ktap_fail "$_kt_desc" "exit status $_kt_rc"
	fi
}

ktap_diag() { printf '%s\n' "$@" | sed 's/^/# /'; }

# ktap_skip_all REASON: the whole test cannot run here.
ktap_skip_all() {
	ktap_print_header
	echo "1..0 # SKIP $1"
	exit $KSFT_SKIP
}

# ktap_finished: totals line; exit 1 on any failure or a plan mismatch,
# 4 when everything was skipped, else 0.
ktap_finished() {
	echo "# Totals: pass:$_ktap_pass fail:$_ktap_fail xfail:0 xpass:0 skip:$_ktap_skip error:0"
	if [[ -n $_ktap_plan ]] && ((_ktap_num != _ktap_plan)); then
		echo "# plan mismatch: planned $_ktap_plan, ran $_ktap_num"
		exit $KSFT_FAIL
	fi
	((_ktap_fail == 0)) || exit $KSFT_FAIL
	((_ktap_pass == 0 && _ktap_skip > 0)) && exit $KSFT_SKIP
	exit $KSFT_PASS
}

# ---------------------------------------------------------------- requirements

require_root() {
	[[ $(id -u) -eq 0 ]] || ktap_skip_all "must run as root (use scripts/vm.sh)"
}

require_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null || ktap_skip_all "$c not installed"
	done
}

require_helpers() {
	[[ -x $PXF_NL ]] || ktap_skip_all "$PXF_NL not built (make -C selftests)"
}

# ---------------------------------------------------------------- module

mod_loaded() { [[ -d /sys/module/pxefast ]]; }

# mod_deps: modprobe the modules pxefast.ko depends on (insmod won't),
# unless built into the kernel (the debug kernel has no /lib/modules).
mod_deps() {
	local d
	for d in $(modinfo -F depends "$PXEFAST_KO" 2>/dev/null | tr ',' ' '); do
		[[ -d /sys/module/$d ]] && continue
		grep -qs "/$d.ko" "/lib/modules/$(uname -r)/modules.builtin" && continue
		modprobe "$d" || { echo "modprobe $d (needed by pxefast) failed"; return 1; }
	done
}

# mod_load: insmod PXEFAST_KO unless loaded; prints why on failure.
mod_load() {
	local out
	mod_loaded && return 0
	mod_deps || return 1
	if ! out=$(insmod "$PXEFAST_KO" 2>&1); then
		echo "insmod $PXEFAST_KO: $out"
		dmesg | tail -n 5
		return 1
	fi
	mod_loaded || { echo "insmod succeeded but /sys/module/pxefast is missing"; return 1; }
}

# mod_unload: rmmod and check /sys/module/pxefast is gone.
mod_unload() {
	local out
	mod_loaded || return 0
	if ! out=$(rmmod pxefast 2>&1); then
		echo "rmmod pxefast: $out"
		return 1
	fi
	if mod_loaded; then
		echo "rmmod succeeded but /sys/module/pxefast is still there"
		return 1
	fi
}

# ---------------------------------------------------------------- dmesg

# dmesg_mark: log a unique marker; prints it.
dmesg_mark() {
	local m="pxefast-selftest-mark-$$-$RANDOM$RANDOM"
	echo "$m" > /dev/kmsg
	echo "$m"
}

# dmesg_clean_since MARK: fail (printing the splat) if the kernel log after
# MARK matches a splat pattern, or if MARK is not in the log at all (then
# nothing after it could be checked).
dmesg_clean_since() {
	local log
	if ! dmesg | grep -qF -- "$1"; then
		echo "marker $1 not in the kernel log: cannot check it"
		return 1
	fi
	log=$(dmesg | awk -v m="$1" 'found {print} index($0, m) {found = 1}')
	if grep -Eq "$DMESG_SPLAT" <<<"$log"; then
		grep -E -A 25 "$DMESG_SPLAT" <<<"$log" | head -n 60
		return 1
	fi
}

# ---------------------------------------------------------------- netns / veth

_pxf_netns=()
_pxf_cleanup_hooks=()

pxf_cleanup() {
	local ns h
	for h in "${_pxf_cleanup_hooks[@]}"; do
		eval "$h" >/dev/null 2>&1 || true
	done
	# Every namespace this test made carries "-$$-" in its name, including
	# ones created in subshells.
	for ns in "${_pxf_netns[@]}" $(ip netns list 2>/dev/null | awk '{print $1}' |
				       grep -F -- "-$$-"); do
		ip netns del "$ns" >/dev/null 2>&1 || true
	done
	_pxf_netns=()
}
trap pxf_cleanup EXIT

# on_cleanup CMD: run CMD (eval) at exit, before the namespaces go.
on_cleanup() { _pxf_cleanup_hooks+=("$1"); }

# netns_new VAR [TAG]: create a uniquely named netns with lo up, name in VAR.
netns_new() {
	local -n _var=$1
	local name="pxf${2:+-$2}-$$-$RANDOM"
	ip netns add "$name" || return 1
	_pxf_netns+=("$name")
	ip -n "$name" link set lo up
	_var=$name
}

# pxs ARGS...: pxectl in the test's server namespace ($S, from netns_new).
pxs() { "$PXECTL" -n "$S" "$@"; }
# stat_of NAME: the server namespace's counter NAME (pxectl stats).
stat_of() { pxs stats | awk -v k="$1" '$1 == k {print $2}'; }

# monitor_during LOG PATTERN CMD...: pxectl monitor's events of $S into
# LOG while CMD runs, and until a line matches PATTERN (grep -E; 5 s at
# most).  Fails if CMD does.
monitor_during() {
	local log=$1 pat=$2 pid rc=0
	shift 2
	timeout 120 "$PXECTL" -n "$S" monitor > "$log" 2>&1 &
	pid=$!
	sleep 0.5
	"$@" || rc=1
	for _ in $(seq 50); do
		grep -qE "$pat" "$log" && break
		sleep 0.1
	done
	kill $pid 2>/dev/null
	wait $pid 2>/dev/null
	return $rc
}

# netns_del NAME: delete now (and forget it for cleanup).
netns_del() {
	local i
	ip netns del "$1" || return 1
	for i in "${!_pxf_netns[@]}"; do
		[[ ${_pxf_netns[$i]} == "$1" ]] && unset "_pxf_netns[$i]"
	done
	return 0
}

# veth_pair NS1 IF1 NS2 IF2 [ADDR1/LEN ADDR2/LEN]: a veth pair between two
# namespaces, both ends up, optional IPv4 addresses.
veth_pair() {
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" || return 1
	[[ -n ${5-} ]] && ip -n "$1" addr add "$5" dev "$2"
	[[ -n ${6-} ]] && ip -n "$3" addr add "$6" dev "$4"
	ip -n "$1" link set "$2" up && ip -n "$3" link set "$4" up
}

# dnsmasq_start NS IFACE FIRST,LAST: dnsmasq as a plain DHCP server (no
# DNS) on IFACE in NS, leasing FIRST..LAST into /tmp/pxf-dnsmasq-$$.leases;
# returns once it listens on 67 (a slow guest takes seconds).  Stopped at
# cleanup.
dnsmasq_start() {
	local i
	ip netns exec "$1" dnsmasq --keep-in-foreground --port=0 \
		--interface="$2" --bind-interfaces --dhcp-range="$3,1h" \
		--dhcp-leasefile=/tmp/pxf-dnsmasq-$$.leases --pid-file=/tmp/pxf-dnsmasq-$$.pid \
		--log-facility=/tmp/pxf-dnsmasq-$$.log &
	DNSMASQ_PID=$!
	on_cleanup "kill $DNSMASQ_PID 2>/dev/null; rm -f /tmp/pxf-dnsmasq-$$.*"
	for ((i = 0; i < 300; i++)); do
		[[ -n $(ip netns exec "$1" ss -Hlun 'sport = :67') ]] && return 0
		sleep 0.1
	done
	echo "# dnsmasq did not start listening on 67"
}

# dnsmasq_stop: end dnsmasq_start's server (its late offers, after the
# ping it makes before offering an address, must not reach later tests).
dnsmasq_stop() {
	kill "$DNSMASQ_PID" 2>/dev/null
	wait "$DNSMASQ_PID" 2>/dev/null
}

# scaled SECONDS: a client-side time limit for this kernel.  A debug kernel
# (make check-debug: KASAN, lockdep, kmemleak) runs about ten times slower
# under TCG; it sets PXF_TIME_SCALE=10.
scaled() { echo $(($1 * ${PXF_TIME_SCALE:-1})); }

# expect OUTPUT LINE...: every LINE is a whole line of OUTPUT (a probe's
# key=value output); else OUTPUT and the first missing LINE, and status 1.
expect() {
	local out=$1 kv
	shift
	for kv in "$@"; do
		grep -qxF -- "$kv" <<<"$out" || { printf '%s\n' "$out"; echo "missing: $kv"; return 1; }
	done
}

# pxectl_usable: userspace/pxectl is built and runs.
pxectl_usable() {
	[[ -x $PXECTL ]] || return 1
	"$PXECTL" -V >/dev/null 2>&1 || "$PXECTL" -h >/dev/null 2>&1
}

# ---------------------------------------------------------------- runner

# ksft_run_all TEST...: run each test (with a timeout), KTAP to stdout,
# subtest totals at the end.  Exit 1 if anything failed.
ksft_run_all() {
	local n=$# i=0 t t0 rc out pass=0 fail=0 skip=0 p f s tmo
	tmo=${PXF_TEST_TIMEOUT:-600}
	ktap_print_header
	echo "1..$n"
	for t in "$@"; do
		i=$((i + 1))
		echo "# selftests: pxefast: $t"
		out=$(mktemp)
		t0=$SECONDS
		timeout -k 10 "$tmo" "./$t" 2>&1 </dev/null | tee "$out" | sed -u 's/^/# /'
		rc=${PIPESTATUS[0]}
		echo "# $t: $((SECONDS - t0))s"
		# Subtest counts from the test's own KTAP.
		p=$(grep -cE '^ok [0-9]+ ' "$out")
		s=$(grep -cE '^ok [0-9]+ .*# SKIP' "$out")
		f=$(grep -cE '^not ok [0-9]+ ' "$out")
		p=$((p - s))
		if ((rc == 124 || rc == 137)); then
			echo "# $t: timed out after ${tmo}s"
			f=$((f + 1))
			echo "not ok $i selftests: pxefast: $t # TIMEOUT ${tmo} seconds"
		elif ((rc == KSFT_SKIP)); then
			((p + f + s)) || s=1
			echo "ok $i selftests: pxefast: $t # SKIP"
		elif ((rc == 0)); then
			((p + f + s)) || p=1
			echo "ok $i selftests: pxefast: $t"
		else
			# A failing exit must count as a failure even with no
			# failing subtest (crash, plan mismatch).
			((f)) || f=1
			echo "not ok $i selftests: pxefast: $t # exit=$rc"
		fi
		pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
		rm -f "$out"
	done
	echo "# totals: pass:$pass fail:$fail skip:$skip"
	((fail == 0))
}
