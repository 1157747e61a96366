package formats

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
)

// records is what an export holds, read with generic parsers (XML, CSV,
// JSON, a Cypher statement pattern), not with this package's decoders:
// sorted ids of documents, entities and links, and the number of
// designations. A format that does not carry documents or designations as
// records of their own leaves them nil; ANX links have no ids and are
// keyed "source->target".
type records struct {
	Documents, Entities, Links []string
	Designations               int
}

// expected is what an export of b in format f must hold.
func expected(f Format, b graph.Batch) records {
	var r records
	for _, e := range b.Entities {
		r.Entities = append(r.Entities, e.ID)
		r.Designations += len(e.Designations)
	}
	for _, l := range b.Links {
		if f == ANX {
			r.Links = append(r.Links, l.Source+"->"+l.Target)
		} else {
			r.Links = append(r.Links, l.ID)
		}
	}
	switch f {
	case JSON, CSV, FtM, Cypher:
		for _, d := range b.Documents {
			r.Documents = append(r.Documents, d.ID)
		}
	}
	if f != FtM {
		r.Designations = 0
	}
	r.sort()
	return r
}

func (r *records) sort() {
	slices.Sort(r.Documents)
	slices.Sort(r.Entities)
	slices.Sort(r.Links)
}

// parseExport reads data in format f.
func parseExport(t *testing.T, f Format, data []byte) records {
	t.Helper()
	var r records
	var err error
	switch f {
	case GraphML, GEXF:
		err = xmlElements(data, func(e xml.StartElement) {
			switch e.Name.Local {
			case "node":
				r.Entities = append(r.Entities, attr(e, "id"))
			case "edge":
				r.Links = append(r.Links, attr(e, "id"))
			}
		})
	case ANX:
		err = xmlElements(data, func(e xml.StartElement) {
			switch e.Name.Local {
			case "Entity":
				r.Entities = append(r.Entities, attr(e, "EntityId"))
			case "Link":
				r.Links = append(r.Links, attr(e, "End1Id")+"->"+attr(e, "End2Id"))
			}
		})
	case JSON:
		var v struct {
			Documents, Entities, Links []struct{ ID string }
		}
		err = json.Unmarshal(data, &v)
		for _, d := range v.Documents {
			r.Documents = append(r.Documents, d.ID)
		}
		for _, e := range v.Entities {
			r.Entities = append(r.Entities, e.ID)
		}
		for _, l := range v.Links {
			r.Links = append(r.Links, l.ID)
		}
	case CSV:
		r, err = parseCSVZip(data)
	case FtM:
		r, err = parseFtMLines(data)
	case Cypher:
		r, err = parseCypher(data)
	default:
		t.Fatalf("no parser for format %s", f)
	}
	if err != nil {
		t.Fatalf("parse %s export: %v", f, err)
	}
	r.sort()
	return r
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// xmlElements calls fn on every start element of a well-formed document.
func xmlElements(data []byte, fn func(xml.StartElement)) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if e, ok := tok.(xml.StartElement); ok {
			fn(e)
		}
	}
}

// parseCSVZip reads the id column of documents.csv, nodes.csv and
// links.csv (the column whose header is "id" or starts with "id:").
func parseCSVZip(data []byte) (records, error) {
	var r records
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return r, err
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return r, err
		}
		rows, err := csv.NewReader(rc).ReadAll()
		rc.Close()
		if err != nil {
			return r, err
		}
		col := slices.IndexFunc(rows[0], func(h string) bool { return h == "id" || strings.HasPrefix(h, "id:") })
		if col < 0 {
			return r, errors.New(f.Name + ": no id column")
		}
		dst := map[string]*[]string{"documents.csv": &r.Documents, "nodes.csv": &r.Entities, "links.csv": &r.Links}[f.Name]
		if dst == nil {
			return r, errors.New("unexpected file " + f.Name)
		}
		for _, row := range rows[1:] {
			*dst = append(*dst, row[col])
		}
	}
	return r, nil
}

