package formats

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/skein-project/skein/graph"
)

// The CSV format is a zip of three files whose headers
// `neo4j-admin database import full --nodes=documents.csv
// --nodes=nodes.csv --relationships=links.csv --multiline-fields=true`
// understands (multiline because text fields may hold newlines):
//
//	documents.csv  id:ID,:LABEL,title,publisher,url,published,license,path
//	nodes.csv      id:ID,:LABEL,kind,name,aliases,countries,description,properties,sources,designations
//	links.csv      :START_ID,:END_ID,:TYPE,id,role,description,startDate,endDate,
//	               startLo:date,startHi:date,endLo:date,endHi:date,weight:double,properties,sources
//
// then one column per typed field of the registry (nodes: birthDate,
// nationality, registrationNumber, imoNumber, iban...; links: percentage:double,
// sharesValue:double, amount:double, currency, date, purpose, relationship),
// which are not repeated in properties. Dates: startDate and endDate keep
// the source's precision (YYYY, YYYY-MM or YYYY-MM-DD) as text; startLo/
// startHi and endLo/endHi are the first and last day they cover as :date
// columns, the layout graph/neo4j writes and filters by time on (the reader
// ignores them); typed date fields are text, as precise as the source.
//
// :LABEL is "Document", or "Entity;Person" (the labels the Neo4j store
// uses). List and struct fields (aliases, countries, properties, sources,
// designations) are JSON strings in their column, empty when empty. The
// reader finds columns by name (the part before ':' or, for :LABEL and the
// like, after it), so columns may come in any order; extra columns become
// free properties. encoding/csv turns CRLF inside a quoted field into LF.
//
// Import takes the whole zip as an io.Reader and holds it in memory (up to
// MaxImportBytes); each member may inflate to at most MaxImportBytes too.

const (
	csvDocuments = "documents.csv"
	csvNodes     = "nodes.csv"
	csvLinks     = "links.csv"
)

var (
	csvDocumentHeader = []string{"id:ID", ":LABEL", "title", "publisher", "url", "published", "license", "path"}
	csvNodeHeader     = append([]string{"id:ID", ":LABEL", "kind", "name", "aliases", "countries", "description", "properties", "sources", "designations"}, csvFieldColumns(nodeFields)...)
	csvLinkHeader     = append([]string{":START_ID", ":END_ID", ":TYPE", "id", "role", "description", "startDate", "endDate",
		"startLo:date", "startHi:date", "endLo:date", "endHi:date", "weight:double", "properties", "sources"}, csvFieldColumns(edgeFields)...)
)

// csvFieldColumns are the columns of the registry's typed fields, named by
// their FtM property: ":double" for numbers, text otherwise (a date field
// keeps the source's precision, which a :date column cannot).
func csvFieldColumns(fs []graph.Field) []string {
	cols := make([]string, len(fs))
	for i, f := range fs {
		cols[i] = f.Property
		if attrType(f) == "double" {
			cols[i] += ":double"
		}
	}
	return cols
}

// csvFieldCells are a record's typed field values in csvFieldColumns
// order; the rest of its properties go to the properties column.
func csvFieldCells(fs, own []graph.Field, props map[string]string) (cells []string, free map[string]string) {
	typed, free := splitTyped(own, props)
	cells = make([]string, len(fs))
	for i, f := range fs {
		cells[i] = typed[f.Property]
	}
	return cells, free
}

type csvEncoder struct {
	zw    *zip.Writer
	cw    *csv.Writer
	phase int // 0 nothing, 1 documents, 2 nodes, 3 links
}

func newCSVEncoder(w io.Writer) *csvEncoder { return &csvEncoder{zw: zip.NewWriter(w)} }

// enter finishes the files before phase p and starts it.
func (e *csvEncoder) enter(p int) error {
	for e.phase < p {
		if e.cw != nil {
			e.cw.Flush()
			if err := e.cw.Error(); err != nil {
				return err
			}
		}
		e.phase++
		name, header := csvDocuments, csvDocumentHeader
		switch e.phase {
		case 2:
			name, header = csvNodes, csvNodeHeader
		case 3:
			name, header = csvLinks, csvLinkHeader
		}
		fw, err := e.zw.Create(name)
		if err != nil {
			return err
		}
		e.cw = csv.NewWriter(fw)
		if err := e.cw.Write(header); err != nil {
			return err
		}
	}
	return nil
}

func (e *csvEncoder) document(d *graph.Document) error {
	if err := e.enter(1); err != nil {
		return err
	}
	return e.cw.Write([]string{d.ID, "Document", d.Title, d.Publisher, d.URL, d.Published, d.License, d.Path})
}

