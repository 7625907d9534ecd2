#!/usr/bin/env bash
# Wrap the onedir bundle into RunReady Clinic.app on macOS (not built on the Linux CI machine).
# Run on a Mac after `bash packaging/build.sh`:  bash packaging/macos/build-app.sh [dist]
# Then sign and notarise the .app (codesign --deep --options runtime …; xcrun notarytool submit …)
# before handing it to a clinic. Data stays in ~/Library/Application Support/RunReady Clinic.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${1:-$REPO/dist}
APP="$OUT/RunReady Clinic.app"
rm -rf "$APP"
mkdir -p "$APP/Contents/MacOS" "$APP/Contents/Resources"
cp -a "$OUT/bundle/runready-clinic/." "$APP/Contents/MacOS/"
cp "$REPO/packaging/macos/Info.plist" "$APP/Contents/Info.plist"
ICONSET=$(mktemp -d)/runready-clinic.iconset
mkdir -p "$ICONSET"
for size in 16 32 128 256 512; do
  cp "$REPO/packaging/icons/runready-clinic-$size.png" "$ICONSET/icon_${size}x${size}.png"
done
iconutil -c icns "$ICONSET" -o "$APP/Contents/Resources/runready-clinic.icns"
echo "$APP"
