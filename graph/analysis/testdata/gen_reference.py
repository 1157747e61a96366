#!/usr/bin/env python3
"""Compute the reference values the Go tests of graph/analysis compare against.

Run from this directory with networkx 3.x (and scipy, which nx.pagerank needs):

    pip install networkx scipy
    python3 gen_reference.py

For every *.edges file it writes <name>.json holding networkx's degree,
betweenness (normalised), closeness (wf_improved), PageRank (alpha 0.85,
converged: tol 1e-12), eigenvector centrality (tol 1e-12, or the error
networkx raised), core number, Burt's constraint and effective size (NaN,
for isolated nodes, written as null), harmonic centrality divided by n-1,
articulation points, bridges, and the modularity (resolution 1) of a few
fixed partitions. The outputs are committed; this
script is kept so they can be regenerated and checked.
"""

import json
import math
import pathlib
import sys

import networkx as nx

HERE = pathlib.Path(__file__).resolve().parent


def read_edges(path):
    """Reads "u v" lines (and lone "u" nodes), skipping comments."""
    g = nx.Graph()
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) == 1:
            g.add_node(parts[0])
        elif len(parts) == 2:
            g.add_edge(parts[0], parts[1])
        else:
            raise ValueError(f"{path}: bad line {line!r}")
    return g


def edge_set(g):
    return {tuple(sorted(map(str, e))) for e in g.edges()}


def check_against_builtin(name, g):
    """The typed-in edge lists must equal networkx's own copies."""
    if name == "karate":
        ref = nx.relabel_nodes(nx.karate_club_graph(), lambda i: str(i + 1))
        assert g.number_of_nodes() == 34 and g.number_of_edges() == 78
    elif name == "florentine":
        ref = nx.florentine_families_graph()
        assert g.number_of_nodes() == 15 and g.number_of_edges() == 20
    else:
        return
    assert set(g.nodes()) == set(map(str, ref.nodes())), name
    assert edge_set(g) == edge_set(ref), name


def partitions(name, g):
    """Fixed partitions whose modularity the Go code must reproduce."""
    out = {}
    if name == "karate":
        club = nx.karate_club_graph().nodes(data="club")
        split = {}
        for i, c in club:
            split.setdefault(c, []).append(str(i + 1))
        out["club"] = [sorted(m) for _, m in sorted(split.items())]
    out["louvain_seed1"] = [sorted(c) for c in nx.community.louvain_communities(g, seed=1)]
    out["greedy"] = [sorted(c) for c in nx.community.greedy_modularity_communities(g)]
    out["singletons"] = [[n] for n in sorted(g.nodes())]
    out["one"] = [sorted(g.nodes())]
    return {
        k: {"communities": sorted(v), "modularity": nx.community.modularity(g, v)}
        for k, v in out.items()
    }


def defined(scores):
    """Drops NaN scores (undefined measures), which JSON cannot carry."""
    return {k: v for k, v in scores.items() if not math.isnan(v)}


def harmonic(g):
    n = g.number_of_nodes()
    h = nx.harmonic_centrality(g)
    return {k: (v / (n - 1) if n > 1 else 0.0) for k, v in h.items()}


# Entities removed in the disruption reference of each graph.
REMOVE = {"karate": ["1", "34"], "florentine": ["Medici"], "disconnected": ["c", "i"]}


def summary(g, n):
    """Components, largest component, Borgatti fragmentation (n original
    nodes, the removed ones isolates) and global efficiency of g."""
    sizes = [len(c) for c in nx.connected_components(g)]
    pairs = sum(s * (s - 1) for s in sizes)
    return {
        "entities": g.number_of_nodes(),
        "components": len(sizes),
        "largest_component": max(sizes, default=0),
        "fragmentation": 1 - pairs / (n * (n - 1)) if n > 1 else 0.0,
        "global_efficiency": nx.global_efficiency(g),
    }


def disruption(name, g):
    after = g.copy()
    after.remove_nodes_from(REMOVE[name])
    n = g.number_of_nodes()
    return {"remove": REMOVE[name], "before": summary(g, n), "after": summary(after, n)}


def reference(name, g):
    ref = {
        "disruption": disruption(name, g),
        "networkx": nx.__version__,
        "nodes": sorted(g.nodes()),
        "degree": nx.degree_centrality(g),
        "betweenness": nx.betweenness_centrality(g),
        "closeness": nx.closeness_centrality(g),
        "pagerank": nx.pagerank(g, alpha=0.85, tol=1e-12, max_iter=10000),
        "core_number": nx.core_number(g),
        "constraint": defined(nx.constraint(g)),
        "effective_size": defined(nx.effective_size(g)),
        "harmonic": harmonic(g),
        "articulation_points": sorted(nx.articulation_points(g)),
        "bridges": sorted(sorted(e) for e in nx.bridges(g)),
        "partitions": partitions(name, g),
    }
    try:
        ref["eigenvector"] = nx.eigenvector_centrality(g, max_iter=10000, tol=1e-12)
    except nx.PowerIterationFailedConvergence as e:
        ref["eigenvector_error"] = str(e)
    if name == "karate":
        best = max(p["modularity"] for p in ref["partitions"].values())
        assert best >= 0.40, best
    return ref


def main():
    # --out DIR writes the references elsewhere: the Go test
    # TestReferencesAreTodaysNetworkx compares such a fresh run with the
    # committed files.
    out_dir = HERE
    if len(sys.argv) == 3 and sys.argv[1] == "--out":
        out_dir = pathlib.Path(sys.argv[2])
    for path in sorted(HERE.glob("*.edges")):
        name = path.stem
        g = read_edges(path)
        check_against_builtin(name, g)
        out = out_dir / f"{name}.json"
        out.write_text(json.dumps(reference(name, g), indent=1, sort_keys=True) + "\n")
        print(f"{out.name}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges")


if __name__ == "__main__":
    main()
