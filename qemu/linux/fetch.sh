#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Debian 12's kernel for the oracle, extracted, never installed: the newest
# 6.1 linux-image-amd64 apt knows, its headers (+ -common, linux-kbuild)
# and busybox-static, in ${MSILAB_CACHE:-$HOME/.cache/msilab}/debian-linux/ABI.
# Prints that directory. Downloads about 85 MB once (linux-image 71 MB,
# headers-common 10.5 MB, headers 1.8 MB, kbuild 1.6 MB, busybox 0.9 MB);
# keeps about 90 MB extracted (only the kernel, the idxd modules, headers).
# Usage: qemu/linux/fetch.sh            (MSILAB_LINUX_ABI=6.1.0-NN-amd64 pins one)
set -eu
cache=${MSILAB_CACHE:-$HOME/.cache/msilab}/debian-linux
die() { echo "msilab: oracle kernel: $*" >&2; exit 1; }
command -v apt-get >/dev/null 2>&1 || die "apt-get is missing: Debian's kernel packages cannot be fetched"

newest_61() {
  # linux-image-amd64's 6.1 versions (bookworm, bookworm-security), newest
  # first; its Depends names the ABI package (linux-image-6.1.0-NN-amd64).
  apt-cache madison linux-image-amd64 2>/dev/null | awk -F'|' '{gsub(/ /,"",$2); print $2}' |
    grep '^6\.1\.' | sort -V -r | head -1
}
abi=${MSILAB_LINUX_ABI:-}
if [ -z "$abi" ]; then
  ver=$(newest_61)
  if [ -z "$ver" ] && [ "$(id -u)" = 0 ]; then
    apt-get update -q >/dev/null 2>&1 || true
    ver=$(newest_61)
  fi
  if [ -n "$ver" ]; then
    abi=$(apt-cache depends "linux-image-amd64=$ver" 2>/dev/null |
          sed -n 's/.*Depends: linux-image-\(6\.1\.0-[0-9]*-amd64\)$/\1/p' | head -1)
  fi
fi
cached() { for d in $(ls "$cache" 2>/dev/null | grep '^6\.1\.0-[0-9]*-amd64$' | sort -V -r); do
             [ -f "$cache/$d/.done" ] && { echo "$d"; return; }; done; true; }
if [ -z "$abi" ]; then
  # Offline, or apt's lists not fetched: the newest one already here.
  abi=$(cached)
  [ -n "$abi" ] || die "apt knows no 6.1 linux-image-amd64 (Debian 12) and none is cached in $cache (run apt-get update)"
  echo "msilab: oracle kernel: apt names no 6.1 kernel; using the cached $abi" >&2
fi
case $abi in 6.1.0-*-amd64) ;; *) die "kernel ABI '$abi' is not Debian 12's 6.1.0-NN-amd64";; esac
dir=$cache/$abi
if [ -f "$dir/.done" ]; then echo "$dir"; exit 0; fi

rm -rf "$dir" && mkdir -p "$dir/debs"
( cd "$dir/debs" && apt-get download "linux-image-$abi" "linux-headers-$abi" \
    "linux-headers-${abi%-amd64}-common" linux-kbuild-6.1 busybox-static ) >"$dir/download.log" 2>&1 || {
  old=$(cached)
  if [ -z "$MSILAB_LINUX_ABI" ] && [ -n "$old" ]; then
    echo "msilab: oracle kernel: apt-get download of linux-image-$abi failed; using the cached $old" >&2
    rm -rf "$dir"; echo "$cache/$old"; exit 0
  fi
  die "apt-get download failed for linux-image-$abi and its headers (see $dir/download.log)"; }
# The kbuild package must be the very version the headers were built with.
hv=$(dpkg-deb -f "$dir"/debs/linux-headers-"$abi"_*.deb Version)
kv=$(dpkg-deb -f "$dir"/debs/linux-kbuild-6.1_*.deb Version)
if [ "$hv" != "$kv" ]; then
  rm -f "$dir"/debs/linux-kbuild-6.1_*.deb
  ( cd "$dir/debs" && apt-get download "linux-kbuild-6.1=$hv" ) >>"$dir/download.log" 2>&1 ||
    die "linux-kbuild-6.1 $hv (the headers' version) is not available; apt has $kv"
fi

mkdir -p "$dir/root" "$dir/busybox"
# The kernel image and only the modules the oracle loads.
dpkg-deb --fsys-tarfile "$dir"/debs/linux-image-"$abi"_*.deb |
  tar -x -C "$dir/root" "./boot/vmlinuz-$abi" "./boot/config-$abi" \
      "./lib/modules/$abi/kernel/drivers/dma/idxd" "./lib/modules/$abi/modules.builtin" \
      "./lib/modules/$abi/modules.order" ||
  die "linux-image-$abi has no vmlinuz or idxd modules"
for d in "$dir"/debs/linux-headers-*.deb "$dir"/debs/linux-kbuild-6.1_*.deb; do
  dpkg-deb -x "$d" "$dir/root" || die "cannot extract $(basename "$d")"
done
dpkg-deb -x "$dir"/debs/busybox-static_*.deb "$dir/busybox" || die "cannot extract busybox-static"
# The headers point at /usr/src absolutely (Makefile's include, the build
# and source links): make them point into this tree.
hdr=$dir/root/usr/src/linux-headers-$abi
sed -i "s|^include /usr/src/|include $dir/root/usr/src/|" "$hdr/Makefile"
ln -sfn "../../../usr/src/linux-headers-$abi" "$dir/root/lib/modules/$abi/build"
ln -sfn "../../../usr/src/linux-headers-${abi%-amd64}-common" "$dir/root/lib/modules/$abi/source"
[ "$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$hdr/include/generated/utsrelease.h")" = "$abi" ] ||
  die "the headers are not for $abi"
dpkg-deb -f "$dir"/debs/linux-image-"$abi"_*.deb Version > "$dir/version"
rm -rf "$dir/debs"
touch "$dir/.done"
echo "$dir"
