/* A long fork/exec/wait loop (argv[1] iterations, 300 by default): each child replaces itself with this program (argv[1] = "child"), which
   exits with a code derived from its iteration; the parent checks every status. Without the kernel
   freeing a dead process's memory and reusing its task slot, a small machine runs out long before the end. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc > 2 && strcmp(argv[1], "child") == 0) {
        return atoi(argv[2]) % 200;
    }
    int iterations = argc > 1 ? atoi(argv[1]) : 300;
    long sum = 0;
    int failures = 0;
    for (int i = 0; i < iterations; i++) {
        pid_t pid = fork();
        if (pid < 0) {
            printf("fork failed at iteration %d\n", i);
            return 1;
        }
        if (pid == 0) {
            char number[16];
            snprintf(number, sizeof number, "%d", i);
            char *args[] = { argv[0], "child", number, NULL };
            execv(argv[0], args);
            _exit(255);
        }
        int status = 0;
        if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != i % 200) {
            failures++;
        }
        sum += WEXITSTATUS(status);
    }
    printf("%d iterations, %d failures, sum of statuses %ld\n", iterations, failures, sum);
    return failures == 0 ? 0 : 2;
}
