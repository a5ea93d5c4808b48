/* setjmp/longjmp: jumps out of nested calls with values, across frames that hold callee-saved state,
 * and repeatedly from a loop (glibc mangles the saved pointers with the AT_RANDOM-derived guard). */
#include <setjmp.h>
#include <stdio.h>

static jmp_buf outer, inner;
static volatile int depth_reached;

static void dive(int depth)
{
    depth_reached = depth;
    if (depth == 25) longjmp(inner, depth * 3);
    dive(depth + 1);
}

static int recurse_and_return(int n)
{
    if (setjmp(inner) == 0) dive(n);
    return depth_reached;
}

int main(void)
{
    volatile int count = 0;
    int value = setjmp(outer);
    count++;
    if (value < 5) longjmp(outer, value + 1);
    printf("outer loop: value=%d count=%d\n", value, count);
    int code = setjmp(inner);
    if (code == 0) dive(0);
    printf("inner: code=%d depth=%d\n", code, depth_reached);
    printf("again: %d\n", recurse_and_return(10));
    long long callee_saved = 0;
    for (volatile int i = 0; i < 1000; i++) {
        jmp_buf local;
        register long long kept = i * 7;
        if (setjmp(local) == 0) longjmp(local, 1);
        callee_saved += kept;
    }
    printf("loop: %lld\n", callee_saved);
    return 3;
}
