/* Time through the vDSO: glibc's clock_gettime, gettimeofday, time and sched_getcpu take the vDSO's
   functions, and the results agree with the system calls made directly (never behind one made before,
   never ahead of one made after); a loop spinning until CLOCK_MONOTONIC changes ends. Prints only
   facts that hold natively too. */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static long long ns(struct timespec t) { return t.tv_sec * 1000000000LL + t.tv_nsec; }

int main(void)
{
    printf("vDSO present: %s\n", getauxval(AT_SYSINFO_EHDR) != 0 ? "yes" : "no");
    int ordered = 1;
    for (int clock = 0; clock < 2; clock++) { /* REALTIME, MONOTONIC */
        struct timespec before, through, after;
        syscall(SYS_clock_gettime, clock, &before);
        clock_gettime(clock, &through);
        syscall(SYS_clock_gettime, clock, &after);
        ordered &= ns(before) <= ns(through) && ns(through) <= ns(after);
    }
    printf("clock_gettime between the system calls: %s\n", ordered ? "yes" : "no");

    struct timeval tv, tv_after;
    gettimeofday(&tv, NULL);
    syscall(SYS_gettimeofday, &tv_after, NULL);
    time_t seconds = time(NULL);
    printf("gettimeofday not ahead: %s, time within a second: %s\n",
           tv.tv_sec < tv_after.tv_sec || (tv.tv_sec == tv_after.tv_sec && tv.tv_usec <= tv_after.tv_usec) ? "yes" : "no",
           seconds - tv.tv_sec <= 1 && seconds >= tv.tv_sec ? "yes" : "no");

    struct timespec first, now;
    clock_gettime(CLOCK_MONOTONIC, &first);
    long spins = 0;
    do {
        clock_gettime(CLOCK_MONOTONIC, &now);
        spins++;
    } while (ns(now) == ns(first) && spins < 100000000);
    printf("monotonic clock advanced while spinning: %s\n", ns(now) > ns(first) ? "yes" : "no");

    struct timespec cpu;
    printf("CPU-time clock works: %s\n", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu) == 0 ? "yes" : "no");
    printf("sched_getcpu in range: %s\n", sched_getcpu() >= 0 ? "yes" : "no");
    return 0;
}
