package seed

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/embedded"
	"github.com/skein-project/skein/graph/neo4j"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

// cyrillic is how each designated person's name is written in Serbian
// Cyrillic, as a screening list from the region may give it: test input,
// not a fact of the seed (the source writes the names in Latin only).
var cyrillic = map[string]string{
	"person:burim-krasniqi":     "Бурим Краснићи",
	"person:arif-krasniqi":      "Ариф Краснићи",
	"person:flamur-krasniqi":    "Фламур Краснићи",
	"person:valon-krasniqi":     "Валон Краснићи",
	"person:sami-duriqi":        "Сами Дурићи",
	"person:granit-avdyli":      "Гранит Авдили",
	"person:nexhmije-selmani":   "Неџмије Селмани",
	"person:endrit-ermellahu":   "Ендрит Ермелаху",
	"person:shkembim-ermellahu": "Шкембим Ермелаху",
	"person:nusret-seferovic":   "Нусрет Сеферовић",
	"person:ali-derakhshan":     "Али Дерахшан",
	"person:vahid-derakhshan":   "Вахид Дерахшан",
}

// variants are the spellings a designated person must be found first
// from: without diacritics, given and family name swapped, one typo (two
// adjacent letters swapped in the longest part), in Cyrillic, and with a
// middle name the record lacks (the query's, not the seed's).
func variants(e graph.Entity) map[string]string {
	toks := strings.Fields(e.Name)
	swapped := slices.Clone(toks)
	slices.Reverse(swapped)
	long := 0
	for i, tk := range toks {
		if len(tk) > len(toks[long]) {
			long = i
		}
	}
	typo := slices.Clone(toks)
	r := []rune(typo[long])
	r[2], r[3] = r[3], r[2]
	typo[long] = string(r)
	return map[string]string{
		"no diacritics": graph.Fold(e.Name),
		"swapped order": strings.Join(swapped, " "),
		"a typo":        strings.Join(typo, " "),
		"Cyrillic":      cyrillic[e.ID],
		"middle name":   toks[0] + " Qendrim " + strings.Join(toks[1:], " "),
	}
}

func designatedPeople(t *testing.T) []graph.Entity {
	b, err := Dataset()
	if err != nil {
		t.Fatal(err)
	}
	var out []graph.Entity
	for _, e := range b.Entities {
		if e.Kind == graph.KindPerson && e.Sanctioned() {
			out = append(out, e)
		}
	}
	if len(out) < 12 {
		t.Fatalf("the seed has %d designated people, want the 12 of the source", len(out))
	}
	return out
}

// krasniqiMembers are the people the seed links to the Krasniqi network.
func krasniqiMembers(t *testing.T) []graph.Entity {
	b, err := Dataset()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, l := range b.Links {
		if l.Type == graph.LinkMemberOf && l.Target == "organization:krasniqi-network" {
			ids = append(ids, l.Source)
		}
	}
	var out []graph.Entity
	for _, e := range b.Entities {
		if slices.Contains(ids, e.ID) && e.Kind == graph.KindPerson {
			out = append(out, e)
		}
	}
	if len(out) != 9 {
		t.Fatalf("the seed has %d members of the Krasniqi network, want 9", len(out))
	}
	return out
}

