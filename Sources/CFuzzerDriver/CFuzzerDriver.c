// Declarations only (include/CFuzzerDriver.h); libFuzzer defines them when linked with -sanitize=fuzzer.
#include "CFuzzerDriver.h"
