#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run what systemd would run for a start, reload or stop of a oneshot unit,
# read from the unit file itself, where systemd is not PID 1 (the test
# guests of scripts/vm.sh).
#
#   scripts/unit-run.sh [-q] UNIT_FILE start|reload|stop [INSTANCE]
#
#   start   ExecStartPre=..., ExecStart=..., ExecStartPost=... in order
#   reload  ExecReload=...
#   stop    ExecStop=..., ExecStopPost=...
#
# %i and %I are replaced by INSTANCE (template units), %% by %.  A command
# prefixed with "-" may fail; any other failure stops the sequence with its
# status, as systemd does.  Each command runs with the unit's
# CapabilityBoundingSet= as its bounding set and with no_new_privs when
# NoNewPrivileges=yes (setpriv(1)), so missing capabilities show here as
# they would under systemd.  Not emulated: the seccomp and namespace
# restrictions (SystemCallFilter=, RestrictAddressFamilies=,
# RestrictNamespaces=...); `systemd-analyze verify` checks their syntax.
# Each command is echoed as "unit-run: NAME: ExecX=COMMAND" unless -q.
set -euo pipefail

QUIET=0
[[ ${1-} == -q ]] && { QUIET=1; shift; }
(($# == 2 || $# == 3)) || { sed -n '7,23s/^# \{0,1\}//p' "$0" >&2; exit 2; }
UNIT=$1 ACTION=$2 INSTANCE=${3-}
[[ -r $UNIT ]] || { echo "unit-run: $UNIT: not readable" >&2; exit 2; }
case $ACTION in
start) KEYS=(ExecStartPre ExecStart ExecStartPost) ;;
reload) KEYS=(ExecReload) ;;
stop) KEYS=(ExecStop ExecStopPost) ;;
*) echo "unit-run: unknown action $ACTION" >&2; exit 2 ;;
esac
NAME=${UNIT##*/}
# A template (NAME@.service) needs an instance, any other unit none.
if [[ $NAME == *@.* ]]; then
	[[ -n $INSTANCE ]] || { echo "unit-run: $NAME is a template: give an instance" >&2; exit 2; }
	NAME=${NAME/@./@$INSTANCE.}
elif [[ -n $INSTANCE ]]; then
	echo "unit-run: $NAME is not a template: no instance" >&2
	exit 2
fi

# The [Service] section's assignments, in order, continuation lines joined.
service_lines() {
	awk '
		/^[ \t]*[#;]/ { next }
		/^\[/ { in_s = ($0 == "[Service]"); next }
		!in_s { next }
		{ line = line $0 }
		/\\$/ { sub(/\\$/, " ", line); next }
		{ if (line != "") print line; line = "" }
	' "$UNIT"
}

expand() {   # the specifiers this script knows
	local s=$1
	s=${s//%%/$'\x01'}
	s=${s//%i/$INSTANCE}
	s=${s//%I/$INSTANCE}
	[[ $s != *%* ]] || { echo "unit-run: unsupported specifier in: $1" >&2; exit 2; }
	printf '%s' "${s//$'\x01'/%}"
}

caps=() nnp=0
while IFS= read -r l; do
	key=${l%%=*} val=${l#*=}
	case $key in
	CapabilityBoundingSet)
		for c in $val; do
			[[ $c == CAP_* ]] || { echo "unit-run: cannot emulate CapabilityBoundingSet=$val" >&2; exit 2; }
			c=${c#CAP_}
			caps+=("+${c,,}")
		done ;;
	NoNewPrivileges) [[ $val == yes || $val == true || $val == 1 ]] && nnp=1 ;;
	esac
done < <(service_lines)

wrap=()
if ((${#caps[@]})) || ((nnp)); then
	wrap=(setpriv)
	if ((${#caps[@]})); then
		wrap+=(--bounding-set "-all,$(IFS=,; echo "${caps[*]}")")
	fi
	((nnp)) && wrap+=(--no-new-privs)
	wrap+=(--)
fi

for key in "${KEYS[@]}"; do
	while IFS= read -r l; do
		[[ ${l%%=*} == "$key" ]] || continue
		cmd=$(expand "${l#*=}")
		may_fail=0
		while [[ $cmd == [-@+!:]* ]]; do
			case ${cmd:0:1} in
			-) may_fail=1 ;;
			*) echo "unit-run: prefix '${cmd:0:1}' not emulated: $cmd" >&2; exit 2 ;;
			esac
			cmd=${cmd:1}
		done
		((QUIET)) || echo "unit-run: $NAME: $key=$cmd"
		read -r -a argv <<<"$cmd"
		rc=0
		"${wrap[@]}" "${argv[@]}" || rc=$?
		if ((rc)); then
			if ((may_fail)); then
				echo "unit-run: $NAME: $key failed with status $rc (ignored: '-')"
			else
				echo "unit-run: $NAME: $key failed with status $rc" >&2
				exit "$rc"
			fi
		fi
	done < <(service_lines)
done
