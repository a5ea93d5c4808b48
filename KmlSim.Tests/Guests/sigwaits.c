/* Waiting for and with signals: SIGCHLD (ignored by default, a handler with the child's siginfo, SIG_IGN
   reaping children), SA_RESTART against EINTR for read and wait4, rt_sigsuspend, pause, rt_sigtimedwait,
   rt_sigpending, and sigaltstack (SA_ONSTACK handlers on the alternate stack, SS_ONSTACK, SS_DISABLE, EPERM
   while on it, ENOMEM, a stack overflow caught there). The output is the same on any machine. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t handled;
static volatile pid_t chld_pid;
static volatile int chld_code, chld_status;
static char alt[65536] __attribute__((aligned(16)));
static volatile int on_alt, flags_in_handler, change_in_handler;
static sigjmp_buf escape;

static void count(int signal)
{
    (void)signal;
    handled++;
}

static void child_info(int signal, siginfo_t *info, void *context)
{
    (void)signal;
    (void)context;
    handled++;
    chld_pid = info->si_pid;
    chld_code = info->si_code;
    chld_status = info->si_status;
}

static void where_am_i(int signal)
{
    (void)signal;
    char local;
    on_alt = (uintptr_t)&local >= (uintptr_t)alt && (uintptr_t)&local < (uintptr_t)alt + sizeof alt;
    stack_t now;
    sigaltstack(NULL, &now);
    flags_in_handler = now.ss_flags;
    stack_t other = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
    change_in_handler = sigaltstack(&other, NULL) == 0 ? 0 : errno;
}

static void overflow_caught(int signal)
{
    char local;
    on_alt = (uintptr_t)&local >= (uintptr_t)alt && (uintptr_t)&local < (uintptr_t)alt + sizeof alt;
    siglongjmp(escape, signal);
}

static int recurse(volatile char *previous)
{
    volatile char frame[512];
    frame[0] = previous ? previous[0] + 1 : 0;
    return recurse(frame) + frame[1];
}

static void nap(long ms)
{
    struct timespec t = {0, ms * 1000000L};
    nanosleep(&t, NULL);
}

static void handle(int signal, void (*handler)(int), int flags)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    action.sa_flags = flags;
    sigaction(signal, &action, NULL);
}

/* A child that sends SIGUSR1 to the parent after 10 ms, then writes to the pipe after 20 ms. */
static pid_t signal_then_write(int fd)
{
    pid_t parent = getpid();
    pid_t child = fork();
    if (child == 0) {
        nap(10);
        kill(parent, SIGUSR1);
        nap(10);
        write(fd, "data", 4);
        _exit(0);
    }
    return child;
}

static void read_with(int flags)
{
    int fds[2];
    pipe(fds);
    handle(SIGUSR1, count, flags);
    handled = 0;
    pid_t child = signal_then_write(fds[1]);
    char buffer[8] = {0};
    ssize_t n = read(fds[0], buffer, sizeof buffer - 1);
    printf("read%s: %zd %s, handler ran %d\n", flags ? " with SA_RESTART" : "", n, n < 0 ? strerror(errno) : buffer, handled);
    waitpid(child, NULL, 0);
    close(fds[0]);
    close(fds[1]);
}

