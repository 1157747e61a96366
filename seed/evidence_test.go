package seed

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
)

// The things the source says exist but does not name: the premises Nexhmije
// Selmani provided, the false documents the Krasniqi network created, the
// forged documents two members were found with, and Seferović's false
// Croatian passports. Written from the text: each is described, never given
// an address, a number, a holder or a country the text does not state.

// tie is one link the text states between a thing and a party: "from" is
// the link's other end, the thing is always its target.
type tie struct {
	typ  graph.LinkType
	from string
	role string
}

type thing struct {
	id    string
	kind  graph.Kind
	props map[string]string // every typed field the text gives; nothing else
	quote string            // a phrase its source must contain
	ties  []tie
}

var things = []thing{
	// "Nexhmije Selmani, provided premises used by the group for document
	// forgery": no street, town or country.
	{"address:krasniqi-network-forgery-premises", graph.KindAddress, nil, "provided premises used by the group for document forgery",
		[]tie{{graph.LinkLinkedTo, "person:nexhmije-selmani", "provided"}, {graph.LinkLocatedAt, krasniqiNetwork, ""}}},
	// "The group created false passports, IDs and driving licenses for over
	// 50 countries": three types, no one issuing country.
	{"identification:krasniqi-network-false-passports", graph.KindIdentification, map[string]string{"type": "PASSPORT"}, "created false passports",
		[]tie{{graph.LinkLinkedTo, krasniqiNetwork, "created"}}},
	{"identification:krasniqi-network-false-ids", graph.KindIdentification, map[string]string{"type": "ID_CARD"}, "IDs",
		[]tie{{graph.LinkLinkedTo, krasniqiNetwork, "created"}}},
	{"identification:krasniqi-network-false-driving-licences", graph.KindIdentification, map[string]string{"type": "DRIVING_LICENCE"}, "driving licenses",
		[]tie{{graph.LinkLinkedTo, krasniqiNetwork, "created"}}},
	// "found in possession of forged documents": of no stated type.
	{"identification:forged-documents-held-by-flamur-krasniqi", graph.KindIdentification, nil, "Flamur Krasniqi, a member of the group found in possession of forged documents",
		[]tie{{graph.LinkHolds, "person:flamur-krasniqi", ""}}},
	{"identification:forged-documents-held-by-shkembim-ermellahu", graph.KindIdentification, nil, "Shkembim Ermellahu, a member of the group found in possession of forged documents",
		[]tie{{graph.LinkHolds, "person:shkembim-ermellahu", ""}}},
	// "supplied false Croatian passports"; "used their identities to
	// procure false passports": passports, of Croatia.
	{"identification:false-croatian-passports-procured-by-nusret-seferovic", graph.KindIdentification, map[string]string{"type": "PASSPORT", "country": "HR"}, "false Croatian passports",
		[]tie{{graph.LinkLinkedTo, seferovic, "procured"}}},
}

// thingLinks counts the links of each type the things table states.
func thingLinks() map[graph.LinkType]int {
	out := map[graph.LinkType]int{}
	for _, th := range things {
		for _, tt := range th.ties {
			out[tt.typ]++
		}
	}
	return out
}

// thingKinds counts the things of each kind.
func thingKinds() map[graph.Kind]int {
	out := map[graph.Kind]int{}
	for _, th := range things {
		out[th.kind]++
	}
	return out
}

// checkThings asserts the things on a whole-graph snapshot, and that no
// entity or link of the graph carries a typed value the text does not give.
func checkThings(t *testing.T, g graph.Subgraph, byID map[string]graph.Entity) {
	t.Helper()
	want := map[string]thing{}
	for _, th := range things {
		want[th.id] = th
		e, ok := byID[th.id]
		switch {
		case !ok:
			t.Errorf("missing %s", th.id)
			continue
		case e.Kind != th.kind:
			t.Errorf("%s: kind %s, want %s", th.id, e.Kind, th.kind)
		case len(e.Countries) != 0:
			t.Errorf("%s: countries %v, but the text places it nowhere", th.id, e.Countries)
		case e.Description == "":
			t.Errorf("%s has no description", th.id)
		}
		if !slices.ContainsFunc(e.Sources, func(r graph.SourceRef) bool { return strings.Contains(r.Quote, th.quote) }) {
			t.Errorf("%s: no source quotes %q", th.id, th.quote)
		}
		var ties []string
		for _, l := range g.Links {
			if l.Source == th.id || l.Target == th.id {
				ties = append(ties, fmt.Sprintf("%s %s -> %s %q", l.Type, l.Source, l.Target, l.Role))
			}
		}
		var wantTies []string
		for _, tt := range th.ties {
			wantTies = append(wantTies, fmt.Sprintf("%s %s -> %s %q", tt.typ, tt.from, th.id, tt.role))
		}
		slices.Sort(ties)
		slices.Sort(wantTies)
		if !slices.Equal(ties, wantTies) {
			t.Errorf("%s: links\n%s\nwant\n%s", th.id, strings.Join(ties, "\n"), strings.Join(wantTies, "\n"))
		}
	}
	// Nothing un-sourced: only the things above carry typed values, exactly
	// the ones the text gives; no entity has a number, an address, a share
	// or any other property, and no link has a quantity.
	for _, e := range g.Nodes {
		if !maps.Equal(e.Properties, want[e.ID].props) {
			t.Errorf("%s: properties %v, want %v (what the text states)", e.ID, e.Properties, want[e.ID].props)
		}
		if _, ok := want[e.ID]; !ok && e.Kind != graph.KindPerson && e.Kind != graph.KindOrganization && e.Kind != graph.KindCompany {
			t.Errorf("%s: a %s the text does not describe", e.ID, e.Kind)
		}
	}
	for _, l := range g.Links {
		if len(l.Properties) != 0 || l.StartDate != "" || l.EndDate != "" {
			t.Errorf("link %s: properties %v, dates %q..%q, but the text gives none", l.ID, l.Properties, l.StartDate, l.EndDate)
		}
		if len(l.Sources) == 0 {
			t.Errorf("link %s has no source", l.ID)
		}
	}
}
