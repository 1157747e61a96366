package formats

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/skein-project/skein/graph"
)

// FollowTheMoney JSON lines: one {"id","schema","properties"} object a line,
// property values always lists of strings. The mapping follows the
// registry (graph.KindSpec.FtMSchema, graph.LinkSpec.FtMSchema/FtMSource/
// FtMTarget/FtMProperty, typed fields under their FtM property names) and
// FtM's schema YAML (ftm_model.go); it is loss-free both ways: a Skein batch
// written and read back is the same batch, and an FtM file of the schemata
// below read and written again has the same FtM properties.
//
//   - Document -> FtM Document: title, publisher, sourceUrl, publishedAt,
//     fileName (the base of the path), skein:license, skein:path.
//   - Entity -> its kind's schema (Person, Organization, Company,
//     LegalEntity, Address, Vessel, Vehicle, BankAccount, Identification;
//     an identification whose documentType is PASSPORT is a Passport):
//     name, alias, country, description, proof (ids of the cited documents,
//     for Aleph) and the kind's typed fields (birthDate, nationality,
//     incorporationDate, imoNumber, flag, iban, number, authority, startDate
//     and endDate of a document...). Country-valued fields are written as
//     FtM's lower-case codes, list fields as several values. Identification
//     and Passport have no name: the name is the document number (else
//     skein:name), aliases skein:alias. Address, Vehicle and BankAccount
//     names are optional in FtM: a name that is the record's caption (full
//     address, registration number, IBAN) is not repeated.
//   - Countries: Entity.Countries are FtM country codes (ftm_countries.go).
//     Address, BankAccount and Identification have their own typed country
//     (FtM's country of the address, account or document): it comes first
//     in country, then the entity's countries, and skein:countries lists
//     the entity's countries by name; without an own country the entity's
//     countries are only in skein:countries. Names without a code are in
//     skein:countries too.
//   - documentType: Passport schema for PASSPORT, else FtM type "ID card",
//     "Driving licence", "Other". Other texts read from FtM ("Driving
//     license", "Residence permit") map to the closest type (OTHER when
//     none) and are kept as the property ftm:type, written back as they were.
//   - Designation -> Sanction, written right after its entity, id
//     "<entity's FtM id>-sanction-<n>" (a designation has no id of its own,
//     so a Sanction read from another tool is written back under this id):
//     entity, program (regime), authority,
//     listingDate and startDate (listedOn; read from listingDate, else
//     startDate; a Sanction read with only one of them is written with
//     that one alone, the property ftm:sanctionDate naming it), endDate
//     (delistedOn), provisions (measures), reason; the Sanction's id
//     (unless it is the one Skein derives, <entity>-sanction-<n>) and its
//     other properties (sourceUrl, status, a startDate other than
//     listingDate, ...) are the designation's ID and Properties.
//   - Link -> the interval schema of its type (Membership, Directorship,
//     Employment, Ownership with percentage and sharesValue, Family and
//     Associate with relationship, Representation, Payment with amount,
//     currency, date, purpose), when both ends are in the schema's ranges;
//     a payment's bank-account ends are payerAccount/beneficiaryAccount.
//     Role is the schema's role (skein:role for Family, Associate and
//     Payment, which have none). Other types, and links whose ends do not
//     fit, are UnknownLink (subject, object, role) with the Skein type in
//     skein:linkType. startDate, endDate, description, proof.
//   - HOLDS, LOCATED_AT and OPERATES are entity properties in FtM:
//     Identification.holder, Thing.addressEntity, Vehicle.operator. They are
//     written on the record that carries them (when it is in the file and
//     both ends fit), with each link in full as a skein:link JSON value; on
//     the way in every value of these properties is a link, the one of
//     skein:link when there is one, else a new link with a derived id.
//   - A link no FtM schema can hold, because an end is not a Thing (an
//     Identification, which FtM links only to its holder), goes whole as
//     a skein:attachedLink JSON value on the record of that end, and is
//     read back from there; FtM's own library sees no reference.
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
// skein:sources (each SourceRef as a JSON string {"document","quote"}, on
// every record that has sources), skein:weight, skein:linkType, skein:role,
// skein:name, skein:alias, skein:countries, skein:link, skein:attachedLink, skein:license,
// skein:path. Free Skein properties are written under their own key (a
// value holding "; " as several values), or as "skein:property:<key>" when
// the key is one of the mapped FtM properties or starts with "skein:". On
// the way in, FtM properties Skein does not map become free properties
// (several values joined with "; "); a typed field that is not a list
// keeps its first value and the others are named in a warning. A record without skein:sources
// gets SourceRefs without quotes from its proof ids; schemata Skein has no
// kind for are skipped with a warning, as are links touching a skipped
// record.

