#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: for every kernel of scripts/kernels.sh build pxefast.ko
# (W=1, warnings are errors), boot a guest of that kernel (scripts/vm.sh)
# and run the selftests there.  pxectl and the selftest helpers are built
# once.  The last line is "N passed, N failed" (", N skipped" when there are
# skips); the exit status is non-zero on any failure.
#
# Environment: CHECK_VM_TIMEOUT (seconds per guest, default 1200),
# CHECK_E2E (real-firmware clients per kernel, default "bios uefi map
# proxy4011 proxy4011-uefi";
# empty to skip them),
# CHECK_DEB (clients per kernel booted through the installed Debian
# packages, scripts/e2e.sh -d, e.g. "bios"; default empty: the DKMS build
# in a TCG guest alone takes 15-30 minutes per kernel),
# CHECK_KERNELS (space-separated build trees, default: scripts/kernels.sh).
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
REPO=$PWD
LOGDIR=$REPO/build/check
mkdir -p "$LOGDIR"

# One make check per work tree at a time: they share build/ and the logs,
# and two guests on two cores starve each other.
exec 9>"$LOGDIR/.lock"
if ! flock -n 9; then
	echo "check.sh: another make check is running in this tree; waiting for it" >&2
	flock 9
fi

pass=0 fail=0 skip=0
failed_checks=()
VM_PID=
TAIL_PID=

