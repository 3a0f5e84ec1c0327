# What `cmake --install` puts where, and the Debian package `cpack -G DEB`
# makes of it. Included from the top-level CMakeLists.txt.

install(TARGETS kith RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES docs/kith.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(DIRECTORY themes/ DESTINATION ${CMAKE_INSTALL_DATADIR}/kith/themes
        FILES_MATCHING PATTERN "*.yaml")
install(FILES config.example.yaml README.md DESTINATION ${CMAKE_INSTALL_DOCDIR})
# Where each shell looks for completions under a prefix: bash-completion and
# fish read <prefix>/share through XDG_DATA_DIRS (and ~/.local/share),
# zsh's default fpath has /usr/local/share/zsh/site-functions.
install(FILES completions/kith.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME kith)
install(FILES completions/_kith DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/site-functions)
install(FILES completions/kith.fish DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d)

# Before installing, ./build/kith finds its themes beside itself (see
# theme_load), wherever the build directory is.
file(GLOB KITH_THEMES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/themes/*.yaml)
foreach(t ${KITH_THEMES})
  get_filename_component(n ${t} NAME)
  configure_file(${t} ${PROJECT_BINARY_DIR}/themes/${n} COPYONLY)
endforeach()

set(CPACK_PACKAGE_NAME kith)
set(CPACK_PACKAGE_VENDOR kith)
set(CPACK_PACKAGE_CONTACT "kith maintainers <kith@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "A full-screen terminal journal for professional relationships: contacts,\n"
    "what you gave and asked, referrals and thank-yous, reminders and a daily\n"
    "networking challenge, on ncurses and SQLite.")
string(REPLACE ";" "" CPACK_DEBIAN_PACKAGE_DESCRIPTION "${CPACK_DEBIAN_PACKAGE_DESCRIPTION}")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
# Depends comes from the libraries the binary links (dpkg-shlibdeps), plus
# GMime, which kith loads only to read mail (so shlibdeps cannot see it),
# and the shared SQLite when it is not linked in from its archive (it must
# have what kith's SQL uses: JSON ->> came with 3.38).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
if(SQLITE3_ARCHIVE AND KITH_STATIC_DEPS)
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libgmime-3.0-0 (>= 3.2)")
else()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libsqlite3-0 (>= 3.38), libgmime-3.0-0 (>= 3.2)")
endif()
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "man-db")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "bash-completion")
set(CPACK_GENERATOR DEB)
include(CPack)
