/* An ordinary (ring-3) process under KML tries to get a program of its own into /trusted, whose programs
   run in ring 0: every way of creating, replacing, moving or removing something there. Each attempt
   prints its result and errno. /trusted belongs to root and the process runs as an ordinary user, so
   Linux refuses them all (EEXIST, EACCES, EPERM); its own files in the working directory still work. With an argument, it also tries to overwrite and
   remove that file (one the host placed under /trusted). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void show(const char *what, int result)
{
    printf("%s: %d %s\n", what, result, result < 0 ? strerrorname_np(errno) : "");
}

int main(int argc, char **argv)
{
    struct stat st;
    show("stat /trusted", stat("/trusted", &st));
    printf("owner %u mode %o\n", st.st_uid, st.st_mode & 07777);
    show("mkdir /trusted", mkdir("/trusted", 0755));
    show("mkdir /trusted/bin2", mkdir("/trusted/bin2", 0755));
    show("creat /trusted/evil", open("/trusted/evil", O_CREAT | O_WRONLY, 0755));
    show("rmdir /trusted", rmdir("/trusted"));
    show("rename /trusted away", rename("/trusted", "/elsewhere"));
    show("mkdir /mine", mkdir("/mine", 0755));
    show("rename /mine over /trusted", rename("/mine", "/trusted"));
    int fd = open("/evil", O_CREAT | O_WRONLY, 0755);
    show("creat /evil", fd < 0 ? fd : 0);
    close(fd);
    show("rename /evil into /trusted", rename("/evil", "/trusted/evil"));
    show("symlink into /trusted", symlink("/evil", "/trusted/evil"));
    int dir = open("/trusted", O_RDONLY | O_DIRECTORY);
    show("fchown /trusted to me", fchown(dir, getuid(), getgid()));
    show("fchown /trusted unchanged", fchown(dir, -1, -1));
    show("unlink /evil", unlink("/evil"));
    show("rmdir /mine", rmdir("/mine"));
    if (argc > 1) { /* a program the host placed under /trusted */
        show("open it for writing", open(argv[1], O_WRONLY));
        show("unlink it", unlink(argv[1]));
    }
    return 0;
}
