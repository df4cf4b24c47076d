#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install everything pxefast needs to build, test and benchmark on Debian 12.
# Idempotent; run as root.  Usage: scripts/deps.sh
set -euo pipefail

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: must run as root" >&2
	exit 1
fi

export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-y -q -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold
	  --no-install-recommends)

# Backports carry the 6.12 LTS kernel.
if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	echo 'deb http://deb.debian.org/debian bookworm-backports main' \
		> /etc/apt/sources.list.d/pxefast-backports.list
fi

# Package scripts must not start daemons on the build host (dnsmasq, nginx, tftpd-hpa, atftpd).
if [ ! -e /usr/sbin/policy-rc.d ]; then
	printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
	chmod 755 /usr/sbin/policy-rc.d
fi

apt-get update -q

apt-get install "${APT_OPTS[@]}" \
	build-essential gcc make bc flex bison libelf-dev pkg-config sparse perl \
	libnl-3-dev libnl-genl-3-dev \
	linux-image-amd64 linux-headers-amd64 linux-source-6.1 xz-utils pahole \
	qemu-system-x86 qemu-utils busybox-static kmod iproute2 cpio \
	ovmf ipxe-qemu ipxe pxelinux syslinux-common \
	dnsmasq-base nginx-light tftpd-hpa atftp tftp-hpa curl python3 python3-scapy \
	dkms gnuplot-nox jq ethtool tcpdump procps psmisc shellcheck \
	clang llvm libbpf-dev bpftool pahole \
	debhelper dh-dkms lintian man-db util-linux

# atftpd conflicts with tftpd-hpa as a package; both are benchmark peers, so
# atftpd's binary is unpacked beside the project's other tools instead.
PEERS=/var/lib/pxefast/peers
if [ ! -x "$PEERS/usr/sbin/atftpd" ]; then
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download atftpd >/dev/null)
	mapfile -t atftpd_deps < <(apt-cache depends atftpd |
		awk '/Depends:/ && $2 !~ /[<|]/ {print $2}' | grep -v -e debconf -e adduser -e lsb-base)
	apt-get install "${APT_OPTS[@]}" "${atftpd_deps[@]}"
	mkdir -p "$PEERS"
	dpkg-deb -x "$tmp"/atftpd_*.deb "$PEERS"
	rm -rf "$tmp"
fi

# 6.12 LTS from backports: the newest image+headers pair available.
v612=$(apt-cache search --names-only '^linux-image-6\.12\.[0-9]+\+deb12-amd64$' |
	awk '{print $1}' | sort -V | tail -n1)
if [ -z "$v612" ]; then
	echo "deps.sh: no linux-image-6.12 in bookworm-backports" >&2
	exit 1
fi
kver=${v612#linux-image-}
apt-get install "${APT_OPTS[@]}" -t bookworm-backports \
	"linux-image-$kver" "linux-headers-$kver"

# make check-debug builds a debug kernel from the source of the same 6.12
# release as the image above (6.12.117 = linux-source-6.12 6.12.117-1~deb12u1).
v612src=$(apt-cache policy linux-source-6.12 | awk '$1 == "Candidate:" {print $2}')
if [ -z "$v612src" ] || [ "$v612src" = "(none)" ]; then
	echo "deps.sh: no linux-source-6.12 package" >&2
	exit 1
fi
kupstream=${kver%%+*}
case $v612src in
"$kupstream"-*) ;;
*) echo "deps.sh: note: linux-source-6.12 is $v612src, the image $kver" >&2 ;;
esac
apt-get install "${APT_OPTS[@]}" "linux-source-6.12=$v612src"

echo "deps.sh: done"