static void wait_with(int flags)
{
    handle(SIGUSR1, count, flags);
    handled = 0;
    pid_t parent = getpid();
    pid_t sleeper = fork();
    if (sleeper == 0) {
        nap(30);
        _exit(5);
    }
    pid_t signaller = fork();
    if (signaller == 0) {
        nap(10);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    int status = 0;
    pid_t got = waitpid(sleeper, &status, 0);
    int error = errno;
    printf("wait4%s: %s, handler ran %d\n", flags ? " with SA_RESTART" : "",
           got == sleeper ? (WEXITSTATUS(status) == 5 ? "the child's status 5" : "wrong status") : strerror(error), handled);
    if (got != sleeper)
        waitpid(sleeper, NULL, 0);
    waitpid(signaller, NULL, 0);
}

int main(void)
{
    /* SIGCHLD: ignored by default, so a waiting parent just collects the child. */
    pid_t child = fork();
    if (child == 0)
        _exit(7);
    int status = 0;
    int collected = waitpid(child, &status, 0) == child;
    printf("default SIGCHLD: collected %d, code %d\n", collected, WEXITSTATUS(status));

    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = child_info;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGCHLD, &action, NULL);
    handled = 0;
    child = fork();
    if (child == 0)
        _exit(9);
    waitpid(child, &status, 0);
    printf("SIGCHLD handler: ran %d, si_pid is the child %d, si_code CLD_EXITED %d, si_status %d\n", handled,
           chld_pid == child, chld_code == CLD_EXITED, chld_status);
    handle(SIGCHLD, SIG_DFL, 0);

    handle(SIGCHLD, SIG_IGN, 0);
    child = fork();
    if (child == 0)
        _exit(1);
    pid_t got = waitpid(child, &status, 0);
    printf("SIGCHLD ignored: waitpid %d %s\n", got, got < 0 ? strerror(errno) : "");
    handle(SIGCHLD, SIG_DFL, 0);

    read_with(0);
    read_with(SA_RESTART);
    wait_with(0);
    wait_with(SA_RESTART);

    /* rt_sigsuspend: SIGUSR1 blocked, then let through only while suspended. */
    handle(SIGUSR1, count, 0);
    handled = 0;
    sigset_t usr1, old, empty, now;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &usr1, &old);
    pid_t parent = getpid();
    child = fork();
    if (child == 0) {
        nap(5);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    int result = sigsuspend(&empty);
    sigprocmask(SIG_SETMASK, NULL, &now);
    printf("sigsuspend: %d %s, handler ran %d, SIGUSR1 blocked again %d\n", result, strerror(errno), handled, sigismember(&now, SIGUSR1));
    waitpid(child, NULL, 0);

    /* rt_sigpending and rt_sigtimedwait. */
    raise(SIGUSR1);
    sigset_t pending;
    sigpending(&pending);
    printf("sigpending: SIGUSR1 %d SIGUSR2 %d, handler ran %d\n", sigismember(&pending, SIGUSR1), sigismember(&pending, SIGUSR2), handled);
    siginfo_t info;
    memset(&info, 0, sizeof info);
    result = sigtimedwait(&usr1, &info, NULL);
    printf("sigtimedwait took %d, si_code %d, si_pid is us %d, handler ran %d\n", result, info.si_code, info.si_pid == getpid(), handled);
    struct timespec brief = {0, 20000000};
    result = sigtimedwait(&usr1, &info, &brief);
    printf("sigtimedwait 20 ms with nothing sent: %d %s\n", result, strerror(errno));
    child = fork();
    if (child == 0) {
        nap(5);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    result = sigwaitinfo(&usr1, &info);
    printf("sigwaitinfo took %d from the child %d, si_code SI_USER %d\n", result, info.si_pid == child, info.si_code == SI_USER);
    waitpid(child, NULL, 0);
    sigprocmask(SIG_SETMASK, &old, NULL);

    /* pause ends with a handled signal. */
    handled = 0;
    child = fork();
    if (child == 0) {
        nap(5);
        kill(parent, SIGUSR1);
        _exit(0);
    }
    result = pause();
    printf("pause: %d %s, handler ran %d\n", result, strerror(errno), handled);
    waitpid(child, NULL, 0);

    /* sigaltstack. */
    stack_t query;
    sigaltstack(NULL, &query);
    printf("no alternate stack at first: SS_DISABLE %d\n", query.ss_flags == SS_DISABLE);
    stack_t small = {.ss_sp = alt, .ss_size = 1024, .ss_flags = 0};
    result = sigaltstack(&small, NULL);
    printf("too small: %d %s\n", result, strerror(errno));
    stack_t bad = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 12345};
    result = sigaltstack(&bad, NULL);
    printf("bad flags: %d %s\n", result, strerror(errno));
    stack_t set = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
    printf("set: %d\n", sigaltstack(&set, NULL));
    sigaltstack(NULL, &query);
    printf("read back: same base %d, same size %d, flags %d\n", query.ss_sp == alt, query.ss_size == sizeof alt, query.ss_flags);

    handle(SIGUSR2, where_am_i, SA_ONSTACK);
    raise(SIGUSR2);
    printf("SA_ONSTACK handler: on the alternate stack %d, SS_ONSTACK %d, changing it there %s\n", on_alt,
           (flags_in_handler & SS_ONSTACK) != 0, strerror(change_in_handler));
    handle(SIGUSR2, where_am_i, 0);
    raise(SIGUSR2);
    printf("handler without SA_ONSTACK: on the alternate stack %d\n", on_alt);
    sigaltstack(NULL, &query);
    printf("after the handlers: flags %d\n", query.ss_flags);

    handle(SIGSEGV, overflow_caught, SA_ONSTACK);
    on_alt = 0;
    int where = sigsetjmp(escape, 1);
    if (where == 0)
        recurse(NULL);
    printf("stack overflow: caught signal %d on the alternate stack %d\n", where, on_alt);

    stack_t off = {.ss_flags = SS_DISABLE};
    printf("disable: %d\n", sigaltstack(&off, NULL));
    sigaltstack(NULL, &query);
    printf("after disabling: SS_DISABLE %d\n", query.ss_flags == SS_DISABLE);
    return 0;
}
