/* The thread system calls one by one, through raw futex(2) and friends, with results that do not depend
   on scheduling: futex timeouts and errors, CMP_REQUEUE, WAKE_OP, the PI lock operations, a robust
   mutex whose owner died, a per-thread alternate signal stack with tgkill, per-thread CPU clocks and
   RUSAGE_THREAD, affinity and getcpu, and at the end a thread's exit_group deciding the exit status. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long futex(uint32_t *word, int op, uint32_t value, const void *timeout_or_value2, uint32_t *word2, uint32_t value3)
{
    long r = syscall(SYS_futex, word, op, value, timeout_or_value2, word2, value3);
    return r < 0 ? -errno : r;
}

static const char *result(long r)
{
    static char text[32];
    switch (r) {
    case -EAGAIN: return "EAGAIN";
    case -ETIMEDOUT: return "ETIMEDOUT";
    case -EINVAL: return "EINVAL";
    case -ENOSYS: return "ENOSYS";
    case -EPERM: return "EPERM";
    case -EDEADLK: return "EDEADLK";
    default: snprintf(text, sizeof text, "%ld", r); return text;
    }
}

static void pause_a_little(void)
{
    struct timespec t = {0, 20 * 1000 * 1000};
    nanosleep(&t, NULL);
}

static uint32_t queue_a, queue_b;
static int asleep;

static void *waiter(void *arg)
{
    (void)arg;
    __atomic_add_fetch(&asleep, 1, __ATOMIC_SEQ_CST);
    long r = futex(&queue_a, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    return (void *)r;
}

static uint32_t op_word, op_target;

static void *op_waiter(void *arg)
{
    (void)arg;
    return (void *)futex(&op_target, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
}

static uint32_t pi_word;
static int pi_locked;

static void *pi_owner(void *arg)
{
    (void)arg;
    long r = futex(&pi_word, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
    __atomic_store_n(&pi_locked, 1, __ATOMIC_SEQ_CST);
    while (__atomic_load_n(&pi_locked, __ATOMIC_SEQ_CST) == 1)
        sched_yield();
    long u = futex(&pi_word, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
    return (void *)(r * 10 + u);
}

static pthread_mutex_t pi_mutex;
static long pi_counter;

static void *pi_worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < 300; i++) {
        pthread_mutex_lock(&pi_mutex);
        long v = pi_counter;
        if (i % 50 == 0)
            sched_yield();
        pi_counter = v + 1;
        pthread_mutex_unlock(&pi_mutex);
    }
    return NULL;
}

static pthread_mutex_t robust;

static void *robust_owner(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&robust);
    return NULL; /* ends holding it */
}

static char *alt_stack;
static volatile int on_alt_stack;
static volatile pid_t handler_tid;

static void on_usr2(int sig)
{
    (void)sig;
    char here;
    on_alt_stack = &here >= alt_stack && &here < alt_stack + SIGSTKSZ * 4;
    handler_tid = (pid_t)syscall(SYS_gettid);
}

static volatile int alt_ready, alt_done;
static pid_t alt_tid;

static void *alt_thread(void *arg)
{
    (void)arg;
    stack_t ss = {.ss_sp = alt_stack, .ss_size = SIGSTKSZ * 4, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    alt_tid = (pid_t)syscall(SYS_gettid);
    alt_ready = 1;
    while (!alt_done)
        sched_yield();
    stack_t now;
    sigaltstack(NULL, &now);
    return (void *)(long)(now.ss_sp == alt_stack);
}

static void *spinner(void *arg)
{
    (void)arg;
    volatile long x = 0;
    for (long i = 0; i < 3000000; i++)
        x += i;
    struct timespec own;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &own);
    struct rusage usage;
    return (void *)(long)((own.tv_sec > 0 || own.tv_nsec > 0) * 2 + (getrusage(RUSAGE_THREAD, &usage) == 0));
}

static void *ender(void *arg)
{
    (void)arg;
    pause_a_little();
    syscall(SYS_exit_group, 3);
    return NULL;
}

