# ipxe-lint's command line: options, exit codes, directives, configuration,
# formats (SARIF for GitHub code scanning), the man page, and the pre-commit
# hook with the real pre-commit tool.  Included from tests/CMakeLists.txt.
#
# By hand: python3 tests/cli/run.py build/linter/ipxe-lint . test_cli

foreach(module cli usage sarif manpage precommit ci_formats fix)
  add_test(NAME cli/${module}
           COMMAND ${PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/cli/run.py
                   $<TARGET_FILE:ipxe-lint> ${PROJECT_SOURCE_DIR}
                   test_${module})
  # 77: every test of the module was skipped (a tool is missing)
  set_tests_properties(cli/${module} PROPERTIES SKIP_RETURN_CODE 77
                       TIMEOUT 600)
endforeach()
