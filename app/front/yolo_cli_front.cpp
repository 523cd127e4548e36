// yolo-cli: answers `--help`, `--version`, a bare `yolo-cli` and an unknown command (usage
// errors) without libtorch, and hands every other command line to yolo-cli.real
// (app/cli/main.cpp).

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include "app/cli/cli_description.h"
#include "app/cli/commands.h"
#include "app/front/exec_program.h"

namespace {

// What the front prints by itself: the top-level help, the version, the usage error.
// "--help detect" and the like go to the real program, which knows each command's options.
bool answeredByFront(int argc, char** argv) {
  if (argc == 1) return true;
  if (argc != 2) return false;
  const std::string_view arg = argv[1];
  return arg == "-h" || arg == "--help" || arg == "--version";
}

}  // namespace

int main(int argc, char** argv) {
  if (answeredByFront(argc, argv)) {
    CLI::App app;
    yolo::cli::describeCli(app);
    yolo::cli::addCommandSummaries(app);
    try {
      app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      const int code = app.exit(e);
      return code == 0 ? 0 : static_cast<int>(yolo::cli::Status::kUsage);
    }
    return 0;
  }
  // A first word that is no option and no command: say so here, in milliseconds (CLI11 in
  // the real program would only say that a sub-command is required).
  std::string known;
  if (argv[1][0] != '-' && !yolo::cli::isCommand(argv[1], &known)) {
    std::fprintf(stderr, "yolo-cli: unknown command '%s' (commands: %s; see yolo-cli --help)\n",
                 argv[1], known.c_str());
    return static_cast<int>(yolo::cli::Status::kUsage);
  }
  // `train` runs its batch loaders beside libtorch's OpenMP threads, which must sleep between
  // parallel regions; set here, the real program need not re-execute itself to read it.
  if (std::string_view(argv[1]) == "train") ::setenv("OMP_WAIT_POLICY", "passive", 0);
  yolo::front::execProgramBeside("yolo-cli.real", argv);
  return 1;
}
