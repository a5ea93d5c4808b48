/* fork + pipe streaming: a child writes 256 KiB through a pipe in 4 KiB chunks, the parent reads it in
   1000-byte pieces, checksums it, and reports the child's wait status. */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
    int fds[2];
    if (pipe(fds) != 0)
        return 100;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        char chunk[4096];
        for (int i = 0; i < 64; i++) {
            for (int j = 0; j < (int)sizeof chunk; j++)
                chunk[j] = (char)(i * 31 + j * 7);
            if (write(fds[1], chunk, sizeof chunk) != (ssize_t)sizeof chunk)
                _exit(1);
        }
        _exit(5);
    }
    close(fds[1]);
    unsigned long sum = 0, total = 0;
    char piece[1000];
    ssize_t n;
    while ((n = read(fds[0], piece, sizeof piece)) > 0) {
        for (ssize_t k = 0; k < n; k++)
            sum = sum * 131 + (unsigned char)piece[k];
        total += (unsigned long)n;
    }
    int status = 0;
    waitpid(pid, &status, 0);
    printf("bytes %lu checksum %lu child exit %d\n", total, sum, WEXITSTATUS(status));
    return 0;
}
