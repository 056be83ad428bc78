# ipxe-lint's language server (ipxe-lint --lsp): a standard-library client
# that drives it as an editor does, a real editor (Neovim, headless), and
# the message layer's fuzz harness replaying its regressions.  Included
# from tests/CMakeLists.txt.
#
# By hand: python3 tests/lsp/test_lsp.py build/linter/ipxe-lint
add_test(NAME lsp/client
         COMMAND ${PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/lsp/test_lsp.py
                 $<TARGET_FILE:ipxe-lint>)
set_tests_properties(lsp/client PROPERTIES TIMEOUT 300)
