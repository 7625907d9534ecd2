#!/usr/bin/env bash
# Build the desktop bundle: a PyInstaller onedir folder and, on Linux, a tarball with the .desktop
# entry, the icons and an install script. Usage: bash packaging/build.sh [OUT_DIR]   (default: dist/)
# Prints the bundle folder and the tarball path as its last two lines.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$REPO/scripts/_setup.sh"

OUT=$(mkdir -p "${1:-$REPO/dist}" && cd "${1:-$REPO/dist}" && pwd)
make_venv "${RUNREADY_VENV_EXTRAS:-package}"
BIN="$REPO/.venv/bin"
VERSION=$("$BIN/python" -c 'import clinic_app; print(clinic_app.__version__)')
ARCH=$(uname -m)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "==> PyInstaller (onedir) into $OUT/bundle"
"$BIN/pyinstaller" --noconfirm --log-level WARN --distpath "$OUT/bundle" --workpath "$WORK/build" \
  "$REPO/packaging/runready-clinic.spec"
BUNDLE="$OUT/bundle/runready-clinic"

if [ "$(uname -s)" = "Linux" ]; then
  NAME="runready-clinic-$VERSION-linux-$ARCH"
  STAGE="$WORK/$NAME"
  mkdir -p "$STAGE/icons"
  cp -a "$BUNDLE" "$STAGE/runready-clinic"
  cp "$REPO/packaging/linux/runready-clinic.desktop" "$REPO/packaging/linux/install.sh" \
     "$REPO/packaging/linux/uninstall.sh" "$REPO/packaging/linux/README.txt" "$STAGE/"
  cp "$REPO"/clinic_app/ui/icons/runready-clinic.svg "$REPO"/packaging/icons/runready-clinic-*.png "$STAGE/icons/"
  tar -C "$WORK" -czf "$OUT/$NAME.tar.gz" "$NAME"
  echo "$BUNDLE"
  echo "$OUT/$NAME.tar.gz"
else
  echo "$BUNDLE"
  echo "(no tarball: the installers for Windows and macOS are described in packaging/README.md)"
fi
