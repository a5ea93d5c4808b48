/* Null system call microbenchmark: `getppid N` makes N raw getppid system calls. syscall(SYS_getppid)
 * goes to the kernel every time (glibc's getppid() caches nothing today, but the raw call makes the
 * guarantee explicit), so each iteration is exactly one SYSCALL round trip. Prints the last result so
 * the calls cannot be optimised away. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long iterations = argc > 1 ? atol(argv[1]) : 1000;
    long parent = 0;
    for (long i = 0; i < iterations; i++)
        parent = syscall(SYS_getppid);
    printf("getppid %ld calls, last %ld\n", iterations, parent);
    return 0;
}
