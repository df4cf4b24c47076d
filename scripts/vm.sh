#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a Debian kernel under QEMU/TCG with the host's root file system
# (read-only 9p + tmpfs overlay) as the guest's root, load pxefast.ko and
# run a command in the repository directory.  Exits with the command's status,
# or non-zero on timeout, a failed rmmod or a kernel splat in dmesg.
#
#   scripts/vm.sh [-k KVER | -K DIR] [-m MEM] [-t TIMEOUT_S] [-n] [-e VAR=VALUE]... [-- CMD ARGS...]
#
#   -k KVER     kernel release (/boot/vmlinuz-KVER); default: newest of scripts/kernels.sh
#   -K DIR      a kernel build tree instead (the debug kernel of make check-debug):
#               boots DIR/arch/x86/boot/bzImage, which must have built in what
#               the guest needs (no /lib/modules); loads build/<its release>/pxefast.ko
#   -m MEM      guest memory (QEMU -m syntax), default 1G
#   -t SECONDS  wall-clock limit for the whole guest run, default 1200
#   -n          do not insmod pxefast.ko
#   -e VAR=VAL  export VAR into the guest command's environment (repeatable)
#   CMD         default: make -C selftests run_tests
#
# Environment: VM_QEMU_ARGS (extra QEMU arguments, split on blanks),
# VM_SMP (vCPUs, default 1: under TCG a second vCPU makes RCU-heavy paths such
# as rmmod and netns teardown ~2.5x slower),, VM_APPEND (extra kernel command line),
# VM_VERBOSE=1 (show the whole serial console, kernel messages included).
#
# Never uses QEMU user networking: -nic none unless VM_QEMU_ARGS adds a netdev.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SCRIPT_DIR/.." && pwd)

usage() {
	sed -n '4,24s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
	exit 2
}

KVER=
KTREE=
MEM=1G
TIMEOUT=1200
LOAD_MODULE=1
GUEST_ENV=()
while getopts ':k:K:m:t:ne:h' opt; do
	case $opt in
	k) KVER=$OPTARG ;;
	K) KTREE=$OPTARG ;;
	m) MEM=$OPTARG ;;
	t) TIMEOUT=$OPTARG ;;
	n) LOAD_MODULE=0 ;;
	e)
		[[ $OPTARG == [A-Za-z_]*=* ]] || { echo "vm.sh: -e wants VAR=VALUE" >&2; exit 2; }
		GUEST_ENV+=("$OPTARG") ;;
	h) usage ;;
	:) echo "vm.sh: -$OPTARG needs an argument" >&2; usage ;;
	*) echo "vm.sh: unknown option -$OPTARG" >&2; usage ;;
	esac
