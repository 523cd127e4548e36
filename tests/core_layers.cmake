# Fails when a folder of core/ includes a folder above it. The layers, lowest first:
#   util <- model <- data <- run <- infer <- eval <- train
# A file may include its own folder and those below it. `run` holds what inference,
# evaluation and training share about a run: its configuration and its checkpoint files.
cmake_minimum_required(VERSION 3.16)
set(layers util model data run infer eval train)

file(GLOB_RECURSE files RELATIVE "${CORE_DIR}/.." "${CORE_DIR}/*.h" "${CORE_DIR}/*.cpp")
set(offenders "")
foreach(f IN LISTS files)
  if(NOT f MATCHES "^core/([a-z_]+)/")
    continue()  # core/pch.h and the like: no layer
  endif()
  list(FIND layers "${CMAKE_MATCH_1}" own)
  if(own EQUAL -1)
    list(APPEND offenders "${f}: folder core/${CMAKE_MATCH_1} is in no layer (add it to ${CMAKE_CURRENT_LIST_FILE})")
    continue()
  endif()
  file(STRINGS "${CORE_DIR}/../${f}" includes REGEX "^[ \t]*#[ \t]*include[ \t]*\"core/[a-z_]+/")
  foreach(line IN LISTS includes)
    string(REGEX MATCH "core/([a-z_]+)/[^\"]*" header "${line}")
    list(FIND layers "${CMAKE_MATCH_1}" other)
    if(other GREATER own)
      list(APPEND offenders "${f} -> ${header}")
    endif()
  endforeach()
endforeach()
if(offenders)
  string(REPLACE ";" "\n" offenders "${offenders}")
  message(FATAL_ERROR "core folders including a folder above them (${layers}, lowest first):\n${offenders}")
endif()
list(LENGTH files count)
message(STATUS "checked ${count} files under core/: every include goes to the same layer or one below")
