/* Call-heavy kernel: naive doubly recursive Fibonacci, about 1.6^n calls. */
#include "bench.h"

__attribute__((noinline)) static uint32_t fib(uint32_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

uint32_t run(uint32_t n)
{
    return fib(n);
}