int main(void)
{
    uint32_t word = 1;
    struct timespec ten_ms = {0, 10 * 1000 * 1000}, past = {1, 0};
    printf("wait on a changed word: %s\n", result(futex(&word, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0)));
    printf("wait 10 ms: %s\n", result(futex(&word, FUTEX_WAIT_PRIVATE, 1, &ten_ms, NULL, 0)));
    printf("wait_bitset until a past monotonic time: %s\n", result(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 1, &past, NULL, FUTEX_BITSET_MATCH_ANY)));
    printf("wait_bitset until a past realtime: %s\n", result(futex(&word, FUTEX_WAIT_BITSET_PRIVATE | FUTEX_CLOCK_REALTIME, 1, &past, NULL, FUTEX_BITSET_MATCH_ANY)));
    printf("wait_bitset with an empty bitset: %s\n", result(futex(&word, FUTEX_WAIT_BITSET_PRIVATE, 1, NULL, NULL, 0)));
    printf("wake with nobody waiting: %s\n", result(futex(&word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0)));
    printf("wake with CLOCK_REALTIME: %s\n", result(futex(&word, FUTEX_WAKE_PRIVATE | FUTEX_CLOCK_REALTIME, 1, NULL, NULL, 0)));
    printf("misaligned word: %s\n", result(futex((uint32_t *)((char *)&word + 1), FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0)));

    pthread_t waiters[3];
    for (int i = 0; i < 3; i++)
        pthread_create(&waiters[i], NULL, waiter, NULL);
    while (__atomic_load_n(&asleep, __ATOMIC_SEQ_CST) < 3)
        sched_yield();
    pause_a_little();
    printf("cmp_requeue with a stale value: %s\n", result(futex(&queue_a, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)2L, &queue_b, 9)));
    printf("cmp_requeue: %s\n", result(futex(&queue_a, FUTEX_CMP_REQUEUE_PRIVATE, 1, (void *)2L, &queue_b, 0)));
    printf("wake on the second word: %s\n", result(futex(&queue_b, FUTEX_WAKE_PRIVATE, 10, NULL, NULL, 0)));
    long woken = 0;
    for (int i = 0; i < 3; i++) {
        void *r;
        pthread_join(waiters[i], &r);
        woken += (long)r == 0;
    }
    printf("waiters that returned 0: %ld\n", woken);

    pthread_t op_thread;
    pthread_create(&op_thread, NULL, op_waiter, NULL);
    pause_a_little();
    uint32_t op = FUTEX_OP(FUTEX_OP_ADD, 5, FUTEX_OP_CMP_EQ, 0);
    printf("wake_op: %s\n", result(futex(&op_word, FUTEX_WAKE_OP_PRIVATE, 1, (void *)1L, &op_target, op)));
    void *op_result;
    pthread_join(op_thread, &op_result);
    printf("wake_op target now %u, waiter got %ld\n", op_target, (long)op_result);

    pthread_t owner;
    pthread_create(&owner, NULL, pi_owner, NULL);
    while (__atomic_load_n(&pi_locked, __ATOMIC_SEQ_CST) == 0)
        sched_yield();
    printf("trylock_pi on a held lock: %s\n", result(futex(&pi_word, FUTEX_TRYLOCK_PI_PRIVATE, 0, NULL, NULL, 0)));
    printf("unlock_pi by a non-owner: %s\n", result(futex(&pi_word, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0)));
    __atomic_store_n(&pi_locked, 2, __ATOMIC_SEQ_CST);
    void *owner_result;
    pthread_join(owner, &owner_result);
    printf("pi owner lock and unlock: %ld, word now %u\n", (long)owner_result, pi_word);
    long pi = futex(&pi_word, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0);
    printf("lock_pi on a free word: %s, held by me: %s\n", result(pi), pi_word == (uint32_t)syscall(SYS_gettid) ? "yes" : "no");
    printf("lock_pi again: %s\n", result(futex(&pi_word, FUTEX_LOCK_PI_PRIVATE, 0, NULL, NULL, 0)));
    pi = futex(&pi_word, FUTEX_UNLOCK_PI_PRIVATE, 0, NULL, NULL, 0);
    printf("unlock_pi: %s, word now %u\n", result(pi), pi_word);

    pthread_mutexattr_t attr;
    pthread_mutexattr_init(&attr);
    pthread_mutexattr_setprotocol(&attr, PTHREAD_PRIO_INHERIT);
    pthread_mutex_init(&pi_mutex, &attr);
    pthread_t pi_threads[4];
    for (int i = 0; i < 4; i++)
        pthread_create(&pi_threads[i], NULL, pi_worker, NULL);
    for (int i = 0; i < 4; i++)
        pthread_join(pi_threads[i], NULL);
    printf("priority-inheritance mutex counter %ld\n", pi_counter);

    pthread_mutexattr_init(&attr);
    pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
    pthread_mutex_init(&robust, &attr);
    pthread_t robust_thread;
    pthread_create(&robust_thread, NULL, robust_owner, NULL);
    pthread_join(robust_thread, NULL);
    int locked = pthread_mutex_lock(&robust);
    printf("robust mutex after its owner died: %s\n", locked == EOWNERDEAD ? "EOWNERDEAD" : "other");
    pthread_mutex_consistent(&robust);
    pthread_mutex_unlock(&robust);

    alt_stack = malloc(SIGSTKSZ * 4);
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_usr2;
    action.sa_flags = SA_ONSTACK;
    sigaction(SIGUSR2, &action, NULL);
    pthread_t alt;
    pthread_create(&alt, NULL, alt_thread, NULL);
    while (!alt_ready)
        sched_yield();
    syscall(SYS_tgkill, getpid(), alt_tid, SIGUSR2);
    while (handler_tid == 0)
        sched_yield();
    alt_done = 1;
    void *kept;
    pthread_join(alt, &kept);
    stack_t main_stack;
    sigaltstack(NULL, &main_stack);
    printf("tgkill handled by its thread: %s, on its alternate stack: %s, which it kept: %s, main has none: %s\n",
           handler_tid == alt_tid ? "yes" : "no", on_alt_stack ? "yes" : "no", (long)kept ? "yes" : "no", (main_stack.ss_flags & SS_DISABLE) ? "yes" : "no");
    printf("tgkill to a missing thread: %s\n", syscall(SYS_tgkill, getpid(), 999999, 0) == -1 && errno == ESRCH ? "ESRCH" : "other");

    pthread_t spin;
    pthread_create(&spin, NULL, spinner, NULL);
    void *clocks;
    pthread_join(spin, &clocks);
    printf("thread CPU clock ran: %s, RUSAGE_THREAD: %s\n", ((long)clocks & 2) ? "yes" : "no", ((long)clocks & 1) ? "yes" : "no");

    cpu_set_t set;
    CPU_ZERO(&set);
    int got = sched_getaffinity(0, sizeof set, &set);
    printf("sched_getaffinity: %s\n", got == 0 && CPU_COUNT(&set) > 0 ? "ok" : "failed");
    printf("sched_setaffinity to that mask: %s\n", sched_setaffinity(0, sizeof set, &set) == 0 ? "ok" : "failed");
    unsigned cpu = 99999, node = 99999;
    long gotcpu = syscall(SYS_getcpu, &cpu, &node, NULL);
    printf("getcpu: %s, a CPU of the mask: %s\n", gotcpu == 0 ? "ok" : "failed", CPU_ISSET(cpu, &set) ? "yes" : "no");
    printf("sched_yield: %d\n", sched_yield());

    fflush(stdout);
    pthread_t last;
    pthread_create(&last, NULL, ender, NULL);
    pthread_join(last, NULL); /* never returns: the thread's exit_group(3) ends the process */
    return 0;
}
