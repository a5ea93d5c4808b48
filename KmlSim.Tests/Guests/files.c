/* File calls on regular files, compared with a native run in a fresh temporary directory:
   create/write/pread/pwrite/lseek/fstat/ftruncate/O_APPEND/rename/unlink and the errors Linux gives. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void show(const char *what, long result)
{
    if (result < 0)
        printf("%-34s -> -1 errno %d (%s)\n", what, errno, strerror(errno));
    else
        printf("%-34s -> %ld\n", what, result);
}

static void show_size(const char *what, const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0)
        show(what, -1);
    else
        /* a directory's size depends on the file system (4096 on ext4), so only a regular file's is shown */
        printf("%-34s -> size %lld mode %o nlink %lu\n", what, S_ISREG(st.st_mode) ? (long long)st.st_size : -1LL, st.st_mode, (unsigned long)st.st_nlink);
}

int main(void)
{
    char buffer[64];
    char pattern[1000];
    umask(022);
    for (int inherited = 3; inherited < 1024; inherited++) /* a native run may inherit the test host's descriptors */
        close(inherited);
    for (int i = 0; i < 1000; i++)
        pattern[i] = (char)('a' + i % 26);

    int fd = open("data.bin", O_CREAT | O_RDWR | O_TRUNC, 0666);
    show("open data.bin", fd >= 0 ? 0 : -1);
    show("write 1000", write(fd, pattern, sizeof pattern));
    show("lseek cur", lseek(fd, 0, SEEK_CUR));
    show("pwrite hole at 2000", pwrite(fd, "hole", 4, 2000));
    show("lseek cur after pwrite", lseek(fd, 0, SEEK_CUR));
    show_size("stat after pwrite", "data.bin");

    struct stat st;
    show("fstat", fstat(fd, &st));
    printf("fstat: regular %d size %lld blksize>0 %d\n", S_ISREG(st.st_mode), (long long)st.st_size, st.st_blksize > 0);

    memset(buffer, 0, sizeof buffer);
    show("pread 10 at 995", pread(fd, buffer, 10, 995));
    printf("  bytes: %.5s then %d zeros\n", buffer, buffer[5] == 0 && buffer[9] == 0);
    show("pread at 1500 (hole)", pread(fd, buffer, 4, 1500));
    printf("  hole reads zeros: %d\n", buffer[0] == 0 && buffer[3] == 0);
    show("lseek end -4", lseek(fd, -4, SEEK_END));
    show("read 4", read(fd, buffer, 4));
    printf("  tail: %.4s\n", buffer);
    show("read at eof", read(fd, buffer, 4));
    show("lseek negative", lseek(fd, -5000, SEEK_CUR));
    show("lseek bad whence", lseek(fd, 0, 7));
    show("pread negative offset", pread(fd, buffer, 1, -1));
    show("ftruncate 10", ftruncate(fd, 10));
    show_size("stat after ftruncate", "data.bin");

    int append = open("data.bin", O_WRONLY | O_APPEND);
    show("write with O_APPEND", write(append, "XY", 2));
    show("fcntl getfl append", fcntl(append, F_GETFL) & (O_ACCMODE | O_APPEND));
    show("close append", close(append));
    show("pread after append", pread(fd, buffer, 64, 8));
    printf("  bytes: %.4s\n", buffer);
    show("open O_EXCL existing", open("data.bin", O_CREAT | O_EXCL | O_WRONLY, 0600));
    show("close", close(fd));
    show("close again", close(fd));
    show("read closed", read(fd, buffer, 1));
    show("write fd 99", write(99, "x", 1));
    show("fstat fd 99", fstat(99, &st));
    show("read from O_WRONLY", read(1, buffer, 1));

    show("open missing", open("missing.txt", O_RDONLY));
    show("open in missing dir", open("nodir/x", O_CREAT | O_WRONLY, 0600));
    show("open under a file", open("data.bin/x", O_RDONLY));
    show("open dir for writing", open(".", O_WRONLY));
    show("open O_DIRECTORY on file", open("data.bin", O_RDONLY | O_DIRECTORY));
    show("access data.bin R_OK|W_OK", access("data.bin", R_OK | W_OK));
    show("access data.bin X_OK", access("data.bin", X_OK));
    show("access missing", access("missing.txt", F_OK));

    show("rename data.bin -> moved.bin", rename("data.bin", "moved.bin"));
    show_size("stat old name", "data.bin");
    show_size("stat new name", "moved.bin");
    show("creat", creat("second.txt", 0600));
    show_size("stat creat", "second.txt");
    show("rename over existing", rename("second.txt", "moved.bin"));
    show_size("stat after rename over", "moved.bin");

    int kept = open("moved.bin", O_RDWR);
    show("unlink while open", unlink("moved.bin"));
    show_size("stat after unlink", "moved.bin");
    show("unlink again", unlink("moved.bin"));
    show("write to unlinked", write(kept, "still here", 10));
    show("pread unlinked", pread(kept, buffer, 10, 0));
    printf("  bytes: %.10s\n", buffer);
    show("fstat unlinked", fstat(kept, &st));
    printf("  nlink %lu size %lld\n", (unsigned long)st.st_nlink, (long long)st.st_size);
    close(kept);

    show("mkdir d", mkdir("d", 0755));
    show("mkdir d again", mkdir("d", 0755));
    show_size("stat d", "d");
    show("unlink a directory", unlink("d"));
    int inner = open("d/f", O_CREAT | O_WRONLY, 0644);
    close(inner);
    show("rmdir non-empty", rmdir("d"));
    show("rmdir a file", rmdir("d/f"));
    show("unlink d/f", unlink("d/f"));
    show("rmdir d", rmdir("d"));
    show("rmdir d again", rmdir("d"));

    int null = open("/dev/null", O_RDWR);
    show("write /dev/null", write(null, "abc", 3));
    show("read /dev/null", read(null, buffer, 3));
    int zero = open("/dev/zero", O_RDONLY);
    buffer[0] = 'x';
    show("read /dev/zero", read(zero, buffer, 8));
    printf("  zero byte: %d\n", buffer[0]);
    return 0;
}
