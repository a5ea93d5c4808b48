/* Threads: 8 pthreads sharing a mutex, a condition variable, a barrier and a read-write lock under
   contention, thread-local storage, a cancelled thread, a detached thread, and a process-directed
   signal that only one thread leaves unblocked; then, with a thread still blocked, execve of this program,
   which ends the other threads and keeps the process id. Everything printed is a total or a fact that does not
   depend on how the threads were scheduled, so the output equals the native run's. */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#define THREADS 8
#define ROUNDS 2000

static pthread_mutex_t counter_lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static pthread_rwlock_t table_lock = PTHREAD_RWLOCK_INITIALIZER;
static long table[16];
static long reads_seen;
static pthread_barrier_t barrier;
static pthread_mutex_t queue_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t queue_nonempty = PTHREAD_COND_INITIALIZER;
static pthread_cond_t queue_nonfull = PTHREAD_COND_INITIALIZER;
static int queue[4], queue_count, queue_head;
static long consumed_sum;
static __thread long tls_value;
static volatile sig_atomic_t signal_tid;
static int signal_thread_tid;
static pthread_mutex_t ready_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ready_cond = PTHREAD_COND_INITIALIZER;
static int signal_thread_ready;
static int detached_done;
static pthread_cond_t detached_cond = PTHREAD_COND_INITIALIZER;
static int cancel_pipe[2];

static void on_usr1(int sig)
{
    (void)sig;
    signal_tid = (sig_atomic_t)syscall(SYS_gettid);
}

static void push(int value)
{
    pthread_mutex_lock(&queue_lock);
    while (queue_count == 4)
        pthread_cond_wait(&queue_nonfull, &queue_lock);
    queue[(queue_head + queue_count++) % 4] = value;
    pthread_cond_signal(&queue_nonempty);
    pthread_mutex_unlock(&queue_lock);
}

static int pop(void)
{
    pthread_mutex_lock(&queue_lock);
    while (queue_count == 0)
        pthread_cond_wait(&queue_nonempty, &queue_lock);
    int value = queue[queue_head];
    queue_head = (queue_head + 1) % 4;
    queue_count--;
    pthread_cond_signal(&queue_nonfull);
    pthread_mutex_unlock(&queue_lock);
    return value;
}

static void *worker(void *arg)
{
    long id = (long)arg;
    tls_value = id * 1000;
    for (int i = 0; i < ROUNDS; i++) {
        pthread_mutex_lock(&counter_lock);
        long seen = counter;
        if (i % 64 == 0)
            sched_yield(); /* hold the lock across a switch now and then: real contention */
        counter = seen + 1;
        pthread_mutex_unlock(&counter_lock);
        tls_value++;
    }
    pthread_barrier_wait(&barrier);
    for (int i = 0; i < ROUNDS / 4; i++) {
        if (i % 8 == id % 8) {
            pthread_rwlock_wrlock(&table_lock);
            table[(id + i) % 16] += 1;
            pthread_rwlock_unlock(&table_lock);
        } else {
            pthread_rwlock_rdlock(&table_lock);
            long sum = 0;
            for (int k = 0; k < 16; k++)
                sum += table[k];
            __atomic_add_fetch(&reads_seen, sum >= 0, __ATOMIC_RELAXED);
            pthread_rwlock_unlock(&table_lock);
        }
    }
    pthread_barrier_wait(&barrier);
    if (id < 4) {
        for (int v = 1; v <= 100; v++)
            push((int)(id * 100 + v));
    } else {
        long sum = 0;
        for (int n = 0; n < 100; n++)
            sum += pop();
        pthread_mutex_lock(&queue_lock);
        consumed_sum += sum;
        pthread_mutex_unlock(&queue_lock);
    }
    pthread_barrier_wait(&barrier);
    return (void *)(tls_value - id * 1000);
}

static void *signal_thread(void *arg)
{
    (void)arg;
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    signal_thread_tid = (int)syscall(SYS_gettid);
    pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
    pthread_mutex_lock(&ready_lock);
    signal_thread_ready = 1;
    pthread_cond_signal(&ready_cond);
    pthread_mutex_unlock(&ready_lock);
    while (signal_tid == 0)
        pause();
    return NULL;
}

static void *cancelled_thread(void *arg)
{
    (void)arg;
    char byte;
    read(cancel_pipe[0], &byte, 1); /* a cancellation point that blocks forever */
    return (void *)1;
}

static void *detached_thread(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&ready_lock);
    detached_done = 1;
    pthread_cond_signal(&detached_cond);
    pthread_mutex_unlock(&ready_lock);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc == 3) {
        printf("exec'd from a threaded process, same pid: %s\n", getpid() == atoi(argv[2]) ? "yes" : "no");
        return 7;
    }

    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &usr1, NULL); /* every thread made from here on blocks it too */
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_usr1;
    sigaction(SIGUSR1, &action, NULL);
    if (pipe(cancel_pipe) != 0)
        return 2;

    pthread_barrier_init(&barrier, NULL, THREADS);
    pthread_t workers[THREADS];
    for (long i = 0; i < THREADS; i++)
        if (pthread_create(&workers[i], NULL, worker, (void *)i) != 0)
            return 3;

    pthread_t sig_thread, cancel_thread, detached;
    pthread_create(&sig_thread, NULL, signal_thread, NULL);
    pthread_create(&cancel_thread, NULL, cancelled_thread, NULL);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_create(&detached, &attr, detached_thread, NULL);

    long tls_total = 0;
    for (int i = 0; i < THREADS; i++) {
        void *result;
        pthread_join(workers[i], &result);
        tls_total += (long)result;
    }
    printf("counter %ld (expected %d)\n", counter, THREADS * ROUNDS);
    long table_sum = 0;
    for (int k = 0; k < 16; k++)
        table_sum += table[k];
    printf("rwlock writes %ld, reads %ld\n", table_sum, reads_seen);
    printf("queue consumed %ld\n", consumed_sum);
    printf("thread-local increments %ld\n", tls_total);
    printf("main's thread-local value %ld\n", tls_value);

    pthread_mutex_lock(&ready_lock);
    while (!signal_thread_ready)
        pthread_cond_wait(&ready_cond, &ready_lock);
    while (!detached_done)
        pthread_cond_wait(&detached_cond, &ready_lock);
    pthread_mutex_unlock(&ready_lock);
    printf("detached thread ran\n");

    kill(getpid(), SIGUSR1); /* process-directed: only the signal thread may take it */
    pthread_join(sig_thread, NULL);
    printf("SIGUSR1 handled by the unblocking thread: %s\n", signal_tid == signal_thread_tid ? "yes" : "no");

    pthread_cancel(cancel_thread);
    void *cancel_result;
    pthread_join(cancel_thread, &cancel_result);
    printf("cancelled: %s\n", cancel_result == PTHREAD_CANCELED ? "yes" : "no");
    printf("main tid is pid: %s\n", syscall(SYS_gettid) == getpid() ? "yes" : "no");

    pthread_t blocked;
    pthread_create(&blocked, NULL, cancelled_thread, NULL); /* still blocked in read at the execve */
    char pid[16];
    snprintf(pid, sizeof pid, "%d", getpid());
    char *args[] = {argv[0], "again", pid, NULL};
    fflush(stdout);
    execv(argv[0], args);
    return 2;
}
