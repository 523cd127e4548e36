# The front (FRONT: yolo-cli or yolo-workbench) answers --help and --version itself without
# libtorch, with the same text and status as the real program beside it (REAL).
#   cmake -DFRONT=... -DREAL=... -P check_front.cmake
execute_process(COMMAND readelf -d "${FRONT}" OUTPUT_VARIABLE dynamic RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "readelf -d ${FRONT} failed (${rc})")
endif()
string(REGEX MATCHALL "NEEDED[^\n]*" needed "${dynamic}")
message("${FRONT} needs: ${needed}")
foreach(library torch c10 Qt6Widgets Qt6Gui)
  if(needed MATCHES "lib${library}")
    message(FATAL_ERROR "${FRONT} links lib${library}: --help would load it")
  endif()
endforeach()
foreach(flag --help --version)
  execute_process(COMMAND "${FRONT}" ${flag} OUTPUT_VARIABLE front_out ERROR_VARIABLE front_err
                  RESULT_VARIABLE front_rc)
  execute_process(COMMAND "${REAL}" ${flag} OUTPUT_VARIABLE real_out ERROR_VARIABLE real_err
                  RESULT_VARIABLE real_rc)
  # Qt's usage line names the program as started; run through the front, that is the front.
  string(REPLACE "${REAL}" "${FRONT}" real_out "${real_out}")
  if(NOT front_rc STREQUAL real_rc OR NOT front_out STREQUAL real_out)
    message(FATAL_ERROR "${flag}: the front printed (status ${front_rc}):\n${front_out}\n"
                        "the real program (status ${real_rc}):\n${real_out}")
  endif()
endforeach()
