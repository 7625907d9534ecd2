#!/usr/bin/env bash
# Set everything up from nothing and start RunReady Clinic on its embedded SQLite database with the demo
# clinic. Usage: bash scripts/run-app.sh [command …]   (default: start the app)
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$REPO/scripts/_setup.sh"

install_debian_packages "${QT_DEB_PACKAGES[@]}"
make_venv ""
"$REPO/.venv/bin/python" -m clinic_app demo   # builds the demo clinic once; later runs keep it
exec "$REPO/.venv/bin/python" -m clinic_app "$@"
