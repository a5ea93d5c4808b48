/* CPU time: getrusage (RUSAGE_SELF, RUSAGE_CHILDREN), wait4's rusage, times() and the process CPU clock
   after CPU-bound work in the process and in a child, and across a sleep. Only relations that hold on any machine are printed; with the argument
   "report" the process's own user and system microseconds are printed last, right before it exits. */
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static unsigned long burn(unsigned long n)
{
    volatile unsigned long sum = 0;
    for (unsigned long i = 0; i < n; i++)
        sum += i ^ (sum >> 3);
    return sum;
}

static long long us(struct timeval t)
{
    return t.tv_sec * 1000000LL + t.tv_usec;
}

int main(int argc, char **argv)
{
    int report = argc > 1 && strcmp(argv[1], "report") == 0;
    struct rusage self, children, child_usage;
    getrusage(RUSAGE_CHILDREN, &children);
    printf("no children yet: %d\n", us(children.ru_utime) == 0 && us(children.ru_stime) == 0);
    if (report) {
        burn(1000000);
        getrusage(RUSAGE_SELF, &self);
        printf("%lld %lld\n", us(self.ru_utime), us(self.ru_stime));
        return 0;
    }

    burn(15000000);
    getrusage(RUSAGE_SELF, &self);
    printf("own user time after the work: positive %d\n", us(self.ru_utime) > 0);

    pid_t child = fork();
    if (child == 0) {
        struct rusage fresh;
        getrusage(RUSAGE_SELF, &fresh);
        int started_small = us(fresh.ru_utime) < us(self.ru_utime);
        burn(15000000);
        _exit(started_small);
    }
    int status = 0;
    wait4(child, &status, 0, &child_usage);
    getrusage(RUSAGE_CHILDREN, &children);
    printf("child began with fresh times %d\n", WEXITSTATUS(status));
    printf("wait4 rusage: user time positive %d\n", us(child_usage.ru_utime) > 0);
    printf("RUSAGE_CHILDREN equals wait4's: %d\n", us(children.ru_utime) == us(child_usage.ru_utime) && us(children.ru_stime) == us(child_usage.ru_stime));
    printf("RUSAGE_BOTH is invalid: %d\n", getrusage(-2, &self) == -1);

    struct timespec before, after, nap = {0, 20000000};
    getrusage(RUSAGE_SELF, &self);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &before);
    nanosleep(&nap, NULL);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &after);
    long long cpu_before = before.tv_sec * 1000000000LL + before.tv_nsec, cpu_after = after.tv_sec * 1000000000LL + after.tv_nsec;
    printf("process CPU clock: at least the rusage %d, advanced under 5 ms in a 20 ms sleep %d\n",
           cpu_before >= (us(self.ru_utime) + us(self.ru_stime)) * 1000, cpu_after - cpu_before < 5000000);

    struct tms t;
    clock_t since_boot = times(&t);
    printf("times: since boot positive %d, children's user ticks no more than their rusage %d\n", since_boot > 0,
           (long long)t.tms_cutime * 1000000 / sysconf(_SC_CLK_TCK) <= us(children.ru_utime));
    return 0;
}
