package seed

import (
	"slices"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
)

// The expectations below are written from the source text, not from
// dataset.json: who it names, in which network, with which role, and who
// it says was sanctioned when.

const (
	krasniqiNetwork = "organization:krasniqi-network"
	seferovicGang   = "organization:seferovic-gang"
	skaljariGang    = "organization:skaljari-gang"
	kavacGang       = "organization:kavac-gang"
	alpaNetwork     = "organization:alpa-network"
	alpaTrading     = "company:alpa-trading-fzco"
	seferovic       = "person:nusret-seferovic"
	aliDerakhshan   = "person:ali-derakhshan"
	vahidDerakhshan = "person:vahid-derakhshan"

	regime   = "Global Irregular Migration"
	listedOn = "2025-10-22" // "yesterday" in a release dated 2025-10-23
)

// member is one person the text places in a network, with the role it
// states for them.
type member struct {
	id, name, network, role string
}

// members: "Krasniqi network ... These include:" the nine people and their
// roles; "Seferović is the leader of a Croatian gang"; Ali Derakhshan
// "oversees the day-to-day operations of the ALPA network"; Vahid Derakhshan
// "involved in the financial activities of the ALPA network".
var members = []member{
	{"person:burim-krasniqi", "Burim Krasniqi", krasniqiNetwork, "leader"},
	{"person:arif-krasniqi", "Arif Krasniqi", krasniqiNetwork, "intermediary"},
	{"person:flamur-krasniqi", "Flamur Krasniqi", krasniqiNetwork, "holder of forged documents"},
	{"person:valon-krasniqi", "Valon Krasniqi", krasniqiNetwork, "forger"},
	{"person:sami-duriqi", "Sami Duriqi", krasniqiNetwork, "forger"},
	{"person:granit-avdyli", "Granit Avdyli", krasniqiNetwork, "forger and advertiser"},
	{"person:nexhmije-selmani", "Nexhmije Selmani", krasniqiNetwork, "premises provider and equipment procurer"},
	{"person:endrit-ermellahu", "Endrit Ermellahu", krasniqiNetwork, "forger"},
	{"person:shkembim-ermellahu", "Shkembim Ermellahu", krasniqiNetwork, "holder of forged documents"},
	{seferovic, "Nusret Seferović", seferovicGang, "leader"},
	{aliDerakhshan, "Ali Derakhshan", alpaNetwork, "day-to-day operations"},
	{vahidDerakhshan, "Vahid Derakhshan", alpaNetwork, "financial activities"},
}

// organisations the text names as part of the criminal networks, with the
// country it states for them ("Kosovo-based", "a Croatian gang").
var organisations = []struct {
	id, name  string
	kind      graph.Kind
	countries []string
}{
	{krasniqiNetwork, "Krasniqi network", graph.KindOrganization, []string{"Kosovo"}},
	{seferovicGang, "Seferović gang", graph.KindOrganization, []string{"Croatia"}},
	{skaljariGang, "Škaljari gang", graph.KindOrganization, nil},
	{kavacGang, "Kavač gang", graph.KindOrganization, nil},
	{alpaNetwork, "ALPA network", graph.KindOrganization, nil},
	{alpaTrading, "ALPA Trading FZCO", graph.KindCompany, nil},
}

// sanctionedYesterday: the nine Krasniqi people ("Targeted yesterday"),
// Seferović ("has also been sanctioned") and the three listed after
// "sanctioned yesterday are:". Individuals get a travel ban, the company an
// asset freeze only.
func sanctionedYesterday() map[string][]string {
	people := []string{"asset freeze", "travel ban"}
	out := map[string][]string{alpaTrading: {"asset freeze"}}
	for _, m := range members {
		out[m.id] = people
	}
	return out
}

