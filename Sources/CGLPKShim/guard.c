#include "lagrange_glpk_shim.h"
#include <setjmp.h>

/* Where GLPK's error hook jumps back to: the innermost guarded call on this thread. */
static _Thread_local jmp_buf *guard_jump;
static _Thread_local int environment_generation;

void lagrange_glpk_reset_environment(void) {
    environment_generation++;
    glp_free_env();
}

int lagrange_glpk_generation(void) { return environment_generation; }

/* GLPK calls this after printing its error message; returning would abort. The longjmp
   crosses only GLPK's C frames (the Swift terminal hook has returned by then). */
static void guard_error_hook(void *info) {
    (void)info;
    jmp_buf *jump = guard_jump;
    guard_jump = NULL;
    lagrange_glpk_reset_environment();
    longjmp(*jump, 1);
}

#define LAGRANGE_GUARDED(failed, call)             \
    do {                                            \
        jmp_buf jump;                               \
        jmp_buf *outer = guard_jump;                \
        *(failed) = 0;                              \
        if (setjmp(jump) != 0) {                    \
            guard_jump = outer;                     \
            *(failed) = 1;                          \
            break;                                  \
        }                                           \
        guard_jump = &jump;                         \
        glp_error_hook(guard_error_hook, NULL);     \
        call;                                       \
        glp_error_hook(NULL, NULL);                 \
        guard_jump = outer;                         \
    } while (0)

int lagrange_glp_simplex_guarded(glp_prob *P, const glp_smcp *parm, int *failed) {
    volatile int code = GLP_EFAIL;
    LAGRANGE_GUARDED(failed, code = glp_simplex(P, parm));
    return code;
}

void lagrange_glp_scale_prob_guarded(glp_prob *P, int flags, int *failed) {
    LAGRANGE_GUARDED(failed, glp_scale_prob(P, flags));
}

void lagrange_glp_std_basis_guarded(glp_prob *P, int *failed) {
    LAGRANGE_GUARDED(failed, glp_std_basis(P));
}

void lagrange_glp_adv_basis_guarded(glp_prob *P, int *failed) {
    LAGRANGE_GUARDED(failed, glp_adv_basis(P, 0));
}

int lagrange_glp_intopt_guarded(glp_prob *P, const glp_iocp *parm, int *failed) {
    volatile int code = GLP_EFAIL;
    LAGRANGE_GUARDED(failed, code = glp_intopt(P, parm));
    return code;
}

int lagrange_glp_factorize_guarded(glp_prob *P, int *failed) {
    volatile int code = GLP_EFAIL;
    LAGRANGE_GUARDED(failed, code = glp_factorize(P));
    return code;
}

void lagrange_glp_analyze_bound_guarded(glp_prob *P, int k, double *value1, int *var1, double *value2, int *var2,
                                        int *failed) {
    LAGRANGE_GUARDED(failed, glp_analyze_bound(P, k, value1, var1, value2, var2));
}

void lagrange_glp_analyze_coef_guarded(glp_prob *P, int k, double *coef1, int *var1, double *coef2, int *var2,
                                       int *failed) {
    double value1, value2; /* the basic variable's value in the adjacent bases: not reported */
    LAGRANGE_GUARDED(failed, glp_analyze_coef(P, k, coef1, var1, &value1, coef2, var2, &value2));
}

/* File readers and GLPK's MathProg translator: the same recovery, so that a GLPK
   consistency check tripped by an odd file returns *failed = 1 instead of aborting. Each
   returns GLPK's code (1, "failed", when the call did not return). */
#define LAGRANGE_GUARDED_CODE(name, parameters, call)  \
    int name parameters {                              \
        volatile int code = 1;                         \
        LAGRANGE_GUARDED(failed, code = call);         \
        return code;                                   \
    }

LAGRANGE_GUARDED_CODE(lagrange_glp_read_lp_guarded, (glp_prob *P, const char *fname, int *failed), glp_read_lp(P, NULL, fname))
LAGRANGE_GUARDED_CODE(lagrange_glp_write_lp_guarded, (glp_prob *P, const char *fname, int *failed), glp_write_lp(P, NULL, fname))
LAGRANGE_GUARDED_CODE(lagrange_glp_read_ipt_guarded, (glp_prob *P, const char *fname, int *failed), glp_read_ipt(P, fname))
LAGRANGE_GUARDED_CODE(lagrange_glp_read_mip_guarded, (glp_prob *P, const char *fname, int *failed), glp_read_mip(P, fname))
LAGRANGE_GUARDED_CODE(lagrange_glp_mpl_read_model_guarded, (glp_tran *tran, const char *fname, int skip, int *failed),
                      glp_mpl_read_model(tran, fname, skip))
LAGRANGE_GUARDED_CODE(lagrange_glp_mpl_read_data_guarded, (glp_tran *tran, const char *fname, int *failed),
                      glp_mpl_read_data(tran, fname))
LAGRANGE_GUARDED_CODE(lagrange_glp_mpl_generate_guarded, (glp_tran *tran, const char *fname, int *failed),
                      glp_mpl_generate(tran, fname))
LAGRANGE_GUARDED_CODE(lagrange_glp_mpl_postsolve_guarded, (glp_tran *tran, glp_prob *P, int sol, int *failed),
                      glp_mpl_postsolve(tran, P, sol))

void lagrange_glp_mpl_build_prob_guarded(glp_tran *tran, glp_prob *P, int *failed) {
    LAGRANGE_GUARDED(failed, glp_mpl_build_prob(tran, P));
}
