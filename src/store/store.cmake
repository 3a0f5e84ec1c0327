# The schema's files (src/store/schema/vNN.sql, one a version), compiled
# into kith_store by the step that embeds config.example.yaml, so that the
# SQL is read and reviewed as SQL; db.c says how a file's text is run.
# A new version is a line here.
# latest.sql makes a new journal at the newest version in one script.
foreach(stem v01 v02 v03 v04 v05 v06 v07 v08 v09 v10 v11 v12 v13 v14 v15 v16 v17 v18 v19 v20 latest)
  set(in ${PROJECT_SOURCE_DIR}/src/store/schema/${stem}.sql)
  set(out ${PROJECT_BINARY_DIR}/generated/schema_${stem}.c)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DIN=${in} -DOUT=${out} -DNAME=kith_schema_${stem}
            -P ${PROJECT_SOURCE_DIR}/src/config/embed.cmake
    DEPENDS ${in} ${PROJECT_SOURCE_DIR}/src/config/embed.cmake
    COMMENT "Embedding src/store/schema/${stem}.sql"
    VERBATIM)
  target_sources(kith_store PRIVATE ${out})
endforeach()
