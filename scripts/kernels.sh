#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the build trees of the Debian kernels pxefast is built and tested
# for, oldest first: every installed linux-headers-*-amd64 (generic flavour).
for d in /usr/src/linux-headers-*-amd64; do
	case $d in
	*-rt-amd64 | *-cloud-amd64) ;;
	*) [ -d "$d" ] && echo "$d" ;;
	esac
done | sort -V
