/* 1-byte pipe microbenchmark: `pipe_rw N` does N iterations of write(pipe, 1 byte) then read(pipe, 1 byte)
 * in one process: two system calls per iteration that really move a byte through the kernel's pipe buffer,
 * never blocking (the byte written is always there to read). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long iterations = argc > 1 ? atol(argv[1]) : 1000;
    int fds[2];
    if (pipe(fds) != 0) {
        perror("pipe");
        return 1;
    }
    unsigned char byte = 0, sum = 0;
    long moved = 0;
    for (long i = 0; i < iterations; i++) {
        byte = (unsigned char)i;
        moved += write(fds[1], &byte, 1);
        moved += read(fds[0], &byte, 1);
        sum += byte;
    }
    printf("pipe_rw %ld iterations, %ld bytes moved, sum %u\n", iterations, moved, sum);
    return moved == 2 * iterations ? 0 : 1;
}
