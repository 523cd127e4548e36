#pragma once
// The fronts `yolo-cli` and `yolo-workbench` answer --help and --version themselves, in a few
// milliseconds, and hand every other command line to the program that does the work
// (yolo-cli.real, yolo-workbench.real), which loads libtorch: about a second and 160 MB
// before main() on a 2-core machine. The real programs sit beside the fronts (bin/), so
// every path they find relative to their own executable (the packed digits in
// ../share/yolo-workbench, the fetch script) is the same as before the split.

namespace yolo::front {

/// Replaces this process (same PID, so signals and exit statuses reach the caller as before)
/// with `program` from this executable's own folder, with the same arguments and
/// environment. Returns only when that fails, after printing why on stderr; the caller
/// exits with status 1 then.
void execProgramBeside(const char* program, char** argv);

}  // namespace yolo::front
