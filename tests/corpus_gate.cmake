# The corpus gates (issue 3): every known bug of ../shared/corpus is
# reported (testdata/known-bugs.tsv), no false error on a plain corpus file
# (testdata/corpus-allowlist.tsv holds the real bugs beyond the list),
# templates have no template-syntax error, and no file crashes the linter.
# Skipped (77) without ../shared, except under CI=true.
# Included from tests/CMakeLists.txt.

foreach(gate known-bugs plain-errors templates all-files fixes)
  add_test(NAME corpus_gate/${gate}
           COMMAND ${PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/corpus_gate/gate.py
                   $<TARGET_FILE:ipxe-lint> ${PROJECT_SOURCE_DIR}
                   ${IPXEKIT_SHARED} ${gate})
  set_tests_properties(corpus_gate/${gate} PROPERTIES SKIP_RETURN_CODE 77
                       TIMEOUT 900)
endforeach()

# Tree mode on the corpus laid out as its repositories (issue 16): every new
# error is in testdata/corpus-tree-errors.tsv with a person's verdict.
add_test(NAME corpus_gate/trees
         COMMAND ${PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/corpus_gate/trees.py
                 $<TARGET_FILE:ipxe-lint> ${PROJECT_SOURCE_DIR}
                 ${IPXEKIT_SHARED})
set_tests_properties(corpus_gate/trees PROPERTIES SKIP_RETURN_CODE 77
                     TIMEOUT 900)
