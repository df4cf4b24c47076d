#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The generic netlink family "pxefast": registered with its operations and
# the "events" multicast group while the module is loaded, admin-only
# SET_CONFIG, gone after rmmod, back after insmod.

cd "$(dirname "$0")" && . ./lib.sh

require_root
require_cmd genl insmod rmmod
[[ -r $PXEFAST_KO ]] || ktap_skip_all "$PXEFAST_KO not found"

mark=$(dmesg_mark)
TMPDIR_GENL=$(mktemp -d)
on_cleanup "rm -rf $TMPDIR_GENL"
ktap_plan 14

ktap_test "module loaded" mod_load

out=$(genl ctrl get name pxefast 2>&1)
if grep -q '^Name: pxefast' <<<"$out"; then
	ktap_ok "genl ctrl get name pxefast finds the family"
else
	ktap_diag "$out"
	ktap_fail "genl ctrl get name pxefast finds the family"
fi

# Operations: GET_CONFIG, SET_CONFIG, GET_STATS, GET_SESSIONS
# (include/uapi/linux/pxefast.h).
ops_present() {
	local id missing=
	for id in 0x1 0x2 0x3 0x4; do
		grep -Eq "ID-$id( |$)" <<<"$out" || missing+=" $id"
	done
	grep -q 'Version: 0x1' <<<"$out" || { echo "not version 1"; return 1; }
	[[ -z $missing ]] || { echo "missing ops:$missing"; echo "$out"; return 1; }
}
ktap_test "family version 1 with GET_CONFIG, SET_CONFIG, GET_STATS and GET_SESSIONS" ops_present

if grep -Eq 'name: events( |$)' <<<"$out"; then
	ktap_ok "multicast group 'events'"
else
	ktap_diag "$out"
	ktap_fail "multicast group 'events'"
fi

# Permissions: GET_CONFIG is open to everyone, SET_CONFIG needs CAP_NET_ADMIN.
if [[ -x $PXF_NL ]] && command -v setpriv >/dev/null; then
	unpriv() {
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			--inh-caps=-all --bounding-set=-all -- "$PXF_NL" "$@"
	}
	ktap_test "GET_CONFIG allowed without privileges" unpriv devs
	set_refused() {
		local o
		if o=$(unpriv set 2>&1); then
			echo "unprivileged SET_CONFIG succeeded"
			return 1
		fi
		grep -q 'Operation not permitted' <<<"$o" || { echo "$o"; return 1; }
	}
	ktap_test "SET_CONFIG refused without CAP_NET_ADMIN (EPERM)" set_refused
	events_refused() {
		local o
		if o=$(setpriv --reuid=65534 --regid=65534 --clear-groups \
			--inh-caps=-all --bounding-set=-all -- \
			timeout 10 "$PXECTL" monitor 2>&1); then
			echo "unprivileged monitor ran: $o"
			return 1
		fi
		[[ $o == *'cannot join group "events"'* ]] || { echo "$o"; return 1; }
	}
	ktap_test "events group refused without CAP_NET_ADMIN" events_refused
else
	ktap_skip "GET_CONFIG allowed without privileges" "pxf_nl or setpriv missing"
	ktap_skip "SET_CONFIG refused without CAP_NET_ADMIN (EPERM)" "pxf_nl or setpriv missing"
	ktap_skip "events group refused without CAP_NET_ADMIN" "pxf_nl or setpriv missing"
fi

