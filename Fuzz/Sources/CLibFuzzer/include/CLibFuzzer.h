// libFuzzer's entry point for programs with their own `main` (compiler-rt's FuzzerInterface.h).
#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer with the command line `argc`/`argv`, calling `test` on every input; returns the exit code.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*test)(const uint8_t *data, size_t size));
