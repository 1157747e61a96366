package formats

import (
	"encoding/xml"
	"slices"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
)

type anxChart struct {
	EntityTypes []struct {
		Name     string `xml:"Name,attr"`
		IconFile string `xml:"IconFile,attr"`
	} `xml:"EntityTypeCollection>EntityType"`
	Items []struct {
		Label    string `xml:"Label,attr"`
		DateTime string `xml:"DateTime,attr"`
		End      *struct {
			X      string `xml:"X,attr"`
			Y      string `xml:"Y,attr"`
			Entity struct {
				EntityID string `xml:"EntityId,attr"`
				Icon     struct {
					Type string `xml:"Type,attr"`
				} `xml:"Icon>IconStyle"`
			} `xml:"Entity"`
		} `xml:"End"`
		Link *struct {
			End1 string `xml:"End1Id,attr"`
			End2 string `xml:"End2Id,attr"`
		} `xml:"Link"`
		Attributes []struct {
			Class string `xml:"AttributeClass,attr"`
			Value string `xml:"Value,attr"`
		} `xml:"AttributeCollection>Attribute"`
	} `xml:"ChartItemCollection>ChartItem"`
}

func TestANX(t *testing.T) {
	b := crafted()
	// A saved chart position for one entity.
	b.Entities[1].Properties = map[string]string{"x": "12.5", "y": "-40"}
	b.Links[1].StartDate = "2020-03-04"
	var chart anxChart
	if err := xml.Unmarshal(encode(t, ANX, b), &chart); err != nil {
		t.Fatalf("ANX is not well-formed XML: %v", err)
	}
	types := map[string]bool{}
	for _, et := range chart.EntityTypes {
		types[et.Name] = et.IconFile != ""
	}
	entities := map[string]graph.Entity{}
	for _, e := range b.Entities {
		entities[e.ID] = e
	}
	links := map[string]graph.Link{}
	for _, l := range b.Links {
		links[l.Source+"|"+l.Target+"|"+linkLabel(&l)] = l
	}
	positions := map[string]string{}
	var nEntities, nLinks int
	for _, it := range chart.Items {
		switch {
		case it.End != nil:
			nEntities++
			id := it.End.Entity.EntityID
			e, ok := entities[id]
			if !ok {
				t.Errorf("chart entity %q is not in the graph", id)
				continue
			}
			if it.Label != e.Name {
				t.Errorf("entity %s: label %q, want %q", id, it.Label, e.Name)
			}
			if icon := it.End.Entity.Icon.Type; icon != e.Kind.Label() || !types[icon] {
				t.Errorf("entity %s: icon type %q, want the declared type %q", id, icon, e.Kind.Label())
			}
			if x, y := e.Properties["x"], e.Properties["y"]; x != "" && (it.End.X != x || it.End.Y != y) {
				t.Errorf("entity %s: position %s,%s, want the saved %s,%s", id, it.End.X, it.End.Y, x, y)
			}
			pos := it.End.X + "," + it.End.Y
			if other, dup := positions[pos]; dup {
				t.Errorf("entities %s and %s share position %s", id, other, pos)
			}
			positions[pos] = id
		case it.Link != nil:
			nLinks++
			l, ok := links[it.Link.End1+"|"+it.Link.End2+"|"+it.Label]
			if !ok {
				t.Errorf("chart link %s -> %s %q matches no link", it.Link.End1, it.Link.End2, it.Label)
				continue
			}
			if !strings.Contains(it.Label, string(l.Type)) || (l.Role != "" && !strings.Contains(it.Label, l.Role)) {
				t.Errorf("link %s: label %q lacks type or role", l.ID, it.Label)
			}
			if len(l.StartDate) == 10 && !strings.HasPrefix(it.DateTime, l.StartDate) {
				t.Errorf("link %s: date %q, want %s", l.ID, it.DateTime, l.StartDate)
			}
			attrs := map[string]string{}
			for _, a := range it.Attributes {
				attrs[a.Class] = a.Value
			}
			for k, v := range l.Properties {
				if slices.ContainsFunc(edgeFields, func(f graph.Field) bool { return f.Property == k }) && attrs[k] != v {
					t.Errorf("link %s: attribute %s %q, want %q", l.ID, k, attrs[k], v)
				}
			}
			if attrs["Start date"] != l.StartDate || attrs["End date"] != l.EndDate {
				t.Errorf("link %s: dates %q..%q, want %q..%q", l.ID, attrs["Start date"], attrs["End date"], l.StartDate, l.EndDate)
			}
			if len(l.StartDate) != 10 && it.DateTime != "" {
				t.Errorf("link %s: dated %q though its start date %q is not a day", l.ID, it.DateTime, l.StartDate)
			}
		default:
			t.Errorf("chart item %q is neither entity nor link", it.Label)
		}
	}
	if nEntities != len(b.Entities) || nLinks != len(b.Links) {
		t.Fatalf("%d entities and %d links on the chart, want %d and %d", nEntities, nLinks, len(b.Entities), len(b.Links))
	}
}
