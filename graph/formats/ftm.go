package formats

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/skein-project/skein/graph"
)

// FollowTheMoney JSON lines: one {"id","schema","properties"} object a line,
// property values always lists of strings.
//
// Mapping (schema property names as in followthemoney/schema/*.yaml):
//   - Document -> FtM Document: title, publisher, sourceUrl, publishedAt,
//     skein:license, skein:path.
//   - Entity -> Person / Organization / Company: name, alias, country (ISO
//     codes, see ftm_countries.go), description, proof (ids of the cited
//     documents, for Aleph).
//   - Designation -> Sanction, written right after its entity, id
//     "<entity's FtM id>-sanction-<n>": entity, program (regime), authority,
//     startDate (listedOn), provisions (measures), reason.
//   - Link -> MEMBER_OF Membership (member, organization, role), OWNS
//     Ownership (owner, asset, role), DIRECTOR_OF Directorship (director,
//     organization, role), FAMILY_OF Family (person, relative,
//     relationship), ASSOCIATE_OF Associate (person, associate,
//     relationship), every other type UnknownLink (subject, object, role)
//     with the Skein type in skein:linkType; startDate, endDate, description.
//     The FtM id is the Skein link id. The reader also takes Employment
//     (employee, employer, role) as EMPLOYED_BY.
//
// FtM entity ids are limited to [0-9a-zA-Z] with inner '.' and '-' (FtM
// drops references to other ids), while Skein ids are readable paths such
// as "person:burim-krasniqi". A Skein id that is a valid FtM id is written
// as is; any other becomes a readable slug plus a hash of the id
// ("person-burim-krasniqi-1f0c2a9e8b7d6c5a", see ftmID), and the record
// keeps the Skein id in skein:id; every link keeps its Skein endpoints in
// skein:source and skein:target (endpoints may be outside the file). The
// reader maps ids back through these, and through skein:id for other
// references, so references resolve either way; ids of other tools' data
// are kept.
//
// Skein fields FtM has no slot for use properties namespaced "skein:", which
// FtM's own library drops quietly and other tools carry along: skein:id,
// skein:sources (each SourceRef as a JSON
// string {"document","quote"}, on every record that has sources),
// skein:weight, skein:linkType, skein:license, skein:path. Free Skein
// properties are written under their own key, or as "skein:property:<key>"
// when the key is one of the mapped FtM properties or starts with "skein:".
// On the way in, FtM properties Skein does not map become free properties
// (several values joined with "; "); a record without skein:sources gets
// SourceRefs without quotes from its proof ids; schemata Skein has no kind
// for are skipped with a warning, as are links touching a skipped record.

const (
	ftmSkeinID     = "skein:id"
	ftmSkeinSource = "skein:source"
	ftmSkeinTarget = "skein:target"
	ftmSources     = "skein:sources"
	ftmWeight      = "skein:weight"
	ftmLinkType    = "skein:linkType"
	ftmLicense     = "skein:license"
	ftmPath        = "skein:path"
	ftmPropNS      = "skein:property:"
	ftmNS          = "skein:"
)

type ftmRecord struct {
	ID         string              `json:"id"`
	Schema     string              `json:"schema"`
	Properties map[string][]string `json:"properties"`
}

func (r *ftmRecord) add(prop string, vals ...string) {
	for _, v := range vals {
		if v != "" {
			r.Properties[prop] = append(r.Properties[prop], v)
		}
	}
}

// joined returns the property's values joined by sep, "" when absent.
func (r *ftmRecord) joined(prop, sep string) string {
	return strings.Join(r.Properties[prop], sep)
}

type ftmLinkSchema struct {
	schema   string
	t        graph.LinkType
	src, tgt string
	role     string
}

var ftmLinkSchemas = []ftmLinkSchema{
	{"Membership", graph.LinkMemberOf, "member", "organization", "role"},
	{"Ownership", graph.LinkOwns, "owner", "asset", "role"},
	{"Directorship", graph.LinkDirectorOf, "director", "organization", "role"},
	{"Family", graph.LinkFamilyOf, "person", "relative", "relationship"},
	{"Associate", graph.LinkAssociateOf, "person", "associate", "relationship"},
	{"UnknownLink", graph.LinkLinkedTo, "subject", "object", "role"},
	{"Employment", graph.LinkEmployedBy, "employee", "employer", "role"},
}

