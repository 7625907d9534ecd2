#!/usr/bin/env bash
# Set everything up from nothing and start RunReady Clinic on its embedded SQLite database with the demo
# clinic. Usage: bash scripts/run-app.sh [command …]   (no command: open the window; any command of
# 'python -m clinic_app --help' runs on the command line instead, e.g. 'bash scripts/run-app.sh overview').
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$REPO/scripts/_setup.sh"

if [ $# -eq 0 ] || [ "${1:-}" = "--database" ]; then
  install_debian_packages "${QT_DEB_PACKAGES[@]}" "${QT_WINDOW_DEB_PACKAGES[@]}"   # the window (xcb)
else
  install_debian_packages "${QT_DEB_PACKAGES[@]}"
fi
make_venv ""
"$REPO/.venv/bin/python" -m clinic_app demo   # builds the demo clinic once; later runs keep it
exec "$REPO/.venv/bin/python" -m clinic_app "$@"
