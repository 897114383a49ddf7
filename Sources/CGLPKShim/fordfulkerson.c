#include "lagrange_glpk_shim.h"
#include <stdlib.h>
#include <string.h>

/* Arc data: capacity at offset 0, flow at offset 8 (doubles). Vertex data: cut flag (int). */
typedef struct { double capacity; double flow; } arc_data;

struct lagrange_ff {
    int nodes, arcs, source, sink;
    int *tails, *heads;
    long long *capacity, *flow;
    /* This round's arcs of each input arc: u->v with c - f, v->u with f (NULL when that
       residual capacity is 0, or for a self-loop). */
    glp_arc **forward, **backward;
    unsigned char *cut;
    /* The round's graph between lagrange_ff_build and lagrange_ff_solve / _discard. */
    glp_graph *graph;
};

void lagrange_ff_free(lagrange_ff *ff) {
    if (ff == NULL) return;
    lagrange_ff_discard(ff);
    free(ff->forward);
    free(ff->backward);
    free(ff->capacity);
    free(ff->flow);
    free(ff->cut);
    free(ff->tails);
    free(ff->heads);
    free(ff);
}

lagrange_ff *lagrange_ff_create(int nodes, int arcs, const int *tails, const int *heads, const long long *capacities,
                                int source, int sink) {
    lagrange_ff *ff = calloc(1, sizeof *ff);
    if (ff == NULL) return NULL;
    size_t count = arcs > 0 ? (size_t)arcs : 1;
    ff->forward = calloc(count, sizeof *ff->forward);
    ff->backward = calloc(count, sizeof *ff->backward);
    ff->capacity = malloc(count * sizeof *ff->capacity);
    ff->flow = calloc(count, sizeof *ff->flow);
    ff->cut = calloc((size_t)nodes + 1, 1);
    ff->tails = malloc(count * sizeof *ff->tails);
    ff->heads = malloc(count * sizeof *ff->heads);
    if (ff->tails == NULL || ff->heads == NULL || ff->forward == NULL || ff->backward == NULL || ff->capacity == NULL || ff->flow == NULL || ff->cut == NULL) {
        lagrange_ff_free(ff);
        return NULL;
    }
    ff->nodes = nodes;
    ff->arcs = arcs;
    ff->source = source;
    ff->sink = sink;
    if (arcs > 0) {
        memcpy(ff->tails, tails, (size_t)arcs * sizeof *ff->tails);
        memcpy(ff->heads, heads, (size_t)arcs * sizeof *ff->heads);
        memcpy(ff->capacity, capacities, (size_t)arcs * sizeof *ff->capacity);
    }
    return ff;
}

/* The residual network is rebuilt every round with only the arcs that have residual
   capacity: a full copy with both directions of every arc would double GLPK's search,
   while the first round is then exactly the input network. Building costs about as much
   as GLPK's own setup in the call (a few hundred ns per arc), so it asks `stop` as it goes. */
int lagrange_ff_build(lagrange_ff *ff, int budget, lagrange_ff_stop_hook stop, void *info, int *round_arcs) {
    lagrange_ff_discard(ff);
    glp_graph *graph = glp_create_graph((int)sizeof(int), (int)sizeof(arc_data));
    glp_add_vertices(graph, ff->nodes + 1); /* vertex nodes + 1 is the super-source */
    for (int k = 0; k < ff->arcs; k++) {
        if ((k & 0xFFFF) == 0xFFFF && stop(info)) {
            glp_delete_graph(graph);
            return 1;
        }
        ff->forward[k] = ff->backward[k] = NULL;
        if (ff->tails[k] == ff->heads[k]) continue;
        long long room = ff->capacity[k] - ff->flow[k];
        if (room > 0) {
            ff->forward[k] = glp_add_arc(graph, ff->tails[k] + 1, ff->heads[k] + 1);
            ((arc_data *)ff->forward[k]->data)->capacity = (double)room;
        }
        if (ff->flow[k] > 0) {
            ff->backward[k] = glp_add_arc(graph, ff->heads[k] + 1, ff->tails[k] + 1);
            ((arc_data *)ff->backward[k]->data)->capacity = (double)ff->flow[k];
        }
    }
    glp_arc *budget_arc = glp_add_arc(graph, ff->nodes + 1, ff->source + 1);
    ((arc_data *)budget_arc->data)->capacity = (double)budget;
    *round_arcs = graph->na;
    ff->graph = graph;
    return 0;
}

void lagrange_ff_discard(lagrange_ff *ff) {
    if (ff->graph != NULL) glp_delete_graph(ff->graph);
    ff->graph = NULL;
}

long long lagrange_ff_solve(lagrange_ff *ff, int *code) {
    if (ff->graph == NULL) {
        *code = GLP_EDATA;
        return 0;
    }
    glp_graph *graph = ff->graph;
    double pushed = 0;
    *code = glp_maxflow_ffalg(graph, ff->nodes + 1, ff->sink + 1, 0, &pushed, 8, 0);
    if (*code == 0) {
        for (int k = 0; k < ff->arcs; k++) {
            if (ff->forward[k] != NULL) ff->flow[k] += (long long)((arc_data *)ff->forward[k]->data)->flow;
            if (ff->backward[k] != NULL) ff->flow[k] -= (long long)((arc_data *)ff->backward[k]->data)->flow;
        }
        for (int v = 0; v < ff->nodes; v++) ff->cut[v] = *(const int *)graph->v[v + 1]->data != 0;
    }
    lagrange_ff_discard(ff);
    return *code == 0 ? (long long)pushed : 0;
}

void lagrange_ff_flows(const lagrange_ff *ff, long long *flows) {
    if (ff->arcs > 0) memcpy(flows, ff->flow, (size_t)ff->arcs * sizeof *flows);
}

void lagrange_ff_cut(const lagrange_ff *ff, unsigned char *in_source_side) {
    if (ff->nodes > 0) memcpy(in_source_side, ff->cut, (size_t)ff->nodes);
}
