# QtKeychain keeps API keys in the system keychain: the Secret Service (GNOME Keyring, KWallet) on
# Linux, Keychain on macOS, Credential Manager on Windows. It is found installed
# (qtkeychain-qt6-dev on Debian), or built from a pinned source with the project when
# MODELRELAY_FETCH_KEYCHAIN is on: statically, so the Windows and macOS packages need nothing
# deployed beside Qt. Without it a build keeps keys in the settings file, so release builds set
# MODELRELAY_REQUIRE_KEYCHAIN and fail here instead of shipping that.
option(MODELRELAY_FETCH_KEYCHAIN "Build QtKeychain from its pinned source into the application" OFF)
option(MODELRELAY_REQUIRE_KEYCHAIN "Fail to configure without QtKeychain (release builds)" OFF)
set(MODELRELAY_KEYCHAIN_GIT_TAG "aa6da344e1a20b9194e12bace3665caeea6b6304" CACHE STRING
    "QtKeychain commit MODELRELAY_FETCH_KEYCHAIN builds (0.16.0)")

# Defines the target modelrelay_keychain (QtKeychain, headers as <qt6keychain/keychain.h>) when
# QtKeychain is available.
function(modelrelay_find_keychain)
  if(MODELRELAY_FETCH_KEYCHAIN)
    if(CMAKE_VERSION VERSION_LESS 3.28)
      message(FATAL_ERROR "MODELRELAY_FETCH_KEYCHAIN needs CMake 3.28 or newer (found ${CMAKE_VERSION})")
    endif()
    include(FetchContent)
    # Its options, for its directory only: a static library without translations or tests.
    set(BUILD_SHARED_LIBS OFF)
    set(BUILD_WITH_QT6 ON)
    set(BUILD_TRANSLATIONS OFF)
    set(BUILD_TEST_APPLICATION OFF)
    set(BUILD_TESTING OFF)
    set(LIBSECRET_SUPPORT OFF) # Linux: the Secret Service through Qt D-Bus, no libsecret needed
    # EXCLUDE_FROM_ALL: its install rules (headers, static library, CMake files) stay out of the
    # packages.
    FetchContent_Declare(qtkeychain
      GIT_REPOSITORY https://github.com/frankosterfeld/qtkeychain.git
      GIT_TAG ${MODELRELAY_KEYCHAIN_GIT_TAG}
      EXCLUDE_FROM_ALL)
    FetchContent_MakeAvailable(qtkeychain)
    # A static QtKeychain must not declare its symbols dllimport (generate_export_header's switch).
    target_compile_definitions(qt6keychain PUBLIC QT6KEYCHAIN_STATIC_DEFINE)
    # Its source tree offers <qtkeychain/keychain.h>; the installed one, which the code includes,
    # <qt6keychain/keychain.h>.
    set(forward ${CMAKE_BINARY_DIR}/qtkeychain-include)
    file(WRITE ${forward}/qt6keychain/keychain.h "#include <qtkeychain/keychain.h>\n")
    add_library(modelrelay_keychain INTERFACE)
    target_include_directories(modelrelay_keychain SYSTEM INTERFACE ${forward})
    target_link_libraries(modelrelay_keychain INTERFACE qt6keychain)
    message(STATUS "QtKeychain: built from source (${MODELRELAY_KEYCHAIN_GIT_TAG})")
    return()
  endif()

  find_package(Qt6Keychain CONFIG QUIET)
  if(Qt6Keychain_FOUND)
    add_library(modelrelay_keychain INTERFACE)
    target_link_libraries(modelrelay_keychain INTERFACE Qt6Keychain::Qt6Keychain)
    # modelrelay_core is static: whatever links it (app, tests) links QtKeychain too, so the
    # imported target must be visible outside this directory.
    get_target_property(imported Qt6Keychain::Qt6Keychain ALIASED_TARGET)
    if(NOT imported)
      set(imported Qt6Keychain::Qt6Keychain)
    endif()
    set_target_properties(${imported} PROPERTIES IMPORTED_GLOBAL TRUE)
    message(STATUS "QtKeychain found: API keys are stored in the system keychain")
  elseif(MODELRELAY_REQUIRE_KEYCHAIN)
    message(FATAL_ERROR "QtKeychain was not found, and MODELRELAY_REQUIRE_KEYCHAIN is on: this build "
      "would keep API keys in the plain settings file. Install it (Debian: qtkeychain-qt6-dev), "
      "point CMAKE_PREFIX_PATH at it, or build it with -DMODELRELAY_FETCH_KEYCHAIN=ON.")
  else()
    message(STATUS "QtKeychain not found: API keys stay in the settings file")
  endif()
endfunction()
