# cmake --install (DESTDIR and --prefix honoured): the tools, their man
# pages and bash completions, the rule pages and the guides.  Included from
# the top-level CMakeLists.txt; a tool not built (IPXEKIT_STATIC builds
# ipxe-lint alone) installs nothing.
include(GNUInstallDirs)

set(_ipxekit_docs ${PROJECT_SOURCE_DIR}/docs)
foreach(tool ipxe-lint ipxe-render ipxe-upload)
  if(NOT TARGET ${tool})
    continue()
  endif()
  install(TARGETS ${tool} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(FILES ${_ipxekit_docs}/${tool}.1
          DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
  install(FILES ${PROJECT_SOURCE_DIR}/scripts/completion/${tool}
          DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions)
endforeach()

# share/doc/ipxekit: the news, the guides, one page per rule.
install(FILES ${PROJECT_SOURCE_DIR}/README.md ${PROJECT_SOURCE_DIR}/NEWS.md
              ${_ipxekit_docs}/ci.md ${_ipxekit_docs}/editors.md
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
if(TARGET ipxe-render)
  install(FILES ${_ipxekit_docs}/templates.md
          DESTINATION ${CMAKE_INSTALL_DOCDIR})
endif()
if(TARGET ipxe-upload)
  install(FILES ${_ipxekit_docs}/uploader.md
          DESTINATION ${CMAKE_INSTALL_DOCDIR})
endif()
install(DIRECTORY ${_ipxekit_docs}/rules/
        DESTINATION ${CMAKE_INSTALL_DOCDIR}/rules
        FILES_MATCHING PATTERN "*.md")
