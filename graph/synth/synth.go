package synth

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"

	"github.com/skein-project/skein/graph"
)

// Config sets the size and randomness of a generated network.
type Config struct {
	Entities  int    // total entities (persons, gangs, companies)
	Seed      uint64 // same seed, same graph
	BatchSize int    // records per emitted batch (default 10,000)
}

// Sizes of the parts, as fractions of Entities.
const (
	gangShare    = 0.04
	companyShare = 0.20
	designated   = 0.03 // share of entities with a designation
	linksPerNode = 5
)

var countries = []string{"Kosovo", "Croatia", "Serbia", "Montenegro", "Albania", "Bosnia and Herzegovina",
	"North Macedonia", "Greece", "Italy", "Turkey", "United Arab Emirates", "United Kingdom", "France", "Belgium", "Netherlands"}

var syllables = []string{"ka", "ri", "mo", "ve", "lan", "dor", "sa", "ni", "to", "bek", "ra", "zi", "lu", "men", "go", "ta", "vi", "dra", "shi", "el"}

var personRoles = []string{"member", "member", "member", "member", "intermediary", "forger", "courier", "financier", "recruiter"}

// Generate emits the network in batches: every entity batch before any link
// batch, so each batch only refers to entities already emitted. emit may
// write the batch to a store (graph.Store.Upsert) or a file.
func Generate(ctx context.Context, cfg Config, emit func(graph.Batch) error) error {
	if cfg.Entities < 10 {
		return fmt.Errorf("synth: at least 10 entities: %w", graph.ErrInvalid)
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 10_000
	}
	g := newGenerator(cfg)
	out := &batcher{size: cfg.BatchSize, emit: emit}
	for i := range cfg.Entities {
		if i%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if err := out.entity(g.entity(i)); err != nil {
			return err
		}
	}
	if err := out.flush(); err != nil {
		return err
	}
	linkCount := 0
	err := g.links(func(l graph.Link) error {
		linkCount++
		if linkCount%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		return out.link(l)
	})
	if err != nil {
		return err
	}
	return out.flush()
}

type generator struct {
	cfg        Config
	rng        *rand.Rand
	gangs      int
	companies  int
	persons    int
	gangOf     []int32 // person index -> gang
	gangStart  []int   // first person index of each gang (persons are grouped by gang)
	assetStart []int   // first index of each asset kind (assets.go), then Entities
	dates      *dater  // the links' dates (dates.go)
}

// Entity index layout: [0, gangs) gangs, [gangs, gangs+companies)
// companies, then persons grouped by gang, then the asset kinds.
func newGenerator(cfg Config) *generator {
	g := &generator{cfg: cfg, rng: rand.New(rand.NewPCG(cfg.Seed, 0x5ce1)), dates: newDater(cfg.Seed)}
	g.gangs = max(1, int(float64(cfg.Entities)*gangShare))
	g.companies = int(float64(cfg.Entities) * companyShare)
	g.assetRanges()
	g.persons = g.assetStart[0] - g.gangs - g.companies
	// Heavy-tailed gang sizes: Pareto weights normalised to the persons.
	weights := make([]float64, g.gangs)
	var total float64
	for i := range weights {
		weights[i] = 1 / math.Pow(1-g.rng.Float64()*0.999, 1/1.3) // Pareto, alpha 1.3
		total += weights[i]
	}
	g.gangOf = make([]int32, g.persons)
	g.gangStart = make([]int, g.gangs+1)
	p := 0
	for i, w := range weights {
		g.gangStart[i] = p
		n := max(1, int(w/total*float64(g.persons)))
		for j := 0; j < n && p < g.persons; j++ {
			g.gangOf[p] = int32(i)
			p++
		}
	}
	for ; p < g.persons; p++ { // rounding remainder joins the last gang
		g.gangOf[p] = int32(g.gangs - 1)
	}
	g.gangStart[g.gangs] = g.persons
	return g
}

func (g *generator) id(i int) string {
	switch {
	case i < g.gangs:
		return "syn:gang:" + strconv.Itoa(i)
	case i < g.gangs+g.companies:
		return "syn:company:" + strconv.Itoa(i-g.gangs)
	}
	if k, n, ok := g.asset(i); ok {
		return "syn:" + assetKinds[k].slug + ":" + strconv.Itoa(n)
	}
	return "syn:person:" + strconv.Itoa(i-g.gangs-g.companies)
}

func (g *generator) personIndex(p int) int { return g.gangs + g.companies + p }

func (g *generator) name(r *rand.Rand, parts int) string {
	var b []byte
	for range parts {
		for range 2 + r.IntN(2) {
			b = append(b, syllables[r.IntN(len(syllables))]...)
		}
		b = append(b, ' ')
	}
	b[0] -= 'a' - 'A'
	for i := 1; i < len(b)-1; i++ {
		if b[i-1] == ' ' {
			b[i] -= 'a' - 'A'
		}
	}
	return string(b[:len(b)-1])
}

