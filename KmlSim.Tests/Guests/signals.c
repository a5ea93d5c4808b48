/* Signal handlers: sigaction, raise, blocking and unblocking, faults caught and left with siglongjmp,
   a handler interrupting a computation without disturbing it, SIG_IGN, and a fatal default action. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t caught[65];
static sigjmp_buf escape;

static void count(int signal)
{
    caught[signal]++;
}

static void leave(int signal, siginfo_t *info, void *context)
{
    (void)context;
    caught[signal]++;
    printf("fault %d at %s address\n", signal, info->si_addr == (void *)16 ? "the expected" : "another");
    siglongjmp(escape, signal);
}

int main(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = count;
    sigaction(SIGUSR1, &action, NULL);
    sigaction(SIGUSR2, &action, NULL);
    raise(SIGUSR1);
    printf("SIGUSR1 handled %d\n", caught[SIGUSR1]);

    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR2);
    sigprocmask(SIG_BLOCK, &block, NULL);
    raise(SIGUSR2);
    printf("SIGUSR2 while blocked %d\n", caught[SIGUSR2]);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    printf("SIGUSR2 after unblocking %d\n", caught[SIGUSR2]);

    action.sa_handler = NULL;
    action.sa_sigaction = leave;
    action.sa_flags = SA_SIGINFO;
    sigaction(SIGSEGV, &action, NULL);
    sigaction(SIGFPE, &action, NULL);
    int where = sigsetjmp(escape, 1);
    if (where == 0) {
        volatile int *bad = (volatile int *)16;
        *bad = 1;
    }
    printf("back from signal %d\n", where);
    where = sigsetjmp(escape, 1);
    if (where == 0) {
        volatile int zero = 0;
        printf("%d\n", 7 / zero);
    }
    printf("back from signal %d\n", where);

    signal(SIGUSR1, SIG_IGN);
    raise(SIGUSR1);
    printf("ignored SIGUSR1 left the count at %d\n", caught[SIGUSR1]);

    pid_t child = fork();
    if (child == 0) {
        double x = 1.0;
        for (int i = 0; i < 1000; i++)
            x = x * 1.0001 + 0.5;
        printf("child computed %.6f\n", x);
        fflush(stdout);
        raise(SIGTERM);
        return 0;
    }
    int status = 0;
    waitpid(child, &status, 0);
    printf("child killed by signal %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return 0;
}
