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
# configure_file leaves OUT untouched when the text is the same.
configure_file("${OUT}.tmp" "${OUT}" COPYONLY)
file(REMOVE "${OUT}.tmp")
