/* Pipe writes larger than the room left (Linux's default pipe: 16 pages, 64 KiB). Non-blocking: a big
   write takes what fits and returns the count, a full pipe gives EAGAIN, and a write of at most PIPE_BUF
   (4096) bytes goes in whole or not at all. Blocking: one write() of 200000 bytes to a pipe whose reader is
   slower writes everything, sleeping whenever the pipe is full, and returns 200000. Reads take whole pages,
   so that Linux's page-sized pipe buffers and a byte ring agree on the room left. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define BIG 200000

static char data[BIG];
static char sink[BIG];

int main(void)
{
    for (int i = 0; i < BIG; i++) data[i] = (char)(i * 7 + i / 251);

    int fds[2];
    if (pipe2(fds, O_NONBLOCK) != 0) return 10;
    long n = write(fds[1], data, 100000);
    printf("non-blocking 100000 into an empty pipe: %ld\n", n);
    n = write(fds[1], data, 10);
    printf("non-blocking 10 into a full pipe: %ld errno %s\n", n, n < 0 && errno == EAGAIN ? "EAGAIN" : "other");
    printf("read 8192: %ld\n", (long)read(fds[0], sink, 8192));
    n = write(fds[1], data, 10000);
    printf("non-blocking 10000 with 8192 free: %ld\n", n);
    printf("read 4096: %ld\n", (long)read(fds[0], sink, 4096));
    n = write(fds[1], data, 4096);
    printf("non-blocking PIPE_BUF with 4096 free: %ld\n", n);
    printf("read 4096: %ld\n", (long)read(fds[0], sink, 4096));
    n = write(fds[1], data, 2000);
    printf("non-blocking 2000 with 4096 free: %ld\n", n);
    n = write(fds[1], data, 4000);
    printf("non-blocking 4000 (atomic) with less free: %ld errno %s\n", n, n < 0 && errno == EAGAIN ? "EAGAIN" : "other");
    close(fds[0]);
    close(fds[1]);

    if (pipe(fds) != 0) return 11;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        long written = write(fds[1], data, BIG);
        printf("blocking write of %d: %ld\n", BIG, written);
        fflush(stdout);
        _exit(written == BIG ? 0 : 1);
    }
    close(fds[1]);
    long total = 0;
    for (;;) {
        long got = read(fds[0], sink + total, 4096 < BIG - total ? 4096 : BIG - total);
        if (got <= 0) break;
        total += got;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    printf("reader got %ld, same bytes %d, writer status %d\n", total, memcmp(sink, data, BIG) == 0, WEXITSTATUS(status));
    return 0;
}