func TestScreenSeed(t *testing.T) {
	people := designatedPeople(t)
	members := krasniqiMembers(t)
	teststores.Each(t, func(t *testing.T, s graph.Store) {
		ctx := context.Background()
		if err := Load(ctx, s); err != nil {
			t.Fatal(err)
		}
		// Every designated person, found first from every variant.
		var qs []graph.MatchQuery
		var want []string
		for _, p := range people {
			for how, name := range variants(p) {
				if name == "" {
					t.Fatalf("no %s spelling of %s", how, p.ID)
				}
				qs = append(qs, graph.MatchQuery{Key: how, Kind: graph.KindPerson, Names: []string{name}})
				want = append(want, p.ID)
			}
		}
		res, err := graph.Match(ctx, s, qs, graph.MatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			if len(r.Candidates) == 0 || r.Candidates[0].Entity.ID != want[i] || !r.Candidates[0].Match {
				t.Errorf("%s %q: got %v, want %s first and matched", r.Key, qs[i].Names[0], brief(r.Candidates), want[i])
				continue
			}
			c := r.Candidates[0]
			if len(c.Features) == 0 || c.Features[0].Name != graph.FeatureName || !strings.Contains(c.Features[0].Detail, qs[i].Names[0]) {
				t.Errorf("%s %q: features do not explain the name: %+v", r.Key, qs[i].Names[0], c.Features)
			}
		}

		// No Krasniqi member matched to another by surname (nor by
		// anything else), and the surname alone matches no one.
		qs = qs[:0]
		for _, m := range members {
			qs = append(qs, graph.MatchQuery{Key: m.ID, Names: []string{m.Name}})
		}
		for _, surname := range []string{"Krasniqi", "Ermellahu", "Derakhshan"} {
			qs = append(qs, graph.MatchQuery{Key: surname, Kind: graph.KindPerson, Names: []string{surname}})
		}
		res, err = graph.Match(ctx, s, qs, graph.MatchOptions{Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res {
			for _, c := range r.Candidates {
				if c.Match && c.Entity.ID != r.Key {
					t.Errorf("%s matched %s (%q) at %v: %+v", r.Key, c.Entity.ID, c.Entity.Name, c.Score, c.Features)
				}
			}
		}
		page, err := graph.Xref(ctx, s, s.(graph.Records), graph.XrefQuery{})
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Pairs) != 0 {
			t.Errorf("xref on the seed proposes %d pairs, want none (no two of its entities are the same): %v", len(page.Pairs), pairIDs(page.Pairs))
		}
	})
}

func brief(cs []graph.MatchCandidate) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = fmt.Sprintf("%s %.3f", c.Entity.ID, c.Score)
	}
	return out
}

func pairIDs(ps []graph.XrefPair) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.A.ID + "~" + p.B.ID
	}
	return out
}

// fixture is a test entity of its own, clearly not of the seed: it stands
// for a second record of a seed person, as an import from another list
// would bring. Its facts (the birth date, the alias) are the fixture's,
// stated by the fixture document, not by the seed's source.
func fixtureBatch(birth string) graph.Batch {
	doc := graph.Document{ID: "fixture:screening-test", Title: "Test fixture: a second list naming a seed person"}
	props := map[string]string{}
	if birth != "" {
		props["birthDate"] = birth
	}
	return graph.Batch{
		Documents: []graph.Document{doc},
		Entities: []graph.Entity{{
			ID: "person:fixture-nusret-seferovic", Kind: graph.KindPerson, Name: "Nusret Seferovic",
			Aliases: []string{"N. Seferović (fixture alias)"}, Properties: props,
			Sources: []graph.SourceRef{{Document: doc.ID, Quote: "fixture record of Nusret Seferovic"}},
			Designations: []graph.Designation{{Regime: "Fixture regime", Authority: "Fixture authority",
				Sources: []graph.SourceRef{{Document: doc.ID, Quote: "fixture designation"}}}},
		}},
	}
}

// TestScreenConflictingBirthDate: the same name with birth dates that
// conflict is refused however close the names; with dates that agree it
// scores higher than with none.
func TestScreenConflictingBirthDate(t *testing.T) {
	teststores.Each(t, func(t *testing.T, s graph.Store) {
		ctx := context.Background()
		if err := Load(ctx, s); err != nil {
			t.Fatal(err)
		}
		if err := s.Upsert(ctx, fixtureBatch("1971-02-03")); err != nil {
			t.Fatal(err)
		}
		res, err := graph.Match(ctx, s, []graph.MatchQuery{
			{Names: []string{"Nusret Seferovic"}, BirthDate: "1968-02-03", Kind: graph.KindPerson},
			{Names: []string{"Nusret Seferovic"}, BirthDate: "1971", Kind: graph.KindPerson},
		}, graph.MatchOptions{})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range res[0].Candidates {
			if c.Entity.ID == "person:fixture-nusret-seferovic" && (c.Match || c.Score >= graph.DefaultMatchThreshold) {
				t.Errorf("conflicting birth date still matches: %+v", c)
			}
			if c.Entity.ID == "person:nusret-seferovic" && !c.Match {
				t.Errorf("the seed's Nusret Seferović (no birth date) should still match: %+v", c)
			}
		}
		if c := res[1].Candidates; len(c) == 0 || c[0].Entity.ID != "person:fixture-nusret-seferovic" || !c[0].Match {
			t.Errorf("agreeing birth year: %v, want the fixture first", brief(c))
		}
	})
}

