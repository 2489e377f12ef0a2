# Fails when a file of module MODULE (src/MODULE/, include/berth/MODULE/)
# includes a public header of a module that MODULE may not use (DESIGN.md's
# module table, as CMakeLists.txt's BERTH_USES_* lists it), or another
# module's private header. Run at build time for every module (script mode):
#   cmake -DMODULE=policy "-DALLOWED=model;util" -DROOT=<checkout> -DSTAMP=<file> -P check_layers.cmake
cmake_minimum_required(VERSION 3.20)
file(GLOB_RECURSE files ${ROOT}/src/${MODULE}/*.cpp ${ROOT}/src/${MODULE}/*.h ${ROOT}/src/${MODULE}/*.in
     ${ROOT}/include/berth/${MODULE}/*.h)
set(errors "")
foreach(file IN LISTS files)
  file(STRINGS "${file}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
  foreach(line IN LISTS lines)
    if(line MATCHES "#[ \t]*include[ \t]*\"berth/([a-z_]+)/([^\"]+)\"")
      set(used "${CMAKE_MATCH_1}")
      if(NOT used STREQUAL MODULE AND NOT used IN_LIST ALLOWED)
        string(REPLACE ";" ", " allowed "${ALLOWED}")
        string(APPEND errors "\n  ${file}: includes berth/${used}/${CMAKE_MATCH_2}, but ${MODULE} may use only: ${allowed}")
      endif()
    elseif(line MATCHES "#[ \t]*include[ \t]*\"([a-z_]+)/([^\"]+)\"")
      string(APPEND errors "\n  ${file}: includes ${CMAKE_MATCH_1}/${CMAKE_MATCH_2}, a header private to module ${CMAKE_MATCH_1}")
    endif()
  endforeach()
endforeach()
if(errors)
  message(FATAL_ERROR "module ${MODULE} reaches outside its layer (see the module table in CMakeLists.txt):${errors}")
endif()
file(TOUCH "${STAMP}")
