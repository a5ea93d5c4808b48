/* Directories compared with a native run: mkdir, chdir, getcwd, openat relative to a directory
   descriptor, listing with readdir (getdents64), symlinks and readlink. Only the part of each path
   below the starting directory is printed, so the outputs compare. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char start[4096];

static void show(const char *what, long result)
{
    if (result < 0)
        printf("%-30s -> -1 errno %d (%s)\n", what, errno, strerror(errno));
    else
        printf("%-30s -> %ld\n", what, result);
}

static void where(void)
{
    char cwd[4096];
    if (getcwd(cwd, sizeof cwd) == NULL)
        show("getcwd", -1);
    else
        printf("cwd: .%s\n", cwd + strlen(start));
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list(const char *path)
{
    DIR *d = opendir(path);
    if (d == NULL)
    {
        show("opendir", -1);
        return;
    }
    char *names[64];
    int count = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && count < 64)
    {
        char *line = malloc(300);
        snprintf(line, 300, "%s (type %d)", e->d_name, e->d_type);
        names[count++] = line;
    }
    closedir(d);
    qsort(names, count, sizeof names[0], by_name);
    printf("listing of %s:", path);
    for (int i = 0; i < count; i++)
    {
        printf(" [%s]", names[i]);
        free(names[i]);
    }
    printf("\n");
}

int main(void)
{
    char buffer[256];
    umask(022);
    for (int inherited = 3; inherited < 1024; inherited++) /* a native run may inherit the test host's descriptors */
        close(inherited);
    getcwd(start, sizeof start);
    show("mkdir top", mkdir("top", 0755));
    show("chdir top", chdir("top"));
    where();
    close(open("b.txt", O_CREAT | O_WRONLY, 0644));
    int a = open("a.txt", O_CREAT | O_WRONLY, 0600);
    write(a, "alpha", 5);
    close(a);
    show("mkdir sub", mkdir("sub", 0700));
    show("symlink link -> a.txt", symlink("a.txt", "link"));
    show("symlink dangling", symlink("nowhere", "dangling"));
    list(".");
    long n = readlink("link", buffer, sizeof buffer);
    show("readlink link", n);
    printf("  target %.*s\n", (int)(n > 0 ? n : 0), buffer);
    show("readlink of a file", readlink("a.txt", buffer, sizeof buffer));
    struct stat st;
    show("stat through link", stat("link", &st));
    printf("  size %lld regular %d\n", (long long)st.st_size, S_ISREG(st.st_mode));
    show("lstat link", lstat("link", &st));
    printf("  symlink %d size %lld\n", S_ISLNK(st.st_mode), (long long)st.st_size);
    show("open dangling", open("dangling", O_RDONLY));
    show("open link O_NOFOLLOW", open("link", O_RDONLY | O_NOFOLLOW));

    int dir = open("sub", O_RDONLY | O_DIRECTORY);
    show("open sub O_DIRECTORY", dir >= 0 ? 0 : -1);
    int inside = openat(dir, "c.txt", O_CREAT | O_WRONLY, 0644);
    show("openat sub/c.txt", inside >= 0 ? 0 : -1);
    close(inside);
    show("fstatat sub c.txt", fstatat(dir, "c.txt", &st, 0));
    show("faccessat", faccessat(dir, "c.txt", W_OK, 0));
    show("mkdirat sub/deeper", mkdirat(dir, "deeper", 0755));
    show("renameat a.txt -> sub/a.txt", renameat(AT_FDCWD, "a.txt", dir, "a.txt"));
    show("stat link after move", stat("link", &st));
    list("sub");
    show("read a directory", read(dir, buffer, 1));
    show("fchdir sub", fchdir(dir));
    where();
    show("chdir deeper", chdir("deeper"));
    where();
    show("chdir ../..", chdir("../.."));
    where();
    show("chdir ./sub/../sub/.", chdir("./sub/../sub/."));
    where();
    show("chdir ..", chdir(".."));
    show("chdir missing", chdir("missing"));
    show("chdir a file", chdir("b.txt"));
    show("getcwd small buffer", getcwd(buffer, 2) == NULL ? -1 : 0);
    show("rename dir into itself", rename("sub", "sub/deeper/sub"));
    show("rmdir non-empty", rmdir("sub"));
    show("unlinkat sub/c.txt", unlinkat(dir, "c.txt", 0));
    show("unlinkat sub/a.txt", unlinkat(dir, "a.txt", 0));
    show("unlinkat sub/deeper rmdir", unlinkat(dir, "deeper", AT_REMOVEDIR));
    close(dir);
    show("rmdir sub", rmdir("sub"));
    show("unlink b.txt", unlink("b.txt"));
    show("unlink link", unlink("link"));
    show("unlink dangling", unlink("dangling"));
    list(".");
    show("chdir ..", chdir(".."));
    show("rmdir top", rmdir("top"));
    where();
    return 0;
}
