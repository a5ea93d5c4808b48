/* Executes an AVX instruction, which the simulated Opteron 850 does not have: the guest must die with
 * SIGILL and the report must name the instruction. (Not run natively: the host may well have AVX.) */
#include <stdio.h>

int main(void)
{
    printf("before\n");
    fflush(stdout);
    __asm__ volatile("vaddps %%ymm0, %%ymm1, %%ymm2" ::: "xmm2");
    printf("after\n");
    return 0;
}
