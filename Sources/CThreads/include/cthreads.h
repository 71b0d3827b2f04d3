#ifndef PROMKIT_CTHREADS_H
#define PROMKIT_CTHREADS_H
#include <pthread.h>

/// Starts a thread running `body(context)`, first placed on a CPU other than the caller's, then free to run
/// on any CPU the process may use. On Linux a new thread otherwise tends to wait on its busy maker's CPU
/// for the scheduler to move it (1-3 ms measured on a 2-vCPU machine). Returns pthread_create's status.
int promkit_thread_start(pthread_t *thread, void *(*body)(void *), void *context);

#endif
