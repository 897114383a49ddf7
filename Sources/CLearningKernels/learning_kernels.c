// Why C: Swift has no per-function target attribute, and the package builds for baseline
// x86-64 (SSE2, two doubles per instruction, no broadcast loads). These two loops are most
// of a full-batch softmax evaluation; here they are compiled twice, for baseline and for
// AVX2 (four doubles, vbroadcastsd), and the AVX2 copy is chosen at run time by cpuid.
// Both copies run the same IEEE operations in the same order on independent lanes, and
// contraction into FMA is off, so the results are bit-identical on every machine.
#include "lagrange_learning_kernels.h"
#include <stdlib.h>
#include <string.h>

#pragma clang fp contract(off)

typedef double d4 __attribute__((vector_size(32), aligned(8)));

// Macros, not functions: a d4 passed by value to a baseline function has another ABI
// than in the AVX2 copy (-Wpsabi), although both would be inlined.
#define load4(p) ({ d4 v_; memcpy(&v_, (p), sizeof v_); v_; })
#define store4(p, v) do { d4 s_ = (v); memcpy((p), &s_, sizeof s_); } while (0)

static inline __attribute__((always_inline)) void forward_body(const double *x0, const double *x1, const double *x2, const double *x3,
                                                               long d, const double *w, long kp, const double *bias, double *z) {
    for (long c = 0; c < kp; c += 4) {
        d4 b = load4(bias + c);
        d4 a0 = b, a1 = b, a2 = b, a3 = b;
        const double *wc = w + c;
        for (long j = 0; j < d; j++) {
            d4 wv = load4(wc + j * kp);
            a0 = a0 + x0[j] * wv;
            a1 = a1 + x1[j] * wv;
            a2 = a2 + x2[j] * wv;
            a3 = a3 + x3[j] * wv;
        }
        store4(z + c, a0);
        store4(z + kp + c, a1);
        store4(z + 2 * kp + c, a2);
        store4(z + 3 * kp + c, a3);
    }
}

static inline __attribute__((always_inline)) void backward_body(const double *x0, const double *x1, const double *x2, const double *x3,
                                                                long d, const double *r, long kp, double *g) {
    for (long c = 0; c < kp; c += 4) {
        d4 r0 = load4(r + c), r1 = load4(r + kp + c), r2 = load4(r + 2 * kp + c), r3 = load4(r + 3 * kp + c);
        double *gc = g + c;
        for (long j = 0; j < d; j++) {
            d4 share = (x0[j] * r0 + x1[j] * r1) + (x2[j] * r2 + x3[j] * r3);
            store4(gc + j * kp, load4(gc + j * kp) + share);
        }
    }
}

static void forward_base(const double *x0, const double *x1, const double *x2, const double *x3,
                         long d, const double *w, long kp, const double *bias, double *z) {
    forward_body(x0, x1, x2, x3, d, w, kp, bias, z);
}

static void backward_base(const double *x0, const double *x1, const double *x2, const double *x3,
                          long d, const double *r, long kp, double *g) {
    backward_body(x0, x1, x2, x3, d, r, kp, g);
}

#if defined(__x86_64__) && defined(__clang__)
#include <cpuid.h>

__attribute__((target("avx2")))
static void forward_avx2(const double *x0, const double *x1, const double *x2, const double *x3,
                         long d, const double *w, long kp, const double *bias, double *z) {
    forward_body(x0, x1, x2, x3, d, w, kp, bias, z);
}

__attribute__((target("avx2")))
static void backward_avx2(const double *x0, const double *x1, const double *x2, const double *x3,
                          long d, const double *r, long kp, double *g) {
    backward_body(x0, x1, x2, x3, d, r, kp, g);
}

/// AVX2 usable: the CPU has it (leaf 7 EBX bit 5) and the OS saves the ymm state
/// (OSXSAVE, and XCR0 bits 1 and 2).
static int has_avx2(void) {
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if (!(c & (1u << 27)) || !(c & (1u << 28))) return 0;  // OSXSAVE, AVX
    unsigned lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    if ((lo & 6u) != 6u) return 0;
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    return (b & (1u << 5)) != 0;
}

// 0: not yet decided, 1: baseline, 2: AVX2. Racing first calls both store the same value.
static int choice = 0;

static int decide(void) {
    int v = __atomic_load_n(&choice, __ATOMIC_RELAXED);
    if (v == 0) {
        // LAGRANGE_LEARNING_BASELINE set: the baseline copy (to check that both give the same bits).
        v = has_avx2() && getenv("LAGRANGE_LEARNING_BASELINE") == NULL ? 2 : 1;
        __atomic_store_n(&choice, v, __ATOMIC_RELAXED);
    }
    return v;
}

void lagrange_learning_forward4(const double *x0, const double *x1, const double *x2, const double *x3,
                                long d, const double *w, long kp, const double *bias, double *z) {
    if (decide() == 2) forward_avx2(x0, x1, x2, x3, d, w, kp, bias, z);
    else forward_base(x0, x1, x2, x3, d, w, kp, bias, z);
}

void lagrange_learning_backward4(const double *x0, const double *x1, const double *x2, const double *x3,
                                 long d, const double *r, long kp, double *g) {
    if (decide() == 2) backward_avx2(x0, x1, x2, x3, d, r, kp, g);
    else backward_base(x0, x1, x2, x3, d, r, kp, g);
}
#else
void lagrange_learning_forward4(const double *x0, const double *x1, const double *x2, const double *x3,
                                long d, const double *w, long kp, const double *bias, double *z) {
    forward_base(x0, x1, x2, x3, d, w, kp, bias, z);
}

void lagrange_learning_backward4(const double *x0, const double *x1, const double *x2, const double *x3,
                                 long d, const double *r, long kp, double *g) {
    backward_base(x0, x1, x2, x3, d, r, kp, g);
}
#endif
