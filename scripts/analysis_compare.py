#!/usr/bin/env python3
"""Times Skein's link analysis beside networkx and igraph on the same graphs.

For each size it generates one random graph (every node links to 5 others
chosen uniformly, Python's random seeded with 42: about 5n links, mean
degree about 10), writes it as an edge list, and times every measure in a
separate process per tool and measure, with a timeout:

  - Skein: scripts/analysis-bench (graph/analysis over the same edge list,
    in process: the figure excludes the store and HTTP);
  - each figure runs from the edge list in memory to the answer, building the
    tool's own graph (for Skein, its index over a graph.Subgraph) included;
  - igraph (python-igraph, a C core) and networkx, on the graph read as an
    undirected simple graph, as Skein reads it.

It prints a Markdown section (scripts/bench.sh appends it to BENCHMARKS.md):

    python3 scripts/analysis_compare.py --sizes 10000,100000 --timeout 300

With --after-skein F, Skein runs first (stopped after --timeout seconds) and
the other tools then get F times Skein's seconds, at least --min-timeout and
at most --timeout: long enough for a sound verdict (a tool stopped there is
slower than Skein by more than F times), short enough that a measure Skein
finishes quickly does not wait for a slow tool to the end:

    python3 scripts/analysis_compare.py --sizes 100000 --measures betweenness \\
        --tools igraph --timeout 5400 --after-skein 1.5 --min-timeout 300

With --unfinished-in FILE it runs only the measures and sizes that the last
default-titled section in FILE (a BENCHMARKS.md this script wrote to) left
with neither Skein nor igraph finished, and prints nothing when there are
none.

Internal use: --run TOOL MEASURE EDGES prints the seconds one measure took.
"""

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time

MEASURES = [
    "degree", "betweenness", "closeness", "harmonic", "pagerank", "eigenvector",
    "core_number", "constraint", "effective_size", "global_efficiency",
    "key_players_3", "brokerage_kind", "communities",
]
DEFAULT_TITLE = "Link analysis beside networkx and igraph"
LABELS = {
    "degree": "degree", "betweenness": "betweenness (exact)", "closeness": "closeness",
    "harmonic": "harmonic", "pagerank": "PageRank (converged)", "eigenvector": "eigenvector (converged)",
    "core_number": "core number", "constraint": "Burt constraint", "effective_size": "Burt effective size",
    "global_efficiency": "global efficiency (disruption: before + after)",
    "key_players_3": "key players, k=3", "brokerage_kind": "Gould-Fernandez brokerage",
    "communities": "Louvain communities",
}


def generate(n, path):
    rng = random.Random(42)
    with open(path, "w") as f:
        for i in range(n):
            f.write(f"{i}\n")
        for i in range(n):
            for _ in range(5):
                f.write(f"{i} {rng.randrange(n)}\n")


def read_edges(path):
    nodes, edges = [], []
    with open(path) as f:
        for line in f:
            p = line.split()
            if len(p) == 1:
                nodes.append(int(p[0]))
            elif len(p) == 2:
                edges.append((int(p[0]), int(p[1])))
    return nodes, edges


def nx_measure(measure, path):
    import networkx as nx
    nodes, edges = read_edges(path)
    start = time.perf_counter()
    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_edges_from((u, v) for u, v in edges if u != v)
    fn = {
        "degree": nx.degree_centrality,
        "betweenness": nx.betweenness_centrality,
        "closeness": nx.closeness_centrality,
        "harmonic": nx.harmonic_centrality,
        "pagerank": lambda g: nx.pagerank(g, tol=1e-12, max_iter=10000),
        "eigenvector": lambda g: nx.eigenvector_centrality(g, tol=1e-12, max_iter=10000),
        "core_number": nx.core_number,
        "constraint": nx.constraint,
        "effective_size": nx.effective_size,
        # as Skein's disruption: the whole graph, then without two entities
        "global_efficiency": lambda g: (nx.global_efficiency(g), nx.global_efficiency(nx.restricted_view(g, [0, 1], []))),
        "communities": lambda g: nx.community.louvain_communities(g, seed=1),
    }.get(measure)
    if fn is None:
        return None
    fn(g)
    return time.perf_counter() - start


