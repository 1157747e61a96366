package graph

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SourceRef ties a fact to the document that states it. Quote is verbatim
// text of that document, so a reader can see why the fact is there.
type SourceRef struct {
	Document string `json:"document"` // Document.ID
	Quote    string `json:"quote"`
}

// Document is a source document that SourceRefs point to.
type Document struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Publisher string `json:"publisher,omitempty"`
	URL       string `json:"url,omitempty"`
	Published string `json:"published,omitempty"` // ISO date
	License   string `json:"license,omitempty"`
	Path      string `json:"path,omitempty"` // file of the document, relative to the data set
}

// Designation is a sanctions listing of an entity (FtM Sanction).
type Designation struct {
	Regime     string      `json:"regime"`               // FtM program
	Authority  string      `json:"authority"`            // e.g. "United Kingdom"
	ListedOn   string      `json:"listedOn,omitempty"`   // ISO date (FtM startDate); empty if the source does not say
	DelistedOn string      `json:"delistedOn,omitempty"` // ISO date (FtM endDate); empty while listed or unknown
	Measures   []string    `json:"measures,omitempty"`   // FtM provisions: asset freeze, travel ban, ...
	Reason     string      `json:"reason,omitempty"`
	Sources    []SourceRef `json:"sources"`
	// ID is the listing's own id where its source gives one (an FtM
	// Sanction's id), so an import exported again keeps it.
	ID string `json:"id,omitempty"`
	// Properties keeps what the source says of the listing that has no
	// field above (FtM Sanction sourceUrl, status, authorityId, ...).
	Properties map[string]string `json:"properties,omitempty"`
}

// Entity is a person, organisation, company, address, vessel, document or
// any other kind of the registry; its kind's typed fields live in Properties.
type Entity struct {
	ID           string            `json:"id"`
	Kind         Kind              `json:"kind"`
	Name         string            `json:"name"`
	Aliases      []string          `json:"aliases,omitempty"`
	Countries    []string          `json:"countries,omitempty"`
	Description  string            `json:"description,omitempty"`
	Properties   map[string]string `json:"properties,omitempty"`
	Sources      []SourceRef       `json:"sources,omitempty"`
	Designations []Designation     `json:"designations,omitempty"`
}

// Sanctioned reports whether the entity carries any designation.
func (e *Entity) Sanctioned() bool { return len(e.Designations) > 0 }

// SanctionedUnder reports whether any of the entity's designations is in
// force under w.
func (e *Entity) SanctionedUnder(w When) bool { return len(InForce(e.Designations, w)) > 0 }

// Clone returns a copy of e that shares no slice or map with it: what a
// store hands out or keeps may then be changed on either side alone.
func (e *Entity) Clone() Entity {
	c := *e
	c.Aliases = slices.Clone(e.Aliases)
	c.Countries = slices.Clone(e.Countries)
	c.Properties = maps.Clone(e.Properties)
	c.Sources = slices.Clone(e.Sources)
	if e.Designations != nil {
		c.Designations = make([]Designation, len(e.Designations))
		for i, d := range e.Designations {
			d.Measures = slices.Clone(d.Measures)
			d.Sources = slices.Clone(d.Sources)
			d.Properties = maps.Clone(d.Properties)
			c.Designations[i] = d
		}
	}
	return c
}

// Names returns the name followed by the aliases.
func (e *Entity) Names() []string {
	return append([]string{e.Name}, e.Aliases...)
}

// Limits on the size of single fields, so that a bad import cannot bloat the
// store or the Lucene index.
const (
	MaxIDLength   = 256
	MaxNameLength = 1024
	MaxTextLength = 64 << 10
)

// ValidateID checks an entity, link or document id: 1..MaxIDLength bytes of
// UTF-8 without spaces or control characters.
func ValidateID(id string) error {
	if id == "" {
		return fmt.Errorf("empty id: %w", ErrInvalid)
	}
	if len(id) > MaxIDLength {
		return fmt.Errorf("id longer than %d bytes: %w", MaxIDLength, ErrInvalid)
	}
	if !utf8.ValidString(id) {
		return fmt.Errorf("id %q is not UTF-8: %w", id, ErrInvalid)
	}
	for _, r := range id {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return fmt.Errorf("id %q contains white space or control characters: %w", id, ErrInvalid)
		}
	}
	return nil
}

func validateText(field, s string, max int) error {
	if len(s) > max {
		return fmt.Errorf("%s longer than %d bytes: %w", field, max, ErrInvalid)
	}
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s is not UTF-8: %w", field, ErrInvalid)
	}
	return nil
}

