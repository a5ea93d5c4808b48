/* gettimeofday microbenchmark: `gettimeofday N` calls gettimeofday N times. The simulated kernel offers
 * no vDSO (no AT_SYSINFO_EHDR), so static glibc makes the real system call each time, as Linux 2.6.11 on
 * x86-64 did without its vsyscall page being used. Prints whether time ever went backwards. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>

int main(int argc, char **argv)
{
    long iterations = argc > 1 ? atol(argv[1]) : 1000;
    struct timeval now, last = {0, 0};
    long backwards = 0;
    for (long i = 0; i < iterations; i++) {
        gettimeofday(&now, NULL);
        if (now.tv_sec < last.tv_sec || (now.tv_sec == last.tv_sec && now.tv_usec < last.tv_usec))
            backwards++;
        last = now;
    }
    printf("gettimeofday %ld calls, %ld backwards\n", iterations, backwards);
    return backwards == 0 ? 0 : 1;
}
