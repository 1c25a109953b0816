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
