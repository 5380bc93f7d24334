#!/bin/sh
# SPDX-License-Identifier: MIT
# Check (and, as root, install) what msilab needs to build and test.
# Usage: tools/deps.sh [build|run|test]   (default: test = everything)
set -eu
what=${1:-test}

need_build="gcc make nasm gnu-efi grub-pc-bin grub-efi-amd64-bin grub-common xorriso mtools"
need_run="ovmf seabios"
need_test="libcmocka-dev pkg-config perl"
case $what in
  build) pkgs="$need_build" ;;
  run)   pkgs="$need_build $need_run" ;;
  test)  pkgs="$need_build $need_run $need_test" ;;
  *) echo "usage: $0 [build|run|test]" >&2; exit 2 ;;
esac

missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
want_qemu=0
if [ "$what" != build ] && ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
  want_qemu=1
fi
[ -z "$missing" ] && [ $want_qemu = 0 ] && exit 0

bp=/etc/apt/sources.list.d/bookworm-backports.sources
if [ "$(id -u)" != 0 ]; then
  echo "msilab: missing packages:$missing$( [ $want_qemu = 1 ] && echo ' qemu-system-x86')" >&2
  echo "msilab: as root, run:" >&2
  echo "  tools/deps.sh $what" >&2
  echo "  (or: apt-get install$missing; QEMU 10 from bookworm-backports:" >&2
  echo "   apt-get install -t bookworm-backports qemu-system-x86)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if [ $want_qemu = 1 ] && [ ! -f $bp ] && grep -qs bookworm /etc/os-release; then
  cat > $bp <<SRC
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
apt-get update -q || echo "msilab: apt-get update reported errors; trying to install anyway" >&2
[ -n "$missing" ] && apt-get install -y -q --no-install-recommends $missing
if [ $want_qemu = 1 ]; then
  apt-get install -y -q --no-install-recommends -t bookworm-backports qemu-system-x86 ||
    apt-get install -y -q --no-install-recommends qemu-system-x86
fi
