/* Integer kernel: table-driven CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) over a 1 MiB pseudo-random
 * buffer, n passes, each pass chained on the previous CRC. */
#include "bench.h"

#define BUFFER_BYTES (1u << 20)

static uint32_t table[256];
static uint8_t buffer[BUFFER_BYTES];

uint32_t run(uint32_t passes)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int bit = 0; bit < 8; bit++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[i] = c;
    }

    uint32_t x = 2463534242u; /* xorshift32 */
    for (uint32_t i = 0; i < BUFFER_BYTES; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        buffer[i] = (uint8_t)x;
    }

    uint32_t crc = 0;
    for (uint32_t pass = 0; pass < passes; pass++) {
        uint32_t c = ~crc;
        for (uint32_t i = 0; i < BUFFER_BYTES; i++)
            c = table[(c ^ buffer[i]) & 0xFF] ^ (c >> 8);
        crc = ~c;
    }
    return crc;
}
