/* The C tests' checks: each counts a pass or prints the failure and counts it. */
#ifndef BATON_TEST_CHECK_H
#define BATON_TEST_CHECK_H

#include <stdio.h>

#include "baton.h"

extern int passed;
extern int failed;

#define CHECK(condition)                                                                                     \
    do {                                                                                                     \
        if (condition) {                                                                                     \
            passed++;                                                                                        \
        } else {                                                                                             \
            failed++;                                                                                        \
            fprintf(stderr, "FAILED %s:%d: %s\n", __FILE__, __LINE__, #condition);                          \
        }                                                                                                    \
    } while (0)

#define CHECK_CODE(expected, actual)                                                                         \
    do {                                                                                                     \
        long long got_ = (long long)(actual);                                                                \
        if (got_ == (long long)(expected)) {                                                                 \
            passed++;                                                                                        \
        } else {                                                                                             \
            failed++;                                                                                        \
            fprintf(stderr, "FAILED %s:%d: %s: expected %s, got %lld (%s)\n", __FILE__, __LINE__, #actual,   \
                    #expected, got_, baton_strerror((int)got_));                                             \
        }                                                                                                    \
    } while (0)

/* test_parts.c: the slab and the rings driven alone, over plain buffers. */
void test_parts_alone(void);

#endif
