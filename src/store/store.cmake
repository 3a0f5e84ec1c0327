# The schema's files (src/store/schema/vNN.sql, one a version), compiled
# into kith_store by the step that embeds config.example.yaml, so that the
# SQL is read and reviewed as SQL; db.c says how a file's text is run.
# A new version is a line here.
foreach(version 01 02 03 04 05 06 07 08 09 10 11 12 13 14)
  set(in ${PROJECT_SOURCE_DIR}/src/store/schema/v${version}.sql)
  set(out ${PROJECT_BINARY_DIR}/generated/schema_v${version}.c)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DIN=${in} -DOUT=${out} -DNAME=kith_schema_v${version}
            -P ${PROJECT_SOURCE_DIR}/src/config/embed.cmake
    DEPENDS ${in} ${PROJECT_SOURCE_DIR}/src/config/embed.cmake
    COMMENT "Embedding src/store/schema/v${version}.sql"
    VERBATIM)
  target_sources(kith_store PRIVATE ${out})
endforeach()