def ig_measure(measure, path):
    import igraph as ig
    nodes, edges = read_edges(path)
    start = time.perf_counter()
    g = ig.Graph(n=len(nodes), edges=edges)
    g.simplify()
    fn = {
        "degree": lambda g: g.degree(),
        "betweenness": lambda g: g.betweenness(directed=False),
        "closeness": lambda g: g.closeness(),
        "harmonic": lambda g: g.harmonic_centrality(),
        "pagerank": lambda g: g.pagerank(),
        "eigenvector": lambda g: g.eigenvector_centrality(),
        "core_number": lambda g: g.coreness(),
        "constraint": lambda g: g.constraint(),
        "communities": lambda g: g.community_multilevel(),
    }.get(measure)
    if fn is None:
        return None
    fn(g)
    return time.perf_counter() - start


def seconds(t):
    return f"{t:.0f}" if t >= 100 else f"{t:.3g}"


def timed(cmd, timeout):
    """Runs cmd; returns its stdout, or a note when it failed or timed out."""
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"> {seconds(timeout)} s"
    if res.returncode != 0:
        return "error: " + (res.stderr.strip().splitlines() or ["?"])[-1][:80]
    return res.stdout


def cell(v):
    if v is None:
        return "—"
    if isinstance(v, str):
        return v
    return f"{v:.3g} s" if v >= 0.01 else f"{v * 1000:.2g} ms"


def verdict(r):
    """Skein against igraph for one measure and size."""
    sk, ig = r["skein"], r["igraph"]
    if ig is None:
        return "no igraph measure"
    sk_ok, ig_ok = isinstance(sk, float), isinstance(ig, float)
    if sk_ok and ig_ok:
        if sk <= ig:
            return f"**Skein faster** ({ig / sk:.3g}×)" if sk > 0 else "**Skein faster**"
        return f"**igraph faster** ({sk / ig:.3g}×)"
    if sk_ok:
        return f"**Skein faster** (igraph: {ig})"
    if ig_ok:
        return f"**igraph faster** (Skein: {sk})"
    return "neither finished"


