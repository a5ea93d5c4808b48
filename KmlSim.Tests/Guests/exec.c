/* execve: a forked child replaces itself with this program (argv[1] = "again"), which reports its
   arguments, environment and pid, and exits with 9; a failed execve reports ENOENT. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "again") == 0) {
        printf("exec'd: argc %d, argv[2] %s, MARK=%s\n", argc, argv[2], getenv("MARK"));
        return 9;
    }
    char *missing[] = { "/no/such/program", NULL };
    int failed = execve(missing[0], missing, NULL);
    printf("execve of a missing program: %d errno %d\n", failed, errno);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char *args[] = { argv[0], "again", "second", NULL };
        char *env[] = { "MARK=set", NULL };
        execve(argv[0], args, env);
        _exit(100);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    printf("child exited %d\n", WEXITSTATUS(status));
    return 0;
}
