/* A child that writes every page of a large block it shares copy-on-write with its parent needs as much
   memory again. On a machine too small for that, Linux's out-of-memory killer ends a process with SIGKILL
   (the simulated kernel ends the one whose fault could not be served); the parent, its memory intact,
   reports how the child ended. On an ordinary host the child simply finishes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define BLOCK (24 << 20)

int main(void)
{
    char *block = malloc(BLOCK);
    if (block == NULL) return 10;
    memset(block, 1, BLOCK);
    pid_t pid = fork();
    if (pid < 0) {
        printf("fork failed\n");
        return 11;
    }
    if (pid == 0) {
        for (long i = 0; i < BLOCK; i += 4096) block[i] = 2;
        printf("child wrote every page\n");
        return 0;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    long ones = 0;
    for (long i = 0; i < BLOCK; i += 4096) ones += block[i] == 1;
    printf("child signaled %d signal %d; parent pages intact %d\n", WIFSIGNALED(status),
           WIFSIGNALED(status) ? WTERMSIG(status) : 0, ones == BLOCK / 4096);
    return 0;
}
