package schema

import (
	"slices"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

type candidateJSON struct {
	Entity   struct{ ID, Name string }
	Score    float64
	Match    bool
	Features []struct {
		Name   string
		Score  float64
		Detail string
	}
	Exposure []struct {
		Entity      struct{ ID string }
		Designation struct{ Regime string }
	}
}

const matchFields = `key candidates { entity { id name } score match features { name score detail } exposure { entity { id } designation { regime } } }`

func TestMatchAndJudge(t *testing.T) {
	teststores.Each(t, func(t *testing.T, s graph.Store) {
		cs := newCaseServer(t, s)
		const (
			viewer  = "viewer:vic"
			analyst = "analyst:ann"
			editor  = "editor:ed"
		)
		q := `query($qs: [MatchQuery!]!) { match(queries: $qs) { ` + matchFields + ` } }`
		vars := map[string]any{"qs": []map[string]any{
			{"key": "k1", "names": []string{"Нусрет Сеферовић"}, "kind": "PERSON"},
			{"key": "k2", "names": []string{"krasniqi vahid"}, "birthDate": "1970"},
			{"names": []string{"Vahid Derakshan"}, "countries": []string{"Iran"}},
		}}
		if codes := cs.as(viewer, q, vars, nil); !slices.Equal(codes, []string{CodeForbidden}) {
			t.Errorf("viewer's match: %v, want FORBIDDEN", codes)
		}
		var out struct {
			Match []struct {
				Key        *string
				Candidates []candidateJSON
			}
		}
		if codes := cs.as(analyst, q, vars, &out); len(codes) != 0 {
			t.Fatalf("analyst's match: %v", codes)
		}
		if len(out.Match) != 3 || out.Match[0].Key == nil || *out.Match[0].Key != "k1" || out.Match[2].Key != nil {
			t.Fatalf("match = %+v", out.Match)
		}
		top := out.Match[0].Candidates
		if len(top) == 0 || top[0].Entity.ID != "person:nusret-seferovic" || !top[0].Match || top[0].Score != 1 {
			t.Fatalf("Cyrillic Nusret Seferović: %+v", top)
		}
		var exp struct {
			SanctionsExposure []struct{ Entity struct{ ID string } }
		}
		cs.as(analyst, `{ sanctionsExposure(id: "person:nusret-seferovic") { entity { id } } }`, nil, &exp)
		var got, want []string
		for _, x := range top[0].Exposure {
			got = append(got, x.Entity.ID)
		}
		for _, x := range exp.SanctionsExposure {
			want = append(want, x.Entity.ID)
		}
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("candidate's exposure %v, want sanctionsExposure's %v", got, want)
		}
		for _, c := range out.Match[1].Candidates {
			if c.Match {
				t.Errorf("%q (a given name of one family, the surname of another) matched %s", "krasniqi vahid", c.Entity.ID)
			}
		}
		if c := out.Match[2].Candidates; len(c) == 0 || c[0].Entity.ID != "person:vahid-derakhshan" || !c[0].Match {
			t.Errorf("typo of Vahid Derakhshan: %+v", c)
		}

		// Bad input is BAD_USER_INPUT naming the query; too much is TOO_COMPLEX.
		bad := map[string]any{"qs": []map[string]any{{"names": []string{"A B"}, "birthDate": "1970-02-30"}}}
		if codes := cs.as(analyst, q, bad, nil); !slices.Equal(codes, []string{CodeBadUserInput}) {
			t.Errorf("bad birth date: %v", codes)
		}
		many := make([]map[string]any, graph.MaxMatchQueries+1)
		for i := range many {
			many[i] = map[string]any{"names": []string{"x y"}}
		}
		if codes := cs.as(analyst, q, map[string]any{"qs": many}, nil); !slices.Equal(codes, []string{CodeTooComplex}) {
			t.Errorf("too many queries: %v", codes)
		}

		// A duplicate to judge.
		if codes := cs.as(editor, `mutation { upsertEntities(input: [{id: "person:fixture-copy", kind: PERSON, name: "Nusret Seferovic"}]) { id } }`, nil, nil); len(codes) != 0 {
			t.Fatal(codes)
		}
		xq := `{ xref { totalCount nodes { a { id } b { id } score verdict features { name detail } } edges { cursor } pageInfo { hasNextPage endCursor } } }`
		type xrefJSON struct {
			Xref struct {
				TotalCount int
				Nodes      []struct {
					A, B    struct{ ID string }
					Score   float64
					Verdict *string
				}
			}
		}
		var x xrefJSON
		if codes := cs.as(analyst, xq, nil, &x); len(codes) != 0 {
			t.Fatal(codes)
		}
		if x.Xref.TotalCount != 1 || x.Xref.Nodes[0].A.ID != "person:fixture-copy" || x.Xref.Nodes[0].B.ID != "person:nusret-seferovic" {
			t.Fatalf("xref = %+v", x.Xref)
		}
		jq := `mutation($v: Verdict!) { judge(a: "person:nusret-seferovic", b: "person:fixture-copy", verdict: $v) { a { id } b { id name } verdict actor at } }`
		if codes := cs.as(analyst, jq, map[string]any{"v": "UNSURE"}, nil); !slices.Equal(codes, []string{CodeForbidden}) {
			t.Errorf("analyst's judge: %v, want FORBIDDEN", codes)
		}
		var j struct {
			Judge struct {
				A, B           struct{ ID string }
				Verdict, Actor string
				At             string
			}
		}
		if codes := cs.as(editor, jq, map[string]any{"v": "UNSURE"}, &j); len(codes) != 0 || j.Judge.Actor != editor || j.Judge.Verdict != "UNSURE" || j.Judge.At == "" {
			t.Fatalf("judge UNSURE: %v %+v", codes, j)
		}
		x = xrefJSON{}
		cs.as(analyst, xq, nil, &x)
		if x.Xref.TotalCount != 1 || x.Xref.Nodes[0].Verdict == nil || *x.Xref.Nodes[0].Verdict != "UNSURE" {
			t.Errorf("an UNSURE pair stays, flagged: %+v", x.Xref)
		}
		if codes := cs.as(editor, jq, map[string]any{"v": "DIFFERENT"}, nil); len(codes) != 0 {
			t.Fatal(codes)
		}
		x = xrefJSON{}
		cs.as(analyst, xq, nil, &x)
		if x.Xref.TotalCount != 0 {
			t.Errorf("a DIFFERENT pair is gone from xref: %+v", x.Xref)
		}
		var js struct {
			Judgements struct {
				TotalCount int
				Nodes      []struct {
					Verdict, Actor string
					A, B           struct{ ID string }
				}
			}
		}
		if codes := cs.as(analyst, `{ judgements { totalCount nodes { verdict actor a { id } b { id } } } }`, nil, &js); len(codes) != 0 ||
			js.Judgements.TotalCount != 1 || js.Judgements.Nodes[0].Verdict != "DIFFERENT" || js.Judgements.Nodes[0].Actor != editor {
			t.Errorf("judgements: %v %+v", codes, js)
		}
		if codes := cs.as(editor, jq, map[string]any{"v": "SAME"}, &j); len(codes) != 0 || j.Judge.B.ID != "person:fixture-copy" {
			t.Fatalf("judge SAME: %v %+v", codes, j)
		}
		var e struct{ Entity *struct{ ID string } }
		cs.as(analyst, `{ entity(id: "person:fixture-copy") { id } }`, nil, &e)
		if e.Entity != nil {
			t.Errorf("the SAME pair's b still exists")
		}
	})
}
