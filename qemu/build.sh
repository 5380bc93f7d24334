#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Build qemu-system-x86_64 from Debian's QEMU 10.0.2 source with msilab's
# DSA/IAA device model (idxd.c) and the patches in patches/.
# Usage: qemu/build.sh OUTDIR      (the binary: OUTDIR/qemu-system-x86_64)
# The source tarball is cached in ${MSILAB_CACHE:-$HOME/.cache/msilab}.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$(mkdir -p "$1" && cd "$1" && pwd)
cache=${MSILAB_CACHE:-$HOME/.cache/msilab}
tarball=qemu_10.0.2+ds.orig.tar.xz
sha256=0901da33844a331bf8b3602b9c1fbd178e60b737c8e3ade678255bd090c9b9f1
url=${MSILAB_QEMU_URL:-http://deb.debian.org/debian/pool/main/q/qemu/$tarball}

die() { echo "msilab: qemu model: $*" >&2; exit 1; }

for t in ninja meson python3 flex bison pkg-config cc; do
  command -v $t >/dev/null 2>&1 || die "build dependency '$t' is missing (run: tools/deps.sh model)"
done
mv=$(meson --version 2>/dev/null || echo 0)
case $mv in 0.*|1.0.*|1.1.*|1.2.*|1.3.*|1.4.*)
  die "meson $mv is too old; QEMU 10 needs 1.5 or later (bookworm-backports has 1.7: tools/deps.sh model)";;
esac
pkg-config --exists glib-2.0 pixman-1 || die "libglib2.0-dev or libpixman-1-dev is missing (tools/deps.sh model)"

mkdir -p "$cache"
if [ ! -f "$cache/$tarball" ]; then
  echo "msilab: qemu model: fetching $url" >&2
  curl -fsSL -o "$cache/$tarball.part" "$url" || die "could not fetch $url"
  mv "$cache/$tarball.part" "$cache/$tarball"
fi
got=$(sha256sum "$cache/$tarball" | cut -d' ' -f1)
[ "$got" = "$sha256" ] || die "$cache/$tarball has sha256 $got, want $sha256 (delete it to fetch again)"

# Unpack and patch again only when the tarball or a patch's diff changed
# (not its header).
stamp=$( (echo $sha256; for p in "$here"/patches/*.patch; do sed -n '/^diff /,$p' "$p"; done) |
  sha256sum | cut -d' ' -f1)
src=$out/src
if [ "$(cat "$out/src.stamp" 2>/dev/null)" != "$stamp" ]; then
  # The build directory stays: ccache finds its objects under the same paths.
  rm -rf "$src" "$out/src.stamp"
  mkdir -p "$src"
  tar -xJf "$cache/$tarball" -C "$src" --strip-components=1
  for p in "$here"/patches/*.patch; do
    patch -s -p1 -d "$src" < "$p" || die "patch $(basename "$p") does not apply"
  done
  echo "$stamp" > "$out/src.stamp"
fi
# The model's sources and the device list: copied only when changed, so
# ninja rebuilds only what they touch.
for f in "$here"/hw/*; do
  cmp -s "$f" "$src/hw/misc/$(basename "$f")" || cp "$f" "$src/hw/misc/"
done
mak=$src/configs/devices/x86_64-softmmu/msilab.mak
cmp -s "$here/msilab-devices.mak" "$mak" || cp "$here/msilab-devices.mak" "$mak"

# Configure again only when these arguments change. Only the devices of
# msilab-devices.mak, no debug information: the build is part of make test.
args="--python=/usr/bin/python3 --target-list=x86_64-softmmu
  --disable-download --without-default-features --without-default-devices
  --with-devices-x86_64=msilab --disable-docs --disable-install-blobs
  --disable-debug-info --enable-tcg --enable-kvm"
if [ ! -f "$out/build/build.ninja" ] || [ "$(cat "$out/configure.args" 2>/dev/null)" != "$args" ]; then
  rm -rf "$out/build" "$out/configure.args"
  mkdir -p "$out/build"
  # shellcheck disable=SC2086
  (cd "$out/build" && "$src/configure" $args >"$out/configure.log" 2>&1) ||
    die "configure failed (see $out/configure.log)"
  echo "$args" > "$out/configure.args"
fi
ninja -C "$out/build" qemu-system-x86_64 >"$out/ninja.log" 2>&1 ||
  { tail -30 "$out/ninja.log" >&2; die "build failed (see $out/ninja.log)"; }
ln -sf build/qemu-system-x86_64 "$out/qemu-system-x86_64"
"$out/qemu-system-x86_64" -version >/dev/null || die "the built QEMU does not start"
echo "msilab: qemu model: $out/qemu-system-x86_64"
