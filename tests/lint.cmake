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
# replays tests/fuzz/regressions-lint/ and the golden inputs through it in
# every build (under ASan/UBSan in the sanitizer build); fuzz_lint is the
# libFuzzer target with -DIPXEKIT_FUZZ=ON (clang).
file(GLOB LINT_FUZZ_INPUTS CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/testdata/lint/*.ipxe*)
list(SORT LINT_FUZZ_INPUTS)
add_executable(fuzz_lint_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_lint.c
               ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/replay_main.c)
target_link_libraries(fuzz_lint_replay PRIVATE ipxekit_linter)
ipxekit_warnings(fuzz_lint_replay)
add_test(NAME lint.fuzz.regressions
         COMMAND fuzz_lint_replay ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/regressions-lint
                 ${LINT_FUZZ_INPUTS})
set_tests_properties(lint.fuzz.regressions PROPERTIES TIMEOUT 300)

if(IPXEKIT_FUZZ)
  add_executable(fuzz_lint ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_lint.c)
  target_link_libraries(fuzz_lint PRIVATE ipxekit_linter)
  target_compile_options(fuzz_lint PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(fuzz_lint PRIVATE -fsanitize=fuzzer,address,undefined)
  ipxekit_warnings(fuzz_lint)
endif()
