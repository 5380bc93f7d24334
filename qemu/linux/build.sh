#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The oracle's guest: Debian 12's kernel (fetch.sh), msilab_dsa_memcpy.ko
# built against its headers with Debian's gcc-12 (the compiler the kernel
# was built with, CONFIG_CC_VERSION_TEXT), and an initramfs of busybox,
# idxd_bus.ko, idxd.ko, the module and init.
# Usage: qemu/linux/build.sh OUTDIR   (OUTDIR/vmlinuz, OUTDIR/initrd.cpio)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=$(mkdir -p "$1" && cd "$1" && pwd)
die() { echo "msilab: oracle guest: $*" >&2; exit 1; }
kdir=$("$here/fetch.sh") || exit 1
abi=${kdir##*/}
hdr=$kdir/root/usr/src/linux-headers-$abi
command -v gcc-12 >/dev/null 2>&1 || die "gcc-12 is missing (Debian's kernel was built with it: apt-get install gcc-12)"
command -v make >/dev/null 2>&1 || die "make is missing"
command -v cpio >/dev/null 2>&1 || die "cpio is missing (apt-get install cpio)"

# The module, rebuilt only when its source or the kernel changed.
m=$out/module
mkdir -p "$m"
for f in Kbuild msilab_dsa_memcpy.c; do cmp -s "$here/$f" "$m/$f" || cp "$here/$f" "$m/"; done
if ! make -s -C "$hdr" M="$m" CC=gcc-12 modules >"$out/module.log" 2>&1; then
  tail -20 "$out/module.log" >&2
  die "msilab_dsa_memcpy.ko does not build against linux-headers-$abi (see $out/module.log)"
fi
[ "$(modinfo -F vermagic "$m/msilab_dsa_memcpy.ko" 2>/dev/null | cut -d' ' -f1)" = "$abi" ] ||
  die "msilab_dsa_memcpy.ko is not built for $abi"

# The initramfs.
r=$out/initramfs
rm -rf "$r" && mkdir -p "$r/bin" "$r/lib/modules/$abi/kernel/drivers/dma"
cp "$kdir/busybox/bin/busybox" "$r/bin/" || die "no busybox in $kdir/busybox"
cp -r "$kdir/root/lib/modules/$abi/kernel/drivers/dma/idxd" "$r/lib/modules/$abi/kernel/drivers/dma/"
cp "$m/msilab_dsa_memcpy.ko" "$r/"
cp "$here/init" "$r/init"
(cd "$r" && find . | cpio -o -H newc --quiet) > "$out/initrd.cpio.part" || die "cpio failed"
mv "$out/initrd.cpio.part" "$out/initrd.cpio"
ln -sf "$kdir/root/boot/vmlinuz-$abi" "$out/vmlinuz"
echo "$abi $(cat "$kdir/version")" > "$out/kernel"
echo "msilab: oracle guest: $out (linux $abi, $(cat "$kdir/version"))" >&2
