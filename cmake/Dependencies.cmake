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
