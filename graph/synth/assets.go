package synth

import (
	"math/rand/v2"
	"strconv"

	"github.com/skein-project/skein/graph"
)

// The evidence kinds: identifications held by people, addresses shared by
// several parties, vessels and vehicles with operators, bank accounts with
// payments between them, legal entities in ownership chains. They take the
// entity indexes after the persons, one range per kind in assetKinds' order.

type assetKind struct {
	kind  graph.Kind
	slug  string
	share float64 // of Entities
}

var assetKinds = []assetKind{
	{graph.KindLegalEntity, "legal-entity", 0.01},
	{graph.KindAddress, "address", 0.03},
	{graph.KindVessel, "vessel", 0.005},
	{graph.KindVehicle, "vehicle", 0.01},
	{graph.KindBankAccount, "account", 0.03},
	{graph.KindIdentification, "identification", 0.04},
}

var countryCodes = []string{"XK", "HR", "RS", "ME", "AL", "BA", "MK", "GR", "IT", "TR", "AE", "GB", "FR", "BE", "NL"}

var documentTypes = []string{"PASSPORT", "PASSPORT", "ID_CARD", "DRIVING_LICENCE", "OTHER"}

var currencies = []string{"EUR", "EUR", "GBP", "USD", "AED", "TRY"}

var purposes = []string{"consultancy", "boat parts", "engines", "loan", "rent", "transport", "invoice"}

var shares = []float64{100, 90, 75, 60, 51, 50, 49, 40, 33.3, 25}

// assetRanges sets the first index of each asset kind's range; the persons
// end where the first begins.
func (g *generator) assetRanges() {
	n := g.cfg.Entities
	g.assetStart = make([]int, len(assetKinds)+1)
	total := 0
	for _, a := range assetKinds {
		total += max(1, int(float64(n)*a.share))
	}
	start := n - total
	for i, a := range assetKinds {
		g.assetStart[i] = start
		start += max(1, int(float64(n)*a.share))
	}
	g.assetStart[len(assetKinds)] = n
}

// asset returns the asset kind of entity index i and its number within the
// kind, or ok false for a gang, company or person.
func (g *generator) asset(i int) (kind, n int, ok bool) {
	if i < g.assetStart[0] {
		return 0, 0, false
	}
	for k := range assetKinds {
		if i < g.assetStart[k+1] {
			return k, i - g.assetStart[k], true
		}
	}
	return 0, 0, false
}

func (g *generator) assetIndex(kind, n int) int { return g.assetStart[kind] + n }

func (g *generator) assetCount(kind int) int { return g.assetStart[kind+1] - g.assetStart[kind] }

