#include <gsl/gsl_errno.h>
#include <gsl/gsl_vector.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_multiroots.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_blas.h>
#include <gsl/gsl_eigen.h>

/* Accessors for GSL's solver-type globals: Swift 6 rejects direct references to mutable C
   globals as not concurrency-safe; these are written once by GSL and only read. */
static inline const gsl_multimin_fdfminimizer_type *lagrange_gsl_fdfminimizer_vector_bfgs2(void) { return gsl_multimin_fdfminimizer_vector_bfgs2; }
static inline const gsl_multimin_fdfminimizer_type *lagrange_gsl_fdfminimizer_conjugate_fr(void) { return gsl_multimin_fdfminimizer_conjugate_fr; }
static inline const gsl_multimin_fdfminimizer_type *lagrange_gsl_fdfminimizer_conjugate_pr(void) { return gsl_multimin_fdfminimizer_conjugate_pr; }
static inline const gsl_multimin_fdfminimizer_type *lagrange_gsl_fdfminimizer_steepest_descent(void) { return gsl_multimin_fdfminimizer_steepest_descent; }
static inline const gsl_multimin_fminimizer_type *lagrange_gsl_fminimizer_nmsimplex2(void) { return gsl_multimin_fminimizer_nmsimplex2; }
static inline const gsl_multiroot_fdfsolver_type *lagrange_gsl_multiroot_fdfsolver_newton(void) { return gsl_multiroot_fdfsolver_newton; }
static inline const gsl_multiroot_fdfsolver_type *lagrange_gsl_multiroot_fdfsolver_hybridsj(void) { return gsl_multiroot_fdfsolver_hybridsj; }
