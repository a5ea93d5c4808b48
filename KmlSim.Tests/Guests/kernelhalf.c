/* A process that points the CPU at the kernel half, or at the legacy vsyscall page, in every way a user
   program can: a signal handler address there, rt_sigreturn frames whose return address is non-canonical
   or in the kernel half, calls into the vsyscall page's entries and elsewhere in it, and a read of it.
   Each ends as a signal to this process (printed by an SA_SIGINFO handler with the saved RIP, trap
   number and error code) or as the vsyscall's result; the machine goes on. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define VSYSCALL 0xffffffffff600000UL

static sigjmp_buf escape;
static unsigned long forged_rip;

static void report(int signal, siginfo_t *info, void *context)
{
    ucontext_t *uc = context;
    printf("  signal %d code %d addr %#lx rip %#llx trapno %lld err %#llx\n", signal, info->si_code,
           (unsigned long)info->si_addr, (unsigned long long)uc->uc_mcontext.gregs[REG_RIP],
           (long long)uc->uc_mcontext.gregs[REG_TRAPNO], (unsigned long long)uc->uc_mcontext.gregs[REG_ERR]);
    fflush(stdout);
    siglongjmp(escape, 1);
}

static void forge(int signal, siginfo_t *info, void *context)
{
    (void)signal;
    (void)info;
    ((ucontext_t *)context)->uc_mcontext.gregs[REG_RIP] = (long long)forged_rip;
}

static const char *only; /* argv[1]: run only the case of that name ("vsyscall": the vsyscall results) */

#define CASE(name, code)                                          \
    do {                                                          \
        if (only && strcmp(only, name) != 0)                      \
            break;                                                \
        printf("%s\n", name);                                     \
        fflush(stdout);                                           \
        if (sigsetjmp(escape, 1) == 0) {                          \
            code;                                                 \
            printf("  no signal\n");                              \
        }                                                         \
    } while (0)

static void vsyscalls(void)
{
    struct timeval before, during, after;
    gettimeofday(&before, NULL);
    long result = ((long (*)(struct timeval *, void *))VSYSCALL)(&during, NULL);
    syscall(SYS_gettimeofday, &after, NULL);
    long long b = before.tv_sec * 1000000LL + before.tv_usec, d = during.tv_sec * 1000000LL + during.tv_usec,
              a = after.tv_sec * 1000000LL + after.tv_usec;
    printf("vsyscall gettimeofday returns %ld, in order with the system call's: %d, usec below 1e6: %d\n",
           result, b <= d && d <= a, during.tv_usec < 1000000);
    time_t stored = 0;
    time_t now = ((time_t (*)(time_t *))(VSYSCALL + 0x400))(&stored);
    time_t later = time(NULL);
    printf("vsyscall time stores what it returns: %d, not after time(): %d\n", stored == now, now <= later);
    struct timezone zone = {1, 1};
    result = ((long (*)(struct timeval *, struct timezone *))VSYSCALL)(NULL, &zone);
    printf("vsyscall gettimeofday(NULL, tz) returns %ld, tz %d %d\n", result, zone.tz_minuteswest, zone.tz_dsttime);
}

int main(int argc, char **argv)
{
    only = argc > 1 ? argv[1] : NULL;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = report;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &action, NULL);
    sigaction(SIGBUS, &action, NULL);
    action.sa_sigaction = forge;
    sigaction(SIGUSR2, &action, NULL);
    action.sa_sigaction = (void (*)(int, siginfo_t *, void *))0xffffffff81000000UL;
    sigaction(SIGUSR1, &action, NULL);

    CASE("handler in the kernel half", raise(SIGUSR1));
    forged_rip = 0x0000900000000000UL;
    CASE("rt_sigreturn to a non-canonical address", raise(SIGUSR2));
    forged_rip = 0xffffffff81000000UL;
    CASE("rt_sigreturn into the kernel half", raise(SIGUSR2));

    if (!only || strcmp(only, "vsyscall") == 0)
        vsyscalls();
    CASE("non-canonical read", (void)*(volatile char *)0x0000900000000000UL);
    CASE("vsyscall gettimeofday with a bad pointer", ((long (*)(void *, void *))VSYSCALL)((void *)16, NULL));
    CASE("non-canonical read", (void)*(volatile char *)0x0000900000000000UL);
    CASE("call into the vsyscall page off an entry", ((void (*)(void))(VSYSCALL + 0x10))());
    CASE("read the vsyscall page", (void)*(volatile char *)VSYSCALL);
    CASE("write the vsyscall page", *(volatile char *)(VSYSCALL + 0x10) = 1);
    if (!only)
        printf("done\n");
    return 0;
}
