/* Sleeping in time: nanosleep and clock_nanosleep (relative, TIMER_ABSTIME, in the past, invalid), poll
   and select timeouts, a sleep that lets another process run, and a sleep a signal handler interrupts
   (EINTR with the time left, even with SA_RESTART). Every line is the same on any machine: only the
   elapsed times' lower bounds are printed. With the argument "report" it prints measured times instead. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000000000LL + t.tv_nsec;
}

static volatile sig_atomic_t handled;

static void count(int signal)
{
    (void)signal;
    handled++;
}

/* A child that sleeps a while, then sends SIGUSR1 to its parent and ends. */
static pid_t signal_parent_after(long ms)
{
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        struct timespec wait = {0, ms * 1000000L};
        nanosleep(&wait, NULL);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    return child;
}

static void interrupted_sleep(int flags)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = count;
    action.sa_flags = flags;
    sigaction(SIGUSR1, &action, NULL);
    handled = 0;
    pid_t child = signal_parent_after(10);
    struct timespec request = {2, 0}, left = {0, 0};
    int result = nanosleep(&request, &left);
    int error = errno;
    printf("nanosleep%s: result %d %s, handler ran %d, time left between 0 and 2 s %d\n", flags ? " (SA_RESTART)" : "",
           result, result ? strerror(error) : "", handled, left.tv_sec < 2 && (left.tv_sec > 0 || left.tv_nsec > 0));
    waitpid(child, NULL, 0);
}

static void report(void)
{
    long long start = now_ns();
    struct timespec request = {0, 25000000};
    nanosleep(&request, NULL);
    long long slept = now_ns() - start;

    start = now_ns();
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_nsec += 15000000;
    if (deadline.tv_nsec >= 1000000000) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000;
    }
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL);
    long long absolute = now_ns() - start;

    /* A child computes while the parent sleeps: the whole takes the sleep, not the sleep plus the work. */
    long long before_fork = now_ns();
    pid_t child = fork();
    if (child == 0) {
        volatile unsigned long sum = 0;
        for (unsigned long i = 0; i < 3000000; i++)
            sum += i ^ (sum >> 3);
        _exit((int)(sum & 1));
    }
    start = now_ns();
    struct timespec overlap = {0, 20000000};
    nanosleep(&overlap, NULL);
    long long overlapped = now_ns() - start;
    struct rusage usage;
    wait4(child, NULL, 0, &usage);
    long long together = now_ns() - before_fork;
    long long child_cpu = (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1000000000LL + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) * 1000LL;
    printf("nanosleep 25000000 %lld\nabsolute 15000000 %lld\noverlap 20000000 %lld\ntogether %lld\nchild %lld\n", slept, absolute, overlapped, together, child_cpu);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "report") == 0) {
        report();
        return 0;
    }

    long long start = now_ns();
    struct timespec request = {0, 20000000};
    int result = nanosleep(&request, NULL);
    printf("nanosleep 20 ms: result %d, at least 20 ms passed %d\n", result, now_ns() - start >= 20000000);

    start = now_ns();
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += deadline.tv_nsec >= 985000000;
    deadline.tv_nsec = (deadline.tv_nsec + 15000000) % 1000000000;
    result = clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &deadline, NULL);
    printf("clock_nanosleep absolute +15 ms: result %d, at least 15 ms passed %d\n", result, now_ns() - start >= 15000000);

    struct timespec past = {1, 0};
    start = now_ns();
    result = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &past, NULL);
    printf("clock_nanosleep in the past: result %d, returned within 1 ms %d\n", result, now_ns() - start < 1000000);

    struct timespec bad = {0, 1000000000};
    result = nanosleep(&bad, NULL);
    printf("nanosleep with 10^9 ns: result %d %s\n", result, strerror(errno));
    printf("clock_nanosleep on a bad clock: %s\n", strerror(clock_nanosleep(12345, 0, &request, NULL)));

    int fds[2];
    pipe(fds);
    struct pollfd wanted = {fds[0], POLLIN, 0};
    start = now_ns();
    result = poll(&wanted, 1, 30);
    printf("poll 30 ms on an empty pipe: result %d, at least 30 ms passed %d\n", result, now_ns() - start >= 30000000);

    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(fds[0], &readable);
    struct timeval timeout = {0, 10000};
    start = now_ns();
    result = select(fds[0] + 1, &readable, NULL, NULL, &timeout);
    printf("select 10 ms on an empty pipe: result %d, at least 10 ms passed %d, set cleared %d\n", result,
           now_ns() - start >= 10000000, !FD_ISSET(fds[0], &readable));

    /* The child writes at once and ends; the parent, asleep meanwhile, finds its message without waiting. */
    pid_t child = fork();
    if (child == 0) {
        write(fds[1], "ran", 3);
        _exit(0);
    }
    struct timespec nap = {0, 10000000};
    nanosleep(&nap, NULL);
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    char message[4] = {0};
    printf("the child ran while the parent slept: %zd '%s'\n", read(fds[0], message, 3), message);
    waitpid(child, NULL, 0);

    /* poll with a timeout that the other process ends early by writing. */
    fcntl(fds[0], F_SETFL, 0);
    child = fork();
    if (child == 0) {
        struct timespec wait = {0, 5000000};
        nanosleep(&wait, NULL);
        write(fds[1], "x", 1);
        _exit(0);
    }
    result = poll(&wanted, 1, 5000);
    printf("poll 5 s ended by a write: result %d revents %d\n", result, wanted.revents);
    waitpid(child, NULL, 0);

    interrupted_sleep(0);
    interrupted_sleep(SA_RESTART);
    return 0;
}