// checkFacts asserts the source text's facts on a whole-graph snapshot.
func checkFacts(t *testing.T, g graph.Subgraph) {
	t.Helper()
	byID := map[string]graph.Entity{}
	kinds := map[graph.Kind]int{}
	for _, e := range g.Nodes {
		byID[e.ID] = e
		kinds[e.Kind]++
	}
	want := wantKinds()
	for _, k := range graph.Kinds {
		if kinds[k] != want[k] {
			t.Errorf("%d entities of kind %s, want %d", kinds[k], k, want[k])
		}
	}

	for _, m := range members {
		e, ok := byID[m.id]
		switch {
		case !ok:
			t.Errorf("missing %s (%s)", m.id, m.name)
		case e.Kind != graph.KindPerson || e.Name != m.name:
			t.Errorf("%s: %s %q, want PERSON %q", m.id, e.Kind, e.Name, m.name)
		case len(e.Countries) != 0:
			t.Errorf("%s: countries %v, but the text states none for a person", m.id, e.Countries)
		}
	}
	for _, o := range organisations {
		e, ok := byID[o.id]
		switch {
		case !ok:
			t.Errorf("missing %s (%s)", o.id, o.name)
		case e.Kind != o.kind || e.Name != o.name:
			t.Errorf("%s: %s %q, want %s %q", o.id, e.Kind, e.Name, o.kind, o.name)
		case !slices.Equal(e.Countries, o.countries):
			t.Errorf("%s: countries %v, want %v", o.id, e.Countries, o.countries)
		}
	}
	if e := byID[seferovic]; !slices.Contains(e.Aliases, "Seferovic") {
		t.Errorf("%s: aliases %v lack the text's spelling \"Seferovic\"", seferovic, e.Aliases)
	}
	for _, e := range g.Nodes {
		for _, outsider := range []string{"Starmer", "Cooper", "Frontex", "FCDO", "Home Office", "Kosovan authorities"} {
			if strings.Contains(e.Name, outsider) {
				t.Errorf("%s %q is not part of the networks", e.ID, e.Name)
			}
		}
	}

	checkLinks(t, g, byID)
	checkThings(t, g, byID)
	checkDesignations(t, byID)
}

// wantKinds counts the entities of each kind the text states: the
// members, the organisations and the things it describes without naming.
func wantKinds() map[graph.Kind]int {
	out := thingKinds()
	out[graph.KindPerson] += len(members)
	for _, o := range organisations {
		out[o.kind]++
	}
	return out
}

// wantLinkTypes counts the links of each type the text states.
func wantLinkTypes() map[graph.LinkType]int {
	out := thingLinks()
	out[graph.LinkMemberOf] += len(members)
	out[graph.LinkSupplies] += 2 // Seferović's gang to the Škaljari and Kavač gangs
	out[graph.LinkPartOf]++      // ALPA Trading FZCO within the ALPA network
	return out
}