const (
	ftmSkeinID     = "skein:id"
	ftmSkeinSource = "skein:source"
	ftmSkeinTarget = "skein:target"
	ftmSources     = "skein:sources"
	ftmWeight      = "skein:weight"
	ftmLinkType    = "skein:linkType"
	ftmRole        = "skein:role"
	ftmName        = "skein:name"
	ftmAliases     = "skein:alias"
	ftmCountries   = "skein:countries"
	ftmLink        = "skein:link"
	ftmAttached    = "skein:attachedLink"
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

// addUnique adds values the property does not hold yet.
func (r *ftmRecord) addUnique(prop string, vals ...string) {
	for _, v := range vals {
		if v != "" && !slices.Contains(r.Properties[prop], v) {
			r.Properties[prop] = append(r.Properties[prop], v)
		}
	}
}

// joined returns the property's values joined by sep, "" when absent.
func (r *ftmRecord) joined(prop, sep string) string {
	return strings.Join(r.Properties[prop], sep)
}

// splitValues is the way back of joining several FtM values with "; ": a
// value holding "; " is several values, unless a piece would be empty.
func splitValues(v string) []string {
	parts := strings.Split(v, graph.ListSeparator)
	for _, p := range parts {
		if p == "" {
			return []string{v}
		}
	}
	return parts
}

// ftmEntityReserved are the FtM properties an entity's mapping writes
// itself; free properties of these names are escaped.
var ftmEntityReserved = []string{"name", "alias", "country", "description", "proof", "holder", "addressEntity", "operator"}

var ftmLinkReserved = []string{"startDate", "endDate", "description", "proof"}

// ftmFieldValues writes a typed field's stored value as FtM values: list
// items apart, country codes lower case.
func ftmFieldValues(f graph.Field, v string) []string {
	vals := []string{v}
	if f.List {
		vals = f.Split(v)
	}
	if f.Type == graph.ValueCountry {
		for i := range vals {
			vals[i] = strings.ToLower(vals[i])
		}
	}
	return vals
}

func fieldByProperty(fs []graph.Field, prop string) (graph.Field, bool) {
	for _, f := range fs {
		if f.Property == prop {
			return f, true
		}
	}
	return graph.Field{}, false
}

// hasOwnCountry reports whether the kind has a typed field kept under FtM's
// country (Address, BankAccount, Identification).
func hasOwnCountry(spec graph.KindSpec) bool {
	_, ok := fieldByProperty(spec.Fields, "country")
	return ok
}

func putSources(r *ftmRecord, refs []graph.SourceRef) {
	var proof []string
	for _, s := range refs {
		r.Properties[ftmSources] = append(r.Properties[ftmSources], jsonString(s))
		if id := ftmID(s.Document); !slices.Contains(proof, id) {
			proof = append(proof, id)
		}
	}
	r.add("proof", proof...)
}

type ftmEncoder struct {
	w   *bufio.Writer
	buf bytes.Buffer
	enc *json.Encoder
	// Set by prepare: the FtM schema of every entity of the batch, the
	// property links each entity carries, the links no FtM schema can hold
	// that it carries whole (attach), and all those links.
	schemas  map[string]string
	carried  map[string][]*graph.Link
	attach   map[string][]*graph.Link
	attached map[*graph.Link]bool
}

func newFtMEncoder(w io.Writer) *ftmEncoder {
	e := &ftmEncoder{w: bufio.NewWriter(w), schemas: map[string]string{}, carried: map[string][]*graph.Link{}, attach: map[string][]*graph.Link{}, attached: map[*graph.Link]bool{}}
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}

// prepare looks at the whole batch before any record is written: links FtM
// keeps as an entity property go on the record of their carrier, and a
// link's schema depends on the schemata of its ends.
func (e *ftmEncoder) prepare(b *graph.Batch) {
	for i := range b.Entities {
		x := &b.Entities[i]
		e.schemas[x.ID] = ftmEntitySchema(x)
	}
	for i := range b.Links {
		l := &b.Links[i]
		if e.carry(l) {
			continue
		}
		if edge, _, _ := e.edgeOf(l); edge.schema == ftmUnknownLink {
			// UnknownLink relates Things only.
			for _, end := range []string{l.Source, l.Target} {
				if s, ok := e.schemas[end]; ok && !ftmIsA(s, "Thing") {
					e.attach[end] = append(e.attach[end], l)
					e.attached[l] = true
					break
				}
			}
		}
	}
}

// carry puts a link FtM keeps as an entity property on its carrier, when
// the carrier is in the batch and both ends fit.
func (e *ftmEncoder) carry(l *graph.Link) bool {
	pl, ok := ftmPropLinkOf(l.Type)
	if !ok {
		return false
	}
	carrier, other := l.Target, l.Source
	if pl.carrierIsSrc {
		carrier, other = l.Source, l.Target
	}
	cs, ok := e.schemas[carrier]
	if !ok || !ftmIsA(cs, pl.carrierSchema) {
		return false
	}
	if os, ok := e.schemas[other]; ok && !ftmIsA(os, pl.otherRange) {
		return false
	}
	e.carried[carrier] = append(e.carried[carrier], l)
	e.attached[l] = true
	return true
}

func ftmPropLinkOf(t graph.LinkType) (ftmPropLink, bool) {
	for _, pl := range ftmPropLinks {
		if pl.t == t {
			return pl, true
		}
	}
	return ftmPropLink{}, false
}

// ftmEntitySchema is the FtM schema an entity is written as.
func ftmEntitySchema(x *graph.Entity) string {
	spec, ok := x.Kind.Spec()
	if !ok {
		return string(x.Kind)
	}
	if x.Kind == graph.KindIdentification && x.Properties["type"] == "PASSPORT" {
		return "Passport"
	}
	return spec.FtMSchema
}

// ftmCaptionOf is the value FtM captions a nameless record of the schema
// by, from Skein properties or FtM ones.
func ftmCaptionOf(schema string, get func(string) string) string {
	for _, p := range ftmCaption[schema] {
		if v := get(p); v != "" {
			return v
		}
	}
	return ""
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
	if d.Path != "" {
		r.add("fileName", path.Base(d.Path))
	}
	r.add(ftmLicense, d.License)
	r.add(ftmPath, d.Path)
	return e.write(r)
}

func (e *ftmEncoder) entity(x *graph.Entity) error {
	schema := e.schemas[x.ID]
	if schema == "" {
		schema = ftmEntitySchema(x)
	}
	spec, _ := x.Kind.Spec()
	r := newRecord(x.ID, schema)
	caption := ftmCaptionOf(schema, func(p string) string { return x.Properties[p] })
	if ftmHasName(schema) {
		if ftmNameRequired[schema] || x.Name != caption {
			r.add("name", x.Name)
		}
		r.add("alias", x.Aliases...)
	} else {
		if x.Name != caption {
			r.add(ftmName, x.Name)
		}
		r.add(ftmAliases, x.Aliases...)
	}
	e.countries(r, spec, x)
	r.add("description", x.Description)
	putSources(r, x.Sources)
	isID := x.Kind == graph.KindIdentification
	if isID {
		text, ok := x.Properties[ftmTypeText]
		if !ok {
			for _, t := range ftmDocumentTypes {
				if t.value == x.Properties["type"] {
					text = t.text
				}
			}
		}
		r.add("type", text)
	}
	for k, v := range x.Properties {
		f, typed := fieldByProperty(spec.Fields, k)
		switch {
		case typed && k == "country" && hasOwnCountry(spec):
			// written with the countries
		case isID && (k == "type" || k == ftmTypeText):
			// written above
		case typed:
			r.Properties[k] = ftmFieldValues(f, v)
		case slices.Contains(ftmEntityReserved, k) || strings.HasPrefix(k, ftmNS):
			r.Properties[ftmPropNS+k] = []string{v}
		default:
			r.Properties[k] = splitValues(v)
		}
	}
	for _, l := range e.carried[x.ID] {
		pl, _ := ftmPropLinkOf(l.Type)
		other := l.Source
		if pl.carrierIsSrc {
			other = l.Target
		}
		r.addUnique(pl.prop, ftmID(other))
		r.add(ftmLink, jsonString(l))
	}
	for _, l := range e.attach[x.ID] {
		r.add(ftmAttached, jsonString(l))
	}
	if err := e.write(r); err != nil {
		return err
	}
	for i, d := range x.Designations {
		id := ftmSanctionID(x.ID, i)
		if d.ID != "" {
			id = ftmID(d.ID)
		}
		s := &ftmRecord{ID: id, Schema: "Sanction", Properties: map[string][]string{}}
		s.add("entity", ftmID(x.ID))
		s.add("program", d.Regime)
		s.add("authority", d.Authority)
		// listedOn goes in listingDate and startDate, unless the Sanction
		// it was read from had only one of them.
		only := d.Properties[ftmSanctionDates]
		if only != "listingDate" && only != "startDate" {
			only = "" // not a value Skein writes: kept as a free property
		}
		if only != "startDate" {
			s.add("listingDate", d.ListedOn)
		}
		if only != "listingDate" {
			s.add("startDate", cmp.Or(d.Properties["startDate"], d.ListedOn))
		}
		for k, v := range d.Properties {
			switch {
			case k == "startDate" || k == ftmSanctionDates && only != "":
			case slices.Contains(ftmSanctionMapped, k) || strings.HasPrefix(k, ftmNS):
				s.Properties[ftmPropNS+k] = []string{v}
			default:
				s.Properties[k] = splitValues(v)
			}
		}
		s.add("endDate", d.DelistedOn)
		s.add("provisions", d.Measures...)
		s.add("reason", d.Reason)
		putSources(s, d.Sources)
		if err := e.write(s); err != nil {
			return err
		}
	}
	return nil
}

// countries writes the entity's countries and, for kinds that have one,
// its own typed country (see the mapping above).
func (e *ftmEncoder) countries(r *ftmRecord, spec graph.KindSpec, x *graph.Entity) {
	own := hasOwnCountry(spec)
	byName := own && len(x.Countries) > 0
	if own {
		if c := x.Properties["country"]; c != "" {
			r.add("country", strings.ToLower(c))
		}
	}
	var codes []string
	for _, name := range x.Countries {
		code := strings.ToLower(countryCode(name))
		if len(code) != 2 || !graph.IsCountryCode(strings.ToUpper(code)) {
			byName = true // no FtM code for it
			continue
		}
		if countryName(code) != name || slices.Contains(codes, code) {
			byName = true // the code alone would not give the name back
		}
		codes = append(codes, code)
	}
	if !own || x.Properties["country"] != "" {
		r.addUnique("country", codes...)
	}
	if byName {
		r.add(ftmCountries, x.Countries...)
	}
}

func (e *ftmEncoder) link(l *graph.Link) error {
	if e.attached[l] {
		return nil // written on the record that carries it
	}
	edge, srcProp, tgtProp := e.edgeOf(l)
	r := newRecord(l.ID, edge.schema)
	r.add(srcProp, ftmID(l.Source))
	r.add(tgtProp, ftmID(l.Target))
	// The Skein endpoints travel with the link: an endpoint outside the
	// file has no record whose skein:id maps it back, and an FtM-valid id
	// that happens to equal another record's FtM id must not be mapped.
	r.add(ftmSkeinSource, l.Source)
	r.add(ftmSkeinTarget, l.Target)
	if edge.role != "" {
		if l.Role != "" {
			r.add(edge.role, splitValues(l.Role)...)
		}
	} else {
		r.add(ftmRole, l.Role)
	}
	if edge.def != l.Type {
		r.add(ftmLinkType, string(l.Type))
	}
	r.add("startDate", l.StartDate)
	r.add("endDate", l.EndDate)
	r.add("description", l.Description)
	if l.Weight != 0 {
		r.add(ftmWeight, strconv.FormatFloat(l.Weight, 'g', -1, 64))
	}
	putSources(r, l.Sources)
	spec, _ := l.Type.Spec()
	reserved := append([]string{edge.src, edge.tgt, srcProp, tgtProp, edge.role}, ftmLinkReserved...)
	for k, v := range l.Properties {
		f, typed := fieldByProperty(spec.Fields, k)
		switch {
		case typed && !slices.Contains(reserved, k):
			r.Properties[k] = ftmFieldValues(f, v)
		case slices.Contains(reserved, k) || strings.HasPrefix(k, ftmNS):
			r.Properties[ftmPropNS+k] = []string{v}
		default:
			r.Properties[k] = splitValues(v)
		}
	}
	return e.write(r)
}

// edgeOf picks the schema of a link and the properties of its ends: its
// type's interval schema when both ends fit its ranges, else UnknownLink.
func (e *ftmEncoder) edgeOf(l *graph.Link) (ftmEdge, string, string) {
	if spec, ok := l.Type.Spec(); ok && spec.FtMProperty == "" {
		if edge, ok := ftmEdgeBySchema(spec.FtMSchema); ok {
			if s, t, ok := edge.fits(e.schemas[l.Source], e.schemas[l.Target]); ok {
				return edge, s, t
			}
		}
	}
	u, _ := ftmEdgeBySchema(ftmUnknownLink)
	return u, u.src, u.tgt
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
		switch _, isLink := ftmEdgeBySchema(rec.Schema); {
		case rec.Schema == "Document":
			docs = append(docs, p)
		case ftmSchemaKinds[rec.Schema] != "":
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
	d := &ftmDecoder{c: c, skipped: skipped, resolve: resolve}

	for _, p := range docs {
		r := &p.rec
		c.document(p.line, graph.Document{
			ID:        resolve(r.ID),
			Title:     r.joined("title", "; "),
			Publisher: r.joined("publisher", "; "),
			URL:       first(r.Properties["sourceUrl"]),
			Published: first(r.Properties["publishedAt"]),
			License:   r.joined(ftmLicense, "; "),
			Path:      cmp.Or(r.joined(ftmPath, "; "), first(r.Properties["fileName"])),
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
		if dsg, ok := d.sanction(p.line, r, len(designations[target[0]])); ok {
			designations[target[0]] = append(designations[target[0]], dsg) // by FtM id
		}
	}

	for _, p := range ents {
		d.entity(p.line, &p.rec, designations[p.rec.ID])
	}
	for _, p := range links {
		d.link(p.line, &p.rec)
	}
	return nil
}

// ftmDecoder reads the records of one file once the first pass has sorted
// them.
type ftmDecoder struct {
	c       *collector
	skipped map[string]string
	resolve func(string) string
}

var ftmSanctionMapped = []string{"entity", "program", "authority", "listingDate", "startDate", "endDate", "provisions", "reason", "proof"}

// ftmSanctionDates is the designation property that names the one FtM
// property (listingDate or startDate) its Sanction gave the listing date
// in, when it gave only one, so that export writes that one alone. A
// designation without it (Skein's own, or a Sanction with both) gets both.
const ftmSanctionDates = "ftm:sanctionDate"

// ftmSanctionID is the id a designation without one of its own is written
// with: its entity's and its place among the entity's designations.
func ftmSanctionID(entity string, i int) string {
	return ftmID(entity) + "-sanction-" + strconv.Itoa(i)
}

// sanction reads a Sanction record, the i-th of its entity: its id is kept
// unless it is the one Skein writes for a designation without one, and the
// properties a designation has no field for are kept in its Properties (a
// startDate other than listingDate too).
func (d *ftmDecoder) sanction(line int, r *ftmRecord, i int) (graph.Designation, bool) {
	c := d.c
	props := ftmFreeProperties(r, ftmSanctionMapped)
	listed := ftmDate(first(r.Properties["listingDate"]))
	start := ftmDate(first(r.Properties["startDate"]))
	keep := func(k, v string) {
		if props == nil {
			props = map[string]string{}
		}
		props[k] = v
	}
	switch {
	case listed == "" && start != "":
		listed = start
		keep(ftmSanctionDates, "startDate")
	case listed != "" && start == "":
		keep(ftmSanctionDates, "listingDate")
	case start != listed:
		keep("startDate", start)
	}
	dsg := graph.Designation{
		Regime:     r.joined("program", "; "),
		Authority:  r.joined("authority", "; "),
		ListedOn:   listed,
		DelistedOn: ftmDate(first(r.Properties["endDate"])),
		Measures:   r.Properties["provisions"],
		Reason:     r.joined("reason", "\n"),
		Properties: props,
	}
	if r.ID != first(r.Properties["entity"])+"-sanction-"+strconv.Itoa(i) {
		dsg.ID = r.ID
	}
	var ok bool
	if dsg.Sources, ok = ftmSourceRefs(c, line, r, d.resolve); !ok {
		return dsg, false
	}
	if err := checkDesignation(dsg); err != nil {
		c.bad(line, "Sanction %q: %v", r.ID, err)
		return dsg, false
	}
	return dsg, true
}

func (d *ftmDecoder) entity(line int, r *ftmRecord, designations []graph.Designation) {
	c := d.c
	kind := ftmSchemaKinds[r.Schema]
	spec, _ := kind.Spec()
	e := graph.Entity{
		ID:           d.resolve(r.ID),
		Kind:         kind,
		Description:  r.joined("description", "\n"),
		Designations: designations,
	}
	names, aliases := r.Properties["name"], r.Properties["alias"]
	if !ftmHasName(r.Schema) {
		names, aliases = r.Properties[ftmName], r.Properties[ftmAliases]
	}
	if len(names) > 0 {
		e.Name = names[0]
		e.Aliases = append(slices.Clone(names[1:]), aliases...)
	} else {
		e.Aliases = slices.Clone(aliases)
		// A nameless record is named by its caption (no caption: refused
		// as a bad row, never given a made-up name).
		e.Name = ftmCaptionOf(r.Schema, func(p string) string { return first(r.Properties[p]) })
	}
	props := map[string]string{}
	countries := r.Properties["country"]
	if hasOwnCountry(spec) && len(countries) > 0 {
		props["country"] = countries[0]
		countries = countries[1:]
	}
	if named, ok := r.Properties[ftmCountries]; ok {
		e.Countries = slices.Clone(named)
	} else {
		for _, cc := range countries {
			e.Countries = append(e.Countries, countryName(cc))
		}
	}
	isID := kind == graph.KindIdentification
	mapped := slices.Clone(ftmEntityReserved)
	for _, f := range spec.Fields {
		mapped = append(mapped, f.Property)
		if f.Property == "country" || (isID && f.Property == "type") {
			continue
		}
		if vals := r.Properties[f.Property]; len(vals) > 0 {
			props[f.Property] = d.fieldValue(line, r, f, vals)
		}
	}
	if isID {
		types := r.Properties["type"]
		if len(types) > 1 {
			c.warn(line, "%s %q: type %q kept, %q not", r.Schema, r.ID, types[0], types[1:])
		}
		text := first(types)
		v, canonical := ftmDocumentType(r.Schema, text)
		if v != "" {
			props["type"] = v
		}
		if text != "" && text != canonical {
			props[ftmTypeText] = text
		}
	}
	for k, v := range ftmFreeProperties(r, mapped) {
		if _, taken := props[k]; !taken {
			props[k] = v
		}
	}
	if len(props) > 0 {
		e.Properties = props
	}
	var ok bool
	if e.Sources, ok = ftmSourceRefs(c, line, r, d.resolve); !ok {
		return
	}
	c.entity(line, e)
	for _, pl := range ftmPropLinks {
		if ftmIsA(r.Schema, pl.carrierSchema) {
			d.propLinks(line, r, pl, e.ID)
		}
	}
	for _, s := range r.Properties[ftmAttached] {
		var l graph.Link
		if err := json.Unmarshal([]byte(s), &l); err != nil {
			c.bad(line, "%s %q: %s value is not a JSON link: %v", r.Schema, r.ID, ftmAttached, err)
			continue
		}
		if l.Source != e.ID && l.Target != e.ID {
			c.bad(line, "%s %q: %s %q does not touch the record", r.Schema, r.ID, ftmAttached, l.ID)
			continue
		}
		c.link(line, l)
	}
}

// ftmDocumentType maps an FtM identification's schema and type text to the
// documentType and the text Skein would write for it.
func ftmDocumentType(schema, text string) (value, canonical string) {
	switch {
	case schema == "Passport":
		value = "PASSPORT"
	case text == "":
		return "", ""
	default:
		key := strings.ToLower(strings.Join(strings.FieldsFunc(text, func(r rune) bool { return r == ' ' || r == '-' || r == '_' }), " "))
		if value = ftmDocumentTypeSynonyms[key]; value == "" {
			value = "OTHER"
		}
	}
	for _, t := range ftmDocumentTypes {
		if t.value == value {
			canonical = t.text
		}
	}
	return value, canonical
}

// fieldValue reads a typed field's FtM values: a list field keeps them
// all, any other field its first (the others are named in a warning).
func (d *ftmDecoder) fieldValue(line int, r *ftmRecord, f graph.Field, vals []string) string {
	if f.Type == graph.ValueDate {
		vals = slices.Clone(vals)
		for i := range vals {
			vals[i] = ftmDate(vals[i])
		}
	}
	if f.List || len(vals) == 1 {
		return strings.Join(vals, graph.ListSeparator)
	}
	d.c.warn(line, "%s %q: %s %q kept, %q not (one value only)", r.Schema, r.ID, f.Property, vals[0], vals[1:])
	return vals[0]
}

// propLinks reads the links a record carries as an entity property
// (Identification.holder, addressEntity, Vehicle.operator): the skein:link
// of each value when there is one, else a new link.
func (d *ftmDecoder) propLinks(line int, r *ftmRecord, pl ftmPropLink, carrier string) {
	c := d.c
	var known []graph.Link
	for _, s := range r.Properties[ftmLink] {
		var l graph.Link
		if err := json.Unmarshal([]byte(s), &l); err != nil {
			c.bad(line, "%s %q: %s value is not a JSON link: %v", r.Schema, r.ID, ftmLink, err)
			return
		}
		if l.Type == pl.t {
			known = append(known, l)
		}
	}
	var seen []string
	for _, v := range r.Properties[pl.prop] {
		if slices.Contains(seen, v) {
			continue
		}
		seen = append(seen, v)
		if s, ok := d.skipped[v]; ok {
			c.warn(line, "%s %q: %s %q skipped: it is a %s", r.Schema, r.ID, pl.prop, v, s)
			continue
		}
		other := d.resolve(v)
		found := false
		for _, k := range known {
			o := k.Source
			if pl.carrierIsSrc {
				o = k.Target
			}
			if o == other || ftmID(o) == v {
				c.link(line, k)
				found = true
			}
		}
		if found {
			continue
		}
		l := graph.Link{Type: pl.t, Source: other, Target: carrier}
		if pl.carrierIsSrc {
			l.Source, l.Target = carrier, other
		}
		l.ID = graph.LinkID(l.Type, l.Source, l.Target, "")
		c.link(line, l)
	}
}

func (d *ftmDecoder) link(line int, r *ftmRecord) {
	c := d.c
	edge, _ := ftmEdgeBySchema(r.Schema)
	srcProp, tgtProp := edge.src, edge.tgt
	if len(r.Properties[srcProp]) == 0 && edge.srcAlt != "" {
		srcProp = edge.srcAlt
	}
	if len(r.Properties[tgtProp]) == 0 && edge.tgtAlt != "" {
		tgtProp = edge.tgtAlt
	}
	src, tgt := r.Properties[srcProp], r.Properties[tgtProp]
	if len(src) != 1 || len(tgt) != 1 {
		c.bad(line, "%s %q needs exactly one %s and one %s", r.Schema, r.ID, srcProp, tgtProp)
		return
	}
	if s, ok := d.skipped[src[0]]; ok {
		c.warn(line, "%s %q skipped: its %s %q is a %s", r.Schema, r.ID, srcProp, src[0], s)
		return
	}
	if s, ok := d.skipped[tgt[0]]; ok {
		c.warn(line, "%s %q skipped: its %s %q is a %s", r.Schema, r.ID, tgtProp, tgt[0], s)
		return
	}
	roleProp := edge.role
	if roleProp == "" {
		roleProp = ftmRole
	}
	l := graph.Link{
		ID:          d.resolve(r.ID),
		Type:        edge.def,
		Source:      d.resolve(src[0]),
		Target:      d.resolve(tgt[0]),
		Role:        r.joined(roleProp, graph.ListSeparator),
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
			c.badErr(line, err)
			return
		}
		l.Type = lt
	}
	if w := r.Properties[ftmWeight]; len(w) > 0 {
		v, err := strconv.ParseFloat(w[0], 64)
		if err != nil {
			c.bad(line, "%s %q: %s %q is not a number", r.Schema, r.ID, ftmWeight, w[0])
			return
		}
		l.Weight = v
	}
	var ok bool
	if l.Sources, ok = ftmSourceRefs(c, line, r, d.resolve); !ok {
		return
	}
	mapped := append([]string{srcProp, tgtProp, edge.role}, ftmLinkReserved...)
	spec, _ := l.Type.Spec()
	props := map[string]string{}
	for _, f := range spec.Fields {
		if slices.Contains(mapped, f.Property) {
			continue
		}
		mapped = append(mapped, f.Property)
		if vals := r.Properties[f.Property]; len(vals) > 0 {
			props[f.Property] = d.fieldValue(line, r, f, vals)
		}
	}
	for k, v := range ftmFreeProperties(r, mapped) {
		if _, taken := props[k]; !taken {
			props[k] = v
		}
	}
	if len(props) > 0 {
		l.Properties = props
	}
	c.link(line, l)
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

// ftmSourceRefs reads skein:sources, falling back to proof ids, quote
// unknown, for records of other tools.
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
	if len(refs) == 0 {
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
		props[k] = strings.Join(vals, graph.ListSeparator)
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
