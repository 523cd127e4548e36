// The tutorial's annotation file (`path x1,y1,x2,y2,class ...` per line) and so its line
// parser, as `train --data train.txt` and the Data view read it.
#include "core/data/annotation_file.h"
#include "fuzz/fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  yolo::data::AnnotationReadOptions options;
  options.numClasses = 10;
  options.checkBoxesInsideImage = true;  // reads the header of any image a line names
  yolo::fuzz::pictureAt(yolo::fuzz::scratchFolder() / "image.png");  // the seeds' image
  try {
    yolo::data::readAnnotationFile(yolo::fuzz::writeInput("train.txt", data, size), options);
  } catch (const std::exception&) {  // refused with a message: what a reader should do
  }
  return 0;
}
