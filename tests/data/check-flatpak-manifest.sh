#!/bin/bash
# check-flatpak-manifest.sh MANIFEST: flatpak-builder parses the manifest (no build, no network).
# SPDX-License-Identifier: GPL-3.0-or-later
set -euo pipefail
if ! command -v flatpak-builder >/dev/null; then
  echo "flatpak-builder is not installed (Debian package flatpak-builder): not checked"
  exit 77
fi
flatpak-builder --show-manifest "$1" >/dev/null
echo "flatpak-builder parses $1"
