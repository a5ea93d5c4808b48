/* Floating point with libm: transcendental functions, rounding, conversions and printf of doubles in
 * several formats. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    double sum = 0;
    for (int i = 1; i <= 200; i++) {
        double x = i * 0.137;
        sum += sin(x) * cos(x / 3) + sqrt(x) - log(x + 1) + exp(-x / 50) + atan2(x, 3.0) + pow(x, 0.75);
    }
    printf("sum: %.12f\n", sum);
    printf("formats: %g %e %f %.3a\n", 1.0 / 3, 6.02214076e23, -0.0, 1.5);
    printf("specials: %f %f %f\n", INFINITY, -INFINITY, NAN);
    printf("rounding: %.0f %.0f %.0f %ld %ld\n", 0.5, 1.5, 2.5, lrint(2.5), lround(2.5));
    printf("floor/ceil/trunc: %f %f %f %f\n", floor(-2.5), ceil(-2.5), trunc(-2.7), fmod(10.0, 3.3));
    float f = 0;
    for (int i = 0; i < 1000; i++) f += 0.1f * (float)i;
    printf("float: %.6f %.9g\n", f, (double)sqrtf(f));
    long double ld = 1.0L / 3.0L;
    printf("long double: %.15Lf\n", ld * 3.0L);
    printf("strtod: %.17g %.17g\n", strtod("3.141592653589793238", NULL), strtod("1e-310", NULL));
    volatile double big = 1e300;
    printf("overflow: %g %g\n", big * big, -big * big);
    printf("conversion: %d %u %lld\n", (int)-3.99, (unsigned)3.99e9, (long long)-9.2e18);
    return 0;
}
