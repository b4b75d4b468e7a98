/*
 * The pthread port: one heap shared by threads stays consistent, and a
 * process that forks while another thread is busy in the heap can use the
 * heap in the child (the lock is not left held there). Built with
 * ports/pthread, not the counting port.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ealloc/tlsf.h>

static ea_tlsf_t heap = EA_TLSF_EMPTY;
static _Alignas(max_align_t) unsigned char region[256 * 1024];
static atomic_int stop;

static void *churn(void *arg)
{
    (void)arg;
    unsigned n = 0;
    while (!atomic_load(&stop)) {
        void *p = ea_tlsf_alloc(&heap, 16 + n++ % 500);
        ea_tlsf_free(&heap, p);
    }
    return NULL;
}

int main(void)
{
    ea_tlsf_init(&heap, region, sizeof region);
    pthread_t threads[2];
    for (int i = 0; i < 2; i++) {
        if (pthread_create(&threads[i], NULL, churn, NULL) != 0) {
            puts("pthread port: cannot start threads");
            return 1;
        }
    }
    int failed = 0;
    for (int round = 0; round < 20; round++) {
        pid_t child = fork();
        if (child == 0) {
            /* The child has one thread; the heap must be usable and consistent. */
            void *p = ea_tlsf_alloc(&heap, 1000);
            int ok = p != NULL && ea_tlsf_check(&heap) == 0;
            ea_tlsf_free(&heap, p);
            _exit(ok ? 0 : 1);
        }
        int status = 0;
        if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            failed++;
        }
    }
    atomic_store(&stop, 1);
    for (int i = 0; i < 2; i++) {
        (void)pthread_join(threads[i], NULL);
    }
    if (ea_tlsf_check(&heap) != 0 || ea_tlsf_used(&heap) != 0) {
        failed++;
    }
    printf("pthread port: %d passed, %d failed\n", 21 - failed, failed);
    return failed != 0;
}
