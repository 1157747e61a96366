package formats

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/skein-project/skein/graph"
)

// The Cypher script (export only) recreates the subgraph in Neo4j, one
// statement a line, each ending in ';' (cypher-shell -f runs it). Every
// record is MERGEd by id and its properties replaced (SET x = {...}), so
// running the script again changes nothing. Entities are (:Entity:<Kind>)
// nodes, documents (:Document) nodes, links relationships of their type.
// Values are literals built by cypherString/cypherList, never raw text;
// labels and relationship types come only from the graph enumerations.
// The layout is graph/neo4j's, so the Neo4j store reads the result: lists
// of strings are Cypher lists; properties, sources and designations are
// JSON strings (Neo4j has no nested maps on properties); entities carry the
// searchText its full-text index uses, the searchKey its search scores and
// their designations' spans, links copies of their ends' ids, OWNS links
// their stated percentage as a float.

type cypherEncoder struct {
	w *bufio.Writer
}

func newCypherEncoder(w io.Writer) *cypherEncoder {
	e := &cypherEncoder{w: bufio.NewWriter(w)}
	e.w.WriteString("// Skein subgraph. Re-running this script is idempotent: every record is MERGEd by id.\n")
	// The same constraints (by name) as graph/neo4j creates.
	e.w.WriteString("CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE;\n")
	e.w.WriteString("CREATE CONSTRAINT document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE;\n")
	return e
}

// cypherString quotes s as a Cypher string literal: backslash, both quotes
// and every control character are escaped.
func cypherString(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('\'')
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case '\'':
			b.WriteString(`\'`)
		case '"':
			b.WriteString(`\"`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case utf8.RuneError:
			b.WriteString(`\uFFFD`)
		default:
			if r < 0x20 || r == 0x7f || r == 0x2028 || r == 0x2029 {
				fmt.Fprintf(&b, `\u%04X`, r)
				continue
			}
			b.WriteRune(r)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

func cypherList(vals []string) string {
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = cypherString(v)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// cypherFloat writes a float literal Cypher reads as a float.
func cypherFloat(f float64) string {
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}

// cypherMap renders {k: v, ...} from pre-rendered literals, skipping
// empty ones. Keys are fixed identifiers of this file.
type cypherMap []string

func (m *cypherMap) put(key, literal string) {
	if literal == "" || literal == "''" || literal == "[]" {
		return
	}
	*m = append(*m, key+": "+literal)
}

func (m cypherMap) String() string { return "{" + strings.Join(m, ", ") + "}" }

func (e *cypherEncoder) document(d *graph.Document) error {
	var m cypherMap
	m.put("id", cypherString(d.ID))
	m.put("title", cypherString(d.Title))
	m.put("publisher", cypherString(d.Publisher))
	m.put("url", cypherString(d.URL))
	m.put("published", cypherString(d.Published))
	m.put("license", cypherString(d.License))
	m.put("path", cypherString(d.Path))
	_, err := fmt.Fprintf(e.w, "MERGE (d:Document {id: %s}) SET d = %s;\n", cypherString(d.ID), m)
	return err
}

func (e *cypherEncoder) entity(n *graph.Entity) error {
	label := n.Kind.Label()
	if label == "" {
		return fmt.Errorf("entity %q: unknown kind %q: %w", n.ID, n.Kind, graph.ErrInvalid)
	}
	var m cypherMap
	m.put("id", cypherString(n.ID))
	m.put("kind", cypherString(string(n.Kind)))
	m.put("name", cypherString(n.Name))
	m.put("aliases", cypherList(n.Aliases))
	m.put("countries", cypherList(n.Countries))
	m.put("description", cypherString(n.Description))
	m.put("properties", cypherString(jsonMapCell(n.Properties)))
	m.put("sources", cypherString(jsonCell(n.Sources)))
	m.put("designations", cypherString(jsonCell(n.Designations)))
	m.put("searchText", cypherString(graph.SearchText(n)))
	m.put("searchKey", cypherString(graph.SearchKey(n)))
	// The first and last day of each designation's span as day numbers,
	// as graph/neo4j keeps them to find who is designated at a date.
	if len(n.Designations) > 0 {
		from, to := make([]string, len(n.Designations)), make([]string, len(n.Designations))
		for i := range n.Designations {
			sp := n.Designations[i].Span()
			from[i], to[i] = strconv.FormatInt(int64(sp.From), 10), strconv.FormatInt(int64(sp.To), 10)
		}
		m.put("designatedFrom", "["+strings.Join(from, ", ")+"]")
		m.put("designatedTo", "["+strings.Join(to, ", ")+"]")
	}
	var others []string
	for _, k := range graph.Kinds {
		if k != n.Kind {
			others = append(others, k.Label())
		}
	}
	_, err := fmt.Fprintf(e.w, "MERGE (e:Entity {id: %s}) SET e = %s REMOVE e:%s SET e:%s;\n",
		cypherString(n.ID), m, strings.Join(others, ":"), label)
	return err
}

func (e *cypherEncoder) link(l *graph.Link) error {
	if !l.Type.Valid() {
		return fmt.Errorf("link %q: unknown type %q: %w", l.ID, l.Type, graph.ErrInvalid)
	}
	var m cypherMap
	m.put("id", cypherString(l.ID))
	// Copies of the ends' ids, as graph/neo4j keeps them for the index a
	// hub's neighbourhood reads.
	m.put("srcId", cypherString(l.Source))
	m.put("tgtId", cypherString(l.Target))
	m.put("role", cypherString(l.Role))
	m.put("description", cypherString(l.Description))
	m.put("startDate", cypherString(l.StartDate))
	m.put("endDate", cypherString(l.EndDate))
	// The first and last days of the dates as native dates, as graph/neo4j
	// keeps them to filter by time.
	for _, d := range [][2]string{{"startLo", firstDay(l.StartDate)}, {"startHi", lastDay(l.StartDate)}, {"endLo", firstDay(l.EndDate)}, {"endHi", lastDay(l.EndDate)}} {
		if d[1] != "" {
			m.put(d[0], "date("+cypherString(d[1])+")")
		}
	}
	if l.Weight != 0 {
		m.put("weight", cypherFloat(l.Weight))
	}
	// The stated percentage of an OWNS link as a float, which graph/neo4j
	// multiplies along ownership chains.
	if p, ok := l.Percentage(); ok {
		m.put("percentage", cypherFloat(p))
	}
	m.put("properties", cypherString(jsonMapCell(l.Properties)))
	m.put("sources", cypherString(jsonCell(l.Sources)))
	_, err := fmt.Fprintf(e.w, "MATCH (s:Entity {id: %s}), (t:Entity {id: %s}) MERGE (s)-[r:%s {id: %s}]->(t) SET r = %s;\n",
		cypherString(l.Source), cypherString(l.Target), l.Type, cypherString(l.ID), m)
	return err
}

func (e *cypherEncoder) close() error { return e.w.Flush() }
