package embedded

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/skein-project/skein/graph"
)

// checkEvery is how many steps a walk takes between context checks.
const checkEvery = 4096

// sortByID orders node slots by entity id. Slots of the ordered run
// (memGraph.ordered) alone sort as numbers: a hub's first level is
// thousands of ids sharing long prefixes.
func (g *memGraph) sortByID(ns []int32) {
	ordered := int32(g.ordered)
	if !slices.ContainsFunc(ns, func(n int32) bool { return n >= ordered }) {
		slices.Sort(ns)
		return
	}
	slices.SortFunc(ns, func(a, b int32) int {
		if a < ordered && b < ordered {
			return cmp.Compare(a, b)
		}
		return strings.Compare(g.nodes[a].id, g.nodes[b].id)
	})
}

// parts is what an answer's records carry: the parts sel selects (all for
// the zero Selection), or only their shapes (graph.SnapshotQuery.Topology).
type parts struct {
	sel   graph.Selection
	shape bool
}

// linksAmong returns the links passing f whose two ends are among nodes,
// ordered by id; set holds nodes (see slotsAmong for skip and loops).
func (g *memGraph) linksAmong(nodes []int32, set bitset, f filter, skip int32, loops []int32, p parts) []graph.Link {
	return g.linksOf(g.slotsAmong(nil, nodes, set, f, skip, loops), p)
}

// slotsAmong appends to ls the slots of the links passing f whose two ends
// are among nodes, unordered; set holds nodes. A link is found from its
// source, but a link of skip (-1: none) from its other end, and skip's
// self-links are those of loops whose source it is: skip is a walk's
// start or another node it went on from (bfs), and a hub's neighbourhood
// keeps a few hundred of its thousands of neighbours, whose few links each
// cost less than reading its adjacency a second time.
func (g *memGraph) slotsAmong(ls, nodes []int32, set bitset, f filter, skip int32, loops []int32) []int32 {
	for _, u := range nodes {
		if u == skip {
			continue
		}
		for _, li := range g.nodes[u].adj {
			e := &g.links[li]
			if (e.src == u && set.has(e.tgt) || e.src == skip) && f.ok(e) {
				ls = append(ls, li)
			}
		}
	}
	for _, li := range loops {
		if g.links[li].src == skip {
			ls = append(ls, li)
		}
	}
	return ls
}

// widest is the node of ns with the most links, -1 when ns is empty.
func (g *memGraph) widest(ns []int32) int32 {
	w, most := int32(-1), -1
	for _, n := range ns {
		if d := len(g.nodes[n].adj); d > most {
			w, most = n, d
		}
	}
	return w
}

// walked is how many nodes of a walk's order it went on from, given the
// ends of its levels (bfs): all but the last level's. Sorting levels in
// place and cutting the order past its limit keep them where they are
// (bfs goes on from a level only while the limit is not passed).
func walked(ends []int) int {
	if len(ends) < 2 {
		return 0
	}
	return ends[len(ends)-2]
}

// linkColumnsOf is the links of slots ls ordered by id as columns, with
// their types and ends when sel needs them (graph.LinkColumns): the ids
// are substrings of one string (sortedLinks) and the ends the nodes' own
// ids, so a hub's thousands of links cost a few slices, not a 168-byte
// record each.
func (g *memGraph) linkColumnsOf(ls []int32, sel graph.Selection) *graph.LinkColumns {
	c := &graph.LinkColumns{IDs: make([]string, len(ls))}
	ends := sel.LinkEnds()
	if ends {
		c.Types, c.Sources, c.Targets = make([]graph.LinkType, len(ls)), make([]string, len(ls)), make([]string, len(ls))
	}
	g.sortedLinks(ls, func(i int, li int32, id string) {
		c.IDs[i] = id
		if ends {
			e := &g.links[li]
			c.Types[i], c.Sources[i], c.Targets[i] = g.linkType(li), g.nodes[e.src].id, g.nodes[e.tgt].id
		}
	})
	return c
}

// linksOf decodes the links of slots ls ordered by id, or only their shapes
// (type and ends), which need no ids and cost no decoding and no
// allocation but the slice. Other links are sorted by ids built once,
// which the answer then carries.
func (g *memGraph) linksOf(ls []int32, p parts) []graph.Link {
	out := make([]graph.Link, len(ls))
	if p.shape {
		slices.SortFunc(ls, g.cmpLinks)
		for i, li := range ls {
			e := &g.links[li]
			out[i] = graph.Link{Type: g.linkType(li), Source: g.nodes[e.src].id, Target: g.nodes[e.tgt].id}
		}
		return out
	}
	g.sortedLinks(ls, func(i int, li int32, id string) { g.linkInto(&out[i], li, id, p.sel) })
	return out
}

