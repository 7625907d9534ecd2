#!/usr/bin/env bash
# Install RunReady Clinic from this unpacked tarball for the current user (or system-wide as root):
# the program folder, a `runready-clinic` command, the menu entry and the icons. The clinic's data,
# settings and logs live in the per-user folders and are not touched (see README.txt).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
if [ "$(id -u)" -eq 0 ]; then
  PREFIX=${PREFIX:-/opt/runready-clinic}; BIN_DIR=/usr/local/bin; SHARE=/usr/local/share
else
  PREFIX=${PREFIX:-$HOME/.local/opt/runready-clinic}; BIN_DIR=$HOME/.local/bin; SHARE=$HOME/.local/share
fi
echo "Installing into $PREFIX"
mkdir -p "$(dirname "$PREFIX")" "$BIN_DIR" "$SHARE/applications"
NEW="$PREFIX.new"
rm -rf "$NEW"
cp -a "$HERE/runready-clinic" "$NEW"
# Swap the program folder in one step so an upgrade never leaves half of two versions.
if [ -d "$PREFIX" ]; then mv "$PREFIX" "$PREFIX.old"; fi
mv "$NEW" "$PREFIX"
rm -rf "$PREFIX.old"
ln -sf "$PREFIX/runready-clinic" "$BIN_DIR/runready-clinic"
sed "s|^Exec=.*|Exec=$PREFIX/runready-clinic|" "$HERE/runready-clinic.desktop" \
  > "$SHARE/applications/runready-clinic.desktop"
for png in "$HERE"/icons/runready-clinic-*.png; do
  size=$(basename "$png" .png); size=${size##*-}
  mkdir -p "$SHARE/icons/hicolor/${size}x${size}/apps"
  cp "$png" "$SHARE/icons/hicolor/${size}x${size}/apps/runready-clinic.png"
done
mkdir -p "$SHARE/icons/hicolor/scalable/apps"
cp "$HERE/icons/runready-clinic.svg" "$SHARE/icons/hicolor/scalable/apps/runready-clinic.svg"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$SHARE/applications" || true
echo "Installed. Start it from the menu or with: $BIN_DIR/runready-clinic"
echo "Check the installation with: $BIN_DIR/runready-clinic --self-test"
