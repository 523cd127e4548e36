#pragma once
// What yolo-cli says about itself at the top level: name, description, exit statuses,
// --version and the sub-commands with their one-line summaries. Shared by the front
// (app/front/yolo_cli_front.cpp), which answers --help and --version without loading
// libtorch, and by the commands program, so both print the same help.

#include <string>

#include <CLI/CLI.hpp>

namespace yolo::cli {

/// Sets name, description, the --version flag and "one sub-command required" on `app`.
void describeCli(CLI::App& app);

/// The one-line summary of sub-command `name` ("make-data", "train", "detect", "eval",
/// "export"), as the top-level help lists it.
std::string commandSummary(const std::string& name);

/// Adds every sub-command to `app` with its summary only (no options): the front's help.
void addCommandSummaries(CLI::App& app);

/// Whether `name` is one of the sub-commands; `known` gets their names, comma-separated.
bool isCommand(const std::string& name, std::string* known = nullptr);

}  // namespace yolo::cli