func validateSources(refs []SourceRef) error {
	for i, s := range refs {
		if err := ValidateID(s.Document); err != nil {
			return fmt.Errorf("source %d document: %w", i, err)
		}
		if err := validateText("source quote", s.Quote, MaxTextLength); err != nil {
			return err
		}
	}
	return nil
}

// Validate checks the entity against the domain rules.
func (e *Entity) Validate() error {
	if err := ValidateID(e.ID); err != nil {
		return err
	}
	if !e.Kind.Valid() {
		return fmt.Errorf("entity %q: unknown kind %q: %w", e.ID, e.Kind, ErrInvalid)
	}
	if strings.TrimSpace(e.Name) == "" {
		return fmt.Errorf("entity %q: empty name: %w", e.ID, ErrInvalid)
	}
	for _, n := range e.Names() {
		if err := validateText("name", n, MaxNameLength); err != nil {
			return fmt.Errorf("entity %q: %w", e.ID, err)
		}
	}
	if err := validateText("description", e.Description, MaxTextLength); err != nil {
		return fmt.Errorf("entity %q: %w", e.ID, err)
	}
	for k, v := range e.Properties {
		if k == "" {
			return fmt.Errorf("entity %q: empty property name: %w", e.ID, ErrInvalid)
		}
		if err := validateText("property "+k, v, MaxTextLength); err != nil {
			return fmt.Errorf("entity %q: %w", e.ID, err)
		}
	}
	spec, _ := e.Kind.Spec()
	if err := validateFields(spec.Fields, e.Properties); err != nil {
		return fmt.Errorf("entity %q (%s): %w", e.ID, e.Kind, err)
	}
	if err := validateSources(e.Sources); err != nil {
		return fmt.Errorf("entity %q: %w", e.ID, err)
	}
	for i, d := range e.Designations {
		if strings.TrimSpace(d.Regime) == "" || strings.TrimSpace(d.Authority) == "" {
			return fmt.Errorf("entity %q: designation %d needs a regime and an authority: %w", e.ID, i, ErrInvalid)
		}
		if err := checkDates(d.ListedOn, d.DelistedOn, "listedOn", "delistedOn"); err != nil {
			return fmt.Errorf("entity %q: designation %d: %w", e.ID, i, err)
		}
		if err := validateSources(d.Sources); err != nil {
			return fmt.Errorf("entity %q: designation %d: %w", e.ID, i, err)
		}
		for k := range d.Properties {
			if strings.TrimSpace(k) == "" {
				return fmt.Errorf("entity %q: designation %d: a property needs a key: %w", e.ID, i, ErrInvalid)
			}
		}
	}
	return nil
}

// Normalize trims names, drops empty or duplicate aliases and countries and
// writes the kind's typed fields canonically, so that every store keeps the
// same form.
func (e *Entity) Normalize() {
	e.Name = strings.TrimSpace(e.Name)
	e.Aliases = cleanList(e.Aliases, e.Name)
	e.Countries = cleanList(e.Countries, "")
	if len(e.Properties) == 0 {
		e.Properties = nil
	}
	for i := range e.Designations {
		if len(e.Designations[i].Properties) == 0 {
			e.Designations[i].Properties = nil
		}
	}
	if spec, ok := e.Kind.Spec(); ok {
		normalizeFields(spec.Fields, e.Properties)
	}
}

// cleanList trims, drops empties, duplicates and the excluded value, keeping
// the first-seen order.
func cleanList(in []string, exclude string) []string {
	var out []string
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s == "" || s == exclude || slices.Contains(out, s) {
			continue
		}
		out = append(out, s)
	}
	return out
}

func isISODate(s string) bool {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i, r := range s {
		if i == 4 || i == 7 {
			continue
		}
		if r < '0' || r > '9' {
			return false
		}
	}
	return s[5:7] >= "01" && s[5:7] <= "12" && s[8:10] >= "01" && s[8:10] <= "31"
}

// Validate checks a document.
func (d *Document) Validate() error {
	if err := ValidateID(d.ID); err != nil {
		return err
	}
	if strings.TrimSpace(d.Title) == "" {
		return fmt.Errorf("document %q: empty title: %w", d.ID, ErrInvalid)
	}
	if d.Published != "" && !isISODate(d.Published) {
		return fmt.Errorf("document %q: published %q is not an ISO date: %w", d.ID, d.Published, ErrInvalid)
	}
	return nil
}
