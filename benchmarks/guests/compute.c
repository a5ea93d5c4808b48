/* A compute-bound guest for measuring the simulator's own speed (simulated MIPS): integer hashing,
 * libc qsort and string routines, and a little double arithmetic, in rounds that never make a system
 * call. `compute ROUNDS` runs ROUNDS rounds (default: effectively forever, the harness stops it by an
 * instruction limit) and prints a checksum so native and simulated runs can be compared. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N 4096

static uint32_t keys[N];
static char text[N + 1];

static int compare_keys(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static uint64_t round_of_work(uint64_t seed)
{
    uint64_t h = seed;
    for (int i = 0; i < N; i++) {
        h ^= h << 13; h ^= h >> 7; h ^= h << 17; /* xorshift64 */
        keys[i] = (uint32_t)h;
        text[i] = (char)('a' + (h % 26));
    }
    text[N] = 0;
    qsort(keys, N, sizeof keys[0], compare_keys);
    uint64_t sum = 0;
    for (int i = 0; i < N; i += 7) sum += keys[i] * (uint64_t)(i + 1);
    char copy[N + 1];
    memcpy(copy, text, sizeof copy);
    sum += strlen(copy) + (uint64_t)(strchr(copy, 'q') - copy);
    double x = 1.0;
    for (int i = 1; i < 512; i++) x = x * 1.0000001 + 1.0 / i;
    return sum ^ (uint64_t)(x * 1e6);
}

int main(int argc, char **argv)
{
    long rounds = argc > 1 ? atol(argv[1]) : 1L << 40;
    uint64_t checksum = 0;
    for (long r = 0; r < rounds; r++) checksum = checksum * 31 + round_of_work(checksum + (uint64_t)r + 1);
    printf("compute: %ld rounds, checksum %016llx\n", rounds, (unsigned long long)checksum);
    return 0;
}
