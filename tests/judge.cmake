# The real interpreter as judge (tests/judge/README.md): probe scripts
# generated from the command table run in Debian's iPXE under qemu, and
# ipxe-lint must report a finding on every line where iPXE stops and no
# error on a script iPXE runs through.  The ctest `judge` (label judge)
# runs the fixed sample; it is skipped (77) without qemu or the ipxe
# package, except under CI=true.  Not in sanitizer builds: it judges the
# linter's verdicts, which ASan does not change, and doubles CI time.
# Included from tests/CMakeLists.txt.

add_executable(judge_cmdtable ${CMAKE_CURRENT_LIST_DIR}/judge/cmdtable_dump.c)
target_link_libraries(judge_cmdtable PRIVATE ipxekit_ipxe)
ipxekit_warnings(judge_cmdtable)

if(NOT IPXEKIT_SANITIZE)
  add_test(NAME judge
           COMMAND ${PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/judge/judge.py
                   --lint $<TARGET_FILE:ipxe-lint>
                   --cmdtable $<TARGET_FILE:judge_cmdtable>
                   --sample --jobs 2)
  set_tests_properties(judge PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 900
                       LABELS judge)
endif()
