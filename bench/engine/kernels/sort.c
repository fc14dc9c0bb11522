/* Memory-bound kernel: quicksort (median of three, insertion sort below 16 elements) of n pseudo-random 32-bit
 * integers (up to 8 Mi = 32 MiB), then a position-weighted sum that also proves the order. */
#include "bench.h"

#define MAX_ELEMENTS (8u << 20)

static uint32_t values[MAX_ELEMENTS];

static void insertion_sort(uint32_t *a, int32_t count)
{
    for (int32_t i = 1; i < count; i++) {
        uint32_t v = a[i];
        int32_t j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static void swap(uint32_t *a, int32_t i, int32_t j)
{
    uint32_t t = a[i];
    a[i] = a[j];
    a[j] = t;
}

static void quicksort(uint32_t *a, int32_t count)
{
    while (count > 16) {
        int32_t mid = count / 2, last = count - 1;
        if (a[mid] < a[0]) swap(a, mid, 0);
        if (a[last] < a[0]) swap(a, last, 0);
        if (a[last] < a[mid]) swap(a, last, mid);
        uint32_t pivot = a[mid];
        int32_t i = 0, j = last;
        for (;;) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i >= j) break;
            swap(a, i, j);
            i++;
            j--;
        }
        /* Recurse into the smaller part, loop on the larger: stack depth stays logarithmic. */
        int32_t left = j + 1;
        if (left < count - left) {
            quicksort(a, left);
            a += left;
            count -= left;
        } else {
            quicksort(a + left, count - left);
            count = left;
        }
    }
    insertion_sort(a, count);
}

uint32_t run(uint32_t n)
{
    if (n > MAX_ELEMENTS) n = MAX_ELEMENTS;
    uint32_t x = 88172645u; /* xorshift32 */
    for (uint32_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        values[i] = x;
    }

    quicksort(values, (int32_t)n);

    uint32_t sum = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (i > 0 && values[i - 1] > values[i]) return 0; /* not sorted: a checksum no correct run gives */
        sum += values[i] * (i + 1);
    }
    return sum;
}
