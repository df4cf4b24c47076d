#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make shellcheck`: every shell script of scripts/ and selftests/ (and the
# CI entry point) clean at shellcheck's warning level.
set -euo pipefail

cd "$(dirname "$0")/.."
command -v shellcheck >/dev/null || { echo "shellcheck.sh: shellcheck not installed (scripts/deps.sh)" >&2; exit 1; }
shopt -s nullglob
files=(scripts/*.sh selftests/*.sh .ci/run)
shellcheck -x -S warning "${files[@]}"
echo "shellcheck.sh: clean (${#files[@]} files)"