// nodesOf is entitiesOf, or only the entities' shapes (id and kind).
func (g *memGraph) nodesOf(ns []int32, p parts) []graph.Entity {
	if !p.shape {
		return g.entitiesOf(ns, p.sel)
	}
	out := make([]graph.Entity, len(ns))
	for i, n := range ns {
		out[i] = graph.Entity{ID: g.nodes[n].id, Kind: g.nodes[n].kind}
	}
	return out
}

// entityColumnsOf is the entities ns as columns, with the kinds and names
// sel reads (graph.EntityColumns): the nodes' own strings, three slices
// for the lot.
func (g *memGraph) entityColumnsOf(ns []int32, sel graph.Selection) *graph.EntityColumns {
	c := &graph.EntityColumns{IDs: make([]string, len(ns))}
	if sel.Kinds() {
		c.Kinds = make([]graph.Kind, len(ns))
	}
	if sel.HasEntity(graph.EntityName) {
		c.Names = make([]string, len(ns))
	}
	for i, n := range ns {
		nd := &g.nodes[n]
		c.IDs[i] = nd.id
		if c.Kinds != nil {
			c.Kinds[i] = nd.kind
		}
		if c.Names != nil {
			c.Names[i] = nd.name()
		}
	}
	return c
}

// slots returns the slots of ids, or ErrNotFound naming the first missing
// one for operation op.
func (g *memGraph) slots(op string, ids []string) ([]int32, error) {
	out := make([]int32, len(ids))
	for i, id := range ids {
		n, ok := g.lookup(id)
		if !ok {
			return nil, fmt.Errorf("%s: entity %q: %w", op, id, graph.ErrNotFound)
		}
		out[i] = n
	}
	return out, nil
}

// entitiesOf decodes the parts of the entities ns that sel selects.
func (g *memGraph) entitiesOf(ns []int32, sel graph.Selection) []graph.Entity {
	out := make([]graph.Entity, len(ns))
	for i, n := range ns {
		g.nodes[n].entityInto(&out[i], sel)
	}
	return out
}

// bfs walks from the start slots over links passing f (either direction),
// up to depth hops, entering only nodes that pass enter (nil: all), and
// appends the nodes reached to w.order (empty) in the order found, level
// after level, adding them to w.seen, and the self-links of the nodes it
// went on from to w.loops; it returns where each level ends in
// w.order (level 0 is start). stop, when not nil, ends the walk early
// after a level if it returns true for the number of nodes found so far.
// The levels share one slice, which is also each level's frontier.
func (g *memGraph) bfs(ctx context.Context, w *walk, start []int32, depth int, f filter, enter func(int32) bool, stop func(total int) bool) ([]int, error) {
	// Room for the first level at least: all a depth-1 walk needs.
	room := len(start)
	for _, s := range start {
		room += len(g.nodes[s].adj)
	}
	room = min(room, len(g.nodes))
	seen := w.seen
	order := w.order[:0]
	if cap(order) < room {
		order = make([]int32, 0, max(room, len(start)))
	}
	for _, s := range start {
		seen.add(s)
	}
	order = append(order, start...)
	w.loops = w.loops[:0]
	// On every return w.order holds what w.seen holds, for releaseWalk.
	defer func() { w.order = order }()
	ends := []int{len(order)}
	begin, steps := 0, 0
	for d := 1; d <= depth && begin < len(order); d++ {
		if stop != nil && stop(len(order)) {
			break
		}
		// Appending may move order; the range reads the level it began
		// with, whose values do not change.
		end := len(order)
		for _, u := range order[begin:end] {
			for _, li := range g.nodes[u].adj {
				if steps++; steps%checkEvery == 0 {
					if err := ctxErr(ctx); err != nil {
						return nil, err
					}
				}
				e := &g.links[li]
				if !f.ok(e) {
					continue
				}
				v := e.src
				if v == u {
					v = e.tgt
				}
				if v == u {
					w.loops = append(w.loops, li)
					continue
				}
				if seen.has(v) || (enter != nil && !enter(v)) {
					continue
				}
				seen.add(v)
				order = append(order, v)
			}
		}
		begin = end
		ends = append(ends, len(order))
	}
	return ends, nil
}

