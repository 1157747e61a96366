package schema

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

func fmtShare(x float64) string { return strconv.FormatFloat(x, 'f', 9, 64) }

// TestOwnershipOneQuery checks that holdings, owners and
// sanctionsOwnership are one store call each and, on Neo4j, one Cypher
// query, whatever they select (figures only, or the chains with their
// nodes and links), and that selecting less changes none of the figures.
func TestOwnershipOneQuery(t *testing.T) {
	eachServer(t, Options{MaxCost: 1_000_000}, func(t *testing.T, srv *server) {
		loadOwnership(t, srv)
		query := func(q string) json.RawMessage {
			t.Helper()
			c0, r0 := srv.store.calls.Load(), srv.store.roundTrips()
			res := srv.post(q, nil)
			if len(res.Errors) > 0 {
				t.Fatalf("%s: %+v", q, res.Errors)
			}
			if calls := srv.store.calls.Load() - c0; calls != 1 {
				t.Errorf("%s: %d store calls, want 1", q, calls)
			}
			if r0 >= 0 {
				if trips := srv.store.roundTrips() - r0; trips != 1 {
					t.Errorf("%s: %d Cypher queries, want 1", q, trips)
				}
			}
			return res.Data
		}
		type ownership struct {
			Owner, Asset struct{ ID, Name string }
			Share        float64
			Direct       *float64
			Complete     bool
			Paths        []struct{ Nodes []struct{ ID string } }
		}
		figures := func(ws []ownership) string {
			var b strings.Builder
			for _, w := range ws {
				b.WriteString(w.Owner.ID + ">" + w.Asset.ID + " " + fmtShare(w.Share))
				if w.Direct != nil {
					b.WriteString(" direct " + fmtShare(*w.Direct))
				}
				if !w.Complete {
					b.WriteString(" incomplete")
				}
				b.WriteString("; ")
			}
			return b.String()
		}
		for _, root := range []string{`holdings(id: "person:own-d")`, `owners(id: "company:own-c")`} {
			field := strings.SplitN(root, "(", 2)[0]
			read := func(data json.RawMessage) []ownership {
				t.Helper()
				var m map[string][]ownership
				if err := json.Unmarshal(data, &m); err != nil {
					t.Fatal(err)
				}
				return m[field]
			}
			full := read(query(`{ ` + root + ` { owner { id name description designations { regime } } asset { id name aliases }
				share direct complete paths { nodes { id name } links { id type percentage sources { quote } } } unknownPaths { nodes { id } links { id } } } }`))
			slim := read(query(`{ ` + root + ` { owner { id } asset { id } share direct complete } }`))
			if len(full) == 0 {
				t.Fatalf("%s: no answer", root)
			}
			if a, b := figures(slim), figures(full); a != b {
				t.Errorf("%s: figures only %s, with the chains %s", root, a, b)
			}
			for _, w := range full {
				if w.Owner.Name == "" || w.Asset.Name == "" || (w.Complete && len(w.Paths) == 0) {
					t.Errorf("%s: %+v without names or chains", root, w)
				}
				for _, p := range w.Paths {
					if p.Nodes[0].ID != w.Owner.ID || p.Nodes[len(p.Nodes)-1].ID != w.Asset.ID {
						t.Errorf("%s: chain %v does not run from %s to %s", root, p.Nodes, w.Owner.ID, w.Asset.ID)
					}
				}
			}
		}

		type finding struct {
			Asset     struct{ ID, Name string }
			Share     float64
			Statement string
			Owners    []ownership
		}
		findings := func(data json.RawMessage) []finding {
			t.Helper()
			var m struct {
				SanctionsOwnership struct{ Nodes []finding }
			}
			if err := json.Unmarshal(data, &m); err != nil {
				t.Fatal(err)
			}
			return m.SanctionsOwnership.Nodes
		}
		for _, args := range []string{"", `(combined: true, minShare: 10)`, `(asOf: "2020-01-01")`} {
			full := findings(query(`{ sanctionsOwnership` + args + ` { nodes { asset { id name } share statement
				owners { owner { id name } share direct complete paths { nodes { id } links { id } } } } } }`))
			// The statement names the asset, which is then read even
			// though the request selects only its id.
			slim := findings(query(`{ sanctionsOwnership` + args + ` { nodes { asset { id } share statement owners { owner { id } share direct complete } } } }`))
			if len(full) == 0 || len(full) != len(slim) {
				t.Fatalf("sanctionsOwnership%s: %d findings with the chains, %d without", args, len(full), len(slim))
			}
			for i := range full {
				f, s := full[i], slim[i]
				if f.Asset.ID != s.Asset.ID || f.Share != s.Share || f.Statement != s.Statement || figures(f.Owners) != figures(s.Owners) {
					t.Errorf("sanctionsOwnership%s: finding %d is %+v without the chains, %+v with", args, i, s, f)
				}
				if !strings.Contains(f.Statement, " of "+f.Asset.Name+" (") {
					t.Errorf("sanctionsOwnership%s: statement %q does not name %q", args, f.Statement, f.Asset.Name)
				}
			}
		}
	})
}
