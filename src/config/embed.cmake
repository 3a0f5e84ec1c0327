# Writes the bytes of IN as a NUL-terminated C array named NAME into OUT.
# Run as a script (cmake -P) at build time, so that an edit of IN is picked up.
file(READ "${IN}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n"
       bytes "${bytes}")
file(WRITE "${OUT}.tmp"
     "/* Generated from ${IN}: do not edit. */\n"
     "extern const char ${NAME}[];\n"
     "const char ${NAME}[] = {\n${bytes}0x00};\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
