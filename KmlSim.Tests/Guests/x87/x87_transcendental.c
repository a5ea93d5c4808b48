/* Generates x87-transcendental.txt: results of the x87 transcendental instructions on the host CPU, the
 * expected values of KmlSim.Tests.Execution.X87TranscendentalReferenceTests.
 * Build and run: gcc -O1 x87_transcendental.c -o t && ./t > x87-transcendental.txt
 * Each line: op cw a.se a.sig b.se b.sig -> st0.se st0.sig st1.se st1.sig status
 * a is loaded into ST(0) and b into ST(1) (so FYL2X/FYL2XP1/FPATAN compute with y = b, x = a); after the
 * operation the status word is saved (masked to exceptions, SF and C0-C3) and ST(0), ST(1) are stored. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct { uint64_t sig; uint16_t se; } __attribute__((packed)) f80;
struct block { uint16_t cw; uint8_t pad[14]; f80 a; uint8_t pad2[6]; f80 b; uint8_t pad3[6]; uint16_t sw; uint8_t pad4[14]; f80 r0; uint8_t pad5[6]; f80 r1; };

#define RUN(OP) __asm__ volatile("fninit; fldcw (%0); fldt 32(%0); fldt 16(%0); " OP "; fnstsw 48(%0); fstpt 64(%0); fstpt 80(%0); fninit" :: "r"(k) : "memory")

static const char *names[] = {"f2xm1", "fyl2x", "fyl2xp1", "fpatan", "fsin", "fcos", "fsincos", "fptan"};

static void run(int op, struct block *k)
{
    switch (op) {
    case 0: RUN("f2xm1"); break;
    case 1: RUN("fyl2x"); break;
    case 2: RUN("fyl2xp1"); break;
    case 3: RUN("fpatan"); break;
    case 4: RUN("fsin"); break;
    case 5: RUN("fcos"); break;
    case 6: RUN("fsincos"); break;
    case 7: RUN("fptan"); break;
    }
}

static uint64_t state = 0x9E3779B97F4A7C15ull;
static uint64_t next(void) { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state; }

static f80 make(int negative, int exponent, uint64_t sig) { f80 v = {sig, (uint16_t)(exponent | (negative ? 0x8000 : 0))}; return v; }

/* A random normal number with an exponent (unbiased) in [lo, hi]. */
static f80 random_value(int lo, int hi, int negative)
{
    uint64_t sig = next() | 0x8000000000000000ull;
    if (next() % 5 == 0) sig &= ~((1ull << (next() % 48)) - 1); /* short significands */
    return make(negative, 16383 + lo + (int)(next() % (uint64_t)(hi - lo + 1)), sig);
}

static int coin(void) { return (int)(next() % 2); }

/* Operands that every operation must treat exactly: signed zeros and infinities, NaNs, a denormal, the
 * smallest normal, unsupported encodings, and 1. */
static f80 special(int i)
{
    static const f80 s[] = {
        {0, 0}, {0, 0x8000}, {0x8000000000000000ull, 0x7FFF}, {0x8000000000000000ull, 0xFFFF},
        {0xC000000000000001ull, 0x7FFF}, {0xA000000000000000ull, 0xFFFF}, {0x0000000000012345ull, 0x0000},
        {0x0000000000012345ull, 0x8000}, {0x8000000000000000ull, 0x0001}, {0x8000000000000000ull, 0x3FFF},
        {0x8000000000000000ull, 0xBFFF}, {0x4000000000000000ull, 0x3FFF},
    };
    return s[i % (sizeof s / sizeof s[0])];
}

