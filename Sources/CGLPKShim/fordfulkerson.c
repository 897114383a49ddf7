#include "lagrange_glpk_shim.h"
#include <stdlib.h>
#include <string.h>

/* Arc data: capacity at offset 0, flow at offset 8 (doubles). Vertex data: cut flag (int). */
typedef struct { double capacity; double flow; } arc_data;

struct lagrange_ff {
    glp_graph *graph;
    int nodes, arcs, sink;
    glp_arc **forward, **backward; /* NULL for self-loops */
    long long *capacity, *flow;
    glp_arc *budget;
};

void lagrange_ff_free(lagrange_ff *ff) {
    if (ff == NULL) return;
    if (ff->graph != NULL) glp_delete_graph(ff->graph);
    free(ff->forward);
    free(ff->backward);
    free(ff->capacity);
    free(ff->flow);
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
    if (ff->forward == NULL || ff->backward == NULL || ff->capacity == NULL || ff->flow == NULL) {
        lagrange_ff_free(ff);
        return NULL;
    }
    ff->nodes = nodes;
    ff->arcs = arcs;
    ff->sink = sink;
    if (arcs > 0) memcpy(ff->capacity, capacities, (size_t)arcs * sizeof *ff->capacity);
    ff->graph = glp_create_graph((int)sizeof(int), (int)sizeof(arc_data));
    glp_add_vertices(ff->graph, nodes + 1); /* vertex nodes + 1 is the super-source */
    for (int k = 0; k < arcs; k++) {
        if (tails[k] == heads[k]) continue;
        ff->forward[k] = glp_add_arc(ff->graph, tails[k] + 1, heads[k] + 1);
        ff->backward[k] = glp_add_arc(ff->graph, heads[k] + 1, tails[k] + 1);
    }
    ff->budget = glp_add_arc(ff->graph, nodes + 1, source + 1);
    return ff;
}

long long lagrange_ff_round(lagrange_ff *ff, int budget, int *code) {
    for (int k = 0; k < ff->arcs; k++) {
        if (ff->forward[k] == NULL) continue;
        ((arc_data *)ff->forward[k]->data)->capacity = (double)(ff->capacity[k] - ff->flow[k]);
        ((arc_data *)ff->backward[k]->data)->capacity = (double)ff->flow[k];
    }
    ((arc_data *)ff->budget->data)->capacity = (double)budget;
    double pushed = 0;
    *code = glp_maxflow_ffalg(ff->graph, ff->nodes + 1, ff->sink + 1, 0, &pushed, 8, 0);
    if (*code != 0) return 0;
    for (int k = 0; k < ff->arcs; k++) {
        if (ff->forward[k] == NULL) continue;
        ff->flow[k] += (long long)((arc_data *)ff->forward[k]->data)->flow - (long long)((arc_data *)ff->backward[k]->data)->flow;
    }
    return (long long)pushed;
}

void lagrange_ff_flows(const lagrange_ff *ff, long long *flows) {
    if (ff->arcs > 0) memcpy(flows, ff->flow, (size_t)ff->arcs * sizeof *flows);
}

void lagrange_ff_cut(const lagrange_ff *ff, unsigned char *in_source_side) {
    for (int v = 0; v < ff->nodes; v++) {
        in_source_side[v] = *(const int *)ff->graph->v[v + 1]->data != 0;
    }
}
