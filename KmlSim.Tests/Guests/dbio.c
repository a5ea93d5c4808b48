/* The kernel services a database server uses (SQLite's unix VFS and the Wisconsin guest's connection
   code), compared with a native run: POSIX record locks through fcntl, a socket switched between
   non-blocking and blocking with F_GETFL/F_SETFL (EAGAIN when empty, and when the peer's buffer is
   full), fsync/fdatasync on a file and on a directory, TCGETS on a file (ENOTTY), a journal created,
   written with pwrite, truncated and unlinked while open. Sizes that differ between kernels (socket
   buffer capacity) are not printed, only what Linux guarantees. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

static void show(const char *what, long result)
{
    printf("%s: %ld", what, result);
    if (result < 0) printf(" (%s)", strerror(errno));
    printf("\n");
}

static long lock(int fd, int command, short type, long start, long length)
{
    struct flock region = { .l_type = type, .l_whence = SEEK_SET, .l_start = start, .l_len = length };
    return fcntl(fd, command, &region);
}

int main(void)
{
    int db = open("db.bin", O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    show("pwrite page 2", pwrite(db, "page", 4, 4096));
    show("F_SETLK read lock (pending byte)", lock(db, F_SETLK, F_RDLCK, 0x40000000, 1));
    show("F_SETLK write lock (reserved byte)", lock(db, F_SETLK, F_WRLCK, 0x40000001, 1));
    show("F_SETLK unlock all", lock(db, F_SETLK, F_UNLCK, 0, 0));
    struct flock probe = { .l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0 };
    show("F_GETLK own file", fcntl(db, F_GETLK, &probe));
    printf("F_GETLK type unlocked: %d\n", probe.l_type == F_UNLCK);
    show("F_SETLK bad type", lock(db, F_SETLK, 7, 0, 1));
    int reader = open("db.bin", O_RDONLY);
    show("F_SETLK write lock on a read-only descriptor", lock(reader, F_SETLK, F_WRLCK, 0, 1));
    show("F_SETLK read lock on a read-only descriptor", lock(reader, F_SETLK, F_RDLCK, 0, 1));
    close(reader);
    show("fsync file", fsync(db));
    show("fdatasync file", fdatasync(db));
    struct termios terminal;
    show("ioctl TCGETS on a file", ioctl(db, TCGETS, &terminal));

    int directory = open(".", O_RDONLY | O_DIRECTORY);
    show("fsync directory", fsync(directory));
    close(directory);

    int journal = open("db.bin-journal", O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    show("journal O_EXCL again", open("db.bin-journal", O_RDWR | O_CREAT | O_EXCL, 0644));
    show("journal pwrite", pwrite(journal, "header", 6, 0));
    show("journal ftruncate 0", ftruncate(journal, 0));
    show("unlink journal", unlink("db.bin-journal"));
    struct stat status;
    fstat(journal, &status);
    printf("journal links after unlink: %ld size %ld\n", (long)status.st_nlink, (long)status.st_size);
    show("journal pwrite after unlink", pwrite(journal, "x", 1, 0));
    close(journal);
    show("unlink journal again", unlink("db.bin-journal"));
    char page[4];
    show("pread page 2", pread(db, page, 4, 4096));
    printf("page: %.4s\n", page);
    close(db);
    unlink("db.bin");

    int pair[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, pair);
    int flags = fcntl(pair[1], F_GETFL);
    printf("socket F_GETFL: O_RDWR %d O_NONBLOCK %d\n", (flags & O_ACCMODE) == O_RDWR, (flags & O_NONBLOCK) != 0);
    show("F_SETFL O_NONBLOCK", fcntl(pair[1], F_SETFL, flags | O_NONBLOCK));
    printf("socket F_GETFL now O_NONBLOCK %d\n", (fcntl(pair[1], F_GETFL) & O_NONBLOCK) != 0);
    char header[4];
    show("non-blocking read of an empty socket", read(pair[1], header, 4));
    show("peer writes a packet", write(pair[0], "\1\0\0\0\3", 5));
    show("non-blocking read with data", read(pair[1], header, 4));
    show("F_SETFL blocking", fcntl(pair[1], F_SETFL, flags & ~O_NONBLOCK));
    show("blocking read of the body", read(pair[1], header, 1));
    fcntl(pair[1], F_SETFL, flags | O_NONBLOCK);
    static char chunk[16384];
    long written = 0, result;
    while ((result = write(pair[1], chunk, sizeof chunk)) > 0) written += result;
    printf("non-blocking writes until full: some written %d, then EAGAIN %d\n", written > 0, result < 0 && errno == EAGAIN);
    long drained = 0;
    while (drained < written && (result = read(pair[0], chunk, sizeof chunk)) > 0) drained += result;
    printf("peer drains all: %d\n", drained == written);
    fcntl(pair[0], F_SETFL, O_NONBLOCK);
    show("peer non-blocking read when drained", read(pair[0], chunk, 1));
    close(pair[1]);
    show("peer read after close", read(pair[0], chunk, 1));
    return 0;
}
