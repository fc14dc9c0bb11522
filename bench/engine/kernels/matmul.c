/* Floating-point kernel: dense f64 matrix multiply C = A x B of 192 x 192 matrices, n times with A perturbed each
 * time, in i-k-j order (each C element sums its terms in the same order in every build). */
#include "bench.h"

#define SIZE 192

static double a[SIZE][SIZE], b[SIZE][SIZE], c[SIZE][SIZE];

uint32_t run(uint32_t repeats)
{
    for (int i = 0; i < SIZE; i++)
        for (int j = 0; j < SIZE; j++) {
            a[i][j] = (double)((i * 7 + j * 3) % 17) / 16.0 - 0.5;
            b[i][j] = (double)((i * 5 + j * 11) % 13) / 12.0 - 0.5;
        }

    double total = 0;
    for (uint32_t r = 0; r < repeats; r++) {
        a[r % SIZE][(r * 7) % SIZE] += 0.25;
        for (int i = 0; i < SIZE; i++)
            for (int j = 0; j < SIZE; j++)
                c[i][j] = 0;
        for (int i = 0; i < SIZE; i++)
            for (int k = 0; k < SIZE; k++) {
                double aik = a[i][k];
                for (int j = 0; j < SIZE; j++)
                    c[i][j] += aik * b[k][j];
            }
        total += c[r % SIZE][(r * 3) % SIZE];
    }
    return fold_double(total);
}
