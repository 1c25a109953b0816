#!/usr/bin/env bash
# CI (macOS): imports the Developer ID certificate from the repository's secrets into a keychain
# of its own and exports MODELRELAY_MACOS_SIGN_IDENTITY for the configure step, so that
# ModelRelay.app is signed with the hardened runtime (packaging/CMakeLists.txt). Without the
# secrets it says so and the build signs ad hoc (the DMG then needs "Open Anyway" on first start).
# Secrets: APPLE_DEVELOPER_ID_P12 (base64 of the .p12), APPLE_DEVELOPER_ID_P12_PASSWORD,
# APPLE_SIGNING_IDENTITY ("Developer ID Application: Name (TEAMID)").
set -euo pipefail
if [ -z "${APPLE_DEVELOPER_ID_P12:-}" ] || [ -z "${APPLE_DEVELOPER_ID_P12_PASSWORD:-}" ] ||
   [ -z "${APPLE_SIGNING_IDENTITY:-}" ]; then
  echo "::notice title=macOS signing skipped::APPLE_DEVELOPER_ID_P12, APPLE_DEVELOPER_ID_P12_PASSWORD and APPLE_SIGNING_IDENTITY are not all set: ModelRelay.app is signed ad hoc, without the hardened runtime, and will not be notarized."
  exit 0
fi
keychain="$RUNNER_TEMP/signing.keychain-db"
keychain_password=$(uuidgen)
certificate="$RUNNER_TEMP/developer-id.p12"
base64 --decode <<<"$APPLE_DEVELOPER_ID_P12" >"$certificate"
security create-keychain -p "$keychain_password" "$keychain"
security set-keychain-settings -lut 21600 "$keychain"
security unlock-keychain -p "$keychain_password" "$keychain"
security import "$certificate" -k "$keychain" -P "$APPLE_DEVELOPER_ID_P12_PASSWORD" -T /usr/bin/codesign
security set-key-partition-list -S apple-tool:,apple:,codesign: -s -k "$keychain_password" "$keychain" >/dev/null
security list-keychains -d user -s "$keychain" "$HOME/Library/Keychains/login.keychain-db"
rm -f "$certificate"
echo "MODELRELAY_MACOS_SIGN_IDENTITY=$APPLE_SIGNING_IDENTITY" >>"$GITHUB_ENV"
echo "Signing with: $APPLE_SIGNING_IDENTITY"
