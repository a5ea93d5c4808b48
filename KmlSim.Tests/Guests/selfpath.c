/* Prints the three names a program has for itself: argv[0], AT_EXECFN and the /proc/self/exe link. */
#include <stdio.h>
#include <sys/auxv.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n < 0 ? 0 : n] = '\0';
    printf("argv[0] %s\nAT_EXECFN %s\n/proc/self/exe %s\n", argc > 0 ? argv[0] : "", (const char *)getauxval(AT_EXECFN), exe);
    return 0;
}