on_signal() {
	trap - INT TERM
	echo "check.sh: interrupted, stopping the guest" >&2
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
step() {
	local name=$1 log=$2
	shift 2
	if "$@" >"$log" 2>&1; then
		ok "$name"
	else
		tail -n 40 "$log" | sed 's/^/  | /'
		bad "$name"
	fi
}

# Build with W=1; compiler and modpost warnings fail the build.
build_module() {
	local out rc=0
	out=$(make --no-print-directory module KDIR="$1" W=1 C=1 KCFLAGS=-Werror 2>&1) || rc=$?
	printf '%s\n' "$out"
	((rc == 0)) || return "$rc"
	if grep -Eq 'WARNING: modpost|warning:' <<<"$out"; then
		echo "check.sh: warnings in the module build"
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
	run_rc=$?
	VM_PID=
	wait "$TAIL_PID" 2>/dev/null
	TAIL_PID=
}

# run_e2e KVER WHAT LOG ARGS...: scripts/e2e.sh -k KVER ARGS, its KTAP
# results counted as subtests.
run_e2e() {
	local kver=$1 what=$2 log=$3 t0=$SECONDS ep ef line
	shift 3
	run_logged "$log" scripts/e2e.sh -k "$kver" "$@"
	ep=$(grep -cE '^ok [0-9]+ ' "$log")
	ef=$(grep -cE '^not ok [0-9]+ ' "$log")
	pass=$((pass + ep)); fail=$((fail + ef))
	while read -r line; do
		failed_checks+=("$kver $what: ${line#not ok }")
	done < <(grep -E '^not ok [0-9]+ ' "$log")
	summaries+=("# $kver $what: pass:$ep fail:$ef ($((SECONDS - t0))s)")
	if ((run_rc != 0 && ef == 0)); then
		bad "$what on $kver (e2e.sh status $run_rc)"
	fi
}

# virtio_pair: QEMU arguments for two virtio-net NICs joined to each other
# through UDP sockets on 127.0.0.1 (never QEMU's user networking), MACs
# 52:54:00:78:00:01 and :02: selftests/xdp.sh runs native XDP on them.
virtio_pair() {
	local p
	for ((p = 20000 + RANDOM % 20000; p < 65000; p += 2)); do
		ss -Hulnp "sport = :$p or sport = :$((p + 1))" 2>/dev/null | grep -q . || break
	done
	local i a b
	for i in 0 1; do
		a=$((p + i)) b=$((p + 1 - i))
		printf -- '-netdev dgram,id=vio%d,local.type=inet,local.host=127.0.0.1,local.port=%d,' "$i" "$a"
		printf -- 'remote.type=inet,remote.host=127.0.0.1,remote.port=%d ' "$b"
		printf -- '-device virtio-net-pci,netdev=vio%d,mac=52:54:00:78:00:0%d ' "$i" $((i + 1))
	done
}

# module_btf KVER KDIR: the module's split BTF, read against the base it
# was built with (scripts/btf-kdir.sh), holds the kfunc.
module_btf() {
	local base
	for base in "build/$1/btf/vmlinux" "$2/vmlinux"; do
		[[ -f $base ]] && break
	done
	bpftool btf dump file "build/$1/pxefast.ko" -B "$base" | grep "FUNC 'pxefast_xdp_rx'"
}

kver_of() { sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$1/include/generated/utsrelease.h" 2>/dev/null; }

start=$SECONDS

# ---- host-side, kernel independent
if [[ -f userspace/Makefile ]]; then
	step "build pxectl" "$LOGDIR/pxectl.log" make --no-print-directory pxectl
else
	skipped "build pxectl" "userspace/Makefile not there yet"
fi
step "pxectl config file unit test" "$LOGDIR/pxectl-test.log" make --no-print-directory -C userspace test
step "checkpatch.pl --strict clean" "$LOGDIR/checkpatch.log" scripts/checkpatch.sh
step "kernel-doc clean, every public function documented" "$LOGDIR/kerneldoc.log" scripts/kerneldoc.sh
step "shellcheck clean (warning level)" "$LOGDIR/shellcheck.log" scripts/shellcheck.sh
step "build selftest helpers" "$LOGDIR/selftests-build.log" make --no-print-directory -C selftests all
step "make deb: pxefast-dkms and pxectl, lintian without errors, systemd-analyze verify" \
	"$LOGDIR/deb.log" nice -n 10 scripts/deb.sh

# A checkout anywhere runs guests: under /tmp (which the guest mounts
# afresh) it is carried into the guest; under /run vm.sh refuses at once.
checkout_anywhere() {
	local tmp rc=0 out
	tmp=$(mktemp -d /tmp/pxefast-checkout.XXXXXX) || return 1
	git clone -q "$REPO" "$tmp/x" && cp scripts/vm.sh "$tmp/x/scripts/" &&
		"$tmp/x/scripts/vm.sh" -n -t 300 -- \
			bash -c "[[ \$PWD == $tmp/x && -f scripts/vm.sh ]]" || rc=1
	rm -rf "$tmp"
	((rc == 0)) || { echo "a checkout under /tmp cannot run a guest"; return 1; }
	tmp=$(mktemp -d /run/pxefast-checkout.XXXXXX) || return 1
	mkdir -p "$tmp/scripts" && cp scripts/vm.sh scripts/kernels.sh "$tmp/scripts/"
	out=$("$tmp/scripts/vm.sh" -n -- true 2>&1) && rc=1
	rm -rf "$tmp"
	[[ $out == *"which the guest mounts afresh"* ]] || { echo "under /run: $out"; rc=1; }
	return "$rc"
}
step "a checkout under /tmp runs guests, one under /run is refused" "$LOGDIR/checkout.log" checkout_anywhere

# ---- per kernel
if [[ -n ${CHECK_KERNELS-} ]]; then
	read -r -a kdirs <<<"$CHECK_KERNELS"
else
	mapfile -t kdirs < <(scripts/kernels.sh)
fi
((${#kdirs[@]})) || bad "find kernels (scripts/kernels.sh lists none: run scripts/deps.sh)"

summaries=()
for kdir in "${kdirs[@]}"; do
	kver=$(kver_of "$kdir")
	if [[ -z $kver ]]; then
		bad "kernel tree $kdir: no include/generated/utsrelease.h"
		continue
	fi
	echo "# ==== $kver"
	t0=$SECONDS
	step "build pxefast.ko for $kver (W=1, sparse)" "$LOGDIR/build-$kver.log" build_module "$kdir"
	if (($? != 0)); then
		bad "selftests on $kver (module did not build)"
		summaries+=("# $kver: module did not build")
		continue
	fi

	# The XDP kfunc needs module BTF, with the kfunc's id resolved.
	step "module BTF for $kver (pxefast_xdp_rx in .BTF)" "$LOGDIR/btf-$kver.log" \
		module_btf "$kver" "$kdir"

	log=$LOGDIR/selftests-$kver.log
	VM_QEMU_ARGS="${VM_QEMU_ARGS-} $(virtio_pair)" \
		run_logged "$log" scripts/vm.sh -k "$kver" -t "${CHECK_VM_TIMEOUT:-1200}" -- \
		make -C selftests run_tests
	vm_rc=$run_rc

	totals=$(grep -E '^# totals: pass:[0-9]+ fail:[0-9]+ skip:[0-9]+' "$log" | tail -n1)
	if [[ -n $totals ]]; then
		read -r p f s < <(sed -E 's/.*pass:([0-9]+) fail:([0-9]+) skip:([0-9]+).*/\1 \2 \3/' <<<"$totals")
		pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
		while read -r line; do
			failed_checks+=("$kver: ${line#not ok }")
		done < <(grep -E '^# not ok [0-9]+ ' "$log" | sed 's/^# //')
		summaries+=("# $kver: pass:$p fail:$f skip:$s ($((SECONDS - t0))s)")
		# A clean test run but a failing guest: splat, rmmod failure, timeout.
		if ((vm_rc != 0 && f == 0)); then
			bad "guest run on $kver (vm.sh status $vm_rc: kernel splat, rmmod or timeout)"
		fi
	else
		bad "selftests on $kver (no results; vm.sh status $vm_rc)"
		summaries+=("# $kver: no results (vm.sh status $vm_rc)")
	fi

	# Real firmware booting through the module (scripts/e2e.sh: a server
	# guest of this kernel, SeaBIOS/iPXE and OVMF/EDK2 clients).
	e2e_clients=${CHECK_E2E-bios uefi map proxy4011 proxy4011-uefi}
	# shellcheck disable=SC2086 # a list of client names
	[[ -z $e2e_clients ]] ||
		run_e2e "$kver" "real firmware" "$LOGDIR/e2e-$kver.log" $e2e_clients

	# The Debian packages installed in a server guest of this kernel
	# (dpkg -i, DKMS build, the units' commands), real firmware booting
	# through them.
	deb_clients=${CHECK_DEB-}
	# shellcheck disable=SC2086 # a list of client names
	[[ -z $deb_clients ]] ||
		run_e2e "$kver" "Debian packages" "$LOGDIR/deb-e2e-$kver.log" -d $deb_clients
done

echo "# ==== summary ($((SECONDS - start))s)"
printf '%s\n' "${summaries[@]}"
for c in "${failed_checks[@]}"; do
	echo "# failed: $c"
done
line="$pass passed, $fail failed"
((skip)) && line+=", $skip skipped"
echo "$line"
((fail == 0))
