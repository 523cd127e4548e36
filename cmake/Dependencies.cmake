# Every third-party package the project uses, found in one place.

find_package(Torch REQUIRED)
find_package(OpenCV REQUIRED COMPONENTS core imgproc imgcodecs videoio dnn)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Threads REQUIRED)
find_package(ZLIB REQUIRED)

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
# Detector runs libtorch's forward.
set(YOLO_HAVE_ONEDNN OFF)
find_package(dnnl CONFIG QUIET)
if(dnnl_FOUND AND dnnl_VERSION VERSION_LESS 3)
  find_library(_yolo_torch_cpu torch_cpu HINTS ${TORCH_INSTALL_PREFIX}/lib NO_CACHE)
  find_program(_yolo_readelf readelf)
  if(_yolo_torch_cpu AND _yolo_readelf)
    execute_process(COMMAND "${_yolo_readelf}" -d "${_yolo_torch_cpu}"
                    OUTPUT_VARIABLE _yolo_torch_needed ERROR_QUIET)
    if(_yolo_torch_needed MATCHES "libdnnl\\.so")
      set(YOLO_HAVE_ONEDNN ON)
    endif()
  endif()
endif()
message(STATUS "oneDNN network for CPU inference: ${YOLO_HAVE_ONEDNN}")
