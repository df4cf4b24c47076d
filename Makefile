# SPDX-License-Identifier: GPL-2.0
#
# pxefast: the kernel module (kmod/, built by Kbuild) and pxectl (userspace/).
#
#   make                 module for KDIR + pxectl
#   make KDIR=/path      module for another kernel, in its own build/<release>/
#   make check           build for every supported kernel, run the selftests in
#                        a guest of each, print "N passed, N failed"
#   make check-debug     build a debug kernel (KASAN, lockdep, kmemleak, UBSAN,
#                        fault injection), run the selftests and the fuzzers in it
#   make demo            PXE-boot real firmware clients through the module
#   make bench           benchmark against tftpd-hpa, dnsmasq and atftpd in a
#                        guest of each kernel (BENCH_ARGS="-k KVER -q" etc.)
#   make checkpatch      scripts/checkpatch.pl --strict over kmod/ and include/
#   make kerneldoc       scripts/kernel-doc over kmod/; public functions documented
#   make shellcheck      shellcheck (warning level) over scripts/ and selftests/
#   make install         install the module for KDIR, pxectl and the systemd units
#   make install-pxectl  pxectl, its man pages and completion, the systemd
#                        units, /etc/pxefast/pxefast.conf (when absent)
#   make deb             Debian packages pxefast-dkms and pxectl in build/deb/
#                        (dpkg-buildpackage in a copy of the tree, then lintian
#                        and systemd-analyze verify on the result)
#
# W=1 and C=1 are passed to Kbuild as usual.

# The kernel to build for: the running one's tree when there is one, else
# the newest installed Debian linux-headers-*-amd64.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
		    $(shell scripts/kernels.sh | tail -n1))
# Needed only to build the module (not for pxectl or the packages).
NEED_KDIR = $(if $(strip $(KDIR)),,$(error no kernel build tree: install linux-headers-amd64 (scripts/deps.sh) or set KDIR=))
KVER := $(shell sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' $(KDIR)/include/generated/utsrelease.h 2>/dev/null)
BUILD := $(CURDIR)/build/$(KVER)
KMOD_SRCS := $(wildcard $(CURDIR)/kmod/*.c $(CURDIR)/kmod/*.h)

PREFIX ?= /usr
DESTDIR ?=
SYSCONFDIR ?= /etc
# Debian 12's place for units shipped by packages (/usr/lib/systemd/system
# is the same directory on a merged-/usr system).
UNITDIR ?= /lib/systemd/system

.PHONY: all module pxectl check check-debug demo bench checkpatch kerneldoc shellcheck \
	install install-pxectl deb clean

all: module pxectl

# Kbuild writes objects next to sources; a tree of links per kernel release
# keeps builds for several kernels apart.
$(BUILD)/.tree: $(KMOD_SRCS) Kbuild
	$(NEED_KDIR)
	@mkdir -p $(BUILD)/kmod
	@ln -sfn $(CURDIR)/include $(BUILD)/include
	@ln -sf $(CURDIR)/Kbuild $(BUILD)/Kbuild
	@find $(BUILD)/kmod -maxdepth 1 -type l -delete
	@for f in $(KMOD_SRCS); do ln -sf $$f $(BUILD)/kmod/; done
	@touch $@

# With module BTF where the kernel allows it (the XDP kfunc needs it):
# scripts/btf-kdir.sh says which tree to build in and with what.
module: $(BUILD)/.tree
	$(NEED_KDIR)
	+@args=$$(scripts/btf-kdir.sh $(KDIR) $(BUILD)/btf) && \
		echo "$(MAKE) $$args M=$(BUILD) modules" && \
		$(MAKE) $$args M=$(BUILD) modules

pxectl:
	$(MAKE) -C userspace

check:
	scripts/check.sh

check-debug:
	scripts/check-debug.sh

demo:
	scripts/demo.sh

bench:
	scripts/bench.sh $(BENCH_ARGS)

checkpatch:
	scripts/checkpatch.sh

kerneldoc:
	scripts/kerneldoc.sh

shellcheck:
	scripts/shellcheck.sh

install: all install-pxectl
	$(MAKE) -C $(KDIR) M=$(BUILD) INSTALL_MOD_DIR=extra modules_install

install-pxectl: pxectl
	$(MAKE) -C userspace install PREFIX=$(PREFIX) DESTDIR=$(DESTDIR)
	install -D -m 0644 systemd/pxefast.service $(DESTDIR)$(UNITDIR)/pxefast.service
	install -D -m 0644 systemd/pxefast@.service $(DESTDIR)$(UNITDIR)/pxefast@.service
	test -e $(DESTDIR)$(SYSCONFDIR)/pxefast/pxefast.conf || \
		install -D -m 0644 systemd/pxefast.conf $(DESTDIR)$(SYSCONFDIR)/pxefast/pxefast.conf

deb:
	scripts/deb.sh

clean:
	rm -rf build
	$(MAKE) -C userspace clean
