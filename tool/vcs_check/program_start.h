// The entry of a program built without the C library (program_start.cc).
#pragma once

// Called by the entry point with the arguments and environment the kernel
// passed; its result is the exit status.
int program_main(int argc, char** argv, char** environment);
