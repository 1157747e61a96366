package analysis

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/skein-project/skein/graph"
)

// Metric is a centrality measure.
type Metric string

// Centrality metrics, each defined as networkx 3.x defines it by default.
const (
	DEGREE      Metric = "DEGREE"      // nx.degree_centrality: degree/(n-1)
	BETWEENNESS Metric = "BETWEENNESS" // nx.betweenness_centrality, normalized
	CLOSENESS   Metric = "CLOSENESS"   // nx.closeness_centrality, wf_improved
	PAGERANK    Metric = "PAGERANK"    // nx.pagerank, alpha 0.85, tol 1e-6
	EIGENVECTOR Metric = "EIGENVECTOR" // nx.eigenvector_centrality, max_iter 100, tol 1e-6
)

// Metrics lists every metric in a stable order.
var Metrics = []Metric{DEGREE, BETWEENNESS, CLOSENESS, PAGERANK, EIGENVECTOR}

// ParseMetric parses a metric name case-insensitively.
func ParseMetric(s string) (Metric, error) {
	m := Metric(strings.ToUpper(strings.TrimSpace(s)))
	if !slices.Contains(Metrics, m) {
		return "", fmt.Errorf("unknown centrality metric %q: %w", s, graph.ErrInvalid)
	}
	return m, nil
}

// Score is the centrality of one entity.
type Score struct {
	ID    string  `json:"id"`
	Score float64 `json:"score"`
}

// Power iteration settings of networkx's pagerank and eigenvector_centrality.
const (
	pageRankAlpha = 0.85
	powerTol      = 1e-6
	powerMaxIter  = 100
)

// Centrality scores every node of g by metric m and returns the scores
// sorted by score descending, then id. g is read as an undirected simple
// graph (networkx Graph semantics: direction ignored, parallel links
// collapsed, self-links ignored), and each metric matches networkx 3.x:
//
//   - DEGREE: degree/(n-1) (1 for every node of a one-node graph).
//   - BETWEENNESS: Brandes, normalised by 2/((n-1)(n-2)) for the unordered
//     pairs (nothing for n <= 2).
//   - CLOSENESS: (r-1)/sum of distances to the r-1 reachable nodes, times
//     (r-1)/(n-1) (Wasserman–Faust, networkx's wf_improved=True); 0 for a
//     node that reaches nobody.
//   - PAGERANK: the power iteration of nx.pagerank (uniform start and
//     teleport, dangling mass spread uniformly, alpha 0.85, stop when the L1
//     change is below n*1e-6, at most 100 iterations).
//   - EIGENVECTOR: the power iteration of nx.eigenvector_centrality on A+I
//     (not the numpy variant), same stopping rule; on graphs where it does
//     not converge in 100 iterations (typically disconnected graphs whose
//     components have close leading eigenvalues) it returns an error
//     wrapping graph.ErrInvalid, as networkx raises
//     PowerIterationFailedConvergence.
//
// gonum's network package is not used for these: its PageRank starts from a
// random vector and stops on another criterion, its closeness is 1/farness
// over an all-pairs table, and its betweenness keeps maps per source, which
// is too slow for 100k nodes and cannot be cancelled. Scores are rounded to
// 12 significant digits so that mathematically equal scores, summed in
// different orders, compare equal and are ordered by id.
//
// The empty graph yields no scores. ctx cancels the long computations.
func Centrality(ctx context.Context, g graph.Subgraph, m Metric) ([]Score, error) {
	if _, err := ParseMetric(string(m)); err != nil {
		return nil, err
	}
	x := newIndex(g)
	if x.len() == 0 {
		return []Score{}, nil
	}
	var (
		values []float64
		err    error
	)
	switch m {
	case DEGREE:
		values = degreeCentrality(x)
	case BETWEENNESS:
		values, err = betweenness(ctx, x)
	case CLOSENESS:
		values, err = closeness(ctx, x)
	case PAGERANK:
		values, err = pageRank(ctx, x)
	case EIGENVECTOR:
		values, err = eigenvector(ctx, x)
	}
	if err != nil {
		return nil, fmt.Errorf("centrality %s: %w", m, err)
	}
	return ranked(x, values), nil
}

// ranked pairs values with ids, sorted by score descending, then id.
func ranked(x *index, values []float64) []Score {
	out := make([]Score, len(values))
	for i, v := range values {
		out[i] = Score{ID: x.ids[i], Score: round12(v)}
	}
	slices.SortFunc(out, func(a, b Score) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// round12 rounds to 12 significant digits.
func round12(v float64) float64 {
	if v == 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return v
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	if err != nil {
		return v
	}
	return r
}

func degreeCentrality(x *index) []float64 {
	n := x.len()
	out := make([]float64, n)
	if n == 1 {
		out[0] = 1
		return out
	}
	s := 1 / float64(n-1)
	for i := range out {
		out[i] = float64(x.degree(i)) * s
	}
	return out
}

// pageRank follows networkx's _pagerank_scipy step by step, so that it stops
// at the same iteration and agrees with it to rounding.
func pageRank(ctx context.Context, x *index) ([]float64, error) {
	n := x.len()
	nf := float64(n)
	v := make([]float64, n)
	last := make([]float64, n)
	for i := range v {
		v[i] = 1 / nf
	}
	for range powerMaxIter {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		v, last = last, v
		var dangling float64
		for i := range n {
			if x.degree(i) == 0 {
				dangling += last[i]
			}
		}
		for i := range v {
			v[i] = 0
		}
		for i := range n {
			d := x.degree(i)
			if d == 0 {
				continue
			}
			share := last[i] / float64(d)
			for _, j := range x.neighbours(i) {
				v[j] += share
			}
		}
		var diff float64
		for i := range v {
			v[i] = pageRankAlpha*(v[i]+dangling/nf) + (1-pageRankAlpha)/nf
			diff += math.Abs(v[i] - last[i])
		}
		if diff < nf*powerTol {
			return v, nil
		}
	}
	return nil, fmt.Errorf("pagerank did not converge in %d iterations: %w", powerMaxIter, graph.ErrInvalid)
}

// eigenvector follows networkx's eigenvector_centrality: power iteration on
// A+I from the uniform vector, Euclidean normalisation, L1 stopping rule.
func eigenvector(ctx context.Context, x *index) ([]float64, error) {
	n := x.len()
	v := make([]float64, n)
	last := make([]float64, n)
	for i := range v {
		v[i] = 1 / float64(n)
	}
	for range powerMaxIter {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		v, last = last, v
		copy(v, last)
		for i := range n {
			for _, j := range x.neighbours(i) {
				v[j] += last[i]
			}
		}
		var sq float64
		for _, a := range v {
			sq += a * a
		}
		norm := math.Sqrt(sq)
		if norm == 0 {
			norm = 1
		}
		var diff float64
		for i := range v {
			v[i] /= norm
			diff += math.Abs(v[i] - last[i])
		}
		if diff < float64(n)*powerTol {
			return v, nil
		}
	}
	return nil, fmt.Errorf("eigenvector centrality did not converge in %d iterations (disconnected graph?): %w", powerMaxIter, graph.ErrInvalid)
}
