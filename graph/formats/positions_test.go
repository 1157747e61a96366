package formats

import (
	"bytes"
	"context"
	"encoding/xml"
	"testing"

	"github.com/skein-project/skein/graph"
)

// A case's chart positions fill the ANX export's X and Y; the entities
// without one still get distinct grid cells; other formats and the store
// are untouched.
func TestExportPositions(t *testing.T) {
	ctx := context.Background()
	eachStore(t, func(t *testing.T, fresh func(t *testing.T) graph.Store) {
		src := fresh(t)
		loadSeed(t, src)
		seedB := seedBatch(t)
		ids := []string{seedB.Entities[0].ID, seedB.Entities[1].ID, seedB.Entities[2].ID}
		pos := map[string][2]float64{ids[0]: {-120.5, 33}, ids[1]: {0, 1e6 / 3}}
		var buf bytes.Buffer
		if err := Export(ctx, src, ANX, Scope{IDs: ids, Positions: pos}, &buf); err != nil {
			t.Fatal(err)
		}
		var chart anxChart
		if err := xml.Unmarshal(buf.Bytes(), &chart); err != nil {
			t.Fatalf("ANX is not well-formed XML: %v", err)
		}
		want := map[string][2]string{ids[0]: {"-120.5", "33"}, ids[1]: {"0", "333333.3333333333"}}
		seen := map[string]string{}
		n := 0
		for _, it := range chart.Items {
			if it.End == nil {
				continue
			}
			n++
			id := it.End.Entity.EntityID
			if w, ok := want[id]; ok && (it.End.X != w[0] || it.End.Y != w[1]) {
				t.Errorf("%s at %s,%s, want the case's %s,%s", id, it.End.X, it.End.Y, w[0], w[1])
			}
			p := it.End.X + "," + it.End.Y
			if other, dup := seen[p]; dup {
				t.Errorf("%s and %s share %s", id, other, p)
			}
			seen[p] = id
		}
		if n != len(ids) {
			t.Fatalf("%d entities in the ANX, want %d", n, len(ids))
		}
		buf.Reset()
		if err := Export(ctx, src, JSON, Scope{IDs: ids, Positions: pos}, &buf); err != nil {
			t.Fatal(err)
		}
		got, err := Decode(ctx, JSON, &buf)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range got.Entities {
			if _, ok := e.Properties["x"]; ok {
				t.Errorf("JSON export of %s carries a chart position", e.ID)
			}
		}
		e, err := src.Entity(ctx, ids[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := e.Properties["x"]; ok {
			t.Errorf("the export wrote a position into the store's %s", ids[0])
		}
	})
}
