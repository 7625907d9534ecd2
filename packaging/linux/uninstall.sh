#!/usr/bin/env bash
# Remove the program, its command, menu entry and icons. The clinic database, its backups, the
# settings and the logs stay where they are (README.txt says where) — delete those by hand only
# when the clinic's records are kept elsewhere.
set -euo pipefail
if [ "$(id -u)" -eq 0 ]; then
  PREFIX=${PREFIX:-/opt/runready-clinic}; BIN_DIR=/usr/local/bin; SHARE=/usr/local/share
else
  PREFIX=${PREFIX:-$HOME/.local/opt/runready-clinic}; BIN_DIR=$HOME/.local/bin; SHARE=$HOME/.local/share
fi
rm -rf "$PREFIX"
rm -f "$BIN_DIR/runready-clinic" "$SHARE/applications/runready-clinic.desktop"
find "$SHARE/icons/hicolor" -name 'runready-clinic.*' -delete 2>/dev/null || true
echo "RunReady Clinic removed. The clinic's data was left in place."
