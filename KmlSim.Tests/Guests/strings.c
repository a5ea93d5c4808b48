/* libc string functions at every source/destination alignment (offsets 0..63) and many lengths
 * (0..300), folded into one checksum, so that every vectorised path and every tail case runs. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define SPAN 448

static unsigned char src[SPAN], dst[SPAN], pattern[SPAN + 64];
static uint64_t checksum = 1;

static void mix(uint64_t value) { checksum = (checksum ^ value) * 0x100000001B3ULL; }

static void fill(unsigned char *buffer, unsigned seed) { memcpy(buffer, pattern + seed % 64, SPAN); }

static int sign(int x) { return (x > 0) - (x < 0); }

int main(void)
{
    static const int lengths[] = {0, 1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 200, 255, 256, 300};
    const int count = sizeof lengths / sizeof lengths[0];
    for (int i = 0; i < SPAN + 64; i++) pattern[i] = (unsigned char)(1 + (i * 7) % 251);
    for (int so = 0; so < 64; so++) {
        for (int dof = 0; dof < 64; dof += 7) {
            for (int k = 0; k < count; k++) {
                int n = lengths[k];
                fill(src, so + n);
                fill(dst, dof * 3 + n);
                memcpy(dst + dof, src + so, n);
                mix(memcmp(dst + dof, src + so, n) == 0);
                memset(dst + dof, so, n);
                mix(dst[dof + n / 2] + dst[dof + n]);
                memmove(dst + dof + 1, dst + dof, n);
                memmove(src + so, src + so + 2, n);
                mix(src[so] + dst[dof + n]);
                src[so + n] = 0;
                mix(strlen((char *)src + so));
                if (n > 0) {
                    src[so + n - 1] = 0x5A;
                    char *hit = strchr((char *)src + so, 0x5A);
                    mix(hit ? (uint64_t)(hit - (char *)src - so) : 999);
                    mix(strchr((char *)src + so, 0x01) != NULL);
                }
                memcpy(dst + dof, src + so, n + 1);
                mix(strcmp((char *)dst + dof, (char *)src + so));
                if (n > 1) {
                    dst[dof + n / 2] ^= 0x40;
                    mix(sign(strcmp((char *)dst + dof, (char *)src + so)) + 2);
                    mix(sign(memcmp(dst + dof, src + so, n)) + 2);
                    mix(sign(strncmp((char *)dst + dof, (char *)src + so, n / 2)) + 2);
                }
                strcpy((char *)dst + dof, (char *)src + so);
                mix(strlen((char *)dst + dof) + memcmp(dst + dof, src + so, n));
                mix((uint64_t)((unsigned char *)memchr(dst + dof, 0, n + 1) - dst - dof));
                mix((uint64_t)(strrchr((char *)dst + dof, 0) - (char *)dst - dof));
            }
        }
    }
    printf("string checksum: %016llx\n", (unsigned long long)checksum);
    return 0;
}
