/* Integer-heavy work: a prime sieve, an FNV-1a hash, a 64-bit multiply/divide mix and a sort, each
 * reduced to a checksum that is printed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define N 30000

static uint32_t values[N];

static int compare(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

int main(void)
{
    static unsigned char composite[100001];
    int primes = 0;
    for (int i = 2; i <= 100000; i++) {
        if (composite[i]) continue;
        primes++;
        for (int j = i * 2; j <= 100000; j += i) composite[j] = 1;
    }
    printf("primes: %d\n", primes);

    uint64_t hash = 1469598103934665603ULL;
    uint32_t state = 12345;
    for (int i = 0; i < N; i++) {
        state = state * 1103515245u + 12345u;
        values[i] = state >> 3;
        hash = (hash ^ (values[i] & 0xFF)) * 1099511628211ULL;
    }
    printf("fnv: %016llx\n", (unsigned long long)hash);

    int64_t mix = 0x123456789ABCDEFLL;
    for (int i = 1; i < 5000; i++) {
        mix = mix * 6364136223846793005LL + i;
        int64_t q = mix / (i * 7 + 3), r = mix % (i * 7 + 3);
        uint64_t u = (uint64_t)mix / (uint64_t)(i + 1);
        mix ^= q + r + (int64_t)u + ((mix >> 13) | (mix << 51)) + __builtin_popcountll((uint64_t)mix) + __builtin_ctzll((uint64_t)mix | 1);
    }
    printf("mix: %lld\n", (long long)mix);

    qsort(values, N, sizeof values[0], compare);
    uint64_t sorted = 0;
    for (int i = 0; i < N; i++) sorted = sorted * 31 + values[i];
    int ordered = 1;
    for (int i = 1; i < N; i++) ordered &= values[i - 1] <= values[i];
    printf("sorted: %llu ordered=%d\n", (unsigned long long)sorted, ordered);
    return 0;
}
