#!/usr/bin/env bash
# Set everything up from nothing and run every check: ruff, mypy, import-linter contracts and the whole
# pytest suite (unit, property, GUI offscreen, PostgreSQL against a real server the tests start, slow
# crash-safety and wheel tests). Usage: bash scripts/test.sh [extra pytest arguments]
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$REPO/scripts/_setup.sh"

install_debian_packages "${QT_DEB_PACKAGES[@]}" poppler-utils postgresql
make_venv "test,package"
cd "$REPO"
export QT_QPA_PLATFORM=offscreen
BIN="$REPO/.venv/bin"

echo "==> ruff";           "$BIN/ruff" check clinic_app tests benchmarks packaging
echo "==> mypy";           "$BIN/mypy"
echo "==> import-linter";  "$BIN/lint-imports"
echo "==> pytest";         "$BIN/pytest" -p no:cacheprovider "$@"
