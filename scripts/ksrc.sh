# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# ksrc_tool FILE...: print the directory holding the kernel source's
# scripts/FILE..., extracted once from Debian's linux-source-*.tar.xz into
# build/kernel-scripts/ (Debian's headers packages ship neither checkpatch.pl
# nor kernel-doc).  Source this file.

ksrc_tool() {
	local dir=build/kernel-scripts f missing=() top tmp src
	for f in "$@"; do
		[[ -s $dir/$f ]] || missing+=("$f")
	done
	if ((${#missing[@]})); then
		# 6.1's tools, as always (linux-source-6.12 is there for check-debug).
		src=${KERNEL_SOURCE_TAR:-$(find /usr/src -maxdepth 1 -name 'linux-source-6.1.tar.xz')}
		[[ -n $src ]] || src=$(find /usr/src -maxdepth 1 -name 'linux-source-*.tar.xz' | sort -V | tail -n1)
		if [[ ! -r $src ]]; then
			echo "no /usr/src/linux-source-*.tar.xz (apt-get install linux-source-6.1)" >&2
			return 1
		fi
		echo "extracting ${missing[*]} from $src (once)" >&2
		top=$(tar -tJf "$src" 2>/dev/null | head -n1 | cut -d/ -f1) || true
		tmp=$(mktemp -d)
		# --occurrence: stop reading the archive once all are found.
		if ! tar -xJf "$src" -C "$tmp" --occurrence=1 "${missing[@]/#/$top/scripts/}"; then
			rm -rf "$tmp"
			return 1
		fi
		mkdir -p "$dir"
		for f in "${missing[@]}"; do
			cp "$tmp/$top/scripts/$f" "$dir/"
		done
		rm -rf "$tmp"
	fi
	echo "$dir"
}
