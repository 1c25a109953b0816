# The .deb (cpack -G DEB), built for the Debian release it is built on: its Qt, its revision
# (1~deb12, 1~deb13, so both can sit side by side in a release and the newer Debian's sorts
# higher), its changelog entry. Included by packaging/CMakeLists.txt before include(CPack).
set(CPACK_GENERATOR "DEB")
# Stripped as dh_strip does: symbols, and the .comment and .note sections the linker leaves.
set(CPACK_STRIP_FILES ON)
install(CODE "
  if(CMAKE_INSTALL_DO_STRIP)
    execute_process(COMMAND \"${CMAKE_STRIP}\" --remove-section=.comment --remove-section=.note
                            \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/modelrelay\"
                    COMMAND_ERROR_IS_FATAL ANY)
  endif()")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "devel")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "ca-certificates")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "gnome-shell-extension-appindicator, ollama")
# The extended description only: CPack puts the summary line above it and indents each line.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "ModelRelay is a native tray application and headless proxy that speaks the
Anthropic Messages API and relays requests to Ollama or any OpenAI-compatible
server (llama.cpp server, vLLM, LM Studio, OpenRouter), translating tool calls,
streaming, thinking, images and errors in both directions.")

# Revision and changelog distribution from the release this is built on.
set(modelrelay_distro_id "")
set(modelrelay_distro_version "")
set(modelrelay_distro_codename "")
if(CMAKE_VERSION VERSION_GREATER_EQUAL 3.22) # reads /etc/os-release
  cmake_host_system_information(RESULT modelrelay_distro_id QUERY DISTRIB_ID)
  cmake_host_system_information(RESULT modelrelay_distro_version QUERY DISTRIB_VERSION_ID)
  cmake_host_system_information(RESULT modelrelay_distro_codename QUERY DISTRIB_VERSION_CODENAME)
endif()
if(modelrelay_distro_id STREQUAL "debian" AND modelrelay_distro_version)
  set(CPACK_DEBIAN_PACKAGE_RELEASE "1~deb${modelrelay_distro_version}")
elseif(modelrelay_distro_id STREQUAL "ubuntu" AND modelrelay_distro_version)
  set(CPACK_DEBIAN_PACKAGE_RELEASE "1~ubuntu${modelrelay_distro_version}")
else()
  set(CPACK_DEBIAN_PACKAGE_RELEASE "1")
endif()
set(MODELRELAY_DEB_VERSION "${PROJECT_VERSION}-${CPACK_DEBIAN_PACKAGE_RELEASE}")
set(MODELRELAY_DEB_DISTRIBUTION "${modelrelay_distro_codename}")
if(NOT MODELRELAY_DEB_DISTRIBUTION)
  set(MODELRELAY_DEB_DISTRIBUTION "unstable")
endif()
execute_process(COMMAND date -u -R -d "${MODELRELAY_RELEASE_DATE} 12:00"
                OUTPUT_VARIABLE MODELRELAY_RELEASE_DATE_RFC2822 OUTPUT_STRIP_TRAILING_WHITESPACE
                COMMAND_ERROR_IS_FATAL ANY)

# Debian's documentation: a machine-readable copyright pointing at common-licenses/GPL-3, and
# the changelog, compressed without a timestamp in the gzip header.
set(modelrelay_doc_dir ${CMAKE_INSTALL_DATADIR}/doc/modelrelay)
configure_file(${CMAKE_CURRENT_LIST_DIR}/copyright.in ${CMAKE_CURRENT_BINARY_DIR}/copyright @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/copyright DESTINATION ${modelrelay_doc_dir})
configure_file(${CMAKE_CURRENT_LIST_DIR}/changelog.Debian.in ${CMAKE_CURRENT_BINARY_DIR}/changelog.Debian @ONLY)
add_custom_command(OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/changelog.Debian.gz
  COMMAND gzip -9nc ${CMAKE_CURRENT_BINARY_DIR}/changelog.Debian > ${CMAKE_CURRENT_BINARY_DIR}/changelog.Debian.gz
  DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/changelog.Debian)
add_custom_target(modelrelay-changelog ALL DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/changelog.Debian.gz)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/changelog.Debian.gz DESTINATION ${modelrelay_doc_dir})

# What dpkg-shlibdeps cannot see: the Qt plugins ModelRelay loads at run time (SVG icons for the
# tray, the X11 platform, TLS for https backends, SQLite for the request history). Their packages differ between releases (Debian
# 13 moved the SVG ones to qt6-svg-plugins), so ask dpkg which package holds each one here.
# The .deb check reads the list back to see them installed.
set(modelrelay_plugin_packages "")
set(modelrelay_plugin_files "")
foreach(plugin iconengines/libqsvgicon.so imageformats/libqsvg.so platforms/libqxcb.so
               tls/libqopensslbackend.so sqldrivers/libqsqlite.so)
  set(file "${QT6_INSTALL_PREFIX}/${QT6_INSTALL_PLUGINS}/${plugin}")
  execute_process(COMMAND dpkg-query -S "${file}" OUTPUT_VARIABLE owner RESULT_VARIABLE status ERROR_QUIET)
  if(NOT status EQUAL 0)
    message(WARNING "No Debian package holds ${file}: the .deb will not depend on it")
    continue()
  endif()
  string(REGEX REPLACE "[:,].*" "" owner "${owner}")
  list(APPEND modelrelay_plugin_packages ${owner})
  list(APPEND modelrelay_plugin_files ${file})
endforeach()
list(REMOVE_DUPLICATES modelrelay_plugin_packages)
list(JOIN modelrelay_plugin_packages ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
list(JOIN modelrelay_plugin_files "\n" modelrelay_plugin_files)
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/qt-runtime-plugins.txt "${modelrelay_plugin_files}\n")
message(STATUS "Qt plugins for the .deb from: ${CPACK_DEBIAN_PACKAGE_DEPENDS}")
