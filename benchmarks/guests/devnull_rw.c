/* 1-byte read/write microbenchmark on /dev/null: `devnull_rw N` does N iterations of write(fd, 1 byte)
 * then read(fd, 1 byte) (which returns 0, end of file): two system calls per iteration, each moving at
 * most one byte, so the figure is the entry/exit and dispatch cost plus the smallest file-system path. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long iterations = argc > 1 ? atol(argv[1]) : 1000;
    int fd = open("/dev/null", O_RDWR);
    if (fd < 0) {
        perror("open /dev/null");
        return 1;
    }
    char byte = 'x';
    long written = 0, read_back = 0;
    for (long i = 0; i < iterations; i++) {
        written += write(fd, &byte, 1);
        read_back += read(fd, &byte, 1);
    }
    close(fd);
    printf("devnull_rw %ld iterations, %ld written, %ld read\n", iterations, written, read_back);
    return written == iterations && read_back == 0 ? 0 : 1;
}
