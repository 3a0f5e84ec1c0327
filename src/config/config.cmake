# The built-in defaults are config.example.yaml itself, compiled into
# kith_config, so the documented file and the defaults cannot drift apart.
set(KITH_CONFIG_EXAMPLE_C ${PROJECT_BINARY_DIR}/generated/config_example.c)
add_custom_command(
  OUTPUT ${KITH_CONFIG_EXAMPLE_C}
  COMMAND ${CMAKE_COMMAND} -DIN=${PROJECT_SOURCE_DIR}/config.example.yaml
          -DOUT=${KITH_CONFIG_EXAMPLE_C} -DNAME=kith_config_example
          -P ${PROJECT_SOURCE_DIR}/src/config/embed.cmake
  DEPENDS ${PROJECT_SOURCE_DIR}/config.example.yaml ${PROJECT_SOURCE_DIR}/src/config/embed.cmake
  COMMENT "Embedding config.example.yaml"
  VERBATIM)
target_sources(kith_config PRIVATE ${KITH_CONFIG_EXAMPLE_C})

# The bundled themes too: `--theme light` works from a build tree or a
# copied binary, before (or without) `cmake --install` put them in the
# data directory, which is still looked at first.
foreach(theme default light high-contrast mono)
  string(REPLACE "-" "_" cname ${theme})
  set(out ${PROJECT_BINARY_DIR}/generated/theme_${cname}.c)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DIN=${PROJECT_SOURCE_DIR}/themes/${theme}.yaml
            -DOUT=${out} -DNAME=kith_theme_${cname}
            -P ${PROJECT_SOURCE_DIR}/src/config/embed.cmake
    DEPENDS ${PROJECT_SOURCE_DIR}/themes/${theme}.yaml ${PROJECT_SOURCE_DIR}/src/config/embed.cmake
    COMMENT "Embedding themes/${theme}.yaml"
    VERBATIM)
  target_sources(kith_config PRIVATE ${out})
endforeach()
