#pragma once
// Each yolo-cli sub-command registers itself on the CLI11 application. A command's
// callback throws yolo::cli::ExitCode to end with a specific status; any other
// exception is reported by main() as an error (status 1).

#include <CLI/CLI.hpp>

namespace yolo::cli {

/// Exit statuses of yolo-cli (documented in `yolo-cli --help`).
enum class Status : int {
  kOk = 0,
  kError = 1,  ///< bad input, failed run: the message says what and where
  kUsage = 2,  ///< wrong arguments
  kInterrupted = 130,
};

/// Thrown by a command to end the program with `status` after printing nothing more.
struct ExitCode {
  Status status;
};

void addMakeDataCommand(CLI::App& app);
void addTrainCommand(CLI::App& app);
void addDetectCommand(CLI::App& app);
void addEvalCommand(CLI::App& app);
void addConvertCommand(CLI::App& app);
void addAnchorsCommand(CLI::App& app);
void addExportCommand(CLI::App& app);

}  // namespace yolo::cli
