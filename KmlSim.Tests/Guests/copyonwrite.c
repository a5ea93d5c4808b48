/* fork shares memory copy-on-write: after the fork, parent and child each change globals, the heap, the
   stack and an anonymous mapping (the child also through the kernel: read() from a pipe into a global),
   and each sees only its own changes. A child that only reads sees the parent's values at the fork. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static int global_values[2048] = { 1 };
static char global_buffer[64] = "parent's buffer";

static long sum(const int *values, int count)
{
    long total = 0;
    for (int i = 0; i < count; i++) {
        total += values[i] * (i + 1);
    }
    return total;
}

int main(void)
{
    int stack_values[512];
    int *heap_values = malloc(4096 * sizeof(int));
    int *mapped = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    for (int i = 0; i < 512; i++) stack_values[i] = i;
    for (int i = 0; i < 4096; i++) heap_values[i] = 3 * i;
    for (int i = 0; i < 2048; i++) mapped[i] = 7 * i;
    for (int i = 1; i < 2048; i++) global_values[i] = i % 13;

    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) return 10;
    if (write(pipe_fds[1], "written by read()", 18) != 18) return 11;

    pid_t reader = fork();
    if (reader == 0) {
        printf("reader: %ld %ld %ld %ld %s\n", sum(global_values, 2048), sum(stack_values, 512),
               sum(heap_values, 4096), sum(mapped, 2048), global_buffer);
        fflush(stdout);
        _exit(0);
    }
    waitpid(reader, NULL, 0);

    pid_t writer = fork();
    if (writer == 0) {
        for (int i = 0; i < 2048; i++) global_values[i] += 1000;
        for (int i = 0; i < 512; i++) stack_values[i] = -i;
        for (int i = 0; i < 4096; i += 2) heap_values[i] = 1;
        mapped[100] = 123456;
        if (read(pipe_fds[0], global_buffer, 18) != 18) _exit(12);
        printf("child: %ld %ld %ld %ld %s\n", sum(global_values, 2048), sum(stack_values, 512),
               sum(heap_values, 4096), sum(mapped, 2048), global_buffer);
        fflush(stdout);
        _exit(0);
    }
    /* the parent writes too, possibly before the child has run */
    global_values[5] = 55;
    mapped[1] = -1;
    int status = 0;
    waitpid(writer, &status, 0);
    printf("parent: %ld %ld %ld %ld %s (child status %d)\n", sum(global_values, 2048), sum(stack_values, 512),
           sum(heap_values, 4096), sum(mapped, 2048), global_buffer, status);
    return 0;
}
