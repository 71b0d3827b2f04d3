#ifndef PROMKIT_CHASHSEED_H
#define PROMKIT_CHASHSEED_H
#include <stdint.h>

/// The seed of promkit's byte hashes, random per process (set before main): an input cannot be made of
/// labels whose hashes collide, as it could were the hashes the same in every run. PROMKIT_HASH_SEED=N fixes it
/// (a run reproduced exactly).
extern uint64_t promkit_hash_seed_value;
/// ANDed into every byte hash: all ones, except in tests that force collisions (PROMKIT_HASH_MASK=0 makes every
/// hash equal), to show that no verdict trusts a hash.
extern uint64_t promkit_hash_mask_value;

/// Read through functions, not as Swift globals: Swift 6 sees a C global as shared mutable state. Both are
/// written once, before main, and only read after.
static inline uint64_t promkit_hash_seed(void) { return promkit_hash_seed_value; }
static inline uint64_t promkit_hash_mask(void) { return promkit_hash_mask_value; }

#endif