func (e *csvEncoder) entity(x *graph.Entity) error {
	if err := e.enter(2); err != nil {
		return err
	}
	spec, _ := x.Kind.Spec()
	typed, free := csvFieldCells(nodeFields, spec.Fields, x.Properties)
	return e.cw.Write(append([]string{
		x.ID, "Entity;" + x.Kind.Label(), string(x.Kind), x.Name,
		jsonCell(x.Aliases), jsonCell(x.Countries), x.Description,
		jsonMapCell(free), jsonCell(x.Sources), jsonCell(x.Designations),
	}, typed...))
}

func (e *csvEncoder) link(l *graph.Link) error {
	if err := e.enter(3); err != nil {
		return err
	}
	spec, _ := l.Type.Spec()
	typed, free := csvFieldCells(edgeFields, spec.Fields, l.Properties)
	return e.cw.Write(append([]string{
		l.Source, l.Target, string(l.Type), l.ID, l.Role, l.Description, l.StartDate, l.EndDate,
		firstDay(l.StartDate), lastDay(l.StartDate), firstDay(l.EndDate), lastDay(l.EndDate),
		weightCell(l.Weight), jsonMapCell(free), jsonCell(l.Sources),
	}, typed...))
}

func (e *csvEncoder) close() error {
	if err := e.enter(3); err != nil {
		return err
	}
	e.cw.Flush()
	if err := e.cw.Error(); err != nil {
		return err
	}
	return e.zw.Close()
}

func decodeCSV(ctx context.Context, data []byte, limit int64, c *collector) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		c.bad(0, "not a zip file: %v", err)
		return nil
	}
	members := map[string]*zip.File{}
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		switch name := path.Base(f.Name); name {
		case csvDocuments, csvNodes, csvLinks:
			if _, dup := members[name]; dup {
				c.bad(0, "zip holds more than one %s", name)
				continue
			}
			members[name] = f
		default:
			c.warn(0, "zip member %s ignored (expected %s, %s, %s)", f.Name, csvDocuments, csvNodes, csvLinks)
		}
	}
	if members[csvNodes] == nil {
		c.bad(0, "zip holds no %s", csvNodes)
	}
	for _, name := range []string{csvDocuments, csvNodes, csvLinks} {
		f := members[name]
		if f == nil {
			continue
		}
		c.file = name
		err := func() error {
			rc, err := f.Open()
			if err != nil {
				c.bad(0, "cannot open: %v", err)
				return nil
			}
			defer rc.Close()
			body, err := readLimited(rc, limit)
			if errors.Is(err, ErrTooLarge) {
				return fmt.Errorf("%s: %w", name, err)
			}
			if err != nil {
				c.bad(0, "cannot inflate: %v", err)
				return nil
			}
			if !c.validUTF8(body) {
				return nil
			}
			return decodeCSVFile(ctx, name, bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), c)
		}()
		if err != nil {
			return err
		}
	}
	c.file = ""
	return nil
}

// csvRow reads cells by column name.
type csvRow struct {
	cols  map[string]int
	cells []string
}

func (r csvRow) get(name string) string {
	if i, ok := r.cols[name]; ok && i < len(r.cells) {
		return r.cells[i]
	}
	return ""
}

// columnName is how the reader names a header cell: "id:ID" -> "id",
// ":LABEL" -> "LABEL", "weight:double" -> "weight".
func columnName(h string) string {
	name, typ, _ := strings.Cut(strings.TrimSpace(h), ":")
	if name == "" {
		// ":START_ID(Group)" -> "START_ID"
		typ, _, _ = strings.Cut(typ, "(")
		return typ
	}
	return name
}

var csvKnownColumns = map[string][]string{
	csvDocuments: {"id", "LABEL", "title", "publisher", "url", "published", "license", "path"},
	csvNodes:     {"id", "LABEL", "kind", "name", "aliases", "countries", "description", "properties", "sources", "designations"},
	// startLo..endHi are the first and last days of the dates, derived.
	csvLinks: {"START_ID", "END_ID", "TYPE", "id", "role", "description", "startDate", "endDate", "startLo", "startHi", "endLo", "endHi", "weight", "properties", "sources"},
}

var csvRequiredColumns = map[string][]string{
	csvDocuments: {"id", "title"},
	csvNodes:     {"id", "name"},
	csvLinks:     {"START_ID", "END_ID", "TYPE"},
}

