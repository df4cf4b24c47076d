#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: for every kernel of scripts/kernels.sh build pxefast.ko
# (W=1, warnings are errors), boot a guest of that kernel (scripts/vm.sh)
# and run the selftests there.  pxectl and the selftest helpers are built
# once.  The last line is "N passed, N failed" (", N skipped" when there are
# skips); the exit status is non-zero on any failure.
#
# Environment: CHECK_VM_TIMEOUT (seconds per guest, default 2700),
# CHECK_E2E (real-firmware clients per kernel, default "bios uefi map
# proxy4011 proxy4011-uefi uefi-http bios-xdp uefi-pxe6 uefi-http6";
# empty to skip them),
# CHECK_DEB (clients per kernel booted through the installed Debian
# packages, scripts/e2e.sh -d, e.g. "bios"; default empty: the DKMS build
# in a TCG guest alone takes 15-30 minutes per kernel),
# CHECK_FUZZ_PKTS and CHECK_FUZZ_GENL (the fuzzers' packets, default
# 1000000, empty to skip the fuzzers, and netlink messages, default 100000),
# CHECK_KERNELS (space-separated build trees, default: scripts/kernels.sh).
set -uo pipefail

cd "$(dirname "$0")/.." || exit 1
REPO=$PWD
LOGDIR=$REPO/build/check
mkdir -p "$LOGDIR"

CHECK_NAME=check.sh
# shellcheck source=scripts/check-lib.sh
. scripts/check-lib.sh

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
	local base=build/$1/btf/vmlinux
	if [[ -s build/$1/btf/no-btf ]]; then
		echo "built without BTF: $(<"build/$1/btf/no-btf")"
		return 1
	fi
	[[ -f $base ]] || base=$2/vmlinux
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

# README's layout table names every file of kmod/ (issue 15: a reader can
# name each file's one job), and no kmod/ source is over 700 lines.
layout_table() {
	local f rc=0
	for f in kmod/*; do
		grep -qE '`(kmod/)?'"${f#kmod/}"'`' README.md ||
			{ echo "README's layout table does not name $f"; rc=1; }
		(($(wc -l <"$f") <= 700)) || { echo "$f: over 700 lines"; rc=1; }
	done
	return "$rc"
}
step "README's layout table names every kmod/ file, none over 700 lines" "$LOGDIR/layout.log" layout_table

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
		run_logged "$log" scripts/vm.sh -k "$kver" -t "${CHECK_VM_TIMEOUT:-2700}" -- \
		make -C selftests run_tests
	vm_rc=$run_rc

	if count_selftests "$log" "$kver"; then
		summaries+=("# $kver: pass:$p fail:$f skip:$s ($((SECONDS - t0))s)")
		# A clean test run but a failing guest: splat, rmmod failure, timeout.
		if ((vm_rc != 0 && f == 0)); then
			bad "guest run on $kver (vm.sh status $vm_rc: kernel splat, rmmod or timeout)"
		fi
	else
		bad "selftests on $kver (no results; vm.sh status $vm_rc)"
		summaries+=("# $kver: no results (vm.sh status $vm_rc)")
	fi

	# The fuzzers (selftests/fuzz.sh): a million packets (half of them
	# IPv6: DHCPv6, the PXEv6 boot server, TFTP) and 100,000 netlink
	# messages on this stock kernel; the fault-injection parts need the
	# debug kernel (make check-debug) and are skipped here.
	fuzz_pkts=${CHECK_FUZZ_PKTS-1000000}
	if [[ -n $fuzz_pkts ]]; then
		log=$LOGDIR/fuzz-$kver.log
		t0=$SECONDS
		run_logged "$log" scripts/vm.sh -k "$kver" -t "${CHECK_VM_TIMEOUT:-2700}" -- \
			./selftests/fuzz.sh -g "${CHECK_FUZZ_GENL:-100000}" -p "$fuzz_pkts"
		fp=$(grep -cE '^ok [0-9]+ ' "$log")
		ff=$(grep -cE '^not ok [0-9]+ ' "$log")
		fs=$(grep -cE '^ok [0-9]+ .*# SKIP' "$log")
		pass=$((pass + fp - fs)); fail=$((fail + ff)); skip=$((skip + fs))
		while read -r line; do
			failed_checks+=("$kver fuzz: ${line#not ok }")
		done < <(grep -E '^not ok [0-9]+ ' "$log")
		summaries+=("# $kver fuzz: pass:$((fp - fs)) fail:$ff skip:$fs ($((SECONDS - t0))s, $(grep -m1 -o 'seed [0-9]*' "$log"))")
		if ((run_rc != 0 && ff == 0)); then
			bad "fuzzers on $kver (vm.sh status $run_rc: kernel splat, rmmod or timeout)"
		fi
	fi

	# Real firmware booting through the module (scripts/e2e.sh: a server
	# guest of this kernel, SeaBIOS/iPXE and OVMF/EDK2 clients).
	e2e_clients=${CHECK_E2E-bios uefi map proxy4011 proxy4011-uefi uefi-http bios-xdp uefi-pxe6 uefi-http6}
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
summary_line