func checkLinks(t *testing.T, g graph.Subgraph, byID map[string]graph.Entity) {
	t.Helper()
	types := map[graph.LinkType]int{}
	memberships := map[string][]graph.Link{} // by source
	has := func(typ graph.LinkType, src, tgt string) *graph.Link {
		for i, l := range g.Links {
			if l.Type == typ && l.Source == src && l.Target == tgt {
				return &g.Links[i]
			}
		}
		return nil
	}
	for _, l := range g.Links {
		types[l.Type]++
		if _, ok := byID[l.Source]; !ok {
			t.Errorf("link %s: unknown source %s", l.ID, l.Source)
		}
		if _, ok := byID[l.Target]; !ok {
			t.Errorf("link %s: unknown target %s", l.ID, l.Target)
		}
		if l.Type == graph.LinkMemberOf {
			memberships[l.Source] = append(memberships[l.Source], l)
		}
		if l.Description == "" {
			t.Errorf("link %s has no description", l.ID)
		}
		if ends := []string{l.Source, l.Target}; slices.Contains(ends, aliDerakhshan) && slices.Contains(ends, vahidDerakhshan) {
			t.Errorf("link %s ties the Derakhshans, but the text states no tie between them", l.ID)
		}
	}
	want := wantLinkTypes()
	for _, lt := range graph.LinkTypes {
		if types[lt] != want[lt] {
			t.Errorf("%d links of type %s, want %d", types[lt], lt, want[lt])
		}
	}

	for _, m := range members {
		ls := memberships[m.id]
		if len(ls) != 1 {
			t.Errorf("%s: %d MEMBER_OF links, want 1", m.id, len(ls))
			continue
		}
		l := ls[0]
		if l.Target != m.network || l.Role != m.role {
			t.Errorf("%s: MEMBER_OF %s as %q, want %s as %q", m.id, l.Target, l.Role, m.network, m.role)
		}
		// The cited text must be about this person.
		surname := m.name[strings.LastIndex(m.name, " ")+1:]
		if !slices.ContainsFunc(l.Sources, func(r graph.SourceRef) bool { return strings.Contains(r.Quote, surname) }) {
			t.Errorf("%s: no source of the membership names %s", m.id, surname)
		}
	}

	// "These were then sold to organised crime groups, including the
	// Škaljari and Kavač gangs" — false Croatian passports.
	for _, buyer := range []string{skaljariGang, kavacGang} {
		l := has(graph.LinkSupplies, seferovicGang, buyer)
		if l == nil {
			t.Errorf("no SUPPLIES link %s -> %s", seferovicGang, buyer)
			continue
		}
		if !strings.Contains(l.Description, "false Croatian passports") {
			t.Errorf("%s: description %q does not say what was supplied", l.ID, l.Description)
		}
		name := strings.TrimSuffix(byID[buyer].Name, " gang")
		if !slices.ContainsFunc(l.Sources, func(r graph.SourceRef) bool { return strings.Contains(r.Quote, name) }) {
			t.Errorf("%s: no source names %s", l.ID, name)
		}
	}
	// "ALPA Trading FZCO, a company within the ALPA network"
	if has(graph.LinkPartOf, alpaTrading, alpaNetwork) == nil {
		t.Errorf("no PART_OF link %s -> %s", alpaTrading, alpaNetwork)
	}
}

func checkDesignations(t *testing.T, byID map[string]graph.Entity) {
	t.Helper()
	// "the Škaljari and Kavač gangs, both of which are sanctioned under the
	// UK’s Global Irregular Migration Sanctions Regime": no date, no measures.
	undated := map[string]bool{skaljariGang: true, kavacGang: true}
	yesterday := sanctionedYesterday()
	for id, e := range byID {
		for _, d := range e.Designations {
			if d.Regime != regime || d.Authority != "UK" {
				t.Errorf("%s: designation %s/%s, want %s/UK", id, d.Regime, d.Authority, regime)
			}
			if slices.Contains(d.Measures, "director disqualification") {
				t.Errorf("%s: the text names no one subject to director disqualification", id)
			}
		}
		measures, dated := yesterday[id]
		switch {
		case dated:
			if len(e.Designations) != 1 {
				t.Errorf("%s: %d designations, want 1", id, len(e.Designations))
				continue
			}
			d := e.Designations[0]
			if d.ListedOn != listedOn || !slices.Equal(d.Measures, measures) {
				t.Errorf("%s: listed on %q with %v, want %s with %v", id, d.ListedOn, d.Measures, listedOn, measures)
			}
		case undated[id]:
			if len(e.Designations) != 1 || e.Designations[0].ListedOn != "" || len(e.Designations[0].Measures) != 0 {
				t.Errorf("%s: designations %+v, want one without date or measures", id, e.Designations)
			}
		default:
			// The networks and Seferović's gang are not themselves listed
			// (README.md explains the reading).
			if e.Sanctioned() {
				t.Errorf("%s: designated, but the text lists no designation of it", id)
			}
		}
	}
	if n := len(yesterday); n != 13 {
		t.Fatalf("expected 13 designations of 2025-10-22, the table has %d", n)
	}
}
