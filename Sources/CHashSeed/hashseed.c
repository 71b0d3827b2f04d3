#include "chashseed.h"
#include <stdlib.h>
#if defined(__linux__)
#include <sys/random.h>
#endif
#include <time.h>
#include <unistd.h>

uint64_t promkit_hash_seed_value = 0x9E3779B97F4A7C15ull;
uint64_t promkit_hash_mask_value = ~0ull;

__attribute__((constructor)) static void promkit_hash_seed_init(void) {
    const char *fixed = getenv("PROMKIT_HASH_SEED");
    uint64_t seed = 0;
    if (fixed != NULL && *fixed != 0) {
        seed = strtoull(fixed, NULL, 0);
    } else {
#if defined(__linux__)
        if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) == (ssize_t)sizeof seed) goto seeded;
#else
        arc4random_buf(&seed, sizeof seed);
        goto seeded;
#endif
        // No entropy yet (early boot): the clock and the process id still differ from run to run.
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        seed = ((uint64_t)now.tv_nsec << 32) ^ (uint64_t)now.tv_sec ^ ((uint64_t)getpid() << 16);
    }
seeded:
    promkit_hash_seed_value ^= seed;
    const char *mask = getenv("PROMKIT_HASH_MASK");
    if (mask != NULL && *mask != 0) promkit_hash_mask_value = strtoull(mask, NULL, 0);
}
