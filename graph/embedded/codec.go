package embedded

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/skein-project/skein/graph"
)

// codecVersion is the first byte of every stored record; a reader refuses
// versions it does not know rather than misreading them. Version 2 added a
// designation's delistedOn, version 3 its id and properties; older records
// still read (without them).
const codecVersion = 3

var errCorrupt = errors.New("embedded: corrupt record")

// encoder appends length-prefixed fields to a buffer. The record's id is the
// bbolt key and is not repeated in the value.
type encoder struct{ b []byte }

func (e *encoder) str(s string) {
	e.b = binary.AppendUvarint(e.b, uint64(len(s)))
	e.b = append(e.b, s...)
}

func (e *encoder) strs(ss []string) {
	e.b = binary.AppendUvarint(e.b, uint64(len(ss)))
	for _, s := range ss {
		e.str(s)
	}
}

func (e *encoder) props(m map[string]string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys) // deterministic bytes for the same record
	e.b = binary.AppendUvarint(e.b, uint64(len(keys)))
	for _, k := range keys {
		e.str(k)
		e.str(m[k])
	}
}

func (e *encoder) sources(refs []graph.SourceRef) {
	e.b = binary.AppendUvarint(e.b, uint64(len(refs)))
	for _, r := range refs {
		e.str(r.Document)
		e.str(r.Quote)
	}
}

func encodeEntity(buf []byte, en *graph.Entity) []byte {
	e := encoder{b: append(buf[:0], codecVersion)}
	e.str(string(en.Kind))
	e.str(en.Name)
	e.strs(en.Aliases)
	e.strs(en.Countries)
	e.str(en.Description)
	e.props(en.Properties)
	e.sources(en.Sources)
	e.b = binary.AppendUvarint(e.b, uint64(len(en.Designations)))
	for _, d := range en.Designations {
		e.str(d.Regime)
		e.str(d.Authority)
		e.str(d.ListedOn)
		e.str(d.DelistedOn)
		e.strs(d.Measures)
		e.str(d.Reason)
		e.sources(d.Sources)
		e.str(d.ID)
		e.props(d.Properties)
	}
	return e.b
}

func encodeLink(buf []byte, l *graph.Link) []byte {
	e := encoder{b: append(buf[:0], codecVersion)}
	e.str(string(l.Type))
	e.str(l.Source)
	e.str(l.Target)
	e.linkRest(l)
	return e.b
}

// linkRest appends what follows a link's endpoints in its encoding.
func (e *encoder) linkRest(l *graph.Link) {
	e.str(l.Role)
	e.str(l.Description)
	e.str(l.StartDate)
	e.str(l.EndDate)
	e.b = binary.LittleEndian.AppendUint64(e.b, math.Float64bits(l.Weight))
	e.props(l.Properties)
	e.sources(l.Sources)
}

// encodeLinkRest is the part of l's encoding after its endpoints: what the
// in-memory graph keeps of a link beside its type, endpoint slots and span
// (memory.go), the type and endpoint ids being held once for all links.
func encodeLinkRest(l *graph.Link) string {
	var e encoder
	e.linkRest(l)
	return string(e.b)
}

func encodeDocument(buf []byte, d *graph.Document) []byte {
	e := encoder{b: append(buf[:0], codecVersion)}
	e.str(d.Title)
	e.str(d.Publisher)
	e.str(d.URL)
	e.str(d.Published)
	e.str(d.License)
	e.str(d.Path)
	return e.b
}

// decoder reads fields back from a record held as one string, handing out
// substrings of it, so decoding costs no allocation per string field (this
// dominates start-up).
type decoder struct {
	s       string
	off     int
	err     error
	version byte
}

// newDecoder returns a decoder by value, which stays on the caller's stack
// (a pointer escaped: one allocation for every entity an answer decodes).
func newDecoder(v string) (decoder, error) {
	if len(v) == 0 || v[0] < 1 || v[0] > codecVersion {
		return decoder{}, fmt.Errorf("%w: unknown version", errCorrupt)
	}
	return decoder{s: v, off: 1, version: v[0]}, nil
}

