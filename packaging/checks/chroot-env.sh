# Shared helpers for the package checks: a pristine debootstrap root per Debian release (cached,
# never changed after it is made), working copies of it, /proc, /dev and the source tree mounted
# while a check runs, and a stop for every process a check started in a root.
# shellcheck shell=bash

mirror=${MODELRELAY_DEBIAN_MIRROR:-http://deb.debian.org/debian}
roots=${MODELRELAY_CHECK_ROOTS:-/var/tmp}

require_tools() { # command...
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$tool is missing: .ci/run installs it (package checks)"; return 1; }
  done
}

pristine_root() { # release -> prints the root's path; makes it once with debootstrap
  local release=$1 dir="$roots/modelrelay-check-$1"
  if [ ! -x "$dir/usr/bin/apt-get" ]; then
    require_tools debootstrap
    rm -rf "$dir"
    debootstrap --variant=minbase "$release" "$dir" "$mirror" >"$dir.debootstrap.log" 2>&1 ||
      { tail -20 "$dir.debootstrap.log" >&2; return 1; }
  fi
  echo "$dir"
}

working_root() { # release name -> prints the path of a copy of the pristine root, made anew
  local release=$1 name=$2 pristine dir
  pristine=$(pristine_root "$release") || return 1
  dir="$roots/modelrelay-$name-$release"
  discard_root "$dir"
  cp -a "$pristine" "$dir"
  cp /etc/resolv.conf "$dir/etc/resolv.conf"
  echo "$dir"
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
    if mountpoint -q "$dir/$m"; then umount "$dir/$m" 2>/dev/null || umount -l "$dir/$m"; fi
  done
}

processes_in() { # dir -> the ids of processes whose root directory is dir
  local dir link pid
  dir=$(realpath "$1")
  for link in /proc/[0-9]*/root; do
    pid=${link#/proc/}
    pid=${pid%/root}
    [ "$(readlink "$link" 2>/dev/null)" = "$dir" ] && echo "$pid"
  done
  return 0
}

# Ends every process still running inside the root (TERM, then KILL); fails when one survives.
stop_processes_in() { # dir
  local dir=$1 signal
  local -a pids
  for signal in TERM KILL; do
    mapfile -t pids < <(processes_in "$dir")
    ((${#pids[@]})) || return 0
    echo "stopping ($signal) in $(basename "$dir"):" "$(for p in "${pids[@]}"; do printf '%s %s ' "$p" "$(cat "/proc/$p/comm" 2>/dev/null)"; done)"
    kill -s "$signal" "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 50); do
      [ -z "$(processes_in "$dir")" ] && return 0
      sleep 0.1
    done
  done
  echo "processes left running in $dir: $(processes_in "$dir" | tr '\n' ' ')"
  return 1
}

# Stops what runs in the root, unmounts it and deletes it; fails if any of that cannot be done.
discard_root() { # dir
  local dir=$1
  [ -e "$dir" ] || return 0
  stop_processes_in "$dir"
  unmount_from "$dir"
  if grep -q " $dir/" /proc/mounts; then
    echo "still mounted under $dir"
    return 1
  fi
  rm -rf "$dir"
}

in_root() { # dir command...
  local dir=$1
  shift
  chroot "$dir" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive "$@"
}
