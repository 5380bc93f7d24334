#!/bin/sh
# SPDX-License-Identifier: MIT
# Check (and, as root, install) what msilab needs to build and test.
# Usage: tools/deps.sh [build|run|test|fuzz|report|lava|lava-lab|model]   (default: test)
set -eu
what=${1:-test}

need_build="gcc make nasm gnu-efi grub-pc-bin grub-efi-amd64-bin grub-common xorriso mtools"
need_run="ovmf seabios"
need_test="libcmocka-dev perl python3 python3-yaml python3-jsonschema acpica-tools tappy"
# The oracle (tests/model, qemu/linux/): Debian's kernel's compiler, the
# initramfs, modinfo.
need_test="$need_test gcc-12 cpio kmod"
need_fuzz="clang libclang-rt-14-dev"
need_report="python3 python3-yaml gnuplot-nox"
# LAVA's dispatcher, and what it checks a bare-metal job's worker has.
need_lava="lava-dispatcher telnet tftpd-hpa"
# Building QEMU from Debian's source with the DSA/IAA model (qemu/build.sh).
# QEMU 10 needs meson 1.5 or later and pycotap: both from bookworm-backports.
need_model="ninja-build libglib2.0-dev libpixman-1-dev python3-venv flex bison pkg-config curl xz-utils patch"
need_model_bpo="meson python3-pycotap"
# make lava-lab: a LAVA server, its client and its database on this machine
# (their services are started by tools/lava/lab_server.py, never by systemd).
need_lava_lab="lava-server lavacli postgresql-15"
case $what in
  fuzz)  pkgs="$need_fuzz" ;;
  report) pkgs="$need_report" ;;
  build) pkgs="$need_build" ;;
  run)   pkgs="$need_build $need_run" ;;
  lava)  pkgs="$need_build $need_run $need_lava" ;;
  lava-lab) pkgs="$need_build $need_run $need_lava $need_lava_lab" ;;
  model) pkgs="$need_model" ;;
  test)  pkgs="$need_build $need_run $need_test $need_lava $need_model" ;;
  *) echo "usage: $0 [build|run|test|fuzz|report|lava|lava-lab|model]" >&2; exit 2 ;;
esac

missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
# QEMU 10 (bookworm-backports) runs x2APIC and EIM under TCG, records
# remapping faults and has igb; Debian 12's own 7.2 does not (see
# docs/qemu.md). An older QEMU is upgraded when we are root.
want_qemu=0
if [ "$what" = run ] || [ "$what" = test ] || [ "$what" = lava ] || [ "$what" = lava-lab ]; then
  qv=$(qemu-system-x86_64 --version 2>/dev/null | sed -n 's/.*version \([0-9]*\)\..*/\1/p')
  if [ -z "$qv" ]; then
    want_qemu=1
  elif [ "$qv" -lt 10 ]; then
    if [ "$(id -u)" = 0 ]; then want_qemu=1; else
      echo "msilab: QEMU $qv found; tests that need QEMU 10 will SKIP" >&2; fi
  fi
fi
missing_bpo=""
if [ "$what" = model ] || [ "$what" = test ]; then
  for p in $need_model_bpo; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing_bpo="$missing_bpo $p"
  done
  # bookworm's own meson (1.0) is installed but too old for QEMU 10.
  case $(meson --version 2>/dev/null) in 1.[5-9]*|1.[1-9][0-9]*|[2-9]*) ;; *)
    case $missing_bpo in *meson*) ;; *) missing_bpo="$missing_bpo meson" ;; esac ;;
  esac
fi
[ -z "$missing" ] && [ -z "$missing_bpo" ] && [ $want_qemu = 0 ] && exit 0

bp=/etc/apt/sources.list.d/bookworm-backports.sources
if [ "$(id -u)" != 0 ]; then
  echo "msilab: missing packages:$missing$missing_bpo$( [ $want_qemu = 1 ] && echo ' qemu-system-x86')" >&2
  echo "msilab: as root, run:" >&2
  echo "  tools/deps.sh $what" >&2
  echo "  (or: apt-get install$missing; QEMU 10 from bookworm-backports:" >&2
  echo "   apt-get install -t bookworm-backports qemu-system-x86)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if { [ $want_qemu = 1 ] || [ -n "$missing_bpo" ]; } && [ ! -f $bp ] && grep -qs bookworm /etc/os-release; then
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
[ -n "$missing_bpo" ] && apt-get install -y -q --no-install-recommends -t bookworm-backports $missing_bpo
if [ $want_qemu = 1 ]; then
  apt-get install -y -q --no-install-recommends -t bookworm-backports qemu-system-x86 ||
    apt-get install -y -q --no-install-recommends qemu-system-x86
fi
