#ifndef LAGRANGE_LEARNING_KERNELS_H
#define LAGRANGE_LEARNING_KERNELS_H

/// Blocked dense kernels of the learning objective (LearningProblem.swift), for four
/// samples at a time and classes padded to a multiple of 4 (`kp`). Every output entry is
/// one lane summed in feature order, so the AVX2 and the baseline builds of the same
/// loops give the same bits (no FMA contraction; see learning_kernels.c).

/// z[s·kp + o] = bias[o] + Σ_j x_s[j] · w[j·kp + o] for s = 0…3, o < kp.
void lagrange_learning_forward4(const double *x0, const double *x1, const double *x2, const double *x3,
                                long d, const double *w, long kp, const double *bias, double *z);

/// g[j·kp + o] += (x0[j] r[o] + x1[j] r[kp + o]) + (x2[j] r[2kp + o] + x3[j] r[3kp + o]).
void lagrange_learning_backward4(const double *x0, const double *x1, const double *x2, const double *x3,
                                 long d, const double *r, long kp, double *g);

#endif