func ftmLinkBySchema(schema string) (ftmLinkSchema, bool) {
	for _, s := range ftmLinkSchemas {
		if s.schema == schema {
			return s, true
		}
	}
	return ftmLinkSchema{}, false
}

func ftmLinkByType(t graph.LinkType) ftmLinkSchema {
	for _, s := range ftmLinkSchemas[:5] {
		if s.t == t {
			return s
		}
	}
	return ftmLinkSchemas[5] // UnknownLink
}

var ftmEntitySchemas = map[string]graph.Kind{
	"Person":       graph.KindPerson,
	"Organization": graph.KindOrganization,
	"Company":      graph.KindCompany,
}

var ftmEntityReserved = []string{"name", "alias", "country", "description", "proof"}

var ftmLinkReserved = []string{"startDate", "endDate", "description"}

// putProperties writes free Skein properties, escaping reserved keys.
func putProperties(r *ftmRecord, props map[string]string, reserved ...string) {
	for k, v := range props {
		if slices.Contains(reserved, k) || strings.HasPrefix(k, ftmNS) {
			k = ftmPropNS + k
		}
		r.Properties[k] = append(r.Properties[k], v)
	}
}

func putSources(r *ftmRecord, refs []graph.SourceRef) {
	for _, s := range refs {
		r.Properties[ftmSources] = append(r.Properties[ftmSources], jsonString(s))
	}
}

type ftmEncoder struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
}

func newFtMEncoder(w io.Writer) *ftmEncoder {
	e := &ftmEncoder{w: bufio.NewWriter(w)}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}

func (e *ftmEncoder) write(r *ftmRecord) error {
	e.buf.Reset()
	if err := e.enc.Encode(r); err != nil { // Encode ends the line
		return err
	}
	_, err := e.w.Write(e.buf.Bytes())
	return err
}

// newRecord starts the FtM record of the Skein record with id skeinID.
func newRecord(skeinID, schema string) *ftmRecord {
	r := &ftmRecord{ID: ftmID(skeinID), Schema: schema, Properties: map[string][]string{}}
	if r.ID != skeinID {
		r.add(ftmSkeinID, skeinID)
	}
	return r
}

// ftmIDPattern is FtM's rule for entity ids (followthemoney/types/entity.py).
var ftmIDPattern = regexp.MustCompile(`^[0-9a-zA-Z]([0-9a-zA-Z.\-]*[0-9a-zA-Z])?$`)