// entity makes entity i from a generator seeded by i, so entity data does
// not depend on the order of generation.
func (g *generator) entity(i int) graph.Entity {
	r := rand.New(rand.NewPCG(g.cfg.Seed, uint64(i)+1))
	e := graph.Entity{ID: g.id(i), Countries: []string{countries[r.IntN(len(countries))]}}
	switch {
	case i < g.gangs:
		e.Kind = graph.KindOrganization
		e.Name = g.name(r, 1) + " clan"
	case i < g.gangs+g.companies:
		e.Kind = graph.KindCompany
		e.Name = g.name(r, 2) + " Trading"
		if r.IntN(3) == 0 { // cross-border registration
			e.Countries = append(e.Countries, countries[r.IntN(len(countries))])
		}
	case i >= g.assetStart[0]:
		k, n, _ := g.asset(i)
		g.assetEntity(r, k, n, &e)
	default:
		e.Kind = graph.KindPerson
		e.Name = g.name(r, 2)
		if r.IntN(5) == 0 {
			e.Aliases = []string{g.name(r, 1)}
		}
	}
	if r.Float64() < designated && (i < g.assetStart[0] || e.Kind == graph.KindLegalEntity) {
		measures := []string{"asset freeze"}
		if e.Kind == graph.KindPerson {
			measures = append(measures, "travel ban")
		}
		// Listed at some point since 2012, one in six delisted later.
		d := graph.Designation{Regime: "Synthetic", Authority: "Synthetic authority", Measures: measures}
		listed := 2012 + r.IntN(lastYear-2012+1)
		d.ListedOn = fmt.Sprintf("%d-%02d-%02d", listed, 1+r.IntN(12), 1+r.IntN(28))
		if listed < lastYear && r.IntN(6) == 0 {
			d.DelistedOn = fmt.Sprintf("%d-%02d", listed+1+r.IntN(lastYear-listed), 1+r.IntN(12))
		}
		e.Designations = []graph.Designation{d}
	}
	e.Description = "Synthetic entity for benchmarks."
	return e
}

// links emits about linksPerNode links per entity, each derived id once
// (step.go).
func (g *generator) links(emit func(graph.Link) error) error {
	r := g.rng
	s := &step{emit: emit}
	link := func(t graph.LinkType, a, b int, role string) {
		l := graph.Link{Type: t, Source: g.id(a), Target: g.id(b), Role: role}
		g.dates.spell(&l)
		s.add(l)
	}
	// Membership: every person in their gang; the first of each gang leads.
	for p := range g.persons {
		gang := int(g.gangOf[p])
		role := personRoles[r.IntN(len(personRoles))]
		if p == g.gangStart[gang] {
			role = "leader"
		}
		link(graph.LinkMemberOf, g.personIndex(p), gang, role)
		if err := s.end(); err != nil {
			return err
		}
	}
	// Associates: mostly inside the gang with preferential attachment to
	// its first members (hubs), sometimes across gangs (brokers).
	for p := range g.persons {
		gang := int(g.gangOf[p])
		lo, hi := g.gangStart[gang], g.gangStart[gang+1]
		for range 4 {
			var q int
			if r.IntN(10) == 0 || hi-lo < 2 {
				q = r.IntN(g.persons)
			} else {
				// Squaring a uniform skews towards the gang's first members.
				u := r.Float64()
				q = lo + int(u*u*float64(hi-lo))
			}
			if q == p {
				continue
			}
			link(graph.LinkAssociateOf, g.personIndex(p), g.personIndex(q), "")
		}
		if r.IntN(25) == 0 && hi-lo > 1 {
			if q := lo + r.IntN(hi-lo); q != p {
				link(graph.LinkFamilyOf, g.personIndex(p), g.personIndex(q), "")
			}
		}
		if err := s.end(); err != nil {
			return err
		}
	}
	// Companies: a director, an owner (a person or another company, which
	// makes ownership chains), a few employees.
	for c := range g.companies {
		ci := g.gangs + c
		link(graph.LinkDirectorOf, g.personIndex(r.IntN(g.persons)), ci, "director")
		owner := g.personIndex(r.IntN(g.persons))
		if c > 0 && r.IntN(2) == 0 {
			owner = g.gangs + r.IntN(c) // an earlier company: chains without cycles
		}
		g.ownership(r, c, ci, owner, s)
		for range 2 + r.IntN(3) {
			link(graph.LinkEmployedBy, g.personIndex(r.IntN(g.persons)), ci, "")
		}
		if err := s.end(); err != nil {
			return err
		}
	}
	// Gangs: supply relations and alliances between gangs.
	for k := range g.gangs {
		for range 1 + r.IntN(3) {
			other := r.IntN(g.gangs)
			if other == k {
				continue
			}
			t := graph.LinkSupplies
			if r.IntN(3) == 0 {
				t = graph.LinkPartOf
			}
			link(t, k, other, "")
		}
		if err := s.end(); err != nil {
			return err
		}
	}
	return g.assetLinks(r, s)
}

// batcher groups records into batches.
type batcher struct {
	size int
	emit func(graph.Batch) error
	cur  graph.Batch
}

func (b *batcher) entity(e graph.Entity) error {
	b.cur.Entities = append(b.cur.Entities, e)
	return b.maybeFlush()
}

func (b *batcher) link(l graph.Link) error {
	b.cur.Links = append(b.cur.Links, l)
	return b.maybeFlush()
}

func (b *batcher) maybeFlush() error {
	if len(b.cur.Entities)+len(b.cur.Links) >= b.size {
		return b.flush()
	}
	return nil
}

func (b *batcher) flush() error {
	if b.cur.Empty() {
		return nil
	}
	err := b.emit(b.cur)
	b.cur = graph.Batch{}
	return err
}
