package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
)

func searchFixture() []graph.Entity {
	return []graph.Entity{
		person("person:nusret-seferovic", "Nusret Seferović"),
		company("company:seferovic-trade", "Seferović Trade d.o.o."),
		person("person:burim-krasniqi", "Burim Krasniqi"),
		person("person:dardan-krasniqi", "Dardan Krasniqi"),
		org("org:krasniqi-network", "Krasniqi Forgery Network"),
		person("person:krasniqi", "Krasniqi"),
		person("person:arta-kelmendi", "Arta Kelmendi", "Ghost"),
		person("person:zana-leka", "Zana Leka"),
		person("person:ali-derakhshan", "Ali Derakhshan", "علی درخشان"),
	}
}

// ranked is the documented ranking of es for text (MatchScore descending,
// then id), computed here from the shared scoring function.
func ranked(text string, es []graph.Entity, kinds ...graph.Kind) []graph.SearchHit {
	q := graph.FoldTokens(text)
	var hits []graph.SearchHit
	for _, e := range es {
		if s := graph.MatchScore(q, &e); s > 0 && graph.KindSet(kinds).Has(e.Kind) {
			hits = append(hits, graph.SearchHit{Entity: e, Score: s})
		}
	}
	slices.SortFunc(hits, func(a, b graph.SearchHit) int {
		if a.Score != b.Score {
			if a.Score > b.Score {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Entity.ID, b.Entity.ID)
	})
	return hits
}

func testSearch(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	es := searchFixture()
	upsert(t, s, graph.Batch{Entities: es})

	cases := []struct {
		name  string
		text  string
		kinds []graph.Kind
		want  []string // the expected set, in any order; the order is checked against ranked
		first string   // expected first hit, when the case is about ranking
	}{
		{"folded", "seferovic", nil, []string{"company:seferovic-trade", "person:nusret-seferovic"}, ""},
		{"upper case with diacritics", "SEFEROVIĆ", nil, []string{"company:seferovic-trade", "person:nusret-seferovic"}, ""},
		{"prefix", "sefer", nil, []string{"company:seferovic-trade", "person:nusret-seferovic"}, ""},
		{"two tokens", "nusret seferovic", nil, []string{"person:nusret-seferovic"}, "person:nusret-seferovic"},
		{"token order", "Seferović Nusret", nil, []string{"person:nusret-seferovic"}, ""},
		{"typo", "krasniqu", nil, []string{"org:krasniqi-network", "person:burim-krasniqi", "person:dardan-krasniqi", "person:krasniqi"}, ""},
		{"transposition", "krasinqi", nil, []string{"org:krasniqi-network", "person:burim-krasniqi", "person:dardan-krasniqi", "person:krasniqi"}, ""},
		{"missing letter", "krasnqi", nil, []string{"org:krasniqi-network", "person:burim-krasniqi", "person:dardan-krasniqi", "person:krasniqi"}, ""},
		{"extra letters", "seferoviiic", nil, []string{"company:seferovic-trade", "person:nusret-seferovic"}, ""},
		{"exact whole name first", "krasniqi", nil, []string{"org:krasniqi-network", "person:burim-krasniqi", "person:dardan-krasniqi", "person:krasniqi"}, "person:krasniqi"},
		{"exact full name first", "Burim Krasniqi", nil, []string{"person:burim-krasniqi"}, "person:burim-krasniqi"},
		{"kind filter", "krasniqi", []graph.Kind{graph.KindOrganization}, []string{"org:krasniqi-network"}, ""},
		{"kinds filter", "krasniqi", []graph.Kind{graph.KindPerson, graph.KindCompany}, []string{"person:burim-krasniqi", "person:dardan-krasniqi", "person:krasniqi"}, ""},
		{"alias", "ghost", nil, []string{"person:arta-kelmendi"}, ""},
		{"non-latin alias", "درخشان", nil, []string{"person:ali-derakhshan"}, ""},
		{"every token must match", "burim zzzzzz", nil, nil, ""},
		{"no match", "qwertyuiop", nil, nil, ""},
		{"short tokens need exactness", "zna", nil, nil, ""},
		{"punctuation ignored", "  krasniqi,  burim! ", nil, []string{"person:burim-krasniqi"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, err := s.Search(ctx, graph.SearchQuery{Text: c.text, Kinds: c.kinds})
			if err != nil {
				t.Fatal(err)
			}
			got := hitIDs(res.Hits)
			set := slices.Sorted(slices.Values(got))
			eqStrings(t, "matches", set, c.want)
			eqStrings(t, "ranking", got, hitIDs(ranked(c.text, es, c.kinds...)))
			if c.first != "" && (len(got) == 0 || got[0] != c.first) {
				t.Errorf("first hit %v, want %s", got, c.first)
			}
			if res.TotalCount != len(c.want) || res.HasNextPage {
				t.Errorf("totalCount %d hasNextPage %v, want %d false", res.TotalCount, res.HasNextPage, len(c.want))
			}
			want := ranked(c.text, es, c.kinds...)
			for i, h := range res.Hits {
				if i < len(want) && h.Score != want[i].Score {
					t.Errorf("hit %s score %v, want %v", h.Entity.ID, h.Score, want[i].Score)
				}
				if h.Cursor == "" {
					t.Errorf("hit %s without cursor", h.Entity.ID)
				}
			}
			if len(res.Hits) > 0 {
				eqEntity(t, "hit record", res.Hits[0].Entity, want[0].Entity)
			}
		})
	}

	t.Run("Paging", func(t *testing.T) { testSearchPaging(t, open) })
	t.Run("Crowded", func(t *testing.T) { testSearchCrowded(t, open) })

	t.Run("Errors", func(t *testing.T) {
		for name, q := range map[string]graph.SearchQuery{
			"empty":         {Text: ""},
			"blank":         {Text: "   "},
			"no letters":    {Text: "!!! ---"},
			"too long":      {Text: strings.Repeat("a", graph.MaxQueryText+1)},
			"first too big": {Text: "krasniqi", First: graph.MaxFirst + 1},
			"negative":      {Text: "krasniqi", First: -1},
			"bad cursor":    {Text: "krasniqi", After: "%%%not-a-cursor"},
			"bad kind":      {Text: "krasniqi", Kinds: []graph.Kind{"ALIEN"}},
		} {
			_, err := s.Search(ctx, q)
			wantErr(t, name, err, graph.ErrInvalid)
		}
	})
}

func testSearchPaging(t *testing.T, open Opener) {
	ctx := context.Background()
	s := open(t)
	// Names that tie and differ in score, so paging crosses ties.
	patterns := []string{"Vlora Member %02d", "Member", "Membership Fund %02d", "Vlora Member"}
	var es []graph.Entity
	for i := range 25 {
		name := patterns[i%len(patterns)]
		if strings.Contains(name, "%") {
			name = fmt.Sprintf(name, i)
		}
		es = append(es, person(fmt.Sprintf("person:m%02d", i), name))
	}
	upsert(t, s, graph.Batch{Entities: es})

	all, err := s.Search(ctx, graph.SearchQuery{Text: "member", First: graph.MaxFirst})
	if err != nil {
		t.Fatal(err)
	}
	if all.TotalCount != 25 || len(all.Hits) != 25 || all.HasNextPage {
		t.Fatalf("all: totalCount %d, %d hits, hasNextPage %v", all.TotalCount, len(all.Hits), all.HasNextPage)
	}
	eqStrings(t, "full ranking", hitIDs(all.Hits), hitIDs(ranked("member", es)))

	var paged []string
	after := ""
	for page := 0; ; page++ {
		res, err := s.Search(ctx, graph.SearchQuery{Text: "member", First: 10, After: after})
		if err != nil {
			t.Fatal(err)
		}
		if res.TotalCount != 25 {
			t.Errorf("page %d totalCount %d", page, res.TotalCount)
		}
		paged = append(paged, hitIDs(res.Hits)...)
		if wantNext := page < 2; res.HasNextPage != wantNext {
			t.Errorf("page %d hasNextPage %v", page, res.HasNextPage)
		}
		if len(res.Hits) > 0 && res.EndCursor != res.Hits[len(res.Hits)-1].Cursor {
			t.Errorf("page %d endCursor is not the last hit's cursor", page)
		}
		if !res.HasNextPage || page > 3 {
			break
		}
		after = res.EndCursor
	}
	eqStrings(t, "pages joined", paged, hitIDs(all.Hits))

	// A cursor stays valid after writes: the next page starts right after
	// the cursor's position in the new ranking.
	first, err := s.Search(ctx, graph.SearchQuery{Text: "member", First: 10})
	if err != nil {
		t.Fatal(err)
	}
	added := []graph.Entity{person("person:a-top", "Member"), person("person:m10a", "Vlora Member 10a"), person("person:zz", "Membership Fund Zeta Omega")}
	upsert(t, s, graph.Batch{Entities: added})
	last := first.Hits[len(first.Hits)-1].Entity.ID
	if err := s.DeleteEntity(ctx, last); err != nil { // even the cursor's own entity may go
		t.Fatal(err)
	}
	now := slices.DeleteFunc(append(slices.Clone(es), added...), func(e graph.Entity) bool { return e.ID == last })
	want := ranked("member", now)
	lastHit := first.Hits[len(first.Hits)-1]
	start := len(want)
	for i, h := range want {
		if h.Score < lastHit.Score || (h.Score == lastHit.Score && h.Entity.ID > lastHit.Entity.ID) {
			start = i
			break
		}
	}
	next, err := s.Search(ctx, graph.SearchQuery{Text: "member", First: 10, After: first.EndCursor})
	if err != nil {
		t.Fatal(err)
	}
	eqStrings(t, "page after writes", hitIDs(next.Hits), hitIDs(want[start:min(start+10, len(want))]))
	if next.TotalCount != 27 {
		t.Errorf("totalCount after writes %d, want 27", next.TotalCount)
	}
	for _, id := range hitIDs(next.Hits) {
		if slices.Contains(hitIDs(first.Hits), id) {
			t.Errorf("%s on both pages", id)
		}
	}
}
