# ipxe-lint golden tests: one ctest per case in testdata/lint.
file(GLOB LINT_CASES CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/testdata/lint/*.expected)
foreach(expected ${LINT_CASES})
  get_filename_component(case ${expected} NAME_WE)
  add_test(NAME lint/${case}
           COMMAND ${PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/lint/run_golden.py
                   $<TARGET_FILE:ipxe-lint> ${PROJECT_SOURCE_DIR} ${case})
endforeach()

# The linter's fuzz harness (tests/fuzz/fuzz_lint.c): lint.fuzz.regressions
# replays tests/fuzz/regressions-lint/ and the golden inputs through it.
file(GLOB LINT_FUZZ_INPUTS CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/testdata/lint/*.ipxe*)
list(SORT LINT_FUZZ_INPUTS)
ipxekit_fuzz_harness(lint "ipxekit_lint;PkgConfig::JANSSON" lint.fuzz.regressions
                     ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/regressions-lint
                     ${LINT_FUZZ_INPUTS})

# Tree mode's golden tests: one ctest per folder of testdata/tree.
file(GLOB TREE_CASES CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/testdata/tree/*.expected)
foreach(expected ${TREE_CASES})
  get_filename_component(case ${expected} NAME_WE)
  add_test(NAME lint-tree/${case}
           COMMAND ${PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/lint/run_tree_golden.py
                   $<TARGET_FILE:ipxe-lint> ${PROJECT_SOURCE_DIR} ${case})
endforeach()
