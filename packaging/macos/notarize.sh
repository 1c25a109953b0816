#!/usr/bin/env bash
# CI (macOS): signs the DMG, has Apple notarize it and staples the ticket, so Gatekeeper opens
# ModelRelay without a warning. Skipped, with a notice, when the app was not signed with a
# Developer ID or the notarization secrets are missing: APPLE_ID, APPLE_TEAM_ID and
# APPLE_APP_PASSWORD (an app-specific password of that Apple ID).
# Usage: notarize.sh <dmg>
set -euo pipefail
dmg=$1
if [ -z "${MODELRELAY_MACOS_SIGN_IDENTITY:-}" ] || [ -z "${APPLE_ID:-}" ] ||
   [ -z "${APPLE_TEAM_ID:-}" ] || [ -z "${APPLE_APP_PASSWORD:-}" ]; then
  echo "::notice title=macOS notarization skipped::a Developer ID signature (see the signing step) and APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD are needed; $(basename "$dmg") is not notarized."
  exit 0
fi
codesign --force --sign "$MODELRELAY_MACOS_SIGN_IDENTITY" --timestamp "$dmg"
xcrun notarytool submit "$dmg" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
  --password "$APPLE_APP_PASSWORD" --wait --timeout 30m
xcrun stapler staple "$dmg"
xcrun stapler validate "$dmg"
spctl --assess --type open --context context:primary-signature --verbose "$dmg"