// Neighborhood returns the subgraph around an entity (see
// graph.NeighborhoodQuery).
func (s *Store) Neighborhood(ctx context.Context, q graph.NeighborhoodQuery) (graph.Subgraph, error) {
	if err := q.Normalize(); err != nil {
		return graph.Subgraph{}, fmt.Errorf("neighborhood: %w", err)
	}
	var sg graph.Subgraph
	err := s.read(ctx, func(g *memGraph) error {
		start, ok := g.lookup(q.ID)
		if !ok {
			return fmt.Errorf("neighborhood: entity %q: %w", q.ID, graph.ErrNotFound)
		}
		// No kind filter, no test: a hub's first level is thousands of
		// nodes, each a read of memory the walk has no other use for.
		var enter func(int32) bool
		if kinds := graph.KindSet(q.Kinds); len(kinds) > 0 {
			enter = func(v int32) bool { return kinds.Has(g.nodes[v].kind) }
		}
		// Walking one level past the limit is enough to know whether the
		// cut dropped anything.
		stop := func(total int) bool { return total > q.Limit }
		f := newFilter(q.LinkTypes, q.When)
		w := s.walk(g)
		defer s.releaseWalk(w)
		ends, err := g.bfs(ctx, w, []int32{start}, q.Depth, f, enter, stop)
		if err != nil {
			return err
		}
		skip := g.widest(w.order[:walked(ends)])
		begin := 0
		for _, end := range ends {
			if end > q.Limit {
				// Only the least ids of the level the limit cuts are
				// kept, and only those need ordering.
				g.leastByID(w.order[begin:end], max(q.Limit-begin, 0))
			} else {
				g.sortByID(w.order[begin:end])
			}
			begin = end
		}
		order := w.order
		if len(order) > q.Limit {
			// The nodes cut are taken out of the set, which then holds
			// the answer's nodes alone; when they are many more than its
			// words (a hub's 20,000 of a million slots' 15,625), the set is
			// cleared and the kept put back, a sequential write for
			// thousands of scattered ones.
			if cut := order[q.Limit:]; len(cut) > len(w.seen) {
				clear(w.seen)
				for _, n := range order[:q.Limit] {
					w.seen.add(n)
				}
			} else {
				for _, n := range cut {
					w.seen.remove(n)
				}
			}
			order, sg.Truncated = order[:q.Limit], true
			w.order = order
		}
		if q.Select.NodeColumnar() {
			sg.NodeColumns = g.entityColumnsOf(order, q.Select)
		} else {
			sg.Nodes = g.entitiesOf(order, q.Select)
		}
		// The slots are scratch: the answer holds their ids, not them.
		w.links = g.slotsAmong(w.links[:0], order, w.seen, f, skip, w.loops)
		if q.Select.LinkColumnar() {
			sg.LinkColumns = g.linkColumnsOf(w.links, q.Select)
			return nil
		}
		sg.Links = g.linksOf(w.links, parts{sel: q.Select})
		return nil
	})
	return sg, err
}

