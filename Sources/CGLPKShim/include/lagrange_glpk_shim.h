#ifndef LAGRANGE_GLPK_SHIM_H
#define LAGRANGE_GLPK_SHIM_H

#include <glpk.h>

/* Called with every piece of text GLPK writes to its terminal during the call; returns
   non-zero to stop GLPK at once. */
typedef int (*lagrange_glpk_line_hook)(void *info, const char *text);

/* glp_interior(P, parm), with GLPK's terminal output routed to `hook`. When the hook asks
   to stop, GLPK's thread-local environment is freed (glp_free_env: every GLPK object this
   thread created, P included, is gone) and control jumps back here: *interrupted is set to
   1 and the return value is meaningless. This is the recovery GLPK's manual documents for
   glp_error_hook (free the environment, then longjmp); glp_interior has no callback and no
   time limit of its own, and its log line per iteration is the only point where it calls
   out. An error inside GLPK (glp_error, which would abort) is recovered the same way, with
   *interrupted = 2. Otherwise returns glp_interior's code with *interrupted = 0. */
int lagrange_glp_interior(glp_prob *P, const glp_iptcp *parm, lagrange_glpk_line_hook hook, void *info,
                          int *interrupted);

/* GLPK reports invalid API use and internal inconsistencies through glp_error, which
   aborts the process. The guarded calls below install an error hook for their duration
   that frees this thread's GLPK environment (every GLPK object this thread created, P
   included: GLPK's documented recovery) and jumps back: the call returns with *failed = 1.
   GLPK has already written its message to the terminal hook, if one is installed.
   lagrange_glpk_generation() counts such resets (and the interruptions of
   lagrange_glp_interior): an object created at an older generation is gone and must not
   be deleted. */
int lagrange_glpk_generation(void);
void lagrange_glpk_reset_environment(void);
int lagrange_glp_simplex_guarded(glp_prob *P, const glp_smcp *parm, int *failed);
void lagrange_glp_scale_prob_guarded(glp_prob *P, int flags, int *failed);
void lagrange_glp_std_basis_guarded(glp_prob *P, int *failed);
void lagrange_glp_adv_basis_guarded(glp_prob *P, int *failed);
/* The branch-and-cut callback (parm->cb_func) runs inside: it must only read the tree and
   call glp_ios_terminate, so that an error jump never crosses its frames. */
int lagrange_glp_intopt_guarded(glp_prob *P, const glp_iocp *parm, int *failed);
/* Sensitivity analysis of an optimal basic solution (glpk.simplex's ranging). The caller
   checks GLPK's documented preconditions first (optimal basic solution, a basis
   factorization, k in range, k basic for analyze_coef and nonbasic for analyze_bound); the
   guard catches what is left (GLPK's internal assertions). glp_factorize returns GLPK's
   code (GLP_EFAIL when the call did not return). */
int lagrange_glp_factorize_guarded(glp_prob *P, int *failed);
void lagrange_glp_analyze_bound_guarded(glp_prob *P, int k, double *value1, int *var1, double *value2, int *var2,
                                        int *failed);
void lagrange_glp_analyze_coef_guarded(glp_prob *P, int k, double *coef1, int *var1, double *coef2, int *var2,
                                       int *failed);
/* Files (CPLEX LP, solutions) and the MathProg translator, guarded the same way. GLPK prints
   their error messages ("file:line: ...") to its terminal; the return codes are GLPK's. */
int lagrange_glp_read_lp_guarded(glp_prob *P, const char *fname, int *failed);
int lagrange_glp_write_lp_guarded(glp_prob *P, const char *fname, int *failed);
int lagrange_glp_read_ipt_guarded(glp_prob *P, const char *fname, int *failed);
int lagrange_glp_read_mip_guarded(glp_prob *P, const char *fname, int *failed);
int lagrange_glp_mpl_read_model_guarded(glp_tran *tran, const char *fname, int skip, int *failed);
int lagrange_glp_mpl_read_data_guarded(glp_tran *tran, const char *fname, int *failed);
int lagrange_glp_mpl_generate_guarded(glp_tran *tran, const char *fname, int *failed);
void lagrange_glp_mpl_build_prob_guarded(glp_tran *tran, glp_prob *P, int *failed);
int lagrange_glp_mpl_postsolve_guarded(glp_tran *tran, glp_prob *P, int sol, int *failed);

#endif

#ifndef LAGRANGE_GLPK_SHIM_FF_H
#define LAGRANGE_GLPK_SHIM_FF_H

/* Ford–Fulkerson in budgeted rounds (glpk.ford-fulkerson) on a network with `arcs` arcs
   tail→head (0-based nodes, capacities in [0, 2^31 - 1], self-loops carry no flow). Each
   round builds GLPK's graph of the residual network of the flow so far, plus a
   super-source with one arc to `source` whose capacity is the round's budget. The input
   arrays are copied. The per-arc loops live here so a round
   costs GLPK's own O(n + m) plus a C loop, not a Swift one. Returns NULL when memory runs out. */
typedef struct lagrange_ff lagrange_ff;
lagrange_ff *lagrange_ff_create(int nodes, int arcs, const int *tails, const int *heads, const long long *capacities,
                                int source, int sink);
/* Asked while a round's graph is built; non-zero stops the build. */
typedef int (*lagrange_ff_stop_hook)(void *info);
/* Builds the round's graph with budget arc capacity `budget`, asking `stop` every 65 536
   arcs, and finds the length of a shortest path through it (for lagrange_ff_solve's
   estimate). Returns 0 when built (*round_arcs: its arcs, the budget arc included), 1 when
   `stop` said stop (no graph is kept). */
int lagrange_ff_build(lagrange_ff *ff, int budget, lagrange_ff_stop_hook stop, void *info, int *round_arcs);
/* One glp_maxflow_ffalg call on the built graph (which it then frees); adds its flow to the
   stored flow and returns the flow it pushed (< budget: maximum). *code is
   glp_maxflow_ffalg's return code (0 on success; GLP_EDATA without a built graph);
   *paths estimates the round's augmenting paths, the same on every run: the arcs that
   carried its flow over the length of a shortest path at its start (GLPK's paths are
   shortest paths, which only get longer). */
long long lagrange_ff_solve(lagrange_ff *ff, int *code, long long *paths);
/* Frees a built graph without solving it (a stop before the call). */
void lagrange_ff_discard(lagrange_ff *ff);
/* The flow so far on each input arc. */
void lagrange_ff_flows(const lagrange_ff *ff, long long *flows);
/* GLPK's labels from the last round: 1 for nodes reachable from the source. */
void lagrange_ff_cut(const lagrange_ff *ff, unsigned char *in_source_side);
void lagrange_ff_free(lagrange_ff *ff);

#endif
