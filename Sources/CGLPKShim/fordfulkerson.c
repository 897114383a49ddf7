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
    /* Arcs on a shortest super-source–sink path of the round's graph (0: no path), and the
       breadth-first search's scratch (nodes + 2 entries each). */
    int path_length;
    int *distance, *queue;
};

void lagrange_ff_free(lagrange_ff *ff) {
    if (ff == NULL) return;
    lagrange_ff_discard(ff);
    free(ff->forward);
    free(ff->backward);
    free(ff->capacity);
    free(ff->flow);
    free(ff->cut);
    free(ff->distance);
    free(ff->queue);
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
    ff->distance = malloc(((size_t)nodes + 2) * sizeof *ff->distance);
    ff->queue = malloc(((size_t)nodes + 2) * sizeof *ff->queue);
    ff->tails = malloc(count * sizeof *ff->tails);
    ff->heads = malloc(count * sizeof *ff->heads);
    if (ff->tails == NULL || ff->heads == NULL || ff->forward == NULL || ff->backward == NULL || ff->capacity == NULL || ff->flow == NULL || ff->cut == NULL
        || ff->distance == NULL || ff->queue == NULL) {
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

/* Arcs on a shortest path from the super-source to the sink of the built graph (every arc
   in it has residual capacity), 0 when there is none: GLPK's augmenting paths are shortest
   paths, no shorter than this, so it turns the arcs a round used into a count of paths. */
static int shortest_path_length(lagrange_ff *ff) {
    glp_graph *graph = ff->graph;
    int origin = ff->nodes + 1, target = ff->sink + 1;
    for (int v = 1; v <= graph->nv; v++) ff->distance[v] = -1;
    int front = 0, back = 0;
    ff->distance[origin] = 0;
    ff->queue[back++] = origin;
    while (front < back) {
        int u = ff->queue[front++];
        for (glp_arc *a = graph->v[u]->out; a != NULL; a = a->t_next) {
            int v = a->head->i;
            if (ff->distance[v] >= 0) continue;
            ff->distance[v] = ff->distance[u] + 1;
            if (v == target) return ff->distance[v];
            ff->queue[back++] = v;
        }
    }
    return 0;
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
    ff->path_length = shortest_path_length(ff);
    return 0;
}

void lagrange_ff_discard(lagrange_ff *ff) {
    if (ff->graph != NULL) glp_delete_graph(ff->graph);
    ff->graph = NULL;
}

long long lagrange_ff_solve(lagrange_ff *ff, int *code, long long *paths) {
    *paths = 0;
    if (ff->graph == NULL) {
        *code = GLP_EDATA;
        return 0;
    }
    glp_graph *graph = ff->graph;
    double pushed = 0;
    *code = glp_maxflow_ffalg(graph, ff->nodes + 1, ff->sink + 1, 0, &pushed, 8, 0);
    if (*code == 0) {
        long long used = 0;
        for (int k = 0; k < ff->arcs; k++) {
            long long ahead = 0, back = 0;
            if (ff->forward[k] != NULL) ahead = (long long)((arc_data *)ff->forward[k]->data)->flow;
            if (ff->backward[k] != NULL) back = (long long)((arc_data *)ff->backward[k]->data)->flow;
            used += (ahead > 0) + (back > 0);
            ff->flow[k] += ahead - back;
        }
        /* Paths share arcs, and later ones can be longer: an estimate, the same every run. */
        if (pushed > 0) {
            long long inner = ff->path_length > 1 ? ff->path_length - 1 : 1; /* the budget arc is not counted */
            *paths = used / inner > 1 ? used / inner : 1;
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
