#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pxefast's configuration is per network namespace: what is set in one
# namespace is invisible in another and in init_net, and a namespace going
# away takes its configuration with it without disturbing the others.

cd "$(dirname "$0")" && . ./lib.sh

require_root
require_cmd ip
require_helpers

mark=$(dmesg_mark)
ktap_plan 9

ktap_test "module loaded" mod_load

netns_new A a || ktap_skip_all "cannot create network namespaces"
netns_new B b
veth_pair "$A" vethA "$B" vethB 10.98.0.1/24 10.98.0.2/24 ||
	ktap_skip_all "cannot create a veth pair"

inns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
devs_of() { inns "$1" "$PXF_NL" devs | awk '$1 == "dev" {print $2}' | sort | tr '\n' ' '; }

# expect_devs NS "NAMES ": the served interfaces NS's configuration lists.
expect_devs() {
	local got
	got=$(devs_of "$1") || { echo "GET_CONFIG failed in $1"; return 1; }
	[[ $got == "$2" ]] || { echo "netns $1: served devices '$got', expected '$2'"; return 1; }
}

ktap_test "SET_CONFIG dev vethA in netns A" inns "$A" "$PXF_NL" set vethA
ktap_test "netns A lists vethA" expect_devs "$A" "vethA "
ktap_test "netns B lists nothing" expect_devs "$B" ""
ktap_test "init_net lists nothing" expect_devs /proc/1/ns/net ""

# Refused by the kernel (status 1) for the right reason, not a crash of
# the helper or any other failure.
refused_in_b() {
	local err rc=0
	err=$(inns "$B" "$PXF_NL" set vethA 2>&1) || rc=$?
	if ((rc == 0)); then
		echo "netns B accepted A's interface"
		return 1
	fi
	if ((rc != 1)) || [[ $err != *"No such device"*"no such interface in this namespace"* ]]; then
		echo "expected ENODEV 'no such interface in this namespace', got status $rc: $err"
		return 1
	fi
}
ktap_test "netns B cannot serve A's interface" refused_in_b

# The same through pxectl, when it is there (issue 3).
if pxectl_usable; then
	with_pxectl() {
		inns "$A" "$PXF_NL" set >/dev/null || return 1
		"$PXECTL" -n "$A" dev add vethA || return 1
		expect_devs "$A" "vethA " && expect_devs "$B" ""
	}
	ktap_test "pxectl -n A dev add vethA: visible in A only" with_pxectl
else
	ktap_skip "pxectl -n A dev add vethA: visible in A only" \
		"userspace/pxectl not built or not working yet"
fi

# A dies with its configuration; B keeps its own.  (B serves a dummy
# device: the veth pair dies with A.)
a_dies() {
	ip -n "$B" link add dumB type dummy && ip -n "$B" link set dumB up || return 1
	inns "$A" "$PXF_NL" set vethA >/dev/null || return 1
	inns "$B" "$PXF_NL" set dumB >/dev/null || return 1
	netns_del "$A" || return 1
	expect_devs "$B" "dumB "
}
ktap_test "netns A destroyed while configured, B keeps its configuration" a_dies

ktap_test "no kernel splat in dmesg" dmesg_clean_since "$mark"
ktap_finished
