# ipxe-render: the template engine, the inventory and the renderer go into
# the linter library (ipxe-upload renders too); the tool is a thin main.
target_sources(ipxekit_linter PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/template.c
  ${CMAKE_CURRENT_LIST_DIR}/inventory.c
  ${CMAKE_CURRENT_LIST_DIR}/render.c)
pkg_check_modules(JANSSON REQUIRED IMPORTED_TARGET jansson)
target_link_libraries(ipxekit_linter PUBLIC PkgConfig::JANSSON)

add_executable(ipxe-render ${CMAKE_CURRENT_LIST_DIR}/render_main.c)
target_link_libraries(ipxe-render PRIVATE ipxekit_linter PkgConfig::JANSSON)
target_compile_definitions(ipxe-render PRIVATE
  IPXEKIT_VERSION="${PROJECT_VERSION}")
ipxekit_warnings(ipxe-render)

# bench/render's timer: built on demand (`--target render_bench`)
add_executable(render_bench EXCLUDE_FROM_ALL
  ${PROJECT_SOURCE_DIR}/bench/render_bench.c)
target_link_libraries(render_bench PRIVATE ipxekit_linter)
ipxekit_warnings(render_bench)
