package formats

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
)

func TestRoundTripCrafted(t *testing.T) {
	for _, f := range fullModel {
		t.Run(string(f), func(t *testing.T) {
			in := crafted()
			data := encode(t, f, in)
			got, err := Decode(context.Background(), f, bytes.NewReader(data))
			if err != nil {
				t.Fatalf("Decode: %v\n%s", err, data)
			}
			assertSameBatch(t, byID(in), byID(got)) // FtM writes some links on their entity's record
		})
	}
}

func TestRoundTripSeed(t *testing.T) {
	for _, f := range fullModel {
		t.Run(string(f), func(t *testing.T) {
			in := seedBatch(t)
			if len(in.Entities) == 0 || len(in.Links) == 0 || len(in.Documents) == 0 {
				t.Fatal("seed is empty")
			}
			got, err := Decode(context.Background(), f, bytes.NewReader(encode(t, f, in)))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			assertSameBatch(t, byID(in), byID(got))
		})
	}
}

// An empty batch is a valid file in every format and reads back empty.
func TestRoundTripEmpty(t *testing.T) {
	for _, f := range Formats() {
		t.Run(string(f), func(t *testing.T) {
			data := encode(t, f, graph.Batch{})
			if len(data) == 0 {
				if f == FtM {
					return // no records, no lines
				}
				t.Fatal("empty output")
			}
			if !f.CanRead() {
				return
			}
			got, err := Decode(context.Background(), f, bytes.NewReader(data))
			if err != nil {
				t.Fatalf("Decode: %v\n%s", err, data)
			}
			if !got.Empty() {
				t.Fatalf("got %+v", got)
			}
		})
	}
}

// Writing what was read gives the same bytes: the writers are
// deterministic and the readers lose nothing the writers need.
func TestReencodeIsStable(t *testing.T) {
	for _, f := range fullModel {
		t.Run(string(f), func(t *testing.T) {
			first := encode(t, f, crafted())
			b, err := Decode(context.Background(), f, bytes.NewReader(first))
			if err != nil {
				t.Fatal(err)
			}
			second := encode(t, f, b)
			if f == CSV {
				// zip headers carry timestamps; compare the decoded content.
				b2, err := Decode(context.Background(), f, bytes.NewReader(second))
				if err != nil {
					t.Fatal(err)
				}
				assertSameBatch(t, b, b2)
				return
			}
			if !bytes.Equal(first, second) {
				t.Fatalf("re-encoding differs:\n%s\n---\n%s", first, second)
			}
		})
	}
}

// GEXF has no place for documents; everything else reads back as written.
func TestRoundTripGEXF(t *testing.T) {
	for name, in := range map[string]graph.Batch{"crafted": crafted(), "seed": seedBatch(t)} {
		t.Run(name, func(t *testing.T) {
			in.Documents = nil
			data := encode(t, GEXF, in)
			got, err := Decode(context.Background(), GEXF, bytes.NewReader(data))
			if err != nil {
				t.Fatalf("Decode: %v\n%s", err, data)
			}
			assertSameBatch(t, byID(in), byID(got))
		})
	}
}

// A dynamic GEXF from another tool (Gephi): dates come from the edges'
// start and end, a node's interval is kept as free properties, a numeric
// time format is kept as it is, never read as a date.
func TestGEXFFromOtherTools(t *testing.T) {
	data := `<?xml version="1.0" encoding="UTF-8"?>
<gexf xmlns="http://gexf.net/1.2draft" version="1.2">
  <graph defaultedgetype="directed" mode="dynamic" timeformat="date">
    <attributes class="node"><attribute id="0" title="kind" type="string"/></attributes>
    <nodes>
      <node id="a" label="Alice" start="1990-01-01"><attvalues><attvalue for="0" value="PERSON"/></attvalues></node>
      <node id="b" label="Bob"><attvalues><attvalue for="0" value="PERSON"/></attvalues></node>
    </nodes>
    <edges>
      <edge id="e1" source="a" target="b" start="2019-03-01" end="2020-01-31T12:00:00"/>
      <edge source="b" target="a" weight="2"/>
    </edges>
  </graph>
</gexf>`
	b, err := Decode(context.Background(), GEXF, strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Entities) != 2 || b.Entities[0].Name != "Alice" || b.Entities[0].Properties["start"] != "1990-01-01" {
		t.Errorf("entities %+v", b.Entities)
	}
	if len(b.Links) != 2 {
		t.Fatalf("links %+v", b.Links)
	}
	l := b.Links[0]
	if l.ID != "e1" || l.Type != graph.LinkLinkedTo || l.StartDate != "2019-03-01" || l.EndDate != "2020-01-31" {
		t.Errorf("dated edge read as %+v", l)
	}
	if b.Links[1].ID == "" || b.Links[1].Weight != 2 {
		t.Errorf("edge without id read as %+v", b.Links[1])
	}
	numeric := strings.Replace(data, `timeformat="date"`, `timeformat="double"`, 1)
	numeric = strings.Replace(numeric, `start="2019-03-01" end="2020-01-31T12:00:00"`, `start="3.5"`, 1)
	b, err = Decode(context.Background(), GEXF, strings.NewReader(numeric))
	if err != nil {
		t.Fatal(err)
	}
	if l := b.Links[0]; l.StartDate != "" || l.Properties["start"] != "3.5" {
		t.Errorf("numeric time read as %+v", l)
	}
}
