/* mmap of a regular file (in the working directory): MAP_PRIVATE read-only shows the file's bytes, the
   tail of the last page past the end reads as zero; MAP_PRIVATE writable copies are private (the file
   and other mappings keep their bytes); a non-zero page-aligned offset; errors: an unaligned offset
   (EINVAL), a file open write-only (EACCES), a pipe (ENODEV). The program then maps itself
   (/proc/self/exe) and checks the ELF magic, as a loader would. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define SIZE 10000

static const char *err(void *p)
{
    if (p != MAP_FAILED) return "ok";
    return errno == EINVAL ? "EINVAL" : errno == EACCES ? "EACCES" : errno == ENODEV ? "ENODEV" : errno == EBADF ? "EBADF" : "other";
}

int main(void)
{
    char content[SIZE];
    for (int i = 0; i < SIZE; i++) content[i] = (char)('a' + i % 26);
    int fd = open("mapped.dat", O_CREAT | O_RDWR | O_TRUNC, 0644);
    if (fd < 0 || write(fd, content, SIZE) != SIZE) return 10;

    char *ro = mmap(NULL, SIZE, PROT_READ, MAP_PRIVATE, fd, 0);
    printf("read-only: %s, same bytes %d, tail zero %d\n", err(ro), memcmp(ro, content, SIZE) == 0, ro[SIZE] == 0 && ro[12287] == 0);

    char *rw = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    rw[0] = 'X';
    rw[5000] = 'Y';
    char first[2] = { 0 };
    pread(fd, first, 1, 0);
    printf("private writable: %s, own %c%c, read-only mapping %c%c, file %c\n", err(rw), rw[0], rw[5000], ro[0], ro[5000], first[0]);

    char *second = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 4096);
    printf("offset 4096: %s, first byte %c (file %c)\n", err(second), second[0], content[4096]);

    printf("unaligned offset: %s\n", err(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 100)));
    int writer = open("mapped.dat", O_WRONLY);
    printf("write-only descriptor: %s\n", err(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, writer, 0)));
    int pipe_fds[2];
    pipe(pipe_fds);
    printf("pipe: %s\n", err(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, pipe_fds[0], 0)));

    int self = open("/proc/self/exe", O_RDONLY);
    unsigned char *image = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, self, 0);
    printf("own executable: %s, ELF magic %d\n", err(image), image != MAP_FAILED && memcmp(image, "\177ELF", 4) == 0);

    munmap(rw, SIZE);
    munmap(ro, SIZE);
    close(fd);
    unlink("mapped.dat");
    return 0;
}
