# cmake -DDOC=file.md -DMARKER=name -DOUTPUT=file -P extract_snippet.cmake
# Writes to OUTPUT, byte for byte, the body of the first fenced code block
# (```cpp ... ```) after the line `<!-- MARKER -->` of DOC, so that the code
# a document shows is the code a test compiles.
file(READ "${DOC}" text)
set(marker "<!-- ${MARKER} -->\n")
string(FIND "${text}" "${marker}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${DOC}: no line '<!-- ${MARKER} -->' before the code block to compile")
endif()
string(LENGTH "${marker}" marker_length)
math(EXPR at "${at} + ${marker_length}")
string(SUBSTRING "${text}" ${at} -1 text)
set(fence "```cpp\n")
string(FIND "${text}" "${fence}" open)
if(NOT open EQUAL 0)
  message(FATAL_ERROR "${DOC}: the line after '<!-- ${MARKER} -->' does not open a ```cpp block")
endif()
string(SUBSTRING "${text}" 7 -1 text)
string(FIND "${text}" "\n```" close)
if(close EQUAL -1)
  message(FATAL_ERROR "${DOC}: the ```cpp block after '<!-- ${MARKER} -->' is not closed")
endif()
math(EXPR close "${close} + 1")
string(SUBSTRING "${text}" 0 ${close} code)
# Rewritten only when the code changed, so that an edit of the prose around
# it recompiles nothing.
file(WRITE "${OUTPUT}.new" "${code}")
configure_file("${OUTPUT}.new" "${OUTPUT}" COPYONLY)
file(REMOVE "${OUTPUT}.new")
