/* long double libm: the functions that glibc and musl build on the x87 transcendental instructions
 * (F2XM1, FYL2X, FYL2XP1, FPATAN, FSIN, FCOS, FSINCOS, FPTAN, FSCALE, FXTRACT), printed to 18 digits. */
#include <math.h>
#include <stdio.h>

int main(void)
{
    static const long double args[] = {
        0.0L, -0.0L, 1e-30L, 0.25L, 0.5L, 0.7853981633974483096L, 1.0L, 1.5L, 2.0L, 3.0L, 10.0L, 100.0L,
        -0.3L, -2.5L, -11000.0L, 1e10L, 1e18L, 12345.6789L,
    };
    int n = sizeof args / sizeof args[0];
    for (int i = 0; i < n; i++) {
        long double x = args[i];
        printf("x=%.18Lg\n", x);
        printf("  expl %.18Lg exp2l %.18Lg expm1l %.18Lg\n", expl(x), exp2l(x), expm1l(x));
        printf("  logl %.18Lg log2l %.18Lg log10l %.18Lg log1pl %.18Lg\n", logl(fabsl(x)), log2l(fabsl(x)), log10l(fabsl(x)), log1pl(fabsl(x)));
        printf("  powl %.18Lg %.18Lg\n", powl(fabsl(x), 0.75L), powl(1.0001L, x));
        printf("  atan2l %.18Lg %.18Lg atanl %.18Lg\n", atan2l(x, 3.0L), atan2l(-1.0L, x), atanl(x));
        printf("  sinl %.18Lg cosl %.18Lg tanl %.18Lg\n", sinl(x), cosl(x), tanl(x));
    }
    long double s = 0;
    for (int i = 1; i <= 300; i++) {
        long double x = i * 0.0731L;
        s += expl(-x) + logl(x) + sinl(x) * cosl(x) + atan2l(x, 1.5L) + powl(x, 1.25L) + log1pl(x) + tanl(x / 100);
    }
    printf("sum %.18Lg\n", s);
    return 0;
}
