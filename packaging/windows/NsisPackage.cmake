# The Windows packages (cpack on Windows): an NSIS installer from our own template
# (NSIS.template.in: per-user or per-machine, closes a running ModelRelay, optional PATH entry)
# and a portable ZIP of the same files. Included by packaging/CMakeLists.txt before include(CPack).
set(CPACK_GENERATOR "NSIS;ZIP")
list(PREPEND CMAKE_MODULE_PATH ${CMAKE_CURRENT_LIST_DIR}) # CPack looks for NSIS.template.in there
set(CPACK_PACKAGE_INSTALL_REGISTRY_KEY "ModelRelay") # not versioned: an upgrade replaces the entry
set(CPACK_NSIS_PACKAGE_NAME "ModelRelay")
set(CPACK_NSIS_DISPLAY_NAME "ModelRelay")
set(CPACK_NSIS_URL_INFO_ABOUT "${PROJECT_HOMEPAGE_URL}")
set(CPACK_NSIS_HELP_LINK "${MODELRELAY_BUGTRACKER_URL}")
set(CPACK_NSIS_COMPRESSOR "/SOLID lzma")
if(MODELRELAY_ICO)
  file(TO_NATIVE_PATH "${MODELRELAY_ICO}" MODELRELAY_ICO_NATIVE)
  set(CPACK_NSIS_MUI_ICON "${MODELRELAY_ICO_NATIVE}")
  set(CPACK_NSIS_MUI_UNIICON "${MODELRELAY_ICO_NATIVE}")
endif()
# The uninstaller also removes the "Start at login" Run value of the user who uninstalls.
set(CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS
    "DeleteRegValue HKCU \"Software\\Microsoft\\Windows\\CurrentVersion\\Run\" \"${MODELRELAY_WINDOWS_RUN_VALUE}\"")

# The PATH entry: cmd\modelrelay.cmd only, and the script that adds and removes it.
install(FILES ${CMAKE_CURRENT_LIST_DIR}/modelrelay.cmd DESTINATION cmd)
install(FILES ${CMAKE_CURRENT_LIST_DIR}/path.ps1 DESTINATION .)
