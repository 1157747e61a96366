package formats

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
)

// badRows decodes data and returns the lines of the reported rows, failing
// unless the error is an *ImportError matching graph.ErrInvalid.
func badRows(t *testing.T, f Format, data []byte) []Row {
	t.Helper()
	b, err := Decode(context.Background(), f, bytes.NewReader(data))
	if err == nil {
		t.Fatalf("Decode accepted a file with bad rows: %+v", b)
	}
	if !errors.Is(err, graph.ErrInvalid) {
		t.Fatalf("error %v does not match graph.ErrInvalid", err)
	}
	var ie *ImportError
	if !errors.As(err, &ie) {
		t.Fatalf("error %T is not an *ImportError: %v", err, err)
	}
	if !b.Empty() {
		t.Fatalf("a failed Decode returned records: %+v", b)
	}
	return ie.Rows
}

func lines(rows []Row) []int {
	var out []int
	for _, r := range rows {
		out = append(out, r.Line)
	}
	return out
}

func assertLines(t *testing.T, rows []Row, want ...int) {
	t.Helper()
	if got := lines(rows); !reflect.DeepEqual(got, want) {
		t.Fatalf("bad rows at lines %v, want %v; rows: %v", got, want, rows)
	}
}

func assertMentions(t *testing.T, rows []Row, i int, words ...string) {
	t.Helper()
	for _, w := range words {
		if !strings.Contains(rows[i].Message, w) {
			t.Errorf("row %d (%s) does not mention %q", i, rows[i], w)
		}
	}
}

func TestJSONReportsEveryBadRow(t *testing.T) {
	data := `{"documents":[
{"id":"d1","title":"ok"},
{"id":"bad id","title":"x"}
],
"entities":[
{"id":"p1","kind":"PERSON","name":"A"},
{"id":"p2","kind":"ALIEN","name":"B"},
{"id":"p3","kind":"PERSON","name":"  "},
{"id":"p4","kind":"PERSON","name":"C","aliases":5},
{"id":"p5","kind":"PERSON","name":"D",
 "designations":[{"regime":"","authority":"UK"}]}
],
"links":[
{"id":"l1","type":"MEMBER_OF","source":"p1","target":"p3"},
{"id":"l2","type":"FRIEND_OF","source":"p1","target":"p3"},
{"id":"l3","type":"MEMBER_OF","source":"p1","target":"p3","startDate":"yesterday"}
]}`
	rows := badRows(t, JSON, []byte(data))
	assertLines(t, rows, 3, 7, 8, 9, 10, 15, 16)
	assertMentions(t, rows, 1, "p2", "ALIEN")
	assertMentions(t, rows, 5, "FRIEND_OF")
	assertMentions(t, rows, 6, "yesterday")
}

func TestJSONSyntaxErrorHasALine(t *testing.T) {
	rows := badRows(t, JSON, []byte("{\"entities\":[\n{\"id\":\"p1\",\"kind\":\"PERSON\",\"name\":\"A\"},\n{\"id\": oops}\n]}"))
	assertLines(t, rows, 3)
}

func TestFtMReportsEveryBadRow(t *testing.T) {
	data := strings.Join([]string{
		`{"id":"p1","schema":"Person","properties":{"name":["A"],"country":["xk"]}}`,
		`{"id":"p2","schema":"Person","properties":{"name":[]}}`,
		`not json`,
		``,
		`{"schema":"Person","properties":{"name":["no id"]}}`,
		`{"id":"v1","schema":"Airplane","properties":{"name":["Plane"]}}`,
		`{"id":"s1","schema":"Sanction","properties":{"entity":["p1"],"authority":["UK"]}}`,
		`{"id":"s2","schema":"Sanction","properties":{"entity":["nobody"],"program":["P"],"authority":["UK"]}}`,
		`{"id":"m1","schema":"Membership","properties":{"member":["p1"],"organization":["o1"],"startDate":["last year"]}}`,
		`{"id":"m2","schema":"Membership","properties":{"member":["p1","p2"],"organization":["o1"]}}`,
		`{"id":"o1","schema":"Organization","properties":{"name":["Org"],"skein:sources":["not json"]}}`,
		`{"id":"u1","schema":"UnknownLink","properties":{"subject":["p1"],"object":["v1"]}}`,
	}, "\n")
	rows := badRows(t, FtM, []byte(data))
	// Rows come in the order the reader resolves them: lines first, then
	// sanctions, entities, links.
	got := map[int]bool{}
	for _, r := range rows {
		got[r.Line] = true
	}
	for _, want := range []int{2, 3, 5, 7, 8, 9, 10, 11} {
		if !got[want] {
			t.Errorf("line %d not reported; rows: %v", want, rows)
		}
	}
	if len(rows) != 8 {
		t.Errorf("%d rows reported, want 8: %v", len(rows), rows)
	}
}

