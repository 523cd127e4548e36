// yolo-cli's commands program (yolo-cli.real): the headless front end over yolo_core, for
// servers, scripts and tests. `yolo-cli` itself (app/front/yolo_cli_front.cpp) answers --help
// and --version and hands everything else to this program.

#include <exception>
#include <iostream>
#include <string_view>

#include "app/cli/cli_description.h"
#include "app/cli/commands.h"
#include "core/util/process_environment.h"

int main(int argc, char** argv) {
  using yolo::cli::Status;
  yolo::keepLargeAllocationsInOneHeap();  // before any thread allocates
  // Only `train` runs other threads (the batch loaders) beside libtorch's, which need the
  // OpenMP threads to sleep between parallel regions. detect, eval and export keep OpenMP's
  // default short spin: a batch-1 forward on 2 cores is about 20% faster with it
  // (bench_inference, bench/README.md).
  if (argc > 1 && std::string_view(argv[1]) == "train") yolo::ensurePassiveOpenMpWaiting(argv);
  CLI::App app;
  yolo::cli::describeCli(app);

  yolo::cli::addMakeDataCommand(app);
  yolo::cli::addTrainCommand(app);
  yolo::cli::addDetectCommand(app);
  yolo::cli::addEvalCommand(app);
  yolo::cli::addConvertCommand(app);
  yolo::cli::addAnchorsCommand(app);
  yolo::cli::addExportCommand(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : static_cast<int>(Status::kUsage);
  } catch (const yolo::cli::ExitCode& e) {
    return static_cast<int>(e.status);
  } catch (const std::exception& e) {
    std::cerr << "yolo-cli: error: " << e.what() << "\n";
    return static_cast<int>(Status::kError);
  }
  return static_cast<int>(Status::kOk);
}