func (d *decoder) uvarint() int {
	if d.err != nil {
		return 0
	}
	var x uint64
	var shift uint
	for i := 0; ; i++ {
		if d.off >= len(d.s) || i == binary.MaxVarintLen64 {
			d.err = errCorrupt
			return 0
		}
		c := d.s[d.off]
		d.off++
		if c < 0x80 {
			x |= uint64(c) << shift
			break
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
	}
	if x > uint64(len(d.s)) {
		d.err = errCorrupt
		return 0
	}
	return int(x)
}

func (d *decoder) str() string {
	n := d.uvarint()
	if d.err != nil {
		return ""
	}
	if d.off+n > len(d.s) {
		d.err = errCorrupt
		return ""
	}
	s := d.s[d.off : d.off+n]
	d.off += n
	return s
}

// skip reads past n strings.
func (d *decoder) skip(n int) {
	for range n {
		d.str()
	}
}

// strs reads a list of strings, or reads past it and returns nil unless
// keep: the fields a Selection leaves out cost no allocation.
func (d *decoder) strs(keep bool) []string {
	n := d.uvarint()
	if n == 0 || d.err != nil {
		return nil
	}
	if !keep {
		d.skip(n)
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = d.str()
	}
	return out
}

// props reads a map of properties, or reads past it unless keep.
func (d *decoder) props(keep bool) map[string]string {
	n := d.uvarint()
	if n == 0 || d.err != nil {
		return nil
	}
	if !keep {
		d.skip(2 * n)
		return nil
	}
	m := make(map[string]string, n)
	for range n {
		k := d.str()
		m[k] = d.str()
	}
	return m
}

// sources reads source references, or reads past them unless keep.
func (d *decoder) sources(keep bool) []graph.SourceRef {
	n := d.uvarint()
	if n == 0 || d.err != nil {
		return nil
	}
	if !keep {
		d.skip(2 * n)
		return nil
	}
	out := make([]graph.SourceRef, n)
	for i := range out {
		out[i].Document = d.str()
		out[i].Quote = d.str()
	}
	return out
}

func (d *decoder) float() float64 {
	if d.err != nil {
		return 0
	}
	if d.off+8 > len(d.s) {
		d.err = errCorrupt
		return 0
	}
	var b [8]byte
	copy(b[:], d.s[d.off:d.off+8])
	d.off += 8
	return math.Float64frombits(binary.LittleEndian.Uint64(b[:]))
}

func (d *decoder) done() error {
	if d.err == nil && d.off != len(d.s) {
		d.err = fmt.Errorf("%w: %d trailing bytes", errCorrupt, len(d.s)-d.off)
	}
	return d.err
}

func decodeEntity(id, v string) (graph.Entity, error) {
	var e graph.Entity
	if err := decodeEntityInto(&e, id, v, graph.Selection{}); err != nil {
		return graph.Entity{}, err
	}
	return e, nil
}

// decodeEntityInto decodes entity record v into *e, which must be zero,
// with the parts sel selects: those it leaves out that would allocate
// (lists, maps) stay empty. Decoding in place spares copying a large
// struct into the slices answers are made of.
func decodeEntityInto(e *graph.Entity, id, v string, sel graph.Selection) error {
	d, err := newDecoder(v)
	if err != nil {
		return fmt.Errorf("entity %q: %w", id, err)
	}
	e.ID = id
	e.Kind = graph.Kind(d.str())
	e.Name = d.str()
	e.Aliases = d.strs(sel.HasEntity(graph.EntityAliases))
	e.Countries = d.strs(sel.HasEntity(graph.EntityCountries))
	e.Description = d.str()
	e.Properties = d.props(sel.HasEntity(graph.EntityProperties))
	e.Sources = d.sources(sel.HasEntity(graph.EntitySources))
	if n := d.uvarint(); n > 0 && d.err == nil {
		if !sel.HasEntity(graph.EntityDesignations) {
			var x graph.Designation
			for range n {
				d.designation(&x, false)
			}
		} else {
			e.Designations = make([]graph.Designation, n)
			for i := range e.Designations {
				d.designation(&e.Designations[i], true)
			}
		}
	}
	if err := d.done(); err != nil {
		*e = graph.Entity{}
		return fmt.Errorf("entity %q: %w", id, err)
	}
	return nil
}

// designation reads one designation into *x, or only reads past its lists
// and maps unless keep.
func (d *decoder) designation(x *graph.Designation, keep bool) {
	x.Regime = d.str()
	x.Authority = d.str()
	x.ListedOn = d.str()
	if d.version >= 2 {
		x.DelistedOn = d.str()
	}
	x.Measures = d.strs(keep)
	x.Reason = d.str()
	x.Sources = d.sources(keep)
	if d.version >= 3 {
		x.ID = d.str()
		x.Properties = d.props(keep)
	}
}

func decodeLink(id, v string) (graph.Link, error) {
	d, err := newDecoder(v)
	if err != nil {
		return graph.Link{}, fmt.Errorf("link %q: %w", id, err)
	}
	l := graph.Link{ID: id}
	l.Type = graph.LinkType(d.str())
	l.Source = d.str()
	l.Target = d.str()
	d.linkRest(&l)
	if err := d.done(); err != nil {
		return graph.Link{}, fmt.Errorf("link %q: %w", id, err)
	}
	return l, nil
}

// decodeLinkRest completes l, which has its id, type and endpoints, from
// the rest of its encoding (encodeLinkRest).
func decodeLinkRest(l graph.Link, rest string) (graph.Link, error) {
	d := &decoder{s: rest}
	d.linkRest(&l)
	if err := d.done(); err != nil {
		return graph.Link{}, fmt.Errorf("link %q: %w", l.ID, err)
	}
	return l, nil
}

func (d *decoder) linkRest(l *graph.Link) { d.linkRestOf(l, graph.Selection{}) }

// linkRestOf is linkRest with the parts sel selects: properties and
// sources, which allocate, are read past when it leaves them out.
func (d *decoder) linkRestOf(l *graph.Link, sel graph.Selection) {
	l.Role = d.str()
	l.Description = d.str()
	l.StartDate = d.str()
	l.EndDate = d.str()
	l.Weight = d.float()
	l.Properties = d.props(sel.HasLink(graph.LinkProperties))
	l.Sources = d.sources(sel.HasLink(graph.LinkSources))
}

func decodeDocument(id, v string) (graph.Document, error) {
	d, err := newDecoder(v)
	if err != nil {
		return graph.Document{}, fmt.Errorf("document %q: %w", id, err)
	}
	doc := graph.Document{ID: id}
	doc.Title = d.str()
	doc.Publisher = d.str()
	doc.URL = d.str()
	doc.Published = d.str()
	doc.License = d.str()
	doc.Path = d.str()
	if err := d.done(); err != nil {
		return graph.Document{}, fmt.Errorf("document %q: %w", id, err)
	}
	return doc, nil
}

// linkHeader is what the in-memory graph keeps of a link beside its
// record: type, endpoints and dates.
type linkHeader struct {
	typ            graph.LinkType
	source, target string
	start, end     string
	role           string
	rest           string // the record after the endpoints (encodeLinkRest)
}

// linkHead reads a link record's header and checks that the rest of the
// record is well formed, without allocating: links stay encoded in memory
// and are decoded only when a query returns them.
func linkHead(rec string) (h linkHeader, err error) {
	d, err := newDecoder(rec)
	if err != nil {
		return h, err
	}
	h.typ = graph.LinkType(d.str())
	h.source, h.target = d.str(), d.str()
	h.rest = d.s[min(d.off, len(d.s)):]
	h.role = d.str()
	d.str() // description
	h.start, h.end = d.str(), d.str()
	d.float()
	for range d.uvarint() { // properties
		d.str()
		d.str()
	}
	for range d.uvarint() { // sources
		d.str()
		d.str()
	}
	return h, d.done()
}
