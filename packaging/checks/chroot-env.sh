# Shared helpers for the package checks: a cached debootstrap root per Debian release, with
# /proc, /dev and the source tree mounted while a check runs.
# shellcheck shell=bash

mirror=${MODELRELAY_DEBIAN_MIRROR:-http://deb.debian.org/debian}

ensure_root() { # release dir
  local release=$1 dir=$2
  if [ ! -x "$dir/usr/bin/apt-get" ]; then
    command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap
    rm -rf "$dir"
    debootstrap --variant=minbase "$release" "$dir" "$mirror" >"$dir.debootstrap.log" 2>&1 ||
      { tail -20 "$dir.debootstrap.log"; return 1; }
  fi
  cp /etc/resolv.conf "$dir/etc/resolv.conf"
}

mount_into() { # dir [source-dir]
  local dir=$1 src=${2:-}
  mountpoint -q "$dir/proc" || mount -t proc proc "$dir/proc"
  mountpoint -q "$dir/dev" || mount --bind /dev "$dir/dev"
  mountpoint -q "$dir/dev/pts" || mount --bind /dev/pts "$dir/dev/pts"
  if [ -n "$src" ]; then
    mkdir -p "$dir/src"
    mountpoint -q "$dir/src" || mount --bind "$src" "$dir/src"
  fi
}

unmount_from() { # dir
  local dir=$1 m
  for m in src dev/pts dev proc; do
    mountpoint -q "$dir/$m" && umount -l "$dir/$m" || true
  done
}

in_root() { # dir command...
  local dir=$1
  shift
  chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive "$@"
}
