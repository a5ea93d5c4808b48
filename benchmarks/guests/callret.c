/* CALL/RET microbenchmark, the yardstick a KML system call is compared with: `callret N` calls a
 * non-inlined function N times. The empty asm with a memory clobber keeps gcc from proving the call
 * useless or hoisting it out of the loop, so each iteration is one CALL and one RET. */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static long bump(long value)
{
    __asm__ volatile("" : "+r"(value) : : "memory");
    return value + 1;
}

int main(int argc, char **argv)
{
    long iterations = argc > 1 ? atol(argv[1]) : 1000;
    long total = 0;
    for (long i = 0; i < iterations; i++)
        total = bump(total);
    printf("callret %ld calls, total %ld\n", iterations, total);
    return total == iterations ? 0 : 1;
}
