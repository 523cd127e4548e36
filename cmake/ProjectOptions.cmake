# Project-wide settings live on INTERFACE targets linked PRIVATE into each target,
# never in global flags.

if(NOT CMAKE_BUILD_TYPE AND NOT CMAKE_CONFIGURATION_TYPES)
  set(CMAKE_BUILD_TYPE RelWithDebInfo CACHE STRING "Build type" FORCE)
endif()

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  # Precompiled headers need this sloppiness for ccache to hit at all. It must reach each
  # compiler call Ninja makes (an ENV{} set here lives only while CMake configures), and
  # ccache 4.7 (Debian 12) takes no settings on its command line, hence `cmake -E env`.
  # (No CCACHE_BASEDIR: it would make __FILE__ relative, which findDefaultDigits() reads,
  # and it shared only the files without the precompiled header between build folders.)
  set(CMAKE_CXX_COMPILER_LAUNCHER
      "${CMAKE_COMMAND}" -E env
      "CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime"
      "${CCACHE_PROGRAM}")
endif()

add_library(yolo_options INTERFACE)
target_compile_features(yolo_options INTERFACE cxx_std_17)

option(YOLO_SANITIZE "Build with address and undefined-behaviour sanitizers" OFF)
if(YOLO_SANITIZE)
  # -fvisibility-inlines-hidden: Debian's libtorch loads Qt 5 (through OpenCV's highgui)
  # beside our Qt 6. An unoptimised build emits Qt 6's inline functions in the program, and
  # Qt 5's start-up code, resolving the same names, would bind to them and crash before
  # main(). Hidden, they stay ours.
  target_compile_options(yolo_options INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fvisibility-inlines-hidden)
  target_link_options(yolo_options INTERFACE -fsanitize=address,undefined)
endif()

option(YOLO_SANITIZE_THREAD "Build with the thread sanitizer (the tsan preset)" OFF)
if(YOLO_SANITIZE_THREAD)
  if(YOLO_SANITIZE)
    message(FATAL_ERROR "YOLO_SANITIZE and YOLO_SANITIZE_THREAD cannot be combined")
  endif()
  # Hidden inline functions for the same reason as above.
  target_compile_options(yolo_options INTERFACE
    -fsanitize=thread -fno-omit-frame-pointer -fvisibility-inlines-hidden)
  target_link_options(yolo_options INTERFACE -fsanitize=thread)
endif()

add_library(yolo_warnings INTERFACE)
if(CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
  target_compile_options(yolo_warnings INTERFACE
    -Wall -Wextra -Wpedantic -Wshadow=local -Wnon-virtual-dtor -Wcast-align
    -Woverloaded-virtual -Wno-unused-parameter)
endif()

# libtorch's headers take ~25 s to parse per translation unit; the precompiled header
# halves that, but loading its 600 MB costs ~14 s, more than a torch-free file takes
# to compile whole. So only sources that include torch use it: the others are marked
# to skip it (decided when CMake configures; re-run CMake after adding torch to a file).
function(yolo_torch_pch_only_where_needed)
  foreach(source IN LISTS ARGN)
    if(source MATCHES "\\.cpp$")
      file(STRINGS "${source}" torch_includes REGEX "#include [<\"](torch/|core/model/|core/train/|core/infer/)")
      if(NOT torch_includes)
        set_source_files_properties("${source}" PROPERTIES SKIP_PRECOMPILE_HEADERS ON)
      endif()
    endif()
  endforeach()
endfunction()
