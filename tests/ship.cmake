# Shipping: one version everywhere (CMake, debian/changelog, NEWS.md, each
# tool's --version) and the bash completions of scripts/completion/.
# Included from tests/CMakeLists.txt.  The packages, cmake --install and
# the static ipxe-lint are checked by tests/package/run.sh (from .ci/run).
add_test(NAME ship/version
         COMMAND ${PYTHON3} ${CMAKE_CURRENT_LIST_DIR}/version/test_version.py
                 ${PROJECT_SOURCE_DIR} $<TARGET_FILE:ipxe-lint>
                 $<TARGET_FILE:ipxe-render> $<TARGET_FILE:ipxe-upload>)
add_test(NAME ship/completion
         COMMAND ${PYTHON3} -m unittest -v test_completion
         WORKING_DIRECTORY ${CMAKE_CURRENT_LIST_DIR}/completion)
set_tests_properties(ship/completion PROPERTIES ENVIRONMENT
  "IPXE_LINT=$<TARGET_FILE:ipxe-lint>;IPXE_RENDER=$<TARGET_FILE:ipxe-render>;IPXE_UPLOAD=$<TARGET_FILE:ipxe-upload>;IPXEKIT_ROOT=${PROJECT_SOURCE_DIR}")