done
shift $((OPTIND - 1))
[[ ${1-} == -- ]] && shift
CMD=("$@")
((${#CMD[@]})) || CMD=(make -C selftests run_tests)

die() { echo "vm.sh: $*" >&2; exit 1; }

# The guest sees the host's root, but mounts its own /proc, /sys, /dev and
# /run: a checkout there cannot be reached.  (/tmp and /dev/shm, which the
# guest also mounts afresh, are carried across by stage 2.)
case $REPO/ in
/dev/shm/*) ;;
/proc/* | /sys/* | /dev/* | /run/* | /var/run/*)
	die "the checkout $REPO is under /$(cut -d/ -f2 <<<"$REPO"), which the guest mounts afresh: clone it elsewhere (under /tmp or /home, say)" ;;
esac

kver_of_kdir() {
	sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$1/include/generated/utsrelease.h" 2>/dev/null
}

if [[ -n $KTREE ]]; then
	[[ -z $KVER ]] || die "-k and -K exclude each other"
	KVER=$(kver_of_kdir "$KTREE")
	[[ -n $KVER ]] || die "-K $KTREE: no include/generated/utsrelease.h (not a built kernel tree)"
	KERNEL=$KTREE/arch/x86/boot/bzImage
	[[ -r $KERNEL ]] || die "$KERNEL not found (build the kernel first)"
else
	if [[ -z $KVER ]]; then
		kdir=$("$SCRIPT_DIR/kernels.sh" | tail -n1)
		[[ -n $kdir ]] || die "no kernel build tree (run scripts/deps.sh)"
		KVER=$(kver_of_kdir "$kdir")
		[[ -n $KVER ]] || die "cannot read the kernel release of $kdir"
	fi
	KERNEL=/boot/vmlinuz-$KVER
	[[ -r $KERNEL ]] || die "$KERNEL not found (install linux-image-$KVER)"
	[[ -d /lib/modules/$KVER ]] || die "/lib/modules/$KVER not found"
fi
KO=$REPO/build/$KVER/pxefast.ko
if ((LOAD_MODULE)) && [[ ! -r $KO ]]; then
	die "$KO not built (make module KDIR=<tree of $KVER>)"
fi
BUSYBOX=$(command -v busybox || true)
[[ -n $BUSYBOX ]] && file -L "$BUSYBOX" 2>/dev/null | grep -q 'statically linked' ||
	BUSYBOX=/bin/busybox
[[ -x $BUSYBOX ]] || die "busybox (busybox-static) not installed"
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 not installed"

# ---------------------------------------------------------------- initramfs
# Modules needed before the root is mounted, in load order (none for a -K
# kernel, which has them built in).
BOOT_MODULES=(virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci
	      netfs fscache 9pnet 9pnet_virtio 9p overlay)
[[ -z $KTREE ]] || BOOT_MODULES=()

# /init of the initramfs: mount the host root over 9p, overlay a tmpfs on it,
# and switch_root into the per-run stage-2 script on the results share.
read -r -d '' INIT_SCRIPT <<'EOF' || true
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
for m in $(cat /modules.order); do
	insmod "/modules/$m" || echo "init: insmod $m failed"
done
fail() { echo "init: $*"; echo b > /proc/sysrq-trigger; sleep 10; }
mkdir -p /lower /upper /newroot
mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=none hostroot /lower ||
	fail "cannot mount the host root"
mount -t tmpfs -o mode=0755 tmpfs /upper
mkdir -p /upper/u /upper/w
mount -t overlay -o lowerdir=/lower,upperdir=/upper/u,workdir=/upper/w overlay /newroot ||
	fail "cannot mount the overlay root"
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /newroot/run
mkdir -p /newroot/run/vm
mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000,cache=none vmio /newroot/run/vm ||
	fail "cannot mount the results share"
mount --move /proc /newroot/proc
mount --move /sys /newroot/sys
mount --move /dev /newroot/dev
exec switch_root /newroot /bin/bash /run/vm/stage2.sh
EOF

INITRD_DIR=$REPO/build/vm/$KVER
INITRD=$INITRD_DIR/initramfs.cpio.gz
mkdir -p "$INITRD_DIR"

mod_paths=()
for m in "${BOOT_MODULES[@]+"${BOOT_MODULES[@]}"}"; do
	while read -r verb path _; do
		[[ $verb == insmod ]] || continue
		[[ " ${mod_paths[*]-} " == *" $path "* ]] || mod_paths+=("$path")
	done < <(modprobe -S "$KVER" --show-depends "$m" 2>/dev/null || true)
done
stamp=$( { printf '%s\n' "$INIT_SCRIPT"; ls -lL --time-style=+%s "$BUSYBOX" "${mod_paths[@]+"${mod_paths[@]}"}"; } |
	sha256sum | cut -d' ' -f1)
if [[ ! -s $INITRD || "$(cat "$INITRD.stamp" 2>/dev/null)" != "$stamp" ]]; then
	echo "vm.sh: building initramfs for $KVER" >&2
	stage=$(mktemp -d "$INITRD_DIR/stage.XXXXXX")
	mkdir -p "$stage"/{bin,dev,proc,sys,modules,lower,upper,newroot}
	cp "$BUSYBOX" "$stage/bin/busybox"
	mknod -m 600 "$stage/dev/console" c 5 1
	mknod -m 666 "$stage/dev/null" c 1 3
	printf '%s\n' "$INIT_SCRIPT" > "$stage/init"
	chmod 755 "$stage/init"
	: > "$stage/modules.order"
	for p in "${mod_paths[@]+"${mod_paths[@]}"}"; do
		b=$(basename "$p")
		case $b in
		*.ko.xz) xz -dc "$p" > "$stage/modules/${b%.xz}"; b=${b%.xz} ;;
		*.ko.zst) zstd -qdc "$p" > "$stage/modules/${b%.zst}"; b=${b%.zst} ;;
		*.ko.gz) gzip -dc "$p" > "$stage/modules/${b%.gz}"; b=${b%.gz} ;;
		*) cp "$p" "$stage/modules/$b" ;;
		esac
		echo "$b" >> "$stage/modules.order"
	done
	(cd "$stage" && find . -print0 | cpio --null -o -H newc --quiet) | gzip -1 > "$stage.cpio.gz"
	mv "$stage.cpio.gz" "$INITRD"
	echo "$stamp" > "$INITRD.stamp"
	rm -rf "$stage"
fi

# ---------------------------------------------------------------- per-run dir
RUN=$(mktemp -d "$REPO/build/vm/run.XXXXXX")
QEMU_PID=
READER_PID=
# QEMU_PID is timeout(1)'s; QEMU's own PID is in its pidfile.  Kill that one
# too if it survived, after checking it is the QEMU of this run.
kill_own_qemu() {
	local qp
	qp=$(cat "$RUN/qemu.pid" 2>/dev/null) || return 0
	[[ $qp =~ ^[0-9]+$ ]] || return 0
	if tr '\0' ' ' < "/proc/$qp/cmdline" 2>/dev/null | grep -qF "$RUN/"; then
		kill -KILL "$qp" 2>/dev/null || true
	fi
}
cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	if [[ -n $QEMU_PID ]] && kill -0 "$QEMU_PID" 2>/dev/null; then
		kill -TERM "$QEMU_PID" 2>/dev/null || true
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$QEMU_PID" 2>/dev/null || break
			sleep 0.2
		done
		kill -KILL "$QEMU_PID" 2>/dev/null || true
		wait "$QEMU_PID" 2>/dev/null || true
	fi
	kill_own_qemu
	if [[ -n $READER_PID ]]; then
		kill "$READER_PID" 2>/dev/null || true
		wait "$READER_PID" 2>/dev/null || true
	fi
	if [[ -n ${VM_KEEP-} ]]; then
		echo "vm.sh: run directory kept: $RUN" >&2
	else
		rm -rf "$RUN"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The guest loads a snapshot of the module taken now, on the results share:
# the host's build/ may be rebuilt while a long run is going on (it is
# visible live in the guest), and a half-written .ko fails to load.
GUEST_KO=$KO
if [[ -r $KO ]]; then
	for try in 1 2 3 4 5 6 7 8 9 10; do
		cp "$KO" "$RUN/tmp.pxefast.ko" &&
		[[ $(modinfo -F vermagic "$RUN/tmp.pxefast.ko" 2>/dev/null) == "$KVER "* ]] && break
		((try < 10)) || die "$KO is not a valid module for $KVER"
		sleep 1
	done
	mv "$RUN/tmp.pxefast.ko" "$RUN/pxefast.ko"
	GUEST_KO=/run/vm/pxefast.ko
fi

{
	printf 'export VM_KVER=%q\n' "$KVER"
	printf 'export PXEFAST_KO=%q\n' "$GUEST_KO"
	printf 'export PXEFAST_KO_SRC=%q\n' "$KO"
	printf 'export VM_REPO=%q\n' "$REPO"
	printf 'VM_LOAD_MODULE=%d\n' "$LOAD_MODULE"
	for kv in "${GUEST_ENV[@]}"; do
		printf 'export %s=%q\n' "${kv%%=*}" "${kv#*=}"
	done
	printf 'VM_CMD=('
	printf '%q ' "${CMD[@]}"
	printf ')\n'
} > "$RUN/env.sh"

# Stage 2 runs inside the guest, in the host's root (overlaid), as PID 1.
cat > "$RUN/stage2.sh" <<'EOF'
#!/bin/bash
# pxefast guest stage 2 (generated by scripts/vm.sh)
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export HOME=/root TERM=dumb LANG=C.UTF-8
. /run/vm/env.sh
exec </dev/null
halt_now() {
	sync
	echo b > /proc/sysrq-trigger
	sleep 60
}
hostname pxefast-vm
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
# A checkout under /tmp or /dev/shm would vanish under the guest's own
# tmpfs there: hold it aside, then put it back at the same path.
for top in /tmp /dev/shm; do
	if [[ $VM_REPO/ == "$top"/* ]]; then
		mkdir -p /run/vm-repo
		mount --bind "$VM_REPO" /run/vm-repo
	fi
done
mount -t tmpfs -o mode=1777 tmpfs /dev/shm
mount -t tmpfs -o mode=1777 tmpfs /tmp
if [[ -d /run/vm-repo ]]; then
	mkdir -p "$VM_REPO"
	mount --move /run/vm-repo "$VM_REPO"
fi
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null || true
[[ -e /dev/fd ]] || ln -s /proc/self/fd /dev/fd
ln -sf /proc/self/fd/0 /dev/stdin; ln -sf /proc/self/fd/1 /dev/stdout
ln -sf /proc/self/fd/2 /dev/stderr
mkdir -p /run/netns /var/run
ip link set lo up
echo 1 > /proc/sys/kernel/sysrq
rc=0
if ((VM_LOAD_MODULE)); then
	# insmod does not resolve dependencies (e.g. udp_tunnel): modprobe them,
	# unless built in (a -K kernel has no /lib/modules at all).
	for dep in $(modinfo -F depends "$PXEFAST_KO" 2>/dev/null | tr ',' ' '); do
		[[ -d /sys/module/$dep ]] && continue
		grep -qs "/$dep.ko" "/lib/modules/$(uname -r)/modules.builtin" && continue
		modprobe "$dep" || echo "vm.sh(guest): modprobe $dep (needed by pxefast) failed"
	done
	if ! out=$(insmod "$PXEFAST_KO" 2>&1); then
		echo "vm.sh(guest): insmod $PXEFAST_KO failed: $out"
		dmesg | tail -n 20 | sed 's/^/vm.sh(guest):   /'
		rc=1
	fi
fi
echo "@@VM-BEGIN@@"
if ((rc == 0)); then
	cd "$VM_REPO"
	if ((${#VM_CMD[@]} == 1)); then
		bash -c "${VM_CMD[0]}"
	else
		"${VM_CMD[@]}"
	fi
	rc=$?
	cd /
fi
echo "@@VM-END@@"
if [[ -d /sys/module/pxefast ]]; then
	if ! out=$(rmmod pxefast 2>&1); then
		echo "vm.sh(guest): rmmod pxefast failed: $out"
		((rc)) || rc=1
	fi
fi
dmesg > /run/vm/dmesg 2>&1
# Debug kernels (make check-debug) add lockdep, UBSAN, KASAN, kmemleak and
# debug-objects reports; kmemleak's boot line is not one ("suspected").
splat='BUG:|WARNING:|Oops|UBSAN|KASAN|kmemleak: .*suspected|refcount_t|list_(add|del) corruption|general protection'
splat+='|possible circular locking|inconsistent lock state|possible recursive locking'
splat+='|sleeping function called from invalid context|suspicious RCU usage|ODEBUG:'
if grep -Eq "$splat" /run/vm/dmesg; then
	echo "vm.sh(guest): kernel splat in dmesg:"
	grep -E -A 30 "$splat" /run/vm/dmesg | head -n 120 | sed 's/^/vm.sh(guest):   /'
	((rc)) || rc=1
fi
echo "$rc" > /run/vm/rc.tmp && mv /run/vm/rc.tmp /run/vm/rc
halt_now
EOF

# ---------------------------------------------------------------- QEMU
# no_timer_check: on a loaded host TCG can miss the kernel's early check
# that the timer interrupt works ("IO-APIC + timer doesn't work!" panic).
APPEND="console=ttyS0 quiet loglevel=3 panic=-1 no_timer_check rdinit=/init ${VM_APPEND-}"
# shellcheck disable=SC2054
QEMU_ARGS=(
	-name "pxefast-$KVER" -machine pc -accel tcg -cpu max -smp "${VM_SMP:-1}" -m "$MEM"
	-nodefaults -no-user-config -display none -no-reboot
	-kernel "$KERNEL" -initrd "$INITRD" -append "$APPEND"
	-chardev "file,id=con0,path=$RUN/console" -serial chardev:con0
	-virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap
	-virtfs "local,path=$RUN,mount_tag=vmio,security_model=none,multidevs=remap"
)
# shellcheck disable=SC2206
extra=(${VM_QEMU_ARGS-})
# No NIC unless the caller brings its own netdev (never QEMU's slirp default).
[[ " ${extra[*]-} " == *" -netdev "* || " ${extra[*]-} " == *" -nic "* ]] || QEMU_ARGS+=(-nic none)
QEMU_ARGS+=("${extra[@]}")

: > "$RUN/console"
start=$SECONDS
# timeout(1) as a backstop in case this script itself is killed with SIGKILL.
timeout -k 10 $((TIMEOUT + 60)) qemu-system-x86_64 "${QEMU_ARGS[@]}" -pidfile "$RUN/qemu.pid" \
	</dev/null >"$RUN/qemu.log" 2>&1 &
QEMU_PID=$!

# Stream the console: only the command's output unless VM_VERBOSE=1.
(
	exec tail -n +1 -s 0.2 -f --pid="$QEMU_PID" "$RUN/console" 2>/dev/null |
	sed -u 's/\r$//' |
	if [[ -n ${VM_VERBOSE-} ]]; then cat; else
		# sed -u, not awk: mawk reads a pipe in blocks, which held the
		# guest's output back until a few KB had come
		sed -un '/^@@VM-BEGIN@@$/,/^@@VM-END@@$/{/^@@VM-\(BEGIN\|END\)@@$/d;p;d}
			 /^vm\.sh(guest)\|^init: /p'
	fi
) &
READER_PID=$!

timed_out=0
while kill -0 "$QEMU_PID" 2>/dev/null; do
	if ((SECONDS - start >= TIMEOUT)); then
		timed_out=1
		echo "vm.sh: guest timed out after ${TIMEOUT}s, killing QEMU" >&2
		kill -TERM "$QEMU_PID" 2>/dev/null || true
		sleep 2
		kill -KILL "$QEMU_PID" 2>/dev/null || true
		break
	fi
	sleep 0.5
done
qemu_rc=0
wait "$QEMU_PID" || qemu_rc=$?
QEMU_PID=
wait "$READER_PID" 2>/dev/null || true
READER_PID=

elapsed=$((SECONDS - start))
if [[ -s $RUN/rc ]] && ((!timed_out)); then
	rc=$(cat "$RUN/rc")
	[[ -n ${VM_DMESG_OUT-} ]] && cp "$RUN/dmesg" "$VM_DMESG_OUT"
	echo "vm.sh: $KVER guest finished in ${elapsed}s, status $rc" >&2
	exit "$rc"
fi
echo "vm.sh: $KVER guest ended without a result (qemu status $qemu_rc, ${elapsed}s);" \
	"last console lines:" >&2
tr -d '\r' < "$RUN/console" | tail -n 40 >&2
[[ -s $RUN/qemu.log ]] && { echo "vm.sh: qemu said:" >&2; cat "$RUN/qemu.log" >&2; }
exit 124