// parseFtMLines sorts FtM records by schema: Document, Sanction, the
// entity schemas of the kind registry (and Passport), and links (every
// other schema, and the links an entity record carries in skein:link or
// skein:attachedLink).
func parseFtMLines(data []byte) (records, error) {
	var r records
	kinds := map[string]bool{"Passport": true}
	for _, k := range graph.Kinds {
		kinds[k.Label()] = true
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var rec struct {
			ID, Schema string
			Properties map[string][]string
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return r, err
		}
		id := first(rec.Properties["skein:id"]) // the Skein id where FtM's id rule changed it
		if id == "" {
			id = rec.ID
		}
		switch {
		case rec.Schema == "Document":
			r.Documents = append(r.Documents, id)
		case rec.Schema == "Sanction":
			r.Designations++
		case kinds[rec.Schema]:
			r.Entities = append(r.Entities, id)
			for _, raw := range append(rec.Properties["skein:link"], rec.Properties["skein:attachedLink"]...) {
				var l struct{ ID string }
				if err := json.Unmarshal([]byte(raw), &l); err != nil {
					return r, err
				}
				r.Links = append(r.Links, l.ID)
			}
		default:
			r.Links = append(r.Links, id)
		}
	}
	return r, sc.Err()
}

var (
	cypherLiteral  = `'((?:[^'\\]|\\.)*)'`
	cypherDocument = regexp.MustCompile(`^MERGE \(d:Document \{id: ` + cypherLiteral + `\}\)`)
	cypherEntity   = regexp.MustCompile(`^MERGE \(e:Entity \{id: ` + cypherLiteral + `\}\)`)
	cypherLink     = regexp.MustCompile(`MERGE \(s\)-\[r:[A-Z_]+ \{id: ` + cypherLiteral + `\}\]->\(t\)`)
	cypherEscape   = regexp.MustCompile(`\\(.)`)
)

// parseCypher reads the statements that MERGE a document, an entity or a
// link, one a line, and their ids.
func parseCypher(data []byte) (records, error) {
	var r records
	unquote := func(s string) string {
		return cypherEscape.ReplaceAllStringFunc(s, func(m string) string {
			switch m[1] {
			case 'n':
				return "\n"
			case 't':
				return "\t"
			case 'r':
				return "\r"
			}
			return m[1:]
		})
	}
	for _, line := range strings.Split(string(data), "\n") {
		if m := cypherDocument.FindStringSubmatch(line); m != nil {
			r.Documents = append(r.Documents, unquote(m[1]))
		} else if m := cypherEntity.FindStringSubmatch(line); m != nil {
			r.Entities = append(r.Entities, unquote(m[1]))
		} else if m := cypherLink.FindStringSubmatch(line); m != nil {
			r.Links = append(r.Links, unquote(m[1]))
		}
	}
	return r, nil
}

// assertRecords compares what an export holds with what it must hold.
func assertRecords(t *testing.T, f Format, want, got records) {
	t.Helper()
	if !slices.Equal(got.Documents, want.Documents) {
		t.Errorf("%s: %d documents %q, want %d %q", f, len(got.Documents), got.Documents, len(want.Documents), want.Documents)
	}
	if !slices.Equal(got.Entities, want.Entities) {
		t.Errorf("%s: %d entities %q, want %d %q", f, len(got.Entities), got.Entities, len(want.Entities), want.Entities)
	}
	if !slices.Equal(got.Links, want.Links) {
		t.Errorf("%s: %d links %q, want %d %q", f, len(got.Links), got.Links, len(want.Links), want.Links)
	}
	if got.Designations != want.Designations {
		t.Errorf("%s: %d designations, want %d", f, got.Designations, want.Designations)
	}
}

// Every format holds exactly the records of the crafted graph, odd ids
// (quotes, slashes, '#', '?', non-Latin letters) included.
func TestEveryFormatHoldsEveryRecord(t *testing.T) {
	for _, name := range []string{"crafted", "seed"} {
		b := crafted()
		if name == "seed" {
			b = seedBatch(t)
		}
		for _, f := range Formats() {
			t.Run(name+"/"+string(f), func(t *testing.T) {
				assertRecords(t, f, expected(f, b), parseExport(t, f, encode(t, f, b)))
			})
		}
	}
}