// ftmID maps a Skein id to a valid FtM entity id: unchanged when it already
// is one (and short), else a slug of its letters and digits plus 16 hex
// digits of its SHA-1, so that distinct ids stay distinct.
func ftmID(id string) string {
	if len(id) <= 100 && ftmIDPattern.MatchString(id) {
		return id
	}
	var b strings.Builder
	dash := false
	for _, r := range id {
		ok := r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.')
		switch {
		case ok:
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 60 {
			break
		}
	}
	slug := strings.TrimRight(b.String(), ".-")
	sum := sha1.Sum([]byte(id))
	h := hex.EncodeToString(sum[:8])
	if slug == "" {
		return "skein-" + h
	}
	return slug + "-" + h
}

func (e *ftmEncoder) document(d *graph.Document) error {
	r := newRecord(d.ID, "Document")
	r.add("title", d.Title)
	r.add("publisher", d.Publisher)
	r.add("sourceUrl", d.URL)
	r.add("publishedAt", d.Published)
	r.add(ftmLicense, d.License)
	r.add(ftmPath, d.Path)
	return e.write(r)
}

func (e *ftmEncoder) entity(x *graph.Entity) error {
	r := newRecord(x.ID, x.Kind.Label())
	r.add("name", x.Name)
	r.add("alias", x.Aliases...)
	for _, c := range x.Countries {
		r.add("country", countryCode(c))
	}
	r.add("description", x.Description)
	var proof []string
	for _, s := range x.Sources {
		if id := ftmID(s.Document); !slices.Contains(proof, id) {
			proof = append(proof, id)
		}
	}
	r.add("proof", proof...)
	putSources(r, x.Sources)
	putProperties(r, x.Properties, ftmEntityReserved...)
	if err := e.write(r); err != nil {
		return err
	}
	for i, d := range x.Designations {
		s := &ftmRecord{ID: ftmID(x.ID) + "-sanction-" + strconv.Itoa(i), Schema: "Sanction", Properties: map[string][]string{}}
		s.add("entity", ftmID(x.ID))
		s.add("program", d.Regime)
		s.add("authority", d.Authority)
		s.add("startDate", d.ListedOn)
		s.add("provisions", d.Measures...)
		s.add("reason", d.Reason)
		putSources(s, d.Sources)
		if err := e.write(s); err != nil {
			return err
		}
	}
	return nil
}

func (e *ftmEncoder) link(l *graph.Link) error {
	ls := ftmLinkByType(l.Type)
	r := newRecord(l.ID, ls.schema)
	r.add(ls.src, ftmID(l.Source))
	r.add(ls.tgt, ftmID(l.Target))
	// The Skein endpoints travel with the link: an endpoint outside the
	// file has no record whose skein:id maps it back, and an FtM-valid id
	// that happens to equal another record's FtM id must not be mapped.
	r.add(ftmSkeinSource, l.Source)
	r.add(ftmSkeinTarget, l.Target)
	r.add(ls.role, l.Role)
	if ls.t != l.Type {
		r.add(ftmLinkType, string(l.Type))
	}
	r.add("startDate", l.StartDate)
	r.add("endDate", l.EndDate)
	r.add("description", l.Description)
	if l.Weight != 0 {
		r.add(ftmWeight, strconv.FormatFloat(l.Weight, 'g', -1, 64))
	}
	putSources(r, l.Sources)
	putProperties(r, l.Properties, append([]string{ls.src, ls.tgt, ls.role}, ftmLinkReserved...)...)
	return e.write(r)
}

func (e *ftmEncoder) close() error { return e.w.Flush() }

// ftmPending is a record of the first pass, resolved once the whole file
// is read (sanctions need their entity, links the set of skipped ids).
type ftmPending struct {
	line int
	rec  ftmRecord
}

func decodeFtM(ctx context.Context, data []byte, c *collector) error {
	var docs, ents, sanctions, links []ftmPending
	skipped := map[string]string{} // id -> schema of records not imported
	line := 0
	for len(data) > 0 {
		if err := ctxEvery(ctx, line); err != nil {
			return err
		}
		line++
		var raw []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			raw, data = data[:i], data[i+1:]
		} else {
			raw, data = data, nil
		}
		raw = bytes.TrimSpace(raw)
		if len(raw) == 0 {
			continue
		}
		var rec ftmRecord
		if err := json.Unmarshal(raw, &rec); err != nil {
			c.bad(line, "not an FtM entity object: %v", err)
			continue
		}
		if rec.ID == "" {
			c.bad(line, "FtM entity without an id")
			continue
		}
		if rec.Schema == "" {
			c.bad(line, "FtM entity %q without a schema", rec.ID)
			continue
		}
		if rec.Properties == nil {
			rec.Properties = map[string][]string{}
		}
		p := ftmPending{line: line, rec: rec}
		switch _, isLink := ftmLinkBySchema(rec.Schema); {
		case rec.Schema == "Document":
			docs = append(docs, p)
		case ftmEntitySchemas[rec.Schema] != "":
			ents = append(ents, p)
		case rec.Schema == "Sanction":
			sanctions = append(sanctions, p)
		case isLink:
			links = append(links, p)
		default:
			skipped[rec.ID] = rec.Schema
			c.warn(line, "FtM schema %s is not supported: entity %q skipped", rec.Schema, rec.ID)
		}
	}

	// FtM id -> Skein id, for records written with skein:id.
	skeinIDs := map[string]string{}
	for _, group := range [][]ftmPending{docs, ents, links} {
		for _, p := range group {
			if id := first(p.rec.Properties[ftmSkeinID]); id != "" {
				skeinIDs[p.rec.ID] = id
			}
		}
	}
	resolve := func(ftmID string) string {
		if id, ok := skeinIDs[ftmID]; ok {
			return id
		}
		return ftmID
	}

	for _, p := range docs {
		r := &p.rec
		c.document(p.line, graph.Document{
			ID:        resolve(r.ID),
			Title:     r.joined("title", "; "),
			Publisher: r.joined("publisher", "; "),
			URL:       first(r.Properties["sourceUrl"]),
			Published: first(r.Properties["publishedAt"]),
			License:   r.joined(ftmLicense, "; "),
			Path:      r.joined(ftmPath, "; "),
		})
	}

	// Designations, keyed by entity id, in file order.
	designations := map[string][]graph.Designation{}
	entityIDs := map[string]bool{}
	for _, p := range ents {
		entityIDs[p.rec.ID] = true // FtM ids: what sanctions refer to
	}
	for _, p := range sanctions {
		r := &p.rec
		target := r.Properties["entity"]
		if len(target) != 1 {
			c.bad(p.line, "Sanction %q needs exactly one entity, has %d", r.ID, len(target))
			continue
		}
		if !entityIDs[target[0]] {
			if schema, ok := skipped[target[0]]; ok {
				c.warn(p.line, "Sanction %q skipped: its entity %q is a %s", r.ID, target[0], schema)
			} else {
				c.bad(p.line, "Sanction %q: entity %q is not in the file (a designation is imported with its entity)", r.ID, target[0])
			}
			continue
		}
		listed := ftmDate(first(r.Properties["startDate"]))
		if len(listed) == 4 || len(listed) == 7 {
			// Skein's listedOn is a day; a year or month is dropped, said.
			c.warn(p.line, "Sanction %q: startDate %q is not a full date; listedOn left empty", r.ID, listed)
			listed = ""
		}
		d := graph.Designation{
			Regime:    r.joined("program", "; "),
			Authority: r.joined("authority", "; "),
			ListedOn:  listed,
			Measures:  r.Properties["provisions"],
			Reason:    r.joined("reason", "\n"),
		}
		var ok bool
		if d.Sources, ok = ftmSourceRefs(c, p.line, r, nil); !ok {
			continue
		}
		if err := checkDesignation(d); err != nil {
			c.bad(p.line, "Sanction %q: %v", r.ID, err)
			continue
		}
		designations[target[0]] = append(designations[target[0]], d) // by FtM id
	}

	for _, p := range ents {
		r := &p.rec
		e := graph.Entity{
			ID:           resolve(r.ID),
			Kind:         ftmEntitySchemas[r.Schema],
			Name:         first(r.Properties["name"]),
			Description:  r.joined("description", "\n"),
			Designations: designations[r.ID],
		}
		if names := r.Properties["name"]; len(names) > 1 {
			e.Aliases = append(e.Aliases, names[1:]...)
		}
		e.Aliases = append(e.Aliases, r.Properties["alias"]...)
		for _, cc := range r.Properties["country"] {
			e.Countries = append(e.Countries, countryName(cc))
		}
		var ok bool
		if e.Sources, ok = ftmSourceRefs(c, p.line, r, resolve); !ok {
			continue
		}
		e.Properties = ftmFreeProperties(r, ftmEntityReserved)
		c.entity(p.line, e)
	}

	for _, p := range links {
		r := &p.rec
		ls, _ := ftmLinkBySchema(r.Schema)
		src, tgt := r.Properties[ls.src], r.Properties[ls.tgt]
		if len(src) != 1 || len(tgt) != 1 {
			c.bad(p.line, "%s %q needs exactly one %s and one %s", r.Schema, r.ID, ls.src, ls.tgt)
			continue
		}
		if s, ok := skipped[src[0]]; ok {
			c.warn(p.line, "%s %q skipped: its %s %q is a %s", r.Schema, r.ID, ls.src, src[0], s)
			continue
		}
		if s, ok := skipped[tgt[0]]; ok {
			c.warn(p.line, "%s %q skipped: its %s %q is a %s", r.Schema, r.ID, ls.tgt, tgt[0], s)
			continue
		}
		l := graph.Link{
			ID:          resolve(r.ID),
			Type:        ls.t,
			Source:      resolve(src[0]),
			Target:      resolve(tgt[0]),
			Role:        r.joined(ls.role, "; "),
			Description: r.joined("description", "\n"),
			StartDate:   ftmDate(first(r.Properties["startDate"])),
			EndDate:     ftmDate(first(r.Properties["endDate"])),
		}
		if id := first(r.Properties[ftmSkeinSource]); id != "" {
			l.Source = id
		}
		if id := first(r.Properties[ftmSkeinTarget]); id != "" {
			l.Target = id
		}
		if t := r.Properties[ftmLinkType]; len(t) > 0 {
			lt, err := graph.ParseLinkType(t[0])
			if err != nil {
				c.badErr(p.line, err)
				continue
			}
			l.Type = lt
		}
		if w := r.Properties[ftmWeight]; len(w) > 0 {
			v, err := strconv.ParseFloat(w[0], 64)
			if err != nil {
				c.bad(p.line, "%s %q: %s %q is not a number", r.Schema, r.ID, ftmWeight, w[0])
				continue
			}
			l.Weight = v
		}
		var ok bool
		if l.Sources, ok = ftmSourceRefs(c, p.line, r, nil); !ok {
			continue
		}
		l.Properties = ftmFreeProperties(r, append([]string{ls.src, ls.tgt, ls.role, ftmLinkType, ftmWeight}, ftmLinkReserved...))
		c.link(p.line, l)
	}
	return nil
}