def unfinished_in(path):
    """The (measure, size) pairs whose verdict is 'neither finished' in the
    last section of the Markdown file at path with the default title."""
    by_label = {label: m for m, label in LABELS.items()}
    found, current = set(), None
    with open(path) as f:
        for line in f:
            if line.startswith("## "):
                if line.startswith(f"## {DEFAULT_TITLE} "):
                    current = found = set()
                else:
                    current = None
                continue
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if current is not None and len(cells) >= 6 and cells[-1] == "neither finished" and cells[0] in by_label:
                size = cells[1]
                n = int(size[:-1]) * 1000 if size.endswith("k") else int(size)
                current.add((by_label[cells[0]], n))
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--measures", default=",".join(MEASURES))
    ap.add_argument("--skein", default="", help="analysis-bench binary (built when empty)")
    ap.add_argument("--run", nargs=3, metavar=("TOOL", "MEASURE", "EDGES"))
    ap.add_argument("--tools", default="igraph,networkx", help="reference tools to run beside Skein")
    ap.add_argument("--title", default=DEFAULT_TITLE)
    ap.add_argument("--unfinished-in", default="", metavar="FILE",
                    help="run only what the last default-titled section of FILE left unfinished")
    ap.add_argument("--after-skein", type=float, default=0, metavar="F",
                    help="run the other tools after Skein, with F times Skein's seconds as their timeout")
    ap.add_argument("--min-timeout", type=float, default=300,
                    help="the least timeout --after-skein gives the other tools")
    args = ap.parse_args()
    if args.run:
        tool, measure, path = args.run
        secs = (nx_measure if tool == "networkx" else ig_measure)(measure, path)
        print(json.dumps(secs))
        return

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    work = tempfile.mkdtemp(prefix="skein-compare-")
    skein = args.skein
    if not skein:
        skein = os.path.join(work, "analysis-bench")
        subprocess.run(["go", "build", "-o", skein, "./scripts/analysis-bench"], cwd=root, check=True)
    sizes = [int(s) for s in args.sizes.split(",")]
    measures = args.measures.split(",")
    if args.unfinished_in:
        left = unfinished_in(args.unfinished_in)
        sizes = [n for n in sizes if any((m, n) in left for m in measures)]
        measures = [m for m in measures if any((m, n) in left for n in sizes)]
        if not sizes or not measures:
            print(f"analysis_compare: {args.unfinished_in} leaves none of these unfinished", file=sys.stderr)
            return
    tools = args.tools.split(",")
    import igraph
    import networkx
    results = {}
    for n in sizes:
        path = os.path.join(work, f"random-{n}.edges")
        generate(n, path)
        for m in measures:
            row = {}
            out = timed([skein, "-edges", path, "-measures", m], args.timeout)
            try:
                row["skein"] = json.loads(out)[m]
            except (ValueError, KeyError):
                row["skein"] = out
            limit = args.timeout
            if args.after_skein > 0 and isinstance(row["skein"], float):
                limit = min(args.timeout, max(args.min_timeout, args.after_skein * row["skein"]))
            row["limit"] = limit
            for tool in ("igraph", "networkx"):
                if tool not in tools:
                    row[tool] = "not run"
                    continue
                out = timed([sys.executable, os.path.abspath(__file__), "--run", tool, m, path], limit)
                try:
                    row[tool] = json.loads(out)
                except ValueError:
                    row[tool] = out
            results[(n, m)] = row
            print(f"analysis_compare: n={n} {m}: {row}", file=sys.stderr)

    def k(n):
        return f"{n // 1000}k" if n % 1000 == 0 else str(n)

    print()
    print(f"## {args.title} (scripts/analysis_compare.py)")
    print()
    print(f"Random graphs of n entities, each linking to 5 chosen uniformly (Python `random`, seed 42; about 5n links),")
    print("read as an undirected simple graph. Wall-clock seconds of one run per measure, each in its own process, from")
    print("the edge list in memory to the answer (each tool builds its graph: igraph Graph + simplify, networkx Graph, Skein")
    print("its index over a graph.Subgraph); Skein is graph/analysis in process (no store, no HTTP). `—`: no such measure;")
    print(f"`> {args.timeout:g} s`: stopped at the timeout. networkx {networkx.__version__}, igraph {igraph.__version__},")
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs ({platform.machine()}). Skein's all-sources measures")
    print("(betweenness, closeness, harmonic, efficiency) use every CPU; igraph and networkx run on one. The verdict")
    print("compares Skein's and igraph's wall-clock seconds on the same graph; a measure where either stopped at the")
    print("timeout is judged by which one finished.")
    if args.after_skein > 0:
        print()
        print(f"Skein ran first, stopped after {args.timeout:g} s; the other tools then ran with a timeout of")
        print(f"{args.after_skein:g} × Skein's seconds (at least {args.min_timeout:g} s, at most {args.timeout:g} s; the")
        print("timeout column gives it), so a tool stopped there took more than that multiple of Skein's time. Where Skein")
        print(f"did not finish, every tool had the full {args.timeout:g} s.")
    print()
    timeouts = args.after_skein > 0
    print("| measure | entities | Skein | igraph | networkx |" + (" timeout of the others |" if timeouts else "")
          + " Skein against igraph |")
    print("|---|---:|---:|---:|---:|" + ("---:|" if timeouts else "") + "---|")
    behind, unfinished = [], []
    for m in measures:
        for n in sizes:
            r = results[(n, m)]
            v = verdict(r)
            if v.startswith("**igraph"):
                behind.append(f"{LABELS.get(m, m)} at {k(n)}")
            elif v == "neither finished":
                unfinished.append(f"{LABELS.get(m, m)} at {k(n)}")
            limit = f" {seconds(r['limit'])} s |" if timeouts else ""
            print(f"| {LABELS.get(m, m)} | {k(n)} | {cell(r['skein'])} | {cell(r['igraph'])} | {cell(r['networkx'])} |{limit} {v} |")
    print()
    if behind:
        print("igraph is faster than Skein on: " + "; ".join(behind) + ".")
    if unfinished:
        print("Neither Skein nor igraph finished within the timeout on: " + "; ".join(unfinished)
              + " (no verdict from this table).")
    if not behind and not unfinished:
        print("Skein is at least as fast as igraph on every measure igraph has here, at every size measured.")

if __name__ == "__main__":
    main()
