#include "lagrange_glpk_shim.h"
#include <setjmp.h>

struct lagrange_glpk_call {
    jmp_buf jump;
    lagrange_glpk_line_hook hook;
    void *info;
};

/* The longjmp crosses only C frames: GLPK's and this one (the Swift hook has returned). */
static int lagrange_term_hook(void *info, const char *text) {
    struct lagrange_glpk_call *call = info;
    if (call->hook(call->info, text) != 0) {
        lagrange_glpk_reset_environment();
        longjmp(call->jump, 1);
    }
    return 1; /* non-zero: GLPK prints nothing itself */
}

/* GLPK's error hook: returning would abort. */
static void lagrange_interior_error_hook(void *info) {
    struct lagrange_glpk_call *call = info;
    lagrange_glpk_reset_environment();
    longjmp(call->jump, 2);
}

int lagrange_glp_interior(glp_prob *P, const glp_iptcp *parm, lagrange_glpk_line_hook hook, void *info,
                          int *interrupted) {
    struct lagrange_glpk_call call;
    call.hook = hook;
    call.info = info;
    *interrupted = 0;
    int jumped = setjmp(call.jump);
    if (jumped != 0) {
        *interrupted = jumped;
        return 0;
    }
    glp_term_hook(lagrange_term_hook, &call);
    glp_error_hook(lagrange_interior_error_hook, &call);
    int code = glp_interior(P, parm);
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
    return code;
}