func decodeCSVFile(ctx context.Context, name string, body []byte, c *collector) error {
	cr := csv.NewReader(bytes.NewReader(body))
	cr.FieldsPerRecord = -1
	header, err := cr.Read()
	if err == io.EOF {
		c.bad(1, "empty file: no header")
		return nil
	}
	if err != nil {
		c.bad(1, "malformed CSV header: %v", err)
		return nil
	}
	cols := map[string]int{}
	var extra []string
	for i, h := range header {
		n := columnName(h)
		if _, dup := cols[n]; dup {
			c.bad(1, "column %q appears twice", n)
			return nil
		}
		cols[n] = i
		if !slices.Contains(csvKnownColumns[name], n) && n != "" {
			extra = append(extra, n)
		}
	}
	var missing []string
	for _, req := range csvRequiredColumns[name] {
		if _, ok := cols[req]; !ok {
			missing = append(missing, req)
		}
	}
	if name == csvNodes {
		_, kind := cols["kind"]
		_, label := cols["LABEL"]
		if !kind && !label {
			missing = append(missing, "kind or :LABEL")
		}
	}
	if len(missing) > 0 {
		c.bad(1, "header lacks column(s) %s", strings.Join(missing, ", "))
		return nil
	}
	for n := 0; ; n++ {
		if err := ctxEvery(ctx, n); err != nil {
			return err
		}
		cells, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.StartLine
			}
			c.bad(line, "malformed CSV: %v", err)
			return nil // the reader cannot resynchronise reliably
		}
		line, _ := cr.FieldPos(0)
		if len(cells) != len(header) {
			c.bad(line, "%d cells, header has %d", len(cells), len(header))
			continue
		}
		row := csvRow{cols: cols, cells: cells}
		switch name {
		case csvDocuments:
			c.document(line, graph.Document{
				ID: row.get("id"), Title: row.get("title"), Publisher: row.get("publisher"),
				URL: row.get("url"), Published: row.get("published"), License: row.get("license"), Path: row.get("path"),
			})
		case csvNodes:
			csvEntity(c, line, row, extra)
		case csvLinks:
			csvLink(c, line, row, extra)
		}
	}
}

// jsonColumn decodes a JSON column into v; an empty cell leaves v alone.
func jsonColumn(c *collector, line int, row csvRow, col string, v any) bool {
	return jsonValue(c, line, "column", col, row.get(col), v)
}

// extraProperties folds columns the format does not define into props.
func extraProperties(props map[string]string, row csvRow, extra []string) map[string]string {
	for _, col := range extra {
		v := row.get(col)
		if v == "" {
			continue
		}
		if props == nil {
			props = map[string]string{}
		}
		if _, ok := props[col]; !ok {
			props[col] = v
		}
	}
	return props
}

func csvEntity(c *collector, line int, row csvRow, extra []string) {
	e := graph.Entity{ID: row.get("id"), Name: row.get("name"), Description: row.get("description")}
	kind := row.get("kind")
	if kind == "" {
		// Take the kind from the labels ("Entity;Person").
		for _, l := range strings.Split(row.get("LABEL"), ";") {
			if k, err := graph.ParseKind(l); err == nil {
				kind = string(k)
			}
		}
	}
	k, err := graph.ParseKind(kind)
	if err != nil {
		c.badErr(line, fmt.Errorf("entity %q: %w", e.ID, err))
		return
	}
	e.Kind = k
	ok := jsonColumn(c, line, row, "aliases", &e.Aliases) &&
		jsonColumn(c, line, row, "countries", &e.Countries) &&
		jsonColumn(c, line, row, "properties", &e.Properties) &&
		jsonColumn(c, line, row, "sources", &e.Sources) &&
		jsonColumn(c, line, row, "designations", &e.Designations)
	if !ok {
		return
	}
	e.Properties = extraProperties(e.Properties, row, extra)
	c.entity(line, e)
}

func csvLink(c *collector, line int, row csvRow, extra []string) {
	l := graph.Link{
		ID: row.get("id"), Source: row.get("START_ID"), Target: row.get("END_ID"),
		Role: row.get("role"), Description: row.get("description"),
		StartDate: row.get("startDate"), EndDate: row.get("endDate"),
	}
	t, err := graph.ParseLinkType(row.get("TYPE"))
	if err != nil {
		c.badErr(line, fmt.Errorf("link %q: %w", l.ID, err))
		return
	}
	l.Type = t
	var ok bool
	if l.Weight, ok = weightValue(c, line, "link", l.ID, row.get("weight")); !ok {
		return
	}
	ok = jsonColumn(c, line, row, "properties", &l.Properties) &&
		jsonColumn(c, line, row, "sources", &l.Sources)
	if !ok {
		return
	}
	l.Properties = extraProperties(l.Properties, row, extra)
	c.link(line, l)
}
