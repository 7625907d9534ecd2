#!/usr/bin/env bash
# Shared set-up for scripts/run-app.sh and scripts/test.sh: Debian packages, a virtual environment in
# .venv and the project installed into it. Safe to run again: it only installs what is missing.
# Sourced, not executed; expects REPO to be set and DEB_PACKAGES to list what the caller needs.
set -euo pipefail

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

install_debian_packages() {
  command -v dpkg-query >/dev/null 2>&1 || { echo "Not a Debian system: install the equivalents of: $*" >&2; return 0; }
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> Installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  if ! as_root apt-get install -y -q --no-install-recommends "${missing[@]}"; then
    as_root apt-get update -q
    as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
}

pick_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "Python 3.11 or newer is required (apt-get install python3)." >&2
  return 1
}

make_venv() {
  local extras="$1"   # "test" for the test tools, "" for the app alone
  local spec="$REPO"; [ -n "$extras" ] && spec="$REPO[$extras]"
  local python; python=$(pick_python)
  if [ ! -x "$REPO/.venv/bin/python" ]; then
    echo "==> Creating the virtual environment in .venv"
    if ! "$python" -m venv "$REPO/.venv" 2>/dev/null; then
      install_debian_packages python3-venv
      rm -rf "$REPO/.venv"
      "$python" -m venv "$REPO/.venv"
    fi
  fi
  local stamp="$REPO/.venv/.installed-${extras:-app}"
  if [ ! -f "$stamp" ] || [ "$REPO/pyproject.toml" -nt "$stamp" ]; then
    echo "==> Installing RunReady Clinic and its Python packages"
    local log="$REPO/.venv/pip-install.log"
    # pip and the build backend are chatty even with -q; keep their output in a log and show it on failure.
    if ! { "$REPO/.venv/bin/python" -m pip install -q --upgrade pip &&
           "$REPO/.venv/bin/python" -m pip install -q -e "$spec"; } >"$log" 2>&1; then
      cat "$log" >&2
      echo "Installing the Python packages failed; the output above is also in $log" >&2
      return 1
    fi
    touch "$stamp"
  fi
}

# Libraries Qt needs to run offscreen on a bare Debian machine (SETUP-NOTES.md), and fonts.
QT_DEB_PACKAGES=(libgl1 libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0 fonts-dejavu-core)

# What a real window needs in addition on the xcb platform (SETUP-NOTES.md); run-app.sh only — the
# tests run offscreen. Qt's own error names xcb-cursor even when icccm4 or keysyms is what is missing.
QT_WINDOW_DEB_PACKAGES=(libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render0
  libxcb-render-util0 libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0)
