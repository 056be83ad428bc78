# Parser tests (issue 2, items 4-6), included from tests/CMakeLists.txt:
#   include(${CMAKE_CURRENT_SOURCE_DIR}/parser.cmake)
#
#   parser.unit.*             C unit tests (tests/unit/)
#   parser.golden.<case>      testdata/parse/<case>.ipxe[.j2|.erb] against
#                             <case>.ast, and --dump=source == the input
#   parser.golden.cli         the same cases through ipxe-lint, once it exists
#   parser.corpus             every file of ../shared/corpus (skips with 77
#                             when it is missing, fails then if CI=true)
#   parser.fuzz.regressions   tests/fuzz/regressions/ + the golden inputs
#                             replayed through the fuzz harness
#   parser.bench.smoke        the benchmark program runs on a golden input
# Targets: parse_dump, parser_corpus_check, fuzz_parse_replay, parse_bench,
# and fuzz_parse with -DIPXEKIT_FUZZ=ON (clang; see tests/fuzz/run.sh).

set(PTEST_SRC ${CMAKE_CURRENT_LIST_DIR})
set(PTEST_CASES ${PROJECT_SOURCE_DIR}/testdata/parse)
if(DEFINED IPXEKIT_SHARED)
  set(PTEST_SHARED ${IPXEKIT_SHARED})
else()
  set(PTEST_SHARED ${PROJECT_SOURCE_DIR}/../shared)
endif()

# Debian's Python, as STYLE.md §16 asks (the stdlib is all the runner needs).
find_program(IPXEKIT_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT IPXEKIT_PYTHON3)
  find_program(IPXEKIT_PYTHON3 NAMES python3 REQUIRED)
endif()

# The independent tree checker shared by unit, corpus and fuzz tests.
add_library(ipxekit_treecheck STATIC ${PTEST_SRC}/unit/treecheck.c)
target_include_directories(ipxekit_treecheck PUBLIC ${PTEST_SRC}/unit)
target_link_libraries(ipxekit_treecheck PUBLIC ipxekit_parser)
ipxekit_warnings(ipxekit_treecheck)

# Unit tests ---------------------------------------------------------------------
foreach(name source arena_buf spans tokens model limits safefile sniff)
  add_executable(test_parser_${name} ${PTEST_SRC}/unit/test_${name}.c)
  target_link_libraries(test_parser_${name} PRIVATE ipxekit_treecheck)
  ipxekit_warnings(test_parser_${name})
  add_test(NAME parser.unit.${name} COMMAND test_parser_${name})
endforeach()
# Two halves on two threads give the tree one thread gives (parse.c).
add_executable(test_parser_threads ${PTEST_SRC}/unit/test_threads.c)
target_link_libraries(test_parser_threads PRIVATE ipxekit_treecheck)
ipxekit_warnings(test_parser_threads)
add_test(NAME parser.unit.threads
         COMMAND test_parser_threads ${PROJECT_SOURCE_DIR}/testdata)
set_tests_properties(parser.unit.model parser.unit.limits parser.unit.threads
                     PROPERTIES TIMEOUT 300)

# Golden parse tests -------------------------------------------------------------
add_executable(parse_dump ${PTEST_SRC}/golden/parse_dump.c)
target_link_libraries(parse_dump PRIVATE ipxekit_parser)
ipxekit_warnings(parse_dump)

file(GLOB PTEST_GOLDEN CONFIGURE_DEPENDS ${PTEST_CASES}/*.ipxe
     ${PTEST_CASES}/*.ipxe.j2 ${PTEST_CASES}/*.ipxe.erb)
list(SORT PTEST_GOLDEN)
foreach(input ${PTEST_GOLDEN})
  get_filename_component(base ${input} NAME)
  string(REGEX REPLACE "\\.ipxe(\\.j2|\\.erb)?$" "" case ${base})
  add_test(NAME parser.golden.${case}
           COMMAND ${IPXEKIT_PYTHON3} ${PTEST_SRC}/golden/run_golden.py
                   --dump $<TARGET_FILE:parse_dump> ${input})
endforeach()
if(TARGET ipxe-lint)
  add_test(NAME parser.golden.cli
           COMMAND ${IPXEKIT_PYTHON3} ${PTEST_SRC}/golden/run_golden.py
                   --dump $<TARGET_FILE:ipxe-lint> ${PTEST_CASES})
endif()

# The corpus ---------------------------------------------------------------------
add_executable(parser_corpus_check ${PTEST_SRC}/corpus/corpus_check.c)
target_link_libraries(parser_corpus_check PRIVATE ipxekit_treecheck)
ipxekit_warnings(parser_corpus_check)
add_test(NAME parser.corpus
         COMMAND parser_corpus_check ${PTEST_SHARED}/corpus)
set_tests_properties(parser.corpus PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)

# Fuzzing --------------------------------------------------------------------------
ipxekit_fuzz_harness(parse ipxekit_treecheck parser.fuzz.regressions
                     ${PTEST_SRC}/fuzz/regressions ${PTEST_CASES})

# The benchmark program (bench/parse runs it on big inputs) -----------------------
add_executable(parse_bench ${PROJECT_SOURCE_DIR}/bench/parse_bench.c)
target_link_libraries(parse_bench PRIVATE ipxekit_parser)
ipxekit_warnings(parse_bench)
add_test(NAME parser.bench.smoke
         COMMAND parse_bench --repeat 2 ${PTEST_CASES}/menu-realistic.ipxe)