func TestFtMUnknownSchemaIsAWarning(t *testing.T) {
	data := strings.Join([]string{
		`{"id":"p1","schema":"Person","properties":{"name":["A"]}}`,
		`{"id":"v1","schema":"Airplane","properties":{"name":["Plane"]}}`,
		`{"id":"u1","schema":"UnknownLink","properties":{"subject":["p1"],"object":["v1"]}}`,
		`{"id":"o1","schema":"Ownership","properties":{"owner":["p1"],"asset":["v1"]}}`,
	}, "\n")
	b, warnings, err := decode(context.Background(), FtM, strings.NewReader(data), MaxImportBytes)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Entities) != 1 || len(b.Links) != 0 {
		t.Fatalf("got %d entities, %d links; want the person only", len(b.Entities), len(b.Links))
	}
	if len(warnings) != 3 {
		t.Fatalf("warnings %q, want one for the airplane and one per link touching it", warnings)
	}
	for i, want := range []string{"line 2: FtM schema Airplane", "line 3: UnknownLink", "line 4: Ownership"} {
		if !strings.Contains(warnings[i], want) {
			t.Errorf("warning %q does not contain %q", warnings[i], want)
		}
	}
}

func zipOf(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{csvDocuments, csvNodes, csvLinks, "README.txt"} {
		body, ok := files[name]
		if !ok {
			continue
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCSVReportsEveryBadRow(t *testing.T) {
	nodes := strings.Join([]string{
		"id:ID,:LABEL,kind,name,aliases,countries,description,properties,sources,designations",
		`p1,Entity;Person,PERSON,A,,,"two`,
		`line description",,,`,
		`p2,Entity;Person,ALIEN,B,,,,,,`,
		`p3,Entity;Person,PERSON,C,not json,,,,,`,
		`p4,Entity;Person,PERSON,D,,,,,`,
		`p5,Entity;Company,,E,,,,,,`,
		`p6,Entity;Person,PERSON,,,,,,,`,
	}, "\n")
	links := strings.Join([]string{
		":START_ID,:END_ID,:TYPE,id,role,description,startDate,endDate,weight:double,properties,sources",
		"p1,p5,MEMBER_OF,l1,,,,,,,",
		"p1,p5,MEMBER_OF,l2,,,,,heavy,,",
		"p1,p5,BOSS_OF,l3,,,,,,,",
	}, "\n")
	rows := badRows(t, CSV, zipOf(t, map[string]string{csvNodes: nodes, csvLinks: links}))
	var got []string
	for _, r := range rows {
		got = append(got, r.File+":"+string(rune('0'+r.Line)))
	}
	want := []string{"nodes.csv:4", "nodes.csv:5", "nodes.csv:6", "nodes.csv:8", "links.csv:3", "links.csv:4"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("rows %v, want %v; %v", got, want, rows)
	}
	assertMentions(t, rows, 1, "column aliases is not valid JSON")
	assertMentions(t, rows, 4, `link "l2": weight "heavy" is not a number`)
}

func TestCSVNeedsNodesAndHeaders(t *testing.T) {
	rows := badRows(t, CSV, zipOf(t, map[string]string{csvLinks: ":START_ID,:END_ID\n"}))
	if len(rows) != 2 {
		t.Fatalf("rows %v: want a missing nodes.csv and a header without :TYPE", rows)
	}
	rows = badRows(t, CSV, []byte("id,name\np1,A\n"))
	assertMentions(t, rows, 0, "not a zip")
}

func TestGraphMLReportsEveryBadRow(t *testing.T) {
	data := `<?xml version="1.0" encoding="UTF-8"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="k" for="node" attr.name="kind" attr.type="string"/>
  <key id="n" for="node" attr.name="name" attr.type="string"/>
  <key id="t" for="edge" attr.name="type" attr.type="string"/>
  <graph edgedefault="directed">
    <node id="p1"><data key="k">PERSON</data><data key="n">A</data></node>
    <node id="p2"><data key="k">ALIEN</data><data key="n">B</data></node>
    <node id="p3"><data key="n">no kind</data></node>
    <node id="p4"><data key="k">person</data><data key="n">lower-case kind is fine</data></node>
    <edge source="p1" target="p4"><data key="t">MEMBER_OF</data></edge>
    <edge source="p1" target="p4"><data key="t">BOSS_OF</data></edge>
    <edge source="p1" target="p4"><data key="zz">x</data></edge>
  </graph>
</graphml>`
	rows := badRows(t, GraphML, []byte(data))
	assertLines(t, rows, 8, 9, 12, 13)
}

// A GraphML value of the wrong form is reported with where it sits.
func TestGraphMLReportsBadValues(t *testing.T) {
	data := `<graphml xmlns="http://graphml.graphdrawing.org/xmlns">
  <key id="k" for="node" attr.name="kind" attr.type="string"/>
  <key id="n" for="node" attr.name="name" attr.type="string"/>
  <key id="a" for="node" attr.name="aliases" attr.type="string"/>
  <key id="w" for="edge" attr.name="weight" attr.type="double"/>
  <graph edgedefault="directed">
    <node id="p1"><data key="k">PERSON</data><data key="n">A</data><data key="a">["Ay"]</data></node>
    <node id="p2"><data key="k">PERSON</data><data key="n">B</data><data key="a">not json</data></node>
    <edge id="e1" source="p1" target="p1"><data key="w"> 2.5 </data></edge>
    <edge id="e2" source="p1" target="p1"><data key="w">heavy</data></edge>
  </graph>
</graphml>`
	rows := badRows(t, GraphML, []byte(data))
	assertLines(t, rows, 8, 10)
	assertMentions(t, rows, 0, "attribute aliases is not valid JSON")
	assertMentions(t, rows, 1, `edge "e2": weight "heavy" is not a number`)
}

func TestGraphMLMalformedXML(t *testing.T) {
	rows := badRows(t, GraphML, []byte("<graphml>\n<graph>\n<node id=\"a\">\n</graph>"))
	assertLines(t, rows, 4)
}

func TestExportOnlyFormatsCannotBeRead(t *testing.T) {
	for _, f := range []Format{Cypher, ANX} {
		if f.CanRead() {
			t.Errorf("%s claims it can be read", f)
		}
		_, err := Decode(context.Background(), f, strings.NewReader("x"))
		if !errors.Is(err, graph.ErrInvalid) {
			t.Errorf("Decode %s: %v, want ErrInvalid", f, err)
		}
	}
}

func TestSizeLimit(t *testing.T) {
	for _, f := range fullModel {
		data := encode(t, f, crafted())
		limit := int64(len(data))
		if f == CSV {
			// The limit holds for the zip and for each member inflated.
			zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range zr.File {
				limit = max(limit, int64(m.UncompressedSize64))
			}
		}
		if _, _, err := decode(context.Background(), f, bytes.NewReader(data), limit); err != nil {
			t.Fatalf("%s: a file of exactly the limit failed: %v", f, err)
		}
		_, _, err := decode(context.Background(), f, bytes.NewReader(data), limit-1)
		if !errors.Is(err, ErrTooLarge) || !errors.Is(err, graph.ErrTooComplex) {
			t.Fatalf("%s: over the limit: %v, want ErrTooLarge", f, err)
		}
	}
}

// A zip member that inflates past the limit is refused without inflating
// it all (a zip bomb).
func TestCSVZipBomb(t *testing.T) {
	big := "id:ID,kind,name\n" + strings.Repeat("p,PERSON,x\n", 200_000)
	data := zipOf(t, map[string]string{csvNodes: big})
	if len(data) > len(big)/20 {
		t.Fatalf("test zip does not compress (%d bytes)", len(data))
	}
	_, _, err := decode(context.Background(), CSV, bytes.NewReader(data), int64(len(big)/2))
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
}

// FtM data from OpenSanctions-like sources: extra top-level fields, extra
// properties, date-times and year-only dates are taken in, not refused.
func TestFtMForeignData(t *testing.T) {
	data := strings.Join([]string{
		`{"id":"NK-abc","caption":"Ana","schema":"Person","datasets":["gb_fcdo_sanctions"],"referents":["gb-1"],"first_seen":"2025-10-22T10:00:00","properties":{"name":["Ana Example"],"birthDate":["1980-02-03"],"nationality":["al"],"topics":["sanction","crime"],"country":["AL"]}}`,
		`{"id":"NK-s1","schema":"Sanction","properties":{"entity":["NK-abc"],"program":["Global Irregular Migration"],"authority":["Foreign, Commonwealth and Development Office"],"startDate":["2025-10-22T00:00:00"],"provisions":["Asset freeze","Travel ban"]}}`,
		`{"id":"NK-s2","schema":"Sanction","properties":{"entity":["NK-abc"],"program":["Older regime"],"authority":["UN"],"startDate":["2019"]}}`,
	}, "\n")
	b, warnings, err := decode(context.Background(), FtM, strings.NewReader(data), MaxImportBytes)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Entities) != 1 {
		t.Fatalf("entities: %+v", b.Entities)
	}
	e := b.Entities[0]
	if e.Kind != graph.KindPerson || e.Name != "Ana Example" || !reflect.DeepEqual(e.Countries, []string{"Albania"}) {
		t.Errorf("entity %+v", e)
	}
	if e.Properties["birthDate"] != "1980-02-03" || e.Properties["topics"] != "sanction; crime" || e.Properties["nationality"] != "AL" { // the registry writes country codes upper case
		t.Errorf("unmapped FtM properties not kept: %v", e.Properties)
	}
	if len(e.Designations) != 2 || e.Designations[0].ListedOn != "2025-10-22" ||
		!reflect.DeepEqual(e.Designations[0].Measures, []string{"Asset freeze", "Travel ban"}) || e.Designations[1].ListedOn != "2019" {
		t.Errorf("designations %+v", e.Designations) // a year-only date is a date at the source's precision
	}
	if len(warnings) != 0 {
		t.Errorf("warnings %q, want none", warnings)
	}
}

// GraphML as yEd saves it: graphics keys (yfiles.type) and their nested
// markup are skipped, not taken as properties.
func TestGraphMLFromYEd(t *testing.T) {
	data := `<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:y="http://www.yworks.com/xml/graphml">
  <key for="node" id="d0" attr.name="kind" attr.type="string"/>
  <key for="node" id="d1" attr.name="label" attr.type="string"/>
  <key for="node" id="d6" yfiles.type="nodegraphics"/>
  <key for="edge" id="d10" yfiles.type="edgegraphics"/>
  <graph edgedefault="directed" id="G">
    <node id="n0">
      <data key="d0">PERSON</data><data key="d1">Ana</data>
      <data key="d6"><y:ShapeNode><y:NodeLabel>Ana</y:NodeLabel></y:ShapeNode></data>
    </node>
    <node id="n1"><data key="d0">ORGANIZATION</data><data key="d1">Gang</data></node>
    <edge id="e0" source="n0" target="n1"><data key="d10"><y:PolyLineEdge/></data></edge>
  </graph>
</graphml>`
	b, err := Decode(context.Background(), GraphML, strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Entities) != 2 || b.Entities[0].Name != "Ana" || b.Entities[0].Properties != nil {
		t.Fatalf("entities %+v", b.Entities)
	}
	if len(b.Links) != 1 || b.Links[0].Type != graph.LinkLinkedTo || b.Links[0].Properties != nil {
		t.Fatalf("links %+v", b.Links)
	}
}