# Root in a container (a user namespace owning a network namespace)
# configures that namespace and hears its events, and nothing else.
if [[ -x $PXF_NL ]] && unshare --user --map-root-user --net true 2>/dev/null; then
	container_own_netns() {
		unshare --user --map-root-user --net bash -c '
			set -e
			ip link add d0 type dummy
			ip link set d0 up
			timeout 60 "$1" monitor > "$3" 2>&1 &
			for ((i = 0; i < 100; i++)); do
				"$2" set d0 >/dev/null
				grep -q config-changed "$3" && break
				sleep 0.2
			done
			kill $! 2>/dev/null || true
			"$2" devs | grep -q "^dev d0 "
			grep -q config-changed "$3"
		' _ "$PXECTL" "$PXF_NL" "$TMPDIR_GENL/mon.out" ||
			{ echo "in its own netns:"; cat "$TMPDIR_GENL/mon.out"; return 1; }
	}
	ktap_test "container root: SET_CONFIG and events in its own netns" container_own_netns
	container_not_init() {
		local o
		if o=$(unshare --user --map-root-user "$PXF_NL" set 2>&1); then
			echo "user-namespace root changed init_net's configuration"
			return 1
		fi
		grep -q 'Operation not permitted' <<<"$o" || { echo "$o"; return 1; }
		if o=$(unshare --user --map-root-user timeout 10 "$PXECTL" monitor 2>&1); then
			echo "user-namespace root joined init_net's events: $o"
			return 1
		fi
		[[ $o == *'cannot join group "events"'* ]] || { echo "$o"; return 1; }
	}
	ktap_test "container root: init_net's configuration and events refused" container_not_init
else
	ktap_skip "container root: SET_CONFIG and events in its own netns" "no user namespaces"
	ktap_skip "container root: init_net's configuration and events refused" "no user namespaces"
fi

# Compare-and-swap on the configuration generation (the contract pxectl's
# read-modify-write verbs rely on).
if [[ -x $PXF_NL ]]; then
	cas() {
		local g o
		g=$("$PXF_NL" devs | awk '$1 == "generation" {print $2}')
		[[ $g =~ ^[0-9]+$ ]] || { echo "no generation in GET_CONFIG"; return 1; }
		o=$("$PXF_NL" set -g "$g" 2>&1) ||
			{ echo "SET_CONFIG with the current generation $g: $o"; return 1; }
		grep -qx "generation $((g + 1))" <<<"$o" ||
			{ echo "reply to SET_CONFIG -g $g: '$o', expected generation $((g + 1))"; return 1; }
		if o=$("$PXF_NL" set -g "$g" 2>&1); then
			echo "SET_CONFIG with the stale generation $g succeeded"
			return 1
		fi
		grep -q 'Stale file handle' <<<"$o" || { echo "stale: $o"; return 1; }
	}
	ktap_test "SET_CONFIG compare-and-swap: current generation applies, stale one gets ESTALE" cas
else
	ktap_skip "SET_CONFIG compare-and-swap" "pxf_nl not built"
fi

# Per-command policies: the core refuses, with an extended ack, an attribute
# the command does not take (2 GENERATION, 12 STATS_CLEAR, 200 past
# PXEFAST_A_MAX), and lets one it takes through.
if [[ -x $PXF_NL ]]; then
	policy_per_command() {
		local spec cmd attr o
		o=$("$PXF_NL" extra stats 12 2>&1) ||
			{ echo "GET_STATS with STATS_CLEAR refused: $o"; return 1; }
		for spec in "config 2" "config 12" "set 12" "stats 2" \
			    "sessions 2" "stats 200"; do
			read -r cmd attr <<<"$spec"
			if o=$("$PXF_NL" extra "$cmd" "$attr" 2>&1); then
				echo "$cmd with attribute $attr accepted"
				return 1
			fi
			grep -Eq 'Invalid argument: (Unsupported attribute|Unknown attribute type)' <<<"$o" ||
				{ echo "$cmd with attribute $attr: $o"; return 1; }
		done
	}
	ktap_test "each command's policy refuses the attributes it does not take" policy_per_command
else
	ktap_skip "each command's policy refuses the attributes it does not take" "pxf_nl not built"
fi

family_gone() {
	mod_unload || return 1
	if genl ctrl get name pxefast >/dev/null 2>&1; then
		echo "family still registered after rmmod"
		return 1
	fi
}
ktap_test "family gone after rmmod" family_gone

family_back() {
	mod_load || return 1
	genl ctrl get name pxefast | grep -q '^Name: pxefast'
}
ktap_test "family back after insmod" family_back

ktap_test "no kernel splat in dmesg" dmesg_clean_since "$mark"
ktap_finished