// Paths returns simple paths between two entities in the documented order:
// a BFS from To gives every node's distance to it, and graph.WalkPaths
// enumerates the paths over the slots.
func (s *Store) Paths(ctx context.Context, q graph.PathQuery) ([]graph.Path, error) {
	if err := q.Normalize(); err != nil {
		return nil, fmt.Errorf("paths: %w", err)
	}
	out := []graph.Path{}
	err := s.read(ctx, func(g *memGraph) error {
		ends, err := g.slots("paths", []string{q.From, q.To})
		if err != nil {
			return err
		}
		from, to := ends[0], ends[1]
		f := newFilter(q.LinkTypes, q.When)
		f.dated = q.Chronological
		dist := s.distances(g)
		defer s.releaseDistances(dist)
		if err := dist.from(ctx, g, to, q.MaxHops-1, f); err != nil {
			return err
		}
		found, err := graph.WalkPaths[int32, int32](ctx, pathGraph{g, f, dist.d}, from, to, q.MaxHops, q.Limit, q.Chronological)
		if err != nil {
			return ctxErr(ctx)
		}
		for _, p := range found {
			path := graph.Path{Nodes: g.entitiesOf(p.Nodes, q.Select), Links: make([]graph.Link, len(p.Links))}
			for i, li := range p.Links {
				g.linkInto(&path.Links[i], li, g.linkID(li), q.Select)
			}
			out = append(out, path)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// pathGraph is the graph as graph.WalkPaths sees it: slots, links passing
// f, and the distances to the target.
type pathGraph struct {
	g    *memGraph
	f    filter
	dist []int8
}

func (p pathGraph) Links(u int32) []int32 { return p.g.nodes[u].adj }

func (p pathGraph) Follow(u, li int32) (int32, bool) {
	e := &p.g.links[li]
	if !p.f.ok(e) {
		return 0, false
	}
	if e.src == u {
		return e.tgt, true
	}
	return e.src, true
}

func (p pathGraph) Start(li int32) (graph.Day, bool) {
	from := p.g.links[li].span.From
	return from, from != graph.Dawn
}

func (p pathGraph) Dist(v int32) (int, bool) {
	d := p.dist[v]
	return int(d), d >= 0
}

// SharedAssociates returns the entities within Depth hops of every one of
// IDs, excluding IDs, ordered by id.
func (s *Store) SharedAssociates(ctx context.Context, q graph.SharedQuery) ([]graph.Entity, error) {
	if err := q.Normalize(); err != nil {
		return nil, fmt.Errorf("sharedAssociates: %w", err)
	}
	out := []graph.Entity{}
	err := s.read(ctx, func(g *memGraph) error {
		starts, err := g.slots("sharedAssociates", q.IDs)
		if err != nil {
			return err
		}
		var common []int32
		f := newFilter(nil, q.When)
		for i, st := range starts {
			w := s.walk(g)
			_, err := g.bfs(ctx, w, []int32{st}, q.Depth, f, nil, nil)
			if err == nil && i == 0 {
				// The first walk's order is kept; the set only lives
				// as long as the walk.
				common = slices.Clone(w.order)
			} else if err == nil {
				common = slices.DeleteFunc(common, func(n int32) bool { return !w.seen.has(n) })
			}
			s.releaseWalk(w)
			if err != nil {
				return err
			}
		}
		ns := slices.DeleteFunc(common, func(n int32) bool { return slices.Contains(starts, n) })
		g.sortByID(ns)
		out = g.entitiesOf(ns, q.Select)
		return nil
	})
	return out, err
}

// Snapshot returns the whole graph or the neighbourhood of IDs for
// analysis (see graph.SnapshotQuery).
func (s *Store) Snapshot(ctx context.Context, q graph.SnapshotQuery) (graph.Subgraph, error) {
	if err := q.Normalize(); err != nil {
		return graph.Subgraph{}, fmt.Errorf("snapshot: %w", err)
	}
	var sg graph.Subgraph
	err := s.read(ctx, func(g *memGraph) error {
		f := newFilter(q.LinkTypes, q.When)
		if len(q.IDs) == 0 {
			sg = g.whole(f, parts{sel: q.Select, shape: q.Topology})
			return nil
		}
		starts, err := g.slots("snapshot", q.IDs)
		if err != nil {
			return err
		}
		stop := func(total int) bool { return total > graph.MaxSnapshotNodes }
		w := s.walk(g)
		defer s.releaseWalk(w)
		ends, err := g.bfs(ctx, w, starts, q.Depth, f, nil, stop)
		if err != nil {
			return err
		}
		set, ns := w.seen, w.order
		skip := g.widest(ns[:walked(ends)])
		if len(ns) > graph.MaxSnapshotNodes {
			return fmt.Errorf("snapshot: more than %d entities: %w", graph.MaxSnapshotNodes, graph.ErrTooComplex)
		}
		g.sortByID(ns)
		p := parts{sel: q.Select, shape: q.Topology}
		sg.Nodes = g.nodesOf(ns, p)
		sg.Links = g.linksAmong(ns, set, f, skip, w.loops, p)
		return nil
	})
	return sg, err
}

// whole is every entity and every link passing f, or only their shapes.
// Slots are scanned in order rather than through a set: what was loaded at
// start-up is already in id order, which makes the sorts cheap.
func (g *memGraph) whole(f filter, p parts) graph.Subgraph {
	ns := make([]int32, 0, len(g.nodeIdx))
	for i := range g.nodes {
		if g.nodes[i].id != "" {
			ns = append(ns, int32(i))
		}
	}
	g.sortByID(ns)
	ls := make([]int32, 0, g.nLinks)
	for i := range g.links {
		if e := &g.links[i]; e.rest != "" && f.ok(e) {
			ls = append(ls, int32(i))
		}
	}
	return graph.Subgraph{Nodes: g.nodesOf(ns, p), Links: g.linksOf(ls, p)}
}
