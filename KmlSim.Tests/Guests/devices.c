/* Writes to the memory devices, compared with a native run: /dev/null and /dev/zero throw the data away
   without reading it (write_null), so any user address succeeds and only a kernel address fails with
   EFAULT (vfs_write's access_ok); /dev/urandom reads what it is given, so an unmapped buffer faults.
   Reads: /dev/null ends at once, /dev/zero fills with zeros. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void show(const char *what, long result)
{
    if (result < 0)
        printf("%-40s -> -1 errno %d (%s)\n", what, errno, strerror(errno));
    else
        printf("%-40s -> %ld\n", what, result);
}

int main(void)
{
    int null = open("/dev/null", O_RDWR), zero = open("/dev/zero", O_RDWR), urandom = open("/dev/urandom", O_WRONLY);
    char buffer[16];
    void *unmapped = (void *)0x1000, *kernel = (void *)0xffff800000000000UL;

    show("write /dev/null, buffer", write(null, "data", 4));
    show("write /dev/null, unmapped buffer", write(null, unmapped, 10));
    show("write /dev/null, kernel address", write(null, kernel, 10));
    show("write /dev/zero, unmapped buffer", write(zero, unmapped, 10));
    show("write /dev/urandom, unmapped buffer", write(urandom, unmapped, 10));
    show("read /dev/null", read(null, buffer, sizeof buffer));
    memset(buffer, 'x', sizeof buffer);
    long got = read(zero, buffer, sizeof buffer);
    show("read /dev/zero", got);
    printf("zeros: %d\n", got == sizeof buffer && buffer[0] == 0 && buffer[15] == 0);
    return 0;
}
