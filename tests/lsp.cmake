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
# 77: skipped, nvim is not installed (CI installs it: scripts/deps editor)
add_test(NAME lsp/neovim
         COMMAND ${PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/lsp/test_nvim.py
                 $<TARGET_FILE:ipxe-lint>)
set_tests_properties(lsp/neovim PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)

# The message layer's fuzz harness (tests/fuzz/fuzz_lsp.c): lsp.fuzz.regressions
# replays tests/fuzz/regressions-lsp/ through it in every build.
ipxekit_fuzz_harness(lsp "ipxekit_lsp;PkgConfig::JANSSON" lsp.fuzz.regressions
                     ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/regressions-lsp)
