/* Pipes and socket pairs inside one process, descriptor sharing (dup, dup2 redirection, F_DUPFD,
   close-on-exec), O_NONBLOCK and readiness (poll, select), compared with a native run. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>

static void show(const char *what, long result)
{
    if (result < 0)
        printf("%-34s -> -1 errno %d (%s)\n", what, errno, strerror(errno));
    else
        printf("%-34s -> %ld\n", what, result);
}

static short poll_one(int fd, short events)
{
    struct pollfd p = { .fd = fd, .events = events };
    long n = poll(&p, 1, 0);
    return n < 0 ? -1 : p.revents;
}

int main(void)
{
    char buffer[256];
    int p[2];
    for (int inherited = 3; inherited < 1024; inherited++) /* a native run may inherit the test host's descriptors */
        close(inherited);
    show("pipe", pipe(p));
    show("write hello", write(p[1], "hello", 5));
    int available = -1;
    show("ioctl FIONREAD", ioctl(p[0], FIONREAD, &available));
    printf("  available %d\n", available);
    printf("poll read end: %#x, write end: %#x\n", poll_one(p[0], POLLIN), poll_one(p[1], POLLOUT));
    show("read", read(p[0], buffer, sizeof buffer));
    printf("  got %.5s\n", buffer);
    printf("poll empty read end: %#x\n", poll_one(p[0], POLLIN));
    show("lseek on pipe", lseek(p[0], 0, SEEK_SET));
    show("pread on pipe", pread(p[0], buffer, 1, 0));
    show("write to read end", write(p[0], "x", 1));
    show("fstat-free getfl read end", fcntl(p[0], F_GETFL));
    show("getfl write end", fcntl(p[1], F_GETFL));
    show("setfl nonblock", fcntl(p[0], F_SETFL, O_NONBLOCK));
    show("getfl after setfl", fcntl(p[0], F_GETFL));
    show("read empty nonblocking", read(p[0], buffer, 1));

    fcntl(p[1], F_SETFL, O_NONBLOCK);
    long total = 0, n;
    memset(buffer, 'z', sizeof buffer);
    while ((n = write(p[1], buffer, sizeof buffer)) > 0)
        total += n;
    printf("filled pipe with %ld bytes, then errno %d\n", total, errno);
    printf("poll full write end: %#x\n", poll_one(p[1], POLLOUT));
    long drained = 0;
    while ((n = read(p[0], buffer, sizeof buffer)) > 0)
        drained += n;
    printf("drained %ld bytes\n", drained);
    show("close write end", close(p[1]));
    printf("poll after writer closed: %#x\n", poll_one(p[0], POLLIN));
    show("read at EOF", read(p[0], buffer, 1));
    close(p[0]);

    show("pipe2 O_CLOEXEC", pipe2(p, O_CLOEXEC));
    show("getfd", fcntl(p[0], F_GETFD));
    show("setfd 0", fcntl(p[0], F_SETFD, 0));
    show("getfd after", fcntl(p[0], F_GETFD));
    show("dupfd min 10", fcntl(p[1], F_DUPFD, 10));
    show("dupfd_cloexec min 10", fcntl(p[1], F_DUPFD_CLOEXEC, 10));
    show("getfd of 11", fcntl(11, F_GETFD));
    show("close 10", close(10));
    show("close 11", close(11));

    fflush(stdout);
    int saved = dup(1);
    show("dup2 pipe over stdout", dup2(p[1], 1));
    printf("this line went through the pipe\n");
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    n = read(p[0], buffer, sizeof buffer - 1);
    buffer[n > 0 ? n : 0] = 0;
    printf("redirected output: %s", buffer);
    show("dup2 same fd", dup2(p[0], p[0]));
    show("dup3 same fd", dup3(p[0], p[0], 0));
    show("dup2 bad fd", dup2(77, 5));
    close(p[0]);
    close(p[1]);

    int fd = open("shared.txt", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "abcdef", 6);
    int copy = dup(fd);
    show("lseek original to 1", lseek(fd, 1, SEEK_SET));
    show("read 2 through the copy", read(copy, buffer, 2));
    printf("  got %.2s, original now at %ld\n", buffer, (long)lseek(fd, 0, SEEK_CUR));
    close(fd);
    show("copy still works", pread(copy, buffer, 3, 3));
    close(copy);
    unlink("shared.txt");

    int sv[2];
    show("socketpair", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    show("send ping", write(sv[0], "ping", 4));
    printf("poll receiving end: %#x\n", poll_one(sv[1], POLLIN | POLLOUT));
    fd_set readable;
    FD_ZERO(&readable);
    FD_SET(sv[0], &readable);
    FD_SET(sv[1], &readable);
    struct timeval zero = { 0, 0 };
    show("select readable", select(sv[1] + 1, &readable, NULL, NULL, &zero));
    printf("  sv0 %d sv1 %d\n", FD_ISSET(sv[0], &readable) != 0, FD_ISSET(sv[1], &readable) != 0);
    show("receive", read(sv[1], buffer, sizeof buffer));
    show("answer pong", write(sv[1], "pong", 4));
    show("receive answer", read(sv[0], buffer, sizeof buffer));
    printf("  got %.4s\n", buffer);
    show("lseek on socket", lseek(sv[0], 0, SEEK_SET));
    show("close one end", close(sv[1]));
    printf("poll after peer closed: %#x\n", poll_one(sv[0], POLLIN));
    show("read after peer closed", read(sv[0], buffer, 4));
    show("socketpair AF_INET", socketpair(AF_INET, SOCK_STREAM, 0, sv));
    return 0;
}
