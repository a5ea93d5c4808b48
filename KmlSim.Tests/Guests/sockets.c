/* Two processes over a socket pair, compared with a native run: 100 rounds of ping-pong (each side
   sleeps in read until the other writes), then a child writing to a pipe whose reader is gone: killed
   by SIGPIPE by default, EPIPE alone when it ignores SIGPIPE, EPIPE and its handler when it catches it.
   (Pipe streaming between processes is pipestream.c.) */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t caught;

static void on_sigpipe(int signal)
{
    caught = signal == SIGPIPE;
}

int main(void)
{
    for (int inherited = 3; inherited < 1024; inherited++) /* a native run may inherit the test host's descriptors */
        close(inherited);
    int p[2];
    int status;
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid_t child = fork();
    if (child == 0)
    {
        close(sv[0]);
        int value;
        while (read(sv[1], &value, sizeof value) == sizeof value && value >= 0)
        {
            value = value * 2 + 1;
            write(sv[1], &value, sizeof value);
        }
        _exit(3);
    }
    close(sv[1]);
    long total = 0;
    for (int i = 0; i < 100; i++)
    {
        int value = i;
        write(sv[0], &value, sizeof value);
        read(sv[0], &value, sizeof value);
        total += value;
    }
    int stop = -1;
    write(sv[0], &stop, sizeof stop);
    waitpid(child, &status, 0);
    printf("socket ping-pong: total %ld; child exited %d\n", total, WEXITSTATUS(status));

    pipe(p);
    close(p[0]);
    child = fork();
    if (child == 0)
    {
        signal(SIGPIPE, SIG_DFL); /* a test host may run us with SIGPIPE ignored, and children inherit that */
        write(p[1], "x", 1); /* no reader: SIGPIPE */
        _exit(0);
    }
    close(p[1]);
    waitpid(child, &status, 0);
    printf("write without reader: signaled %d signal %d\n", WIFSIGNALED(status), WIFSIGNALED(status) ? WTERMSIG(status) : 0);

    for (int ignore = 1; ignore >= 0; ignore--)
    {
        pipe(p);
        close(p[0]);
        child = fork();
        if (child == 0)
        {
            signal(SIGPIPE, ignore ? SIG_IGN : on_sigpipe);
            long w = write(p[1], "x", 1);
            _exit((w == -1 && errno == EPIPE ? 2 : 0) + caught * 40);
        }
        close(p[1]);
        waitpid(child, &status, 0);
        printf("write without reader, SIGPIPE %s: signaled %d, exit %d\n", ignore ? "ignored" : "caught",
               WIFSIGNALED(status), WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    }
    return 0;
}
