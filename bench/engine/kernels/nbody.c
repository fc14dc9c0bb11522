/* Floating-point kernel: the classic n-body simulation of the Jovian planets (f64, sqrt), n steps of 0.01 days,
 * returning the final energy's bit pattern. */
#include "bench.h"

#define BODIES 5
#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24

static const double initial[BODIES][7] = {
    /* x, y, z, vx, vy, vz (per year), mass (in solar masses) */
    { 0, 0, 0, 0, 0, 0, 1 },
    { 4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01, 1.66007664274403694e-03,
      7.69901118419740425e-03, -6.90460016972063023e-05, 9.54791938424326609e-04 },
    { 8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01, -2.76742510726862411e-03,
      4.99852801234917238e-03, 2.30417297573763929e-05, 2.85885980666130812e-04 },
    { 1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01, 2.96460137564761618e-03,
      2.37847173959480950e-03, -2.96589568540237556e-05, 4.36624404335156298e-05 },
    { 1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01, 2.68067772490389322e-03,
      1.62824170038242295e-03, -9.51592254519715870e-05, 5.15138902046611451e-05 },
};

static double x[BODIES], y[BODIES], z[BODIES], vx[BODIES], vy[BODIES], vz[BODIES], mass[BODIES];

static double energy(void)
{
    double e = 0;
    for (int i = 0; i < BODIES; i++) {
        e += 0.5 * mass[i] * (vx[i] * vx[i] + vy[i] * vy[i] + vz[i] * vz[i]);
        for (int j = i + 1; j < BODIES; j++) {
            double dx = x[i] - x[j], dy = y[i] - y[j], dz = z[i] - z[j];
            e -= mass[i] * mass[j] / __builtin_sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

static void advance(double dt)
{
    for (int i = 0; i < BODIES; i++) {
        for (int j = i + 1; j < BODIES; j++) {
            double dx = x[i] - x[j], dy = y[i] - y[j], dz = z[i] - z[j];
            double d2 = dx * dx + dy * dy + dz * dz;
            double magnitude = dt / (d2 * __builtin_sqrt(d2));
            vx[i] -= dx * mass[j] * magnitude;
            vy[i] -= dy * mass[j] * magnitude;
            vz[i] -= dz * mass[j] * magnitude;
            vx[j] += dx * mass[i] * magnitude;
            vy[j] += dy * mass[i] * magnitude;
            vz[j] += dz * mass[i] * magnitude;
        }
    }
    for (int i = 0; i < BODIES; i++) {
        x[i] += dt * vx[i];
        y[i] += dt * vy[i];
        z[i] += dt * vz[i];
    }
}

uint32_t run(uint32_t steps)
{
    for (int i = 0; i < BODIES; i++) {
        x[i] = initial[i][0];
        y[i] = initial[i][1];
        z[i] = initial[i][2];
        vx[i] = initial[i][3] * DAYS_PER_YEAR;
        vy[i] = initial[i][4] * DAYS_PER_YEAR;
        vz[i] = initial[i][5] * DAYS_PER_YEAR;
        mass[i] = initial[i][6] * SOLAR_MASS;
    }

    /* Offset the sun's momentum so the system's total is zero. */
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < BODIES; i++) {
        px += vx[i] * mass[i];
        py += vy[i] * mass[i];
        pz += vz[i] * mass[i];
    }
    vx[0] = -px / SOLAR_MASS;
    vy[0] = -py / SOLAR_MASS;
    vz[0] = -pz / SOLAR_MASS;

    for (uint32_t step = 0; step < steps; step++)
        advance(0.01);
    return fold_double(energy());
}
