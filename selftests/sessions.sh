#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# GET_SESSIONS while transfers start and end: hundreds of transfers from
# one client (all in one hash bucket of the session table) are held open
# while others from the same client come and go; every listing must show
# each held transfer exactly once (the kernel flags a dump its list changed
# under with NLM_F_DUMP_INTR and pxectl reads it again).

cd "$(dirname "$0")" && . ./lib.sh

require_root
require_cmd ip python3
pxectl_usable || ktap_skip_all "userspace/pxectl not built"

SRV=10.95.0.1
HELD=400
PROBE="python3 $SELFTEST_DIR/tftp_probe.py"

mark=$(dmesg_mark)
ktap_plan 5

ktap_test "module loaded" mod_load

netns_new S srv || ktap_skip_all "cannot create network namespaces"
netns_new C cli
veth_pair "$S" vs "$C" vc $SRV/24 10.95.0.2/24 ||
	ktap_skip_all "cannot create a veth pair"

ROOT=$(mktemp -d /tmp/pxf-sess.XXXXXX)
on_cleanup "rm -rf $ROOT"
head -c 100000 /dev/urandom > "$ROOT/held"
head -c 3000 /dev/urandom > "$ROOT/churn"
chmod -R a+rX "$ROOT"

inc() { ip netns exec "$C" "$@"; }
# The held transfers must outlive the test on a slow debug kernel (it took
# 391 s there, past 5 s x 50 retries): 30 s x 50, idle timeout 30 min.
printf 'dev vs\ntftp on root %s max-sessions 2000 max-per-client 2000 timeout-ms 30000 retries 50 idle-timeout-ms 1800000\n' \
	"$ROOT" | pxs setconf - || ktap_skip_all "cannot configure TFTP"

# The held transfers: a coprocess whose stdin we keep open.
coproc HOLD { inc python3 "$SELFTEST_DIR/tftp_hold.py" $SRV held $HELD; }
on_cleanup "kill $HOLD_PID"
read -r -t 180 line <&"${HOLD[0]}" || line=
hold_up() { [[ $line == "held $HELD" ]] || { echo "holder: '$line'"; return 1; }; }
ktap_test "$HELD transfers held open from one client" hold_up

# listing_ok: one pxectl sessions -j shows every held transfer once.
listing_ok() {
	pxs sessions -j | python3 -c '
import collections, json, sys
s = json.load(sys.stdin)
ports = collections.Counter(x["client_port"] for x in s)
dups = [p for p, n in ports.items() if n > 1]
held = sum(1 for x in s if x["file"] == "held")
if dups or held != int(sys.argv[1]):
    sys.exit("%d entries, %d held (want %s), client ports listed twice: %s"
             % (len(s), held, sys.argv[1], dups[:10]))
' "$HELD"
}

stable() {
	local i
	for ((i = 0; i < 5; i++)); do
		listing_ok || return 1
	done
}
ktap_test "sessions lists each held transfer once (quiet)" stable

# Transfers from the same client start and end during the listings.
churning() {
	local stop=$ROOT/.stop pids=() i rc=0
	for i in 1 2 3; do
		( while [[ ! -e $stop ]]; do inc $PROBE $SRV churn --wait 2 >/dev/null 2>&1; done ) &
		pids+=($!)
	done
	for ((i = 0; i < 40; i++)); do
		listing_ok || { rc=1; break; }
	done
	touch "$stop"
	wait "${pids[@]}"
	return "$rc"
}
ktap_test "sessions lists each held transfer once while others start and end" churning

ktap_test "no kernel splat in dmesg" dmesg_clean_since "$mark"
ktap_finished
