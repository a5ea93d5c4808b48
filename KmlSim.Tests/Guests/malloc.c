/* malloc churn: many sizes (tiny to several hundred KiB, so both brk and mmap paths), blocks freed in an
 * order shuffled with a fixed seed, realloc growing and shrinking, and content verified throughout. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SLOTS 512
#define ROUNDS 4000

static uint32_t state = 2463534242u;
static uint32_t next(void) { state ^= state << 13; state ^= state >> 17; state ^= state << 5; return state; }

int main(void)
{
    static unsigned char *blocks[SLOTS];
    static size_t sizes[SLOTS];
    uint64_t checksum = 0;
    int errors = 0;
    for (int round = 0; round < ROUNDS; round++) {
        int slot = next() % SLOTS;
        if (blocks[slot]) {
            for (size_t i = 0; i < sizes[slot]; i += 61) errors += blocks[slot][i] != (unsigned char)slot;
            if (next() % 3 == 0) {
                size_t grown = sizes[slot] * 2 + next() % 5000;
                unsigned char *moved = realloc(blocks[slot], grown);
                if (!moved) { errors++; continue; }
                for (size_t i = 0; i < sizes[slot]; i += 61) errors += moved[i] != (unsigned char)slot;
                memset(moved, slot, grown);
                blocks[slot] = moved;
                sizes[slot] = grown;
                continue;
            }
            free(blocks[slot]);
            blocks[slot] = NULL;
            continue;
        }
        uint32_t kind = next() % 100;
        size_t size = kind < 70 ? 1 + next() % 128 : kind < 97 ? 129 + next() % 8000 : 100000 + next() % 400000;
        blocks[slot] = malloc(size);
        if (!blocks[slot]) { errors++; continue; }
        sizes[slot] = size;
        memset(blocks[slot], slot, size);
        checksum = checksum * 31 + size;
    }
    unsigned char *big = calloc(1 << 20, 1);
    for (int i = 0; i < (1 << 20); i += 4096) errors += big[i] != 0;
    big = realloc(big, 3 << 20);
    big[(3 << 20) - 1] = 1;
    free(big);
    for (int i = 0; i < SLOTS; i++) free(blocks[i]);
    printf("malloc checksum: %llu errors: %d\n", (unsigned long long)checksum, errors);
    return errors != 0;
}