/* ST(0) for each operation: mostly inside the architectural domain, every tenth one special. */
static f80 operand(int op, int i)
{
    if (i % 10 == 0) return special((int)(next() % 12));
    switch (op) {
    case 0: return random_value(i % 3 == 0 ? -80 : -8, -1, coin());               /* F2XM1: |x| < 1 */
    case 1: if (i % 4 == 1) { f80 v = make(0, 16383, 0x8000000000000000ull | (next() >> (1 + next() % 63))); return v; } /* just above 1 */
            if (i % 4 == 2) { f80 v = make(0, 16382, 0xFFFFFFFFFFFFFFFFull ^ (next() >> (1 + next() % 63))); return v; } /* just below 1 */
            if (i % 7 == 3) return make(0, 16383 + (int)(next() % 200) - 100, 0x8000000000000000ull); /* powers of two */
            return random_value(-16000, 16000, 0);                                     /* FYL2X: x > 0 */
    case 2: return random_value(i % 3 == 0 ? -90 : -10, -3, coin());              /* FYL2XP1: |x| < 1 - sqrt(2)/2 */
    case 3: return random_value(i % 3 == 0 ? -200 : -4, i % 3 == 0 ? 200 : 4, coin());
    default: return random_value(i % 3 == 0 ? -70 : -4, i % 3 == 0 ? 62 : 3, coin()); /* |x| < 2^63 */
    }
}

/* Arguments outside the documented domain, whose results the manuals leave undefined: not recorded. */
static int undefined(int op, f80 x)
{
    int e = x.se & 0x7FFF;
    if (op == 2) return e >= 0x3FFF; /* FYL2XP1: |x| < 1 - sqrt(2)/2 (below 1 here, infinities included) */
    if (op == 0) return e == 0x7FFF && x.sig == 0x8000000000000000ull; /* F2XM1 of an infinity */
    return 0;
}

static void record(int op, struct block *k)
{
    run(op, k);
    printf("%s %04X %04X %016llX %04X %016llX %04X %016llX %04X %016llX %04X\n", names[op], k->cw,
           k->a.se, (unsigned long long)k->a.sig, k->b.se, (unsigned long long)k->b.sig,
           k->r0.se, (unsigned long long)k->r0.sig, k->r1.se, (unsigned long long)k->r1.sig, k->sw & 0x477F);
}

int main(void)
{
    static const uint16_t pcs[] = {0x0000, 0x0200, 0x0300};
    struct block k;
    for (int op = 0; op < 8; op++) {
        /* Every special operand (and for the two-operand forms every pair of them), under a random control word. */
        for (int i = 0; i < 12; i++) {
            for (int j = 0; j < (op >= 1 && op <= 3 ? 12 : 1); j++) {
                memset(&k, 0, sizeof k);
                k.cw = 0x007F | pcs[next() % 3] | (uint16_t)((next() % 4) << 10);
                k.a = special(i);
                k.b = op >= 1 && op <= 3 ? special(j) : make(0, 16383, 0xC000000000000000ull);
                if (!undefined(op, k.a)) record(op, &k);
            }
        }
        for (int i = 0; i < 120; i++) {
            memset(&k, 0, sizeof k);
            k.cw = 0x007F | pcs[next() % 3] | (uint16_t)((next() % 4) << 10);
            k.a = operand(op, i);
            if (op == 1 || op == 2) k.b = (i % 10 == 5) ? special((int)(next() % 12)) : random_value(i % 2 ? -16000 : -3, i % 2 ? 16000 : 3, coin());
            else if (op == 3) k.b = (i % 10 == 5) ? special((int)(next() % 12)) : random_value(i % 3 == 0 ? -200 : -4, i % 3 == 0 ? 200 : 4, coin());
            else k.b = make(0, 16383, 0xC000000000000000ull); /* 1.5: shows what FPTAN/FSINCOS push over */
            if (op == 3 && i % 10 == 7) { k.b = k.a; k.b.se ^= (uint16_t)(coin() << 15); } /* |y| = |x| */
            if (op >= 4 && i % 10 == 9) k.a = make(coin(), 16383 + 63 + (int)(next() % 3), next() | 0x8000000000000000ull); /* |x| >= 2^63: C2 */
            if (op >= 4 && i % 20 == 8) { /* near multiples of pi/2 */
                long double x = (long double)(1 + next() % 8) * 1.5707963267948966192313216916397514L;
                memcpy(&k.a, &x, 10);
            }
            if (!undefined(op, k.a)) record(op, &k);
        }
    }
    return 0;
}
