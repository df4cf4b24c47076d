#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Print the build trees of the Debian kernels pxefast is built and tested
# for, oldest first: every installed linux-headers-*-amd64 (generic flavour).
ls -d /usr/src/linux-headers-*-amd64 2>/dev/null |
	grep -v -e '-rt-amd64$' -e '-cloud-amd64$' | sort -V
