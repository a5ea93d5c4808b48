/* The bundled demo guest of `kmlsim demo`: a little integer and floating-point work, reported with
 * printf, so the first run exercises the loader, libc start-up, SSE2 and the write path. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SIEVE_LIMIT 200000
#define MATRIX 24

static unsigned char composite[SIEVE_LIMIT + 1];
static double a[MATRIX][MATRIX], b[MATRIX][MATRIX], c[MATRIX][MATRIX];

static int count_primes(void)
{
    int count = 0;
    memset(composite, 0, sizeof composite);
    for (int i = 2; i <= SIEVE_LIMIT; i++) {
        if (composite[i]) continue;
        count++;
        for (long j = (long)i * i; j <= SIEVE_LIMIT; j += i) composite[j] = 1;
    }
    return count;
}

static uint32_t crc32(const unsigned char *data, size_t length)
{
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < length; i++) {
        crc ^= data[i];
        for (int bit = 0; bit < 8; bit++) crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1));
    }
    return ~crc;
}

static double matrix_trace(void)
{
    for (int i = 0; i < MATRIX; i++)
        for (int j = 0; j < MATRIX; j++) {
            a[i][j] = (i + 1) * 0.5 - j * 0.25;
            b[i][j] = 1.0 / (i + j + 1);
        }
    for (int i = 0; i < MATRIX; i++)
        for (int j = 0; j < MATRIX; j++) {
            double sum = 0;
            for (int k = 0; k < MATRIX; k++) sum += a[i][k] * b[k][j];
            c[i][j] = sum;
        }
    double trace = 0;
    for (int i = 0; i < MATRIX; i++) trace += c[i][i];
    return trace;
}

int main(void)
{
    printf("KmlSim demo guest: a static x86-64 Linux program\n");
    printf("primes below %d: %d\n", SIEVE_LIMIT, count_primes());
    printf("crc32 of the sieve: %08x\n", crc32(composite, sizeof composite));
    printf("trace of a %dx%d matrix product: %.6f\n", MATRIX, MATRIX, matrix_trace());
    return 0;
}
