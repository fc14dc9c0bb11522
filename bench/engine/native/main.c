/* Native driver for one kernel: calls run(n) the given number of times and prints the checksum and the wall time of
 * each call, in the same form as the node driver: "checksum=<u32> seconds=<s1>,<s2>,...". */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

uint32_t run(uint32_t n);

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s <n> <runs>\n", argv[0]);
        return 2;
    }
    uint32_t n = (uint32_t)strtoul(argv[1], NULL, 10);
    int runs = atoi(argv[2]);
    uint32_t checksum = 0;
    printf("checksum=");
    char seconds[4096] = "";
    int used = 0;
    for (int i = 0; i < runs; i++) {
        double start = now();
        uint32_t result = run(n);
        double elapsed = now() - start;
        if (i > 0 && result != checksum) {
            fprintf(stderr, "run %d returned %u, run 0 returned %u\n", i, result, checksum);
            return 1;
        }
        checksum = result;
        used += snprintf(seconds + used, sizeof seconds - used, "%s%.6f", i ? "," : "", elapsed);
    }
    printf("%u seconds=%s\n", checksum, seconds);
    return 0;
}
