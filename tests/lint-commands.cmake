# Unit tests of the command table and of iPXE's getopt (linter/cmdtable.c,
# linter/cmdparse.c).  Included from tests/CMakeLists.txt.

if(NOT TARGET PkgConfig::JANSSON)
  pkg_check_modules(JANSSON REQUIRED IMPORTED_TARGET jansson)
endif()

foreach(name cmdtable cmdparse settings_table uri registry)
  add_executable(test_${name} ${CMAKE_CURRENT_LIST_DIR}/unit/test_${name}.c)
  target_include_directories(test_${name} PRIVATE
                             ${CMAKE_CURRENT_LIST_DIR}/unit)
  target_link_libraries(test_${name} PRIVATE ipxekit_lint ipxekit_parser
                        PkgConfig::JANSSON)
  ipxekit_warnings(test_${name})
endforeach()

# The table is checked against the spec it restates; without the spec
# (a checkout on its own) the test is skipped, except in CI.
add_test(NAME unit_cmdtable
         COMMAND test_cmdtable
                 ${CMAKE_SOURCE_DIR}/../shared/spec/ipxe-commands.json)
set_tests_properties(unit_cmdtable PROPERTIES SKIP_RETURN_CODE 77)

add_test(NAME unit_cmdparse COMMAND test_cmdparse)
add_test(NAME unit_settings_table COMMAND test_settings_table)
add_test(NAME unit_uri COMMAND test_uri)
add_test(NAME unit_registry COMMAND test_registry)
