/* fork + wait4: the statuses of children that exit, are killed by a signal, or print and exit. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    for (int i = 0; i < 3; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            return 100;
        }
        if (pid == 0) {
            if (i == 0) {
                _exit(7);
            }
            if (i == 1) {
                kill(getpid(), SIGTERM);
                for (;;) {
                }
            }
            printf("child %d: parent known %d, own pid differs %d\n", i, getppid() > 0, getpid() != getppid());
            exit(42);
        }
        int status = 0;
        pid_t reaped = waitpid(pid, &status, 0);
        printf("child %d: reaped %d exited %d code %d signaled %d signal %d\n", i, reaped == pid,
               WIFEXITED(status), WIFEXITED(status) ? WEXITSTATUS(status) : -1,
               WIFSIGNALED(status), WIFSIGNALED(status) ? WTERMSIG(status) : -1);
        fflush(stdout);
    }
    printf("no child left: %d\n", waitpid(-1, NULL, 0) == -1);
    return 3;
}
