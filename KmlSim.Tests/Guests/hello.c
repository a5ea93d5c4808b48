/* Hello world: libc start-up, stdio buffering, write and exit_group; the exit code is checked too. */
#include <stdio.h>

int main(int argc, char **argv)
{
    printf("Hello, world! argc=%d\n", argc);
    puts("second line");
    return 7;
}