func digits(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

// assetEntity fills e, entity index i of asset kind k.
func (g *generator) assetEntity(r *rand.Rand, k, n int, e *graph.Entity) {
	a := assetKinds[k]
	e.Kind = a.kind
	cc := countryCodes[r.IntN(len(countryCodes))]
	switch a.kind {
	case graph.KindLegalEntity:
		e.Name = g.name(r, 2) + " Holdings"
		e.Properties = map[string]string{"jurisdiction": cc, "registrationNumber": "SYN" + digits(r, 8)}
	case graph.KindAddress:
		street := g.name(r, 1) + " Street " + strconv.Itoa(1+r.IntN(200))
		city := g.name(r, 1)
		e.Name = street + ", " + city
		e.Properties = map[string]string{"full": e.Name, "city": city, "postalCode": digits(r, 5), "country": cc}
	case graph.KindVessel:
		e.Name = g.name(r, 1) + " " + []string{"Star", "Wave", "Runner", "Spirit"}[r.IntN(4)]
		e.Properties = map[string]string{"imoNumber": "IMO9" + digits(r, 6), "flag": cc,
			"type": []string{"dinghy", "rigid inflatable boat", "fishing vessel", "cargo ship"}[r.IntN(4)]}
	case graph.KindVehicle:
		e.Name = []string{"Van", "Lorry", "Car"}[r.IntN(3)] + " " + digits(r, 4)
		e.Properties = map[string]string{"registrationNumber": cc + "-" + digits(r, 6)}
	case graph.KindBankAccount:
		e.Name = "Account " + digits(r, 10)
		e.Properties = map[string]string{"accountNumber": digits(r, 10), "bankName": g.name(r, 1) + " Bank", "country": cc}
	case graph.KindIdentification:
		t := documentTypes[r.IntN(len(documentTypes))]
		e.Name = "Synthetic " + t + " " + strconv.Itoa(n)
		e.Properties = map[string]string{"type": t, "number": "S" + digits(r, 8), "country": cc,
			"startDate": strconv.Itoa(2010+r.IntN(12)) + "-0" + strconv.Itoa(1+r.IntN(9))}
	}
}

// ownership draws the owners of company c (entity index ci) into s: a main owner
// (the one the generator drew: a person, a legal entity or an earlier
// company, which makes multi-level chains) with a share, sometimes a second
// one, sometimes a share the source leaves unknown; and, for one company in
// eight owned by a company, a 10% stake back in that owner, which makes
// ownership cycles. Some dated main ownerships follow a previous owner's,
// which ended the day they began (an ownership change).
func (g *generator) ownership(r *rand.Rand, c, ci, owner int, s *step) {
	newOwn := func(from, to int, pct float64) graph.Link {
		l := graph.Link{Type: graph.LinkOwns, Source: g.id(from), Target: g.id(to)}
		if pct > 0 {
			l.Properties = map[string]string{"percentage": strconv.FormatFloat(pct, 'f', -1, 64)}
		}
		return l
	}
	own := func(from, to int, pct float64) {
		l := newOwn(from, to, pct)
		g.dates.spell(&l)
		s.add(l)
	}
	if r.IntN(8) == 0 && g.assetCount(0) > 0 {
		owner = g.assetIndex(0, r.IntN(g.assetCount(0))) // a legal entity
	}
	main := shares[r.IntN(len(shares))]
	if r.IntN(20) == 0 {
		main = 0 // unknown share
	}
	current := newOwn(owner, ci, main)
	g.dates.spell(&current)
	s.add(current)
	if start, end, ok := g.dates.handover(current); ok {
		// The previous owner is a person drawn from the dates' stream, so
		// that the structure the main stream draws stays as it was.
		prev := newOwn(g.personIndex(g.dates.r.IntN(g.persons)), ci, main)
		prev.StartDate, prev.EndDate = start, end
		if prev.Source != current.Source {
			s.add(prev)
		}
	}
	if main > 0 && main < 90 && r.IntN(2) == 0 {
		second := g.personIndex(r.IntN(g.persons))
		if c > 0 && r.IntN(2) == 0 {
			second = g.gangs + r.IntN(c)
		}
		if second != owner && second != ci {
			own(second, ci, 90-main)
		}
	}
	if isCompany := owner >= g.gangs && owner < g.gangs+g.companies; isCompany && r.IntN(8) == 0 {
		own(ci, owner, 10)
	}
}

// assetLinks emits the links of the asset kinds, one step per asset.
func (g *generator) assetLinks(r *rand.Rand, s *step) error {
	party := func() int { // a person or a company
		if r.IntN(3) == 0 {
			return g.gangs + r.IntN(g.companies)
		}
		return g.personIndex(r.IntN(g.persons))
	}
	link := func(t graph.LinkType, a, b int, props map[string]string) {
		l := graph.Link{Type: t, Source: g.id(a), Target: g.id(b), Properties: props}
		if day := props["date"]; day != "" {
			l.StartDate, l.EndDate = day, day // a payment: the day it was made
		} else {
			g.dates.spell(&l)
		}
		s.add(l)
	}
	for k, a := range assetKinds {
		for n := range g.assetCount(k) {
			i := g.assetIndex(k, n)
			switch a.kind {
			case graph.KindIdentification:
				link(graph.LinkHolds, g.personIndex(r.IntN(g.persons)), i, nil)
			case graph.KindAddress: // shared by two to five parties
				for range 2 + r.IntN(4) {
					link(graph.LinkLocatedAt, party(), i, nil)
				}
			case graph.KindVessel, graph.KindVehicle:
				link(graph.LinkOperates, party(), i, nil)
				if r.IntN(2) == 0 {
					link(graph.LinkOwns, g.gangs+r.IntN(g.companies), i, map[string]string{"percentage": "100"})
				}
			case graph.KindBankAccount:
				link(graph.LinkOwns, party(), i, map[string]string{"percentage": "100"})
				for range 1 + r.IntN(4) { // payments to other accounts
					to := g.assetIndex(k, r.IntN(g.assetCount(k)))
					if to == i {
						continue
					}
					day := strconv.Itoa(2020+r.IntN(6)) + "-" + strconv.Itoa(10+r.IntN(3)) + "-" + strconv.Itoa(10+r.IntN(19))
					link(graph.LinkPays, i, to, map[string]string{
						"amount":   strconv.Itoa(100 * (1 + r.IntN(5000))),
						"currency": currencies[r.IntN(len(currencies))],
						"date":     day,
						"purpose":  purposes[r.IntN(len(purposes))],
					})
				}
			case graph.KindLegalEntity: // represented by an intermediary
				link(graph.LinkRepresents, g.personIndex(r.IntN(g.persons)), i, nil)
			}
			if err := s.end(); err != nil {
				return err
			}
		}
	}
	return nil
}
