// GNU extensions Swift's Glibc module does not import (sched_getcpu, CPU affinity), for ParallelLoop.
#define _GNU_SOURCE
#include "cthreads.h"
#include <sched.h>
#include <stdlib.h>

#if defined(__linux__)
struct start {
    void *(*body)(void *);
    void *context;
    cpu_set_t allowed;
};

static void *trampoline(void *argument) {
    struct start s = *(struct start *)argument;
    free(argument);
    // Placed away from the maker; now it may go anywhere the process may.
    pthread_setaffinity_np(pthread_self(), sizeof s.allowed, &s.allowed);
    return s.body(s.context);
}

int promkit_thread_start(pthread_t *thread, void *(*body)(void *), void *context) {
    struct start *s = malloc(sizeof *s);
    if (s == NULL || sched_getaffinity(0, sizeof s->allowed, &s->allowed) != 0) {
        free(s);
        return pthread_create(thread, NULL, body, context);
    }
    s->body = body;
    s->context = context;
    cpu_set_t away = s->allowed;
    int cpu = sched_getcpu();
    if (cpu >= 0) CPU_CLR(cpu, &away);
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    if (CPU_COUNT(&away) > 0) pthread_attr_setaffinity_np(&attr, sizeof away, &away);
    int status = pthread_create(thread, &attr, trampoline, s);
    pthread_attr_destroy(&attr);
    if (status != 0) free(s);
    return status;
}
#else
int promkit_thread_start(pthread_t *thread, void *(*body)(void *), void *context) {
    return pthread_create(thread, NULL, body, context);
}
#endif
