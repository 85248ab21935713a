// The library is the declaration in include/CLibFuzzer.h; libclang_rt.fuzzer defines the function.
#include "CLibFuzzer.h"
