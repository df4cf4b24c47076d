#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make deb`: build the Debian packages pxefast-dkms and pxectl from this
# tree with Debian's tools (dpkg-buildpackage, debhelper 13, dh-dkms), in a
# copy under build/deb/ so the tree stays clean, then check the result:
#
#   - lintian on the .changes (source and both .debs): no error allowed;
#     warnings are printed (the ones kept have an override with its reason
#     in debian/*.lintian-overrides);
#   - systemd-analyze verify on the units as packaged, with pxectl and the
#     man pages of the package in place of the installed ones.
#
#   scripts/deb.sh [-n]     -n: skip the checks (build only)
#
# The .debs, .dsc, .tar.xz, .buildinfo and .changes are left in build/deb/.
set -euo pipefail

cd "$(dirname "$0")/.."
REPO=$PWD
OUT=$REPO/build/deb
CHECKS=1
[[ ${1-} == -n ]] && CHECKS=0

die() { echo "deb.sh: $*" >&2; exit 1; }
for t in dpkg-buildpackage dh dh_dkms lintian systemd-analyze; do
	command -v "$t" >/dev/null || die "$t not found (scripts/deps.sh installs it)"
done

ver=$(dpkg-parsechangelog -l debian/changelog -S Version)
src=$(dpkg-parsechangelog -l debian/changelog -S Source)
rm -rf "$OUT"
mkdir -p "$OUT/$src-$ver"
# The files of the tree: git's list (tracked and new, not ignored) when it
# is a checkout, else everything but build output.
if git -C "$REPO" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	git -C "$REPO" ls-files -z --cached --others --exclude-standard |
		while IFS= read -r -d '' f; do [[ -e $f ]] && printf '%s\0' "$f"; done |
		tar -C "$REPO" --null -T - -cf - | tar -C "$OUT/$src-$ver" -xf -
else
	tar -C "$REPO" --exclude=./build --exclude=.git -cf - . | tar -C "$OUT/$src-$ver" -xf -
fi

echo "deb.sh: building $src $ver in $OUT/$src-$ver"
(cd "$OUT/$src-$ver" && dpkg-buildpackage -us -uc) > "$OUT/build.log" 2>&1 ||
	{ tail -n 60 "$OUT/build.log" >&2; die "dpkg-buildpackage failed (log: $OUT/build.log)"; }
rm -rf "${OUT:?}/$src-$ver"
changes=$(ls "$OUT"/*.changes)
ls -l "$OUT"/*.deb

((CHECKS)) || exit 0

# lintian: errors fail the build, everything else is shown.
echo "deb.sh: lintian $(basename "$changes")"
lintian --fail-on error --display-info --pedantic "$changes" | tee "$OUT/lintian.log" ||
	die "lintian reports errors (see above)"
echo "deb.sh: lintian: $(grep -c '^E:' "$OUT/lintian.log" || true) errors," \
	"$(grep -c '^W:' "$OUT/lintian.log" || true) warnings"

# systemd-analyze verify on the units as the package installs them.  It
# checks that the commands exist and the man pages named by Documentation=
# open, so pxectl's package is unpacked and put first on PATH and MANPATH,
# and the units' absolute /usr/sbin/pxectl is pointed at it.
root=$OUT/root
rm -rf "$root"
dpkg-deb -x "$OUT"/pxectl_*.deb "$root"
mkdir -p "$root/units"
for u in "$root"/lib/systemd/system/*.service; do
	sed "s|/usr/sbin/pxectl|$root/usr/sbin/pxectl|g" "$u" > "$root/units/${u##*/}"
done
cp "$root/units/pxefast@.service" "$root/units/pxefast@labnet.service"
echo "deb.sh: systemd-analyze verify pxefast.service pxefast@labnet.service"
# It exits 0 on directives it ignores ("Failed to parse ..., ignoring"):
# any message fails the check.
rc=0
out=$(MANPATH=$root/usr/share/man: systemd-analyze verify \
	"$root/units/pxefast.service" "$root/units/pxefast@labnet.service" 2>&1) || rc=$?
if ((rc)) || [[ -n $out ]]; then
	printf '%s\n' "$out" >&2
	die "systemd-analyze verify: status $rc, messages above"
fi
rm -rf "$root"
echo "deb.sh: ok: $(cd "$OUT" && ls ./*.deb | tr '\n' ' ')"
