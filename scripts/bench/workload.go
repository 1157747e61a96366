package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/synth"
)

// model is the generated graph held in memory, only to choose the
// benchmark's inputs (hubs, ordinary nodes, path pairs, search terms)
// deterministically and independently of any store.
type model struct {
	ids      []string
	kinds    []graph.Kind
	names    []string
	index    map[string]int32
	adj      [][]int32
	entities int
	links    int
	// maxXref is the most entities a whole-graph xref takes
	// (graph.MaxXrefEntities); a larger graph's xref is given ids.
	maxXref int
}

func buildModel(ctx context.Context, n int, seed uint64) (*model, error) {
	m := &model{index: make(map[string]int32, n), maxXref: graph.MaxXrefEntities}
	err := synth.Generate(ctx, synth.Config{Entities: n, Seed: seed}, func(b graph.Batch) error {
		for _, e := range b.Entities {
			m.index[e.ID] = int32(len(m.ids))
			m.ids = append(m.ids, e.ID)
			m.kinds = append(m.kinds, e.Kind)
			m.names = append(m.names, e.Name)
		}
		if m.adj == nil && len(b.Links) > 0 {
			m.adj = make([][]int32, len(m.ids))
		}
		for _, l := range b.Links {
			s, ok1 := m.index[l.Source]
			t, ok2 := m.index[l.Target]
			if !ok1 || !ok2 {
				return fmt.Errorf("link %s -> %s: unknown endpoint", l.Source, l.Target)
			}
			m.adj[s] = append(m.adj[s], t)
			if s != t {
				m.adj[t] = append(m.adj[t], s)
			}
			m.links++
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("generate: %w", err)
	}
	if m.adj == nil {
		m.adj = make([][]int32, len(m.ids))
	}
	m.entities = len(m.ids)
	return m, nil
}

func (m *model) degree(i int32) int { return len(m.adj[i]) }

// bfs returns the distance of every node within maxDepth of start (-1
// beyond).
func (m *model) bfs(start int32, maxDepth int) []int8 {
	dist := make([]int8, len(m.ids))
	for i := range dist {
		dist[i] = -1
	}
	dist[start] = 0
	frontier := []int32{start}
	for d := 1; d <= maxDepth && len(frontier) > 0; d++ {
		var next []int32
		for _, u := range frontier {
			for _, v := range m.adj[u] {
				if dist[v] < 0 {
					dist[v] = int8(d)
					next = append(next, v)
				}
			}
		}
		frontier = next
	}
	return dist
}

// workload is the inputs every backend gets, in the same order.
type workload struct {
	Hubs      []string // highest-degree entities
	HubDegree []int
	Ordinary  []string // persons of median degree
	OrdDegree int
	Paths     [][2]string // pairs three hops apart
	Shared    [][2]string // pairs with a common neighbour
	Search    []string
	Companies []string // companies spread over the id space, for owners
	Match     []string // 1,000 person names spread over the graph, a quarter each as is, with a typo, reversed, without the first part
	// XrefIDs are the ids of every tenth of those persons, for xref when
	// the graph is larger than a whole-graph xref may be
	// (graph.MaxXrefEntities, which it refuses as too complex); empty
	// otherwise, for the whole graph. A tenth: at 1M entities xref takes
	// about 0.2 s per id (203-267 s for all 1,000 ids on the embedded store
	// under load 13, 19.5 s for 100; Neo4j 28 s for 100), and a batch runs
	// twice, warm-up and measured, on each store.
	XrefIDs []string
	AsOf    string // the date of the as-of neighbourhoods
	kindOf  map[string]graph.Kind
}

// xrefEvery is which of match's persons xref asks for by id (XrefIDs).
const xrefEvery = 10

// asOfDate is the date the as-of workloads ask about: inside the span of
// graph/synth's dates (2005-2025), so that some dated links are in force
// and some are not.
const asOfDate = "2018-06-30"

func (m *model) workload(nHubs, nOrd int) (*workload, error) {
	w := &workload{kindOf: map[string]graph.Kind{}, AsOf: asOfDate}
	order := make([]int32, len(m.ids))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return m.degree(b) - m.degree(a) })
	for _, i := range order[:nHubs] {
		w.Hubs = append(w.Hubs, m.ids[i])
		w.HubDegree = append(w.HubDegree, m.degree(i))
		w.kindOf[m.ids[i]] = m.kinds[i]
	}
	// Ordinary: persons whose degree is the median persons' degree, spread
	// evenly over the id space.
	var persons []int32
	for i, k := range m.kinds {
		if k == graph.KindPerson {
			persons = append(persons, int32(i))
		}
	}
	if len(persons) == 0 {
		return nil, fmt.Errorf("no persons in the graph")
	}
	degs := make([]int, len(persons))
	for i, p := range persons {
		degs[i] = m.degree(p)
	}
	slices.Sort(degs)
	w.OrdDegree = degs[len(degs)/2]
	var median []int32
	for _, p := range persons {
		if m.degree(p) == w.OrdDegree {
			median = append(median, p)
		}
	}
	step := max(1, len(median)/nOrd)
	var ords []int32
	for i := 0; i < len(median) && len(ords) < nOrd; i += step {
		ords = append(ords, median[i])
		w.Ordinary = append(w.Ordinary, m.ids[median[i]])
		w.kindOf[m.ids[median[i]]] = graph.KindPerson
	}
	for _, o := range ords {
		dist := m.bfs(o, 3)
		// Target: the first person three hops away, and a person sharing
		// a neighbour (two hops away).
		var three, two int32 = -1, -1
		for _, p := range persons {
			if three < 0 && dist[p] == 3 {
				three = p
			}
			if two < 0 && dist[p] == 2 {
				two = p
			}
			if three >= 0 && two >= 0 {
				break
			}
		}
		if three >= 0 {
			w.Paths = append(w.Paths, [2]string{m.ids[o], m.ids[three]})
		}
		if two >= 0 {
			w.Shared = append(w.Shared, [2]string{m.ids[o], m.ids[two]})
		}
	}
	if len(w.Paths) == 0 || len(w.Shared) == 0 {
		return nil, fmt.Errorf("no path or shared-associate pairs found")
	}
	var companies []int32
	for i, k := range m.kinds {
		if k == graph.KindCompany {
			companies = append(companies, int32(i))
		}
	}
	for i := 0; i < len(companies) && len(w.Companies) < nOrd; i += max(1, len(companies)/nOrd) {
		w.Companies = append(w.Companies, m.ids[companies[i]])
	}
	if len(w.Companies) == 0 {
		return nil, fmt.Errorf("no companies in the graph")
	}
	// Match: names of persons spread over the id space, varied as a
	// screening list would spell them.
	for k, i := 0, 0; i < len(persons) && len(w.Match) < 1000; i, k = i+max(1, len(persons)/1000), k+1 {
		name := m.names[persons[i]]
		toks := strings.Fields(name)
		switch k % 4 {
		case 1:
			b := []byte(name)
			b[len(b)/2] = 'x'
			name = string(b)
		case 2:
			slices.Reverse(toks)
			name = strings.Join(toks, " ")
		case 3:
			if len(toks) > 2 {
				name = strings.Join(toks[1:], " ")
			}
		}
		w.Match = append(w.Match, name)
		if len(m.ids) > m.maxXref && k%xrefEvery == 0 {
			w.XrefIDs = append(w.XrefIDs, m.ids[persons[i]])
		}
	}
	// Search: an exact full name, a first name, a three-letter prefix and
	// a one-letter typo, taken from ordinary entities' names.
	for i, o := range ords {
		name := m.names[o]
		first, _, _ := strings.Cut(name, " ")
		switch i % 4 {
		case 0:
			w.Search = append(w.Search, name)
		case 1:
			w.Search = append(w.Search, first)
		case 2:
			w.Search = append(w.Search, first[:min(3, len(first))])
		case 3:
			b := []byte(strings.ToLower(first))
			b[len(b)/2] = 'x' // one substitution
			w.Search = append(w.Search, string(b))
		}
	}
	return w, nil
}
