/* execve by a relative path from the cwd, and the floating-point state a new program starts with:
   the parent changes the x87 control word and MXCSR, then forks a child that execs "./NAME" (NAME is
   the basename of argv[0]); the new program reports the x87 control word and MXCSR it finds at the top
   of main (the C library's start-up leaves both alone): Linux's initial 0x37F and 0x1F80. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    unsigned short control;
    unsigned int mxcsr;
    __asm__ volatile("fnstcw %0" : "=m"(control));
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
    if (argc > 1 && strcmp(argv[1], "exec'd") == 0) {
        printf("after exec: x87 control 0x%x, mxcsr 0x%x, argv[0] %s\n", control, mxcsr, argv[0]);
        return 5;
    }
    unsigned short changed = 0x0C7F; /* round toward zero, single precision */
    unsigned int changed_mxcsr = 0x7F80 | 0x8040; /* round toward zero, FTZ, DAZ */
    __asm__ volatile("fldcw %0" : : "m"(changed));
    __asm__ volatile("ldmxcsr %0" : : "m"(changed_mxcsr));
    __asm__ volatile("fnstcw %0" : "=m"(control));
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
    printf("before exec: x87 control 0x%x, mxcsr 0x%x\n", control, mxcsr);
    fflush(stdout);
    const char *name = strrchr(argv[0], '/');
    char relative[256];
    snprintf(relative, sizeof relative, "./%s", name ? name + 1 : argv[0]);
    pid_t pid = fork();
    if (pid == 0) {
        char *args[] = { relative, "exec'd", NULL };
        execv(relative, args);
        _exit(100);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    printf("child exited %d\n", WEXITSTATUS(status));
    return 0;
}
