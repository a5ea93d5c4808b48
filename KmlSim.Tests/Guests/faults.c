/* Every exception a user program can raise, caught by one SA_SIGINFO handler that prints what Linux
   reports: the signal, si_code, si_addr, and the saved context's trap number, error code and CR2 (which
   Linux keeps from the last page fault for signals that are not page faults). The handler leaves with
   siglongjmp. With an argument it runs only the case of that name. Addresses are this static binary's own, or fixed mappings, so a native run and a simulated
   run print the same text. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#define PAGE ((char *)0x70000000)

static sigjmp_buf escape;
static char altstack[65536];
extern char ud2_at[], div_at[], idiv_at[], sse_at[], x87_at[], int3_after[], step_after[], hlt_at[];

static void report(int signal, siginfo_t *info, void *context)
{
    ucontext_t *uc = context;
    __asm__ volatile("pushf\n andl $~0x40000, (%%rsp)\n popf" ::: "cc"); /* the handler inherits AC */
    if (info->si_code == SI_TKILL) {
        printf("  signal %d code %d from itself %d trapno %lld err %#llx cr2 %#llx\n", signal, info->si_code,
               info->si_pid == getpid(), (long long)uc->uc_mcontext.gregs[REG_TRAPNO],
               (unsigned long long)uc->uc_mcontext.gregs[REG_ERR], (unsigned long long)uc->uc_mcontext.gregs[REG_CR2]);
        fflush(stdout);
        siglongjmp(escape, 1);
    }
    printf("  signal %d code %d addr %#lx trapno %lld err %#llx cr2 %#llx\n", signal, info->si_code,
           (unsigned long)info->si_addr, (long long)uc->uc_mcontext.gregs[REG_TRAPNO],
           (unsigned long long)uc->uc_mcontext.gregs[REG_ERR], (unsigned long long)uc->uc_mcontext.gregs[REG_CR2]);
    fflush(stdout);
    siglongjmp(escape, 1);
}

static const char *only; /* argv[1]: run only the case of that name */

#define CASE(name, code)                                          \
    do {                                                          \
        if (only && strcmp(only, name) != 0)                      \
            break;                                                \
        printf("%s\n", name);                                     \
        fflush(stdout);                                           \
        if (sigsetjmp(escape, 1) == 0) {                          \
            code;                                                 \
            printf("  no signal\n");                              \
        }                                                         \
    } while (0)

int main(int argc, char **argv)
{
    only = argc > 1 ? argv[1] : NULL;
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = report;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    int signals[] = {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGUSR1};
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++)
        sigaction(signals[i], &action, NULL);
    stack_t alternate = {.ss_sp = altstack, .ss_size = sizeof altstack};
    sigaltstack(&alternate, NULL);
    if (!only)
        printf("text: ud2 %p div %p idiv %p sse %p x87 %p int3 %p step %p hlt %p\n", ud2_at, div_at, idiv_at,
           sse_at, x87_at, int3_after, step_after, hlt_at);

    mmap(PAGE, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    mmap(PAGE + 4096, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    mmap(PAGE + 8192, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    PAGE[8192] = (char)0xc3;

    CASE("raise before any fault", raise(SIGUSR1));
    CASE("read unmapped", (void)*(volatile char *)16);
    CASE("write unmapped", *(volatile char *)24 = 1);
    CASE("write read-only", (void)*(volatile char *)(PAGE + 8); *(volatile char *)(PAGE + 8) = 1);
    CASE("read PROT_NONE", (void)*(volatile char *)(PAGE + 4096 + 8));
    CASE("execute no-exec", ((void (*)(void))(PAGE + 8192))());
    CASE("read kernel half", (void)*(volatile char *)0xffffffff81000000UL);
    CASE("call kernel half", ((void (*)(void))0xffffffff81000000UL)());
    CASE("read non-canonical", (void)*(volatile char *)0x0000900000000000UL);
    CASE("raise after faults", raise(SIGUSR1));
    CASE("divide by zero", __asm__ volatile("xor %%edx, %%edx\n xor %%ecx, %%ecx\n mov $7, %%eax\n"
                                            ".globl div_at\ndiv_at: div %%ecx" ::: "rax", "rcx", "rdx"));
    CASE("divide overflow", __asm__ volatile("mov $-1, %%ecx\n mov $0x80000000, %%eax\n cdq\n"
                                             ".globl idiv_at\nidiv_at: idiv %%ecx" ::: "rax", "rcx", "rdx"));
    CASE("ud2", __asm__ volatile(".globl ud2_at\nud2_at: ud2"));
    CASE("hlt", __asm__ volatile(".globl hlt_at\nhlt_at: hlt"));
    CASE("cli", __asm__ volatile("cli"));
    CASE("in al, dx", __asm__ volatile("mov $0x60, %%edx\n inb %%dx, %%al" ::: "rax", "rdx"));
    CASE("out imm8, al", __asm__ volatile("outb %%al, $0x80" ::: "rax"));
    CASE("insb", __asm__ volatile("lea -64(%%rsp), %%rdi\n mov $0x60, %%edx\n insb" ::: "rdi", "rdx", "memory"));
    CASE("outsw", __asm__ volatile("lea -64(%%rsp), %%rsi\n mov $0x60, %%edx\n outsw" ::: "rsi", "rdx"));
    CASE("int 0x81", __asm__ volatile("int $0x81"));
    CASE("int3", __asm__ volatile("int3\n .globl int3_after\nint3_after: nop"));
    CASE("popf TF", __asm__ volatile("pushf\n orq $0x100, (%%rsp)\n popf\n nop\n .globl step_after\nstep_after: nop" ::: "cc"));
    CASE("sse divide by zero unmasked", ({
        unsigned csr = 0x1f80 & ~0x200; /* unmask ZE */
        float one = 1.0f, zero = 0.0f;
        __asm__ volatile("ldmxcsr %0\n movss %1, %%xmm0\n .globl sse_at\nsse_at: divss %2, %%xmm0"
                         :: "m"(csr), "m"(one), "m"(zero) : "xmm0");
    }));
    unsigned restore_csr = 0x1f80;
    __asm__ volatile("ldmxcsr %0" :: "m"(restore_csr));
    CASE("x87 divide by zero unmasked", ({
        unsigned short cw = 0x037f & ~0x4; /* unmask ZE */
        double one = 1.0, zero = 0.0;
        __asm__ volatile("fnclex\n fldcw %0\n fldl %1\n fdivl %2\n .globl x87_at\nx87_at: fwait\n fstp %%st(0)"
                         :: "m"(cw), "m"(one), "m"(zero));
    }));
    __asm__ volatile("fninit");
    CASE("alignment check", __asm__ volatile("pushf\n orl $0x40000, (%%rsp)\n popf\n mov 1(%%rsp), %%eax\n"
                                             "pushf\n andl $~0x40000, (%%rsp)\n popf" ::: "rax", "cc"));
    CASE("stack non-canonical", __asm__ volatile("mov %%rsp, %%rbx\n mov $0x0000900000000000, %%rsp\n push %%rax\n mov %%rbx, %%rsp" ::: "rbx"));
    CASE("raise at the end", raise(SIGUSR1));
    return 0;
}
