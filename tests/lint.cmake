# ipxe-lint golden tests: one ctest per case in testdata/lint.
file(GLOB LINT_CASES CONFIGURE_DEPENDS
     ${PROJECT_SOURCE_DIR}/testdata/lint/*.expected)
foreach(expected ${LINT_CASES})
  get_filename_component(case ${expected} NAME_WE)
  add_test(NAME lint/${case}
           COMMAND ${PYTHON3} ${CMAKE_CURRENT_SOURCE_DIR}/lint/run_golden.py
                   $<TARGET_FILE:ipxe-lint> ${PROJECT_SOURCE_DIR} ${case})
endforeach()
