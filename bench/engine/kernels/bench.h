/* Shared by every kernel. Each kernel defines `uint32_t run(uint32_t n)`: it builds its own input from n, does the
 * work and returns a checksum, so the wasm and the native builds can be compared value for value. Kernels are
 * freestanding (no libc): they build to wasm32 with -nostdlib and natively with gcc. */
#ifndef BENCH_H
#define BENCH_H

#include <stdint.h>

uint32_t run(uint32_t n);

/* Folds a double's bit pattern to 32 bits, so float kernels are checked bit for bit. */
static inline uint32_t fold_double(double value)
{
    union { double d; uint64_t u; } bits = { .d = value };
    return (uint32_t)(bits.u ^ (bits.u >> 32));
}

#endif
