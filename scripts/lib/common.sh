# shellcheck shell=bash
# Shared by the project's scripts: where things are, and venvs kept in step
# with their requirement files.

PROJECT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENVS="$PROJECT/.venv"
# shellcheck source=scripts/lib/py314.sh
source "$PROJECT/scripts/lib/py314.sh"

die() {
  echo "error: $*" >&2
  exit 1
}

# Prints a Python 3.13 interpreter, or fails saying what to install.
find_python313() {
  local candidate
  for candidate in "${SPOTIFY_WEBAPI_PYTHON313:-}" python3.13 \
    "$HOME/.pyenv/versions/"3.13*/bin/python3.13 /usr/local/bin/python3.13 /usr/bin/python3.13; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys, venv; sys.exit(sys.version_info[:2] != (3, 13))' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  die "Python 3.13 with venv not found. Install it (e.g. 'pyenv install 3.13' or the python3.13 and python3.13-venv packages) or set SPOTIFY_WEBAPI_PYTHON313 to its path."
}

# Hash of a requirement file and the files it includes with -r.
requirements_digest() {
  local file="$1" dir
  dir="$(dirname "$file")"
  {
    cat "$file"
    sed -n 's/^-r[[:space:]]*//p' "$file" | while read -r inc; do cat "$dir/$inc"; done
  } | sha256sum | cut -d' ' -f1
}

# The Home Assistant version a requirement file pins (homeassistant==X), if any.
pinned_homeassistant() {
  sed -n 's/^homeassistant==\([^[:space:]#]*\).*/\1/p' "$1" | head -n 1
}

# ensure_venv NAME REQUIREMENTS BASE_PYTHON [RUNNER...]: creates or updates
# .venv/NAME so that it holds REQUIREMENTS. RUNNER is a command prefix that
# runs programs where the interpreter lives (empty natively, py314_run for the
# chroot); BASE_PYTHON is the interpreter's path as seen there. A file that pins
# homeassistant is installed under that version's own package_constraints.txt, as
# Home Assistant installs itself (otherwise pip picks e.g. a pycares that the pinned
# aiodns cannot call, and every hostname lookup in hass fails).
ensure_venv() {
  local name="$1" requirements="$2" base="$3"
  shift 3
  local venv="$VENVS/$name" digest stamp
  digest="$(requirements_digest "$requirements")"
  stamp="$venv/.requirements.sha256"
  [ "$(cat "$stamp" 2>/dev/null)" = "$digest" ] && return 0
  mkdir -p "$VENVS"
  (
    flock 9
    [ "$(cat "$stamp" 2>/dev/null)" = "$digest" ] && exit 0
    echo "==> preparing the $name venv from $(basename "$requirements") (the first run takes a few minutes)" >&2
    if [ ! -x "$venv/bin/python" ]; then
      "$@" "$base" -m venv "$venv" || die "could not create the $name venv with $base"
    fi
    local log="$VENVS/$name.install.log" ha constraints=()
    : >"$log"
    ha="$(pinned_homeassistant "$requirements")"
    if [ -n "$ha" ]; then
      "$@" "$venv/bin/python" -m pip install --quiet --no-deps "homeassistant==$ha" >>"$log" 2>&1 ||
        die "installing homeassistant==$ha into the $name venv failed; see $log"
      constraints=(-c "$("$@" "$venv/bin/python" -c 'import importlib.util, pathlib
print(pathlib.Path(importlib.util.find_spec("homeassistant").origin).with_name("package_constraints.txt"))')")
    fi
    "$@" "$venv/bin/python" -m pip install --quiet -r "$requirements" "${constraints[@]}" >>"$log" 2>&1 ||
      die "installing $(basename "$requirements") into the $name venv failed; see $log"
    # A new file, not a rewrite: a venv copied with hard links must not share its stamp.
    echo "$digest" >"$stamp.new" && mv -f "$stamp.new" "$stamp"
  ) 9>"$VENVS/.$name.lock"
}

# Sets LEG_RUN (command prefix) and prepares the venv of a test leg.
prepare_leg() {
  local leg="$1" native
  case "$leg" in
    min)
      LEG_RUN=()
      ensure_venv min "$PROJECT/requirements_test_min.txt" "$(find_python313)"
      ;;
    latest)
      if native="$(py314_native)"; then
        LEG_RUN=()
        ensure_venv latest "$PROJECT/requirements_test.txt" "$native"
      else
        py314_provision
        LEG_RUN=(py314_run "$PROJECT")
        ensure_venv latest "$PROJECT/requirements_test.txt" python3.14 "${LEG_RUN[@]}"
      fi
      ;;
    *) die "unknown leg '$leg' (use latest, min or all)" ;;
  esac
}

# Prepares .venv/dev: Home Assistant 2025.4.4 with its frontend, which scripts/develop
# and the e2e tests run as a real `hass` process.
prepare_dev() {
  ensure_venv dev "$PROJECT/requirements_dev.txt" "$(find_python313)"
}

# Prepares .venv/newest: the newest Home Assistant release (requirements_dev_newest.txt) in
# the Python 3.14 environment of the latest leg, whose LEG_RUN it expects to be set.
prepare_newest() {
  local base=python3.14
  [ "${#LEG_RUN[@]}" -eq 0 ] && base="$(py314_native)"
  ensure_venv newest "$PROJECT/requirements_dev_newest.txt" "$base" "${LEG_RUN[@]}"
}

# Prepares .venv/original: spotifywebapipython 1.0.296 as published, which the tests that
# share one tokens.json with it run for real (tests/oauthcli/test_original_library.py).
prepare_original() {
  ensure_venv original "$PROJECT/requirements_original.txt" "$(find_python313)"
}

# Installs Debian's chromium (for the browser test) when it is missing; Playwright's own
# browser download is never used.
ensure_chromium() {
  [ -x /usr/bin/chromium ] && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
    die "the browser test needs Debian's chromium at /usr/bin/chromium: run 'apt-get install chromium fonts-liberation' as root, or deselect it with: scripts/test -- -m 'not e2e'"
  fi
  mkdir -p "$VENVS"
  echo "==> installing chromium with apt-get (once)" >&2
  {
    apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        chromium fonts-liberation
  } >"$VENVS/chromium.install.log" 2>&1 ||
    die "installing chromium with apt-get failed; see $VENVS/chromium.install.log"
}