// ftmDate cuts an FtM date-time ("2022-05-01T10:00:00") to its day, the
// precision Skein keeps.
func ftmDate(s string) string {
	if len(s) > 10 && s[10] == 'T' {
		return s[:10]
	}
	return s
}

func first(vals []string) string {
	if len(vals) == 0 {
		return ""
	}
	return vals[0]
}

// ftmSourceRefs reads skein:sources, falling back (when resolve is given)
// to proof ids, quote unknown, for entities of other tools.
func ftmSourceRefs(c *collector, line int, r *ftmRecord, resolve func(string) string) ([]graph.SourceRef, bool) {
	var refs []graph.SourceRef
	for _, s := range r.Properties[ftmSources] {
		var ref graph.SourceRef
		if err := json.Unmarshal([]byte(s), &ref); err != nil {
			c.bad(line, "%s %q: %s value is not a JSON {\"document\",\"quote\"} object: %v", r.Schema, r.ID, ftmSources, err)
			return nil, false
		}
		refs = append(refs, ref)
	}
	if len(refs) == 0 && resolve != nil {
		for _, id := range r.Properties["proof"] {
			refs = append(refs, graph.SourceRef{Document: resolve(id)})
		}
	}
	return refs, true
}

// ftmFreeProperties collects the properties Skein does not map.
func ftmFreeProperties(r *ftmRecord, mapped []string) map[string]string {
	var props map[string]string
	for k, vals := range r.Properties {
		if slices.Contains(mapped, k) || len(vals) == 0 {
			continue
		}
		switch {
		case strings.HasPrefix(k, ftmPropNS):
			k = strings.TrimPrefix(k, ftmPropNS)
		case strings.HasPrefix(k, ftmNS):
			continue // a Skein field handled elsewhere
		}
		if props == nil {
			props = map[string]string{}
		}
		props[k] = strings.Join(vals, "; ")
	}
	return props
}

// checkDesignation applies the designation rules of Entity.Validate, so a
// bad Sanction is reported at its own line.
func checkDesignation(d graph.Designation) error {
	probe := graph.Entity{ID: "probe", Kind: graph.KindPerson, Name: "probe", Designations: []graph.Designation{d}}
	if err := probe.Validate(); err != nil {
		return fmt.Errorf("%s", strings.TrimLeft(strings.TrimPrefix(message(err), `entity "probe": designation 0`), ": "))
	}
	return nil
}
