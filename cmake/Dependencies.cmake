# Every third-party package the project uses, found in one place.

find_package(Torch REQUIRED)
find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs videoio dnn)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)
find_package(yaml-cpp REQUIRED)  # Ultralytics data.yaml (core/data/dataset_source.cpp)

# ONNX export (core/model/onnx_export.cpp): the ONNX protobuf definitions and model checker
# of libonnx (Debian: libonnx-dev, libprotobuf-dev). Optional: without them `export --format
# onnx` says what to install.
find_package(Protobuf QUIET)
if(Protobuf_FOUND)
  find_package(ONNX QUIET)
endif()
set(YOLO_HAVE_ONNX OFF)
if(Protobuf_FOUND AND TARGET onnx)
  set(YOLO_HAVE_ONNX ON)
endif()
message(STATUS "ONNX export: ${YOLO_HAVE_ONNX}")

# libtorch exports a plain list; wrap it in a target so the rest of the build
# links one name (official libtorch builds need TORCH_CXX_FLAGS for the ABI).
add_library(yolo_torch INTERFACE)
target_link_libraries(yolo_torch INTERFACE ${TORCH_LIBRARIES})
target_include_directories(yolo_torch SYSTEM INTERFACE ${TORCH_INCLUDE_DIRS})
if(TORCH_CXX_FLAGS)
  separate_arguments(_torch_flags UNIX_COMMAND "${TORCH_CXX_FLAGS}")
  target_compile_options(yolo_torch INTERFACE ${_torch_flags})
endif()

if(YOLO_BUILD_GUI)
  find_package(Qt6 6.2 REQUIRED COMPONENTS Core Gui Widgets PrintSupport Test Concurrent)
  find_package(QCustomPlotQt6 REQUIRED)
endif()
find_package(CLI11 2.1 REQUIRED)

# oneDNN for the Detector's CPU network (core/infer/onednn_network.*): only where libtorch
# itself links this shared oneDNN (Debian's libtorch does), so one oneDNN serves both.
# Official libtorch builds carry a oneDNN of their own; there the engine is left out and the
# Detector runs libtorch's forward. YOLO_WITH_ONEDNN=OFF leaves it out on purpose, to build
# and test that path here.
#
# Found by header and library, not by oneDNN's CMake config: Debian's dnnl-config.cmake
# requires OpenCL (its GPU runtime), which the CPU network never uses, and which a machine
# without ocl-icd-opencl-dev lacks, so the config would stop the configure.
option(YOLO_WITH_ONEDNN "Use the oneDNN that libtorch links for the Detector's CPU network" ON)
set(YOLO_HAVE_ONEDNN OFF)
if(YOLO_WITH_ONEDNN)
  find_path(YOLO_DNNL_INCLUDE_DIR oneapi/dnnl/dnnl.hpp)
  find_library(YOLO_DNNL_LIBRARY dnnl)
  find_library(_yolo_torch_cpu torch_cpu HINTS ${TORCH_INSTALL_PREFIX}/lib NO_CACHE)
  find_program(_yolo_readelf readelf)
endif()
if(YOLO_WITH_ONEDNN AND YOLO_DNNL_INCLUDE_DIR AND YOLO_DNNL_LIBRARY AND _yolo_torch_cpu
   AND _yolo_readelf AND EXISTS "${YOLO_DNNL_INCLUDE_DIR}/oneapi/dnnl/dnnl_version.h")
  # The network is written against the oneDNN 2.x API.
  file(STRINGS "${YOLO_DNNL_INCLUDE_DIR}/oneapi/dnnl/dnnl_version.h" _yolo_dnnl_major
       REGEX "^#define DNNL_VERSION_MAJOR [0-9]+")
  string(REGEX REPLACE ".* ([0-9]+)$" "\\1" _yolo_dnnl_major "${_yolo_dnnl_major}")
  # Same library: the soname libtorch_cpu needs must be the one the found library carries.
  execute_process(COMMAND "${_yolo_readelf}" -d "${_yolo_torch_cpu}"
                  OUTPUT_VARIABLE _yolo_torch_needed ERROR_QUIET)
  execute_process(COMMAND "${_yolo_readelf}" -d "${YOLO_DNNL_LIBRARY}"
                  OUTPUT_VARIABLE _yolo_dnnl_dynamic ERROR_QUIET)
  string(REGEX MATCH "Library soname: \\[([^]]+)\\]" _ "${_yolo_dnnl_dynamic}")
  set(_yolo_dnnl_soname "${CMAKE_MATCH_1}")
  if(_yolo_dnnl_major STREQUAL "2" AND _yolo_dnnl_soname
     AND _yolo_torch_needed MATCHES "\\[${_yolo_dnnl_soname}\\]")
    set(YOLO_HAVE_ONEDNN ON)
    add_library(yolo_dnnl INTERFACE)
    target_include_directories(yolo_dnnl SYSTEM INTERFACE "${YOLO_DNNL_INCLUDE_DIR}")
    target_link_libraries(yolo_dnnl INTERFACE "${YOLO_DNNL_LIBRARY}")
  endif()
endif()
message(STATUS "oneDNN network for CPU inference: ${YOLO_HAVE_ONEDNN}")
