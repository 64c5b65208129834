# shellcheck shell=bash
# Python >= 3.14.2 for the "latest" test leg.
#
# Debian bookworm has no Python 3.14, so where no suitable interpreter is on
# PATH we provision Debian forky's python3.14 into a chroot (debootstrap) kept
# in a cache outside the work tree, shared by every checkout, and run commands
# in it with the project bind-mounted at the same path, inside a private mount
# namespace so that no mount outlives the command.

PY314_CACHE="${SPOTIFY_WEBAPI_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/spotify_webapi}"
PY314_ROOT="$PY314_CACHE/forky"
PY314_MIRROR="${SPOTIFY_WEBAPI_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

# Prints the path of a native python3.14 >= 3.14.2, if any.
py314_native() {
  local candidate
  for candidate in python3.14 "$HOME/.pyenv/versions/"3.14*/bin/python3.14; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 14, 2))' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

py314_die() {
  echo "error: $*" >&2
  echo "Install Python >= 3.14.2 as 'python3.14' on PATH, or run on Debian as root so the" >&2
  echo "scripts can provision it in a chroot (needs debootstrap, unshare and network access" >&2
  echo "to a Debian mirror), or run only the minimum leg: scripts/test --leg min" >&2
  exit 1
}

# Creates the forky chroot once; safe to call concurrently and repeatedly.
py314_provision() {
  [ -f "$PY314_ROOT/.provisioned" ] && return 0
  [ "$(id -u)" = 0 ] || py314_die "provisioning Python 3.14 in a chroot needs root"
  [ -f /etc/debian_version ] || py314_die "provisioning Python 3.14 in a chroot needs Debian"
  command -v unshare >/dev/null || py314_die "'unshare' (util-linux) is missing"
  mkdir -p "$PY314_CACHE"
  (
    flock 9
    [ -f "$PY314_ROOT/.provisioned" ] && exit 0
    if ! command -v debootstrap >/dev/null; then
      echo "==> installing debootstrap" >&2
      apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null ||
        py314_die "could not install debootstrap with apt-get"
    fi
    # bookworm's debootstrap has no script for forky; sid's works for it.
    local script=/usr/share/debootstrap/scripts/sid
    [ -f "$script" ] || py314_die "debootstrap has no 'sid' script at $script"
    rm -rf "$PY314_ROOT.partial"
    echo "==> provisioning Python 3.14 (Debian forky chroot in $PY314_ROOT, about 90 s)" >&2
    debootstrap --variant=minbase --include=python3.14,python3.14-venv,ca-certificates \
      forky "$PY314_ROOT.partial" "$PY314_MIRROR" "$script" >"$PY314_CACHE/debootstrap.log" 2>&1 ||
      py314_die "debootstrap failed; see $PY314_CACHE/debootstrap.log"
    # forky's Release file has been seen expired; apt inside must not refuse it.
    echo 'Acquire::Check-Valid-Until "false";' >"$PY314_ROOT.partial/etc/apt/apt.conf.d/99no-valid-until"
    rm -rf "$PY314_ROOT"
    mv "$PY314_ROOT.partial" "$PY314_ROOT"
    touch "$PY314_ROOT/.provisioned"
  ) 9>"$PY314_CACHE/forky.lock"
}

# Runs "$@" inside the chroot, in the current directory, with the project
# mounted at the same absolute path.
py314_run() {
  local project="$1"
  shift
  local cwd="$PWD"
  unshare --mount --propagation private -- /bin/bash -ec '
    root="$1"; project="$2"; cwd="$3"; shift 3
    mount -t proc proc "$root/proc"
    mount --rbind /dev "$root/dev"
    mkdir -p "$root/tmp" && mount -t tmpfs tmpfs "$root/tmp"
    mount --bind /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || cp /etc/resolv.conf "$root/etc/resolv.conf"
    mkdir -p "$root/etc/ssl/certs" && touch "$root/etc/ssl/certs/ca-certificates.crt"
    mount --bind /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
    mkdir -p "$root$project" && mount --bind "$project" "$root$project"
    # The shared reference material (the OpenAPI definition) sits beside the checkout.
    shared="$(dirname "$project")/shared"
    if [ -d "$shared" ]; then
      mkdir -p "$root$shared" && mount --bind -o ro "$shared" "$root$shared"
    fi
    exec chroot "$root" /bin/sh -c "cd \"\$0\" && exec \"\$@\"" "$cwd" "$@"
  ' py314 "$PY314_ROOT" "$project" "$cwd" "$@"
}
