/* gettimeofday microbenchmark: `gettimeofday N` makes the gettimeofday system call N times. It calls the
 * kernel itself (syscall(2)) rather than glibc's gettimeofday, which reads the clock in the vDSO without
 * entering the kernel: the workload measures the crossing. Prints whether time ever went backwards. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long iterations = argc > 1 ? atol(argv[1]) : 1000;
    struct timeval now, last = {0, 0};
    long backwards = 0;
    for (long i = 0; i < iterations; i++) {
        syscall(SYS_gettimeofday, &now, NULL);
        if (now.tv_sec < last.tv_sec || (now.tv_sec == last.tv_sec && now.tv_usec < last.tv_usec))
            backwards++;
        last = now;
    }
    printf("gettimeofday %ld calls, %ld backwards\n", iterations, backwards);
    return backwards == 0 ? 0 : 1;
}
