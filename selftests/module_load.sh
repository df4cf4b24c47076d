#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Load and unload pxefast.ko repeatedly, with network namespaces created
# and destroyed around the loads (pernet init/exit for namespaces that
# exist before the module and for ones that come after), and with a
# configuration pinned in namespaces that die while the module is loaded.
# Leaves the module loaded for the tests that follow.

cd "$(dirname "$0")" && . ./lib.sh

CYCLES=${PXF_LOAD_CYCLES:-20}
NETNS=${PXF_LOAD_NETNS:-50}

require_root
require_cmd insmod rmmod ip
[[ -r $PXEFAST_KO ]] || ktap_skip_all "$PXEFAST_KO not found"

mark=$(dmesg_mark)
ktap_plan 6

# Load the module if the harness did not, then check it is there.
ktap_test "module loaded" mod_load

cycle_plain() {
	local i
	for ((i = 1; i <= CYCLES; i++)); do
		mod_unload || { echo "cycle $i: unload"; return 1; }
		mod_load || { echo "cycle $i: load"; return 1; }
	done
}
ktap_test "rmmod/insmod $CYCLES times, /sys/module/pxefast gone after each rmmod" cycle_plain

# ip -batch: one process for many namespaces (TCG makes fork+exec costly).
ns_batch() {	# ns_batch add|del PREFIX COUNT
	local i
	for ((i = 0; i < $3; i++)); do
		echo "netns $1 $2-$i"
	done | ip -batch -
}

cycle_netns() {
	local i half=$((NETNS / 2)) p
	for ((i = 1; i <= CYCLES; i++)); do
		p="pxf-load-$$-$i"
		mod_unload || { echo "cycle $i: unload"; return 1; }
		# Half the namespaces exist before the module is loaded...
		ns_batch add "$p-a" "$half" || { echo "cycle $i: netns add"; return 1; }
		mod_load || { echo "cycle $i: load"; return 1; }
		# ...half are created while it is loaded.
		ns_batch add "$p-b" "$((NETNS - half))" || { echo "cycle $i: netns add"; return 1; }
		if ! ns_batch del "$p-a" "$half" || ! ns_batch del "$p-b" "$((NETNS - half))"; then
			echo "cycle $i: netns del"
			return 1
		fi
	done
}
ktap_test "rmmod/insmod $CYCLES times with $NETNS netns created and destroyed around each load" \
	cycle_netns

# Namespaces holding a configuration (a served veth) die while the module
# is loaded, then the module goes: nothing may keep a device or netns alive.
configured_netns_die() {
	local i ns peer
	for ((i = 0; i < 8; i++)); do
		netns_new ns cfg || return 1
		netns_new peer cfgpeer || return 1
		veth_pair "$ns" veth0 "$peer" veth1 10.99.$i.1/24 10.99.$i.2/24 || return 1
		ip netns exec "$ns" "$PXF_NL" set veth0 >/dev/null || return 1
		netns_del "$ns" || return 1
		netns_del "$peer" || return 1
	done
}
if [[ -x $PXF_NL ]]; then
	# Configure a device of the init namespace too: that config must be
	# dropped on rmmod.
	ip link add pxf-ml-$$ type dummy 2>/dev/null
	on_cleanup "ip link del pxf-ml-$$"
	configured_then_rmmod() {
		ip link set "pxf-ml-$$" up && "$PXF_NL" set "pxf-ml-$$" >/dev/null &&
			configured_netns_die && mod_unload && mod_load
	}
	ktap_test "netns holding a configuration destroyed, then rmmod" configured_then_rmmod
	ip link del pxf-ml-$$ 2>/dev/null
else
	ktap_skip "netns holding a configuration destroyed, then rmmod" "pxf_nl not built"
fi

ktap_test "module loaded again for the following tests" mod_load
ktap_test "no kernel splat in dmesg" dmesg_clean_since "$mark"
ktap_finished
