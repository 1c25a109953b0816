#!/usr/bin/env bash
# Compiles the Windows installer's script on Linux: CPack configures packaging/windows/
# NSIS.template.in through packaging/windows/NsisPackage.cmake, as on Windows, for a stand-in
# install tree, and makensis (Debian's nsis) builds it with warnings as errors. What it cannot
# show, because nothing here runs Windows: that the installer installs, closes a running
# ModelRelay, edits PATH and uninstalls. Usage: nsis-script-check.sh
set -euo pipefail
src=$(cd "$(dirname "$0")/../.." && pwd)
command -v makensis >/dev/null || { echo "makensis is missing: .ci/run installs it (nsis)"; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/CMakeLists.txt" <<CMAKE
cmake_minimum_required(VERSION 3.21)
project(ModelRelay VERSION 0.0.0 HOMEPAGE_URL "https://example.invalid" LANGUAGES NONE)
set(MODELRELAY_WINDOWS_RUN_VALUE ModelRelay)
set(MODELRELAY_BUGTRACKER_URL "https://example.invalid/issues")
file(WRITE \${CMAKE_BINARY_DIR}/modelrelay.exe "stand-in")
file(WRITE \${CMAKE_BINARY_DIR}/Qt6Core.dll "stand-in")
install(FILES \${CMAKE_BINARY_DIR}/modelrelay.exe \${CMAKE_BINARY_DIR}/Qt6Core.dll DESTINATION bin)
set(CPACK_VERBATIM_VARIABLES ON)
set(CPACK_PACKAGE_NAME modelrelay)
set(CPACK_PACKAGE_VENDOR ModelRelay)
set(CPACK_RESOURCE_FILE_LICENSE "$src/LICENSE")
set(CPACK_PACKAGE_INSTALL_DIRECTORY ModelRelay)
include("$src/packaging/windows/NsisPackage.cmake")
include(CPack)
CMAKE
cmake -S "$work" -B "$work/build" >/dev/null
(cd "$work/build" && cpack -G NSIS >/dev/null)
nsi=$(ls "$work"/build/_CPack_Packages/*/NSIS/project.nsi)
grep -q CloseRunningModelRelay "$nsi" || { echo "CPack did not use packaging/windows/NSIS.template.in"; exit 1; }
makensis -V2 -WX "$nsi" >/dev/null
echo "NSIS installer script: compiles with $(makensis -VERSION), no warnings"
