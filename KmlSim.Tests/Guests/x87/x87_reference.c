/* Generates x87-reference.txt: results of x87 operations on the host CPU, the expected values of
 * KmlSim.Tests.Execution.X87ReferenceTests. Build and run: gcc -O1 x87_reference.c -o r && ./r > x87-reference.txt
 * Each line: op cw a.se a.sig b.se b.sig -> result.se result.sig status m64
 * (status = FNSTSW right after the operation, masked to exceptions, SF and C0-C3; m64 = FST m64 / FISTP m64 output). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct { uint64_t sig; uint16_t se; } __attribute__((packed)) f80;
struct block { uint16_t cw; uint8_t pad[14]; f80 a; uint8_t pad2[6]; f80 b; uint8_t pad3[6]; uint16_t sw; uint8_t pad4[14]; f80 r; uint8_t pad5[6]; uint64_t m64; };

#define RUN(OP) __asm__ volatile("fninit; fldcw (%0); fldt 32(%0); fldt 16(%0); " OP "; fnstsw 48(%0); fstpt 64(%0); fninit" :: "r"(k) : "memory")

static const char *names[] = {"add", "sub", "subr", "mul", "div", "divr", "sqrt", "rndint", "prem", "prem1", "scale", "fstm64", "fistm64", "xtract"};

static void run(int op, struct block *k)
{
    switch (op) {
    case 0: RUN("fadd %%st(1), %%st"); break;
    case 1: RUN("fsub %%st(1), %%st"); break;   /* AT&T: st = st - st(1) */
    case 2: RUN("fsubr %%st(1), %%st"); break;  /* st = st(1) - st */
    case 3: RUN("fmul %%st(1), %%st"); break;
    case 4: RUN("fdiv %%st(1), %%st"); break;   /* st = st / st(1) */
    case 5: RUN("fdivr %%st(1), %%st"); break;  /* st = st(1) / st */
    case 6: RUN("fsqrt"); break;
    case 7: RUN("frndint"); break;
    case 8: RUN("fprem"); break;
    case 9: RUN("fprem1"); break;
    case 10: RUN("fscale"); break;
    case 11: RUN("fstl 80(%0)"); break;
    case 12: RUN("fld %%st; fistpll 80(%0)"); break;
    case 13: RUN("fxtract; fstp %%st(1)"); break;
    }
}

static uint64_t state = 0x9E3779B97F4A7C15ull;
static uint64_t next(void) { state ^= state << 13; state ^= state >> 7; state ^= state << 17; return state; }

static f80 special(int i)
{
    static const f80 s[] = {
        {0, 0}, {0, 0x8000}, {0x8000000000000000ull, 0x7FFF}, {0x8000000000000000ull, 0xFFFF},
        {0xC000000000000001ull, 0x7FFF}, {0xA000000000000000ull, 0x7FFF}, {0x0000000000012345ull, 0x0000},
        {0x8000000000000000ull, 0x0001}, {0xFFFFFFFFFFFFFFFFull, 0x7FFE}, {0x8000000000000000ull, 0x3FFF},
        {0xC000000000000000ull, 0x4000}, {0xA000000000000000ull, 0x4000}, {0xA000000000000000ull, 0xC000},
        {0x4000000000000000ull, 0x3FFF}, {0xC000000000000000ull, 0x3FFE}, {0xFFFFFFFFFFFFFFFFull, 0x403D},
    };
    return s[i % (sizeof s / sizeof s[0])];
}

static f80 random_value(int exponent_center, int spread)
{
    f80 v;
    v.sig = next() | 0x8000000000000000ull;
    if (next() % 4 == 0) v.sig &= ~((1ull << (next() % 40)) - 1); /* short significands: exact cases, ties */
    int e = exponent_center + (int)(next() % (2 * spread + 1)) - spread;
    if (e < 1) e = 1;
    if (e > 0x7FFE) e = 0x7FFE;
    v.se = (uint16_t)(e | (next() % 2 ? 0x8000 : 0));
    return v;
}

int main(void)
{
    static const uint16_t pcs[] = {0x0000, 0x0200, 0x0300};
    struct block k;
    for (int op = 0; op < 14; op++) {
        for (int i = 0; i < 48; i++) {
            memset(&k, 0, sizeof k);
            k.cw = 0x007F | pcs[next() % 3] | (uint16_t)((next() % 4) << 10);
            int kind = i % 6;
            if (kind == 0) { k.a = special((int)(next() % 16)); k.b = special((int)(next() % 16)); }
            else if (kind == 1) { k.a = random_value(0x3FFF, 3); k.b = special((int)(next() % 16)); }
            else if (kind == 2) { k.a = random_value(60, 60); k.b = random_value(0x3FFF - 0x3F00, 40); }  /* underflow */
            else if (kind == 3) { k.a = random_value(0x7FF0, 14); k.b = random_value(0x4100, 40); }      /* overflow */
            else if (kind == 4) { k.a = random_value(0x3FFF, 80); k.b = k.a; k.b.sig ^= next() >> (next() % 64); k.b.se ^= (uint16_t)((next() % 2) << 15); } /* cancellation */
            else { k.a = random_value(0x3FFF, 70); k.b = random_value(0x3FFF, 70); }
            if (op == 10 && (kind == 2 || kind == 3 || kind == 5)) { k.b = random_value(0x3FFF + 8, 6); } /* FSCALE by sane factors */
            run(op, &k);
            printf("%s %04X %04X %016llX %04X %016llX %04X %016llX %04X %016llX\n", names[op], k.cw,
                   k.a.se, (unsigned long long)k.a.sig, k.b.se, (unsigned long long)k.b.sig,
                   k.r.se, (unsigned long long)k.r.sig, k.sw & 0x477F, (unsigned long long)k.m64);
        }
    }
    return 0;
}
