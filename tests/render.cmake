# ipxe-render: the Jinja2 differential test, the injection and inventory
# tests, the CLI tests.  Python tests use Debian's /usr/bin/python3, which
# sees python3-jinja2.
add_executable(tmpl_driver ${CMAKE_CURRENT_SOURCE_DIR}/render/tmpl_driver.c)
target_link_libraries(tmpl_driver PRIVATE ipxekit_render)
ipxekit_warnings(tmpl_driver)

add_test(NAME render/oracle
         COMMAND ${PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/render/oracle.py
                 $<TARGET_FILE:tmpl_driver>)
add_test(NAME render/cli
         COMMAND ${PYTHON3} -m unittest -v test_render
         WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/render)
set_tests_properties(render/cli PROPERTIES ENVIRONMENT
  "IPXE_RENDER=$<TARGET_FILE:ipxe-render>;IPXEKIT_ROOT=${PROJECT_SOURCE_DIR}")

# The limits (docs/templates.md, "Limits"): the work budget, the largest
# script, and inputs over their size refused before they are read whole
# (peak memory checked; an address-space limit too, outside ASan).
add_test(NAME render/limits
         COMMAND ${PYTHON3} -m unittest -v test_limits
         WORKING_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/render)
set_tests_properties(render/limits PROPERTIES ENVIRONMENT
  "IPXE_RENDER=$<TARGET_FILE:ipxe-render>;IPXEKIT_SANITIZE=${IPXEKIT_SANITIZE}")

add_executable(test_render_api ${CMAKE_CURRENT_SOURCE_DIR}/render/test_api.c)
target_link_libraries(test_render_api PRIVATE ipxekit_render)
ipxekit_warnings(test_render_api)
add_test(NAME render/api
         COMMAND test_render_api ${CMAKE_CURRENT_BINARY_DIR})

# The renderer's fuzz harness (tests/fuzz/fuzz_render.c):
# render.fuzz.regressions replays tests/fuzz/regressions-render/ and the
# example's template and inventory (an input starting with '#' is a
# template, with '{' an inventory: see the harness).
ipxekit_fuzz_harness(render ipxekit_render render.fuzz.regressions
                     ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/regressions-render
                     ${PROJECT_SOURCE_DIR}/testdata/render/example)

# The inventory's JSON reader and merge (jv.h) against jansson, in process.
add_executable(test_render_jv ${CMAKE_CURRENT_SOURCE_DIR}/render/test_jv.c)
target_link_libraries(test_render_jv PRIVATE ipxekit_render)
ipxekit_warnings(test_render_jv)
add_test(NAME render/jv COMMAND test_render_jv)