// TestJudgements: a DIFFERENT pair leaves xref and stays out after a
// restart; SAME merges the pair keeping both sides' sources, aliases and
// designations.
func TestJudgements(t *testing.T) {
	type reopener func(t *testing.T) (graph.Store, func(t *testing.T) graph.Store)
	stores := map[string]reopener{
		"embedded": func(t *testing.T) (graph.Store, func(t *testing.T) graph.Store) {
			dir := t.TempDir()
			open := func(t *testing.T) graph.Store {
				s, err := embedded.Open(context.Background(), dir)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = s.Close() })
				return s
			}
			return open(t), open
		},
		"neo4j": func(t *testing.T) (graph.Store, func(t *testing.T) graph.Store) {
			first := teststores.Neo4j(t)
			return first, func(t *testing.T) graph.Store {
				s, err := neo4j.Open(context.Background(), teststores.Neo4jConfig(t))
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = s.Close() })
				return s
			}
		},
	}
	for _, name := range []string{"embedded", "neo4j"} {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			s, reopen := stores[name](t)
			if err := Load(ctx, s); err != nil {
				t.Fatal(err)
			}
			if err := s.Upsert(ctx, fixtureBatch("")); err != nil {
				t.Fatal(err)
			}
			const a, b = "person:fixture-nusret-seferovic", "person:nusret-seferovic"
			page, err := graph.Xref(ctx, s, s.(graph.Records), graph.XrefQuery{})
			if err != nil {
				t.Fatal(err)
			}
			if ids := pairIDs(page.Pairs); !slices.Contains(ids, a+"~"+b) {
				t.Fatalf("xref = %v, want the fixture's pair %s~%s", ids, a, b)
			}
			now := time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC)
			j, err := graph.Judge(ctx, s, s.(graph.Records), b, a, graph.VerdictDifferent, "editor:test", now)
			if err != nil {
				t.Fatal(err)
			}
			if j.Actor != "editor:test" || !j.At.Equal(now) || j.Verdict != graph.VerdictDifferent {
				t.Errorf("judgement = %+v", j)
			}
			for round := range 2 {
				if round == 1 {
					// Restart: close the store and open it again.
					if err := s.Close(); err != nil {
						t.Fatal(err)
					}
					s = reopen(t)
				}
				st := s
				page, err := graph.Xref(ctx, st, st.(graph.Records), graph.XrefQuery{})
				if err != nil {
					t.Fatal(err)
				}
				if ids := pairIDs(page.Pairs); slices.Contains(ids, a+"~"+b) {
					t.Errorf("round %d: the DIFFERENT pair is back in xref: %v", round, ids)
				}
				js, err := graph.AllJudgements(ctx, st.(graph.Records))
				if err != nil || len(js) != 1 || js[0].Verdict != graph.VerdictDifferent {
					t.Errorf("round %d: judgements = %+v, %v", round, js, err)
				}
			}

			// SAME: the seed's entity keeps everything of the fixture's.
			before, err := s.Entity(ctx, b)
			if err != nil {
				t.Fatal(err)
			}
			j, err = graph.Judge(ctx, s, s.(graph.Records), b, a, graph.VerdictSame, "editor:test", now.Add(time.Minute))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Entity(ctx, a); err == nil {
				t.Errorf("%s still exists after SAME", a)
			}
			got, err := s.Entity(ctx, b)
			if err != nil {
				t.Fatal(err)
			}
			fx := fixtureBatch("").Entities[0]
			for _, want := range append(before.Sources, fx.Sources...) {
				if !slices.Contains(got.Sources, want) {
					t.Errorf("merged entity lost source %+v", want)
				}
			}
			if len(got.Designations) != len(before.Designations)+1 {
				t.Errorf("merged entity has %d designations, want %d", len(got.Designations), len(before.Designations)+1)
			}
			for _, alias := range append([]string{fx.Name}, fx.Aliases...) {
				if !slices.Contains(got.Names(), alias) {
					t.Errorf("merged entity lost the name %q: %v", alias, got.Names())
				}
			}
			if j.B.ID != a || j.B.Name != fx.Name {
				t.Errorf("the SAME judgement should keep the merged entity as it was: %+v", j.B)
			}
		})
	}
}
