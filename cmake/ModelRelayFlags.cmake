# modelrelay_warnings: warnings for every target. modelrelay_flags: warnings plus Qt's strict
# string and connect defines, for product code (tests may use plain string literals).
add_library(modelrelay_warnings INTERFACE)
target_compile_options(modelrelay_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang,AppleClang>:-Wall -Wextra -Wpedantic>
  $<$<CXX_COMPILER_ID:MSVC>:/W4 /permissive->)
if(MODELRELAY_WARNINGS_AS_ERRORS)
  target_compile_options(modelrelay_warnings INTERFACE
    $<$<CXX_COMPILER_ID:GNU,Clang,AppleClang>:-Werror>
    $<$<CXX_COMPILER_ID:MSVC>:/WX>)
endif()
target_compile_definitions(modelrelay_warnings INTERFACE
  QT_NO_FOREACH
  QT_DISABLE_DEPRECATED_BEFORE=0x060400)

add_library(modelrelay_flags INTERFACE)
target_link_libraries(modelrelay_flags INTERFACE modelrelay_warnings)
target_compile_definitions(modelrelay_flags INTERFACE
  QT_NO_CAST_FROM_ASCII
  QT_NO_CAST_TO_ASCII
  QT_NO_URL_CAST_FROM_STRING
  QT_NO_NARROWING_CONVERSIONS_IN_CONNECT)

# Hardening of ELF binaries, as Debian's dpkg-buildflags asks of its packages (lintian checks the
# result): stack protector and clash protection, control-flow protection on x86, fortified libc
# calls where the optimizer can see them, read-only relocations bound at start. The fuzz build
# leaves it to the sanitizers (ASan and _FORTIFY_SOURCE intercept the same calls).
if(MODELRELAY_BUILD_FUZZERS)
  set(modelrelay_hardening_default OFF)
else()
  set(modelrelay_hardening_default ON)
endif()
option(MODELRELAY_HARDENING "Build with the hardening flags Debian packages use (ELF platforms)"
       ${modelrelay_hardening_default})
if(MODELRELAY_HARDENING AND CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang" AND NOT APPLE AND NOT WIN32)
  include(CheckCXXCompilerFlag)
  add_compile_options(-fstack-protector-strong -Werror=format-security)
  foreach(flag -fstack-clash-protection -fcf-protection)
    string(MAKE_C_IDENTIFIER "MODELRELAY_HAS${flag}" flag_var)
    check_cxx_compiler_flag(${flag} ${flag_var})
    if(${flag_var})
      add_compile_options(${flag})
    endif()
  endforeach()
  # Without optimization _FORTIFY_SOURCE does nothing but warn (an error with -Werror).
  add_compile_options("$<$<CONFIG:Release,RelWithDebInfo,MinSizeRel>:-U_FORTIFY_SOURCE;-D_FORTIFY_SOURCE=2>")
  add_link_options(LINKER:-z,relro LINKER:-z,now)
endif()
