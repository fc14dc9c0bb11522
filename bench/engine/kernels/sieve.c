/* Memory and branch kernel: sieve of Eratosthenes over n numbers, repeated; returns the prime count mixed with the
 * largest prime. Byte array of n entries in static memory (n at most 16 Mi). */
#include "bench.h"

#define LIMIT (16u << 20)

static uint8_t composite[LIMIT];

uint32_t run(uint32_t n)
{
    if (n > LIMIT) n = LIMIT;
    uint32_t checksum = 0;
    for (uint32_t round = 0; round < 8; round++) {
        for (uint32_t i = 0; i < n; i++) composite[i] = 0;
        uint32_t count = 0, largest = 0;
        for (uint32_t i = 2; i < n; i++) {
            if (composite[i]) continue;
            count++;
            largest = i;
            for (uint64_t j = (uint64_t)i * i; j < n; j += i) composite[j] = 1;
        }
        checksum = checksum * 31 + (count ^ largest);
    }
    return checksum;
}
