package graph

import (
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"
)

// CaseCollection is the record collection cases are kept in.
const CaseCollection = "cases"

// Limits of a case.
const (
	MaxCaseItems     = MaxLimit // a chart holds at most one neighbourhood's worth
	MaxCaseNotes     = 2000
	MaxCaseTitle     = 200       // bytes
	MaxCaseText      = 20_000    // description and each note, in bytes
	MaxCaseView      = 256 << 10 // the UI's serialised state
	DefaultCaseFirst = 20
)

// Case is a saved investigation: the entities on its chart with their
// positions and state, notes, the as-of date and the UI's own view state.
// It is kept as a Record (JSON) in CaseCollection.
type Case struct {
	ID          string     `json:"-"`
	Version     int64      `json:"-"`
	Title       string     `json:"title"`
	Description string     `json:"description,omitempty"`
	Owner       string     `json:"owner"`
	CreatedAt   time.Time  `json:"createdAt"`
	UpdatedAt   time.Time  `json:"updatedAt"`
	UpdatedBy   string     `json:"updatedBy,omitempty"`
	Items       []CaseItem `json:"items"`
	Notes       []CaseNote `json:"notes"`
	// AsOf is the chart's as-of date (YYYY, YYYY-MM or YYYY-MM-DD, as
	// ParseDate reads it), or empty for today.
	AsOf string `json:"asOf,omitempty"`
	// View is opaque to the server (filters, overlays, layout).
	View string `json:"view,omitempty"`
}

// CaseItem is one entity on a case's chart. Kind and Name are the entity as
// the case last saw it, so an item whose entity was later deleted or merged
// away can still be shown (flagged) instead of failing the case.
type CaseItem struct {
	Entity string   `json:"entity"`
	Kind   Kind     `json:"kind"`
	Name   string   `json:"name"`
	X      *float64 `json:"x,omitempty"`
	Y      *float64 `json:"y,omitempty"`
	Pinned bool     `json:"pinned,omitempty"`
	Hidden bool     `json:"hidden,omitempty"`
	Note   string   `json:"note,omitempty"`
}

// CaseNote is a note on the case itself, or on one entity or one link.
type CaseNote struct {
	ID        string     `json:"id"`
	Text      string     `json:"text"`
	Author    string     `json:"author"`
	CreatedAt time.Time  `json:"createdAt"`
	UpdatedBy string     `json:"updatedBy,omitempty"`
	UpdatedAt *time.Time `json:"updatedAt,omitempty"`
	Entity    string     `json:"entity,omitempty"`
	Link      string     `json:"link,omitempty"`
}

// Validate checks a case's limits and shape.
func (c *Case) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("case %s: "+format+": %w", append(append([]any{c.ID}, args...), ErrInvalid)...)
	}
	if c.Title == "" || len(c.Title) > MaxCaseTitle || !utf8.ValidString(c.Title) {
		return bad("title must be 1 to %d bytes of UTF-8", MaxCaseTitle)
	}
	if len(c.Description) > MaxCaseText {
		return bad("description longer than %d bytes", MaxCaseText)
	}
	if len(c.View) > MaxCaseView {
		return fmt.Errorf("case %s: view state of %d bytes, more than %d: %w", c.ID, len(c.View), MaxCaseView, ErrTooComplex)
	}
	if len(c.Items) > MaxCaseItems {
		return fmt.Errorf("case %s: %d items, more than %d: %w", c.ID, len(c.Items), MaxCaseItems, ErrTooComplex)
	}
	if len(c.Notes) > MaxCaseNotes {
		return fmt.Errorf("case %s: %d notes, more than %d: %w", c.ID, len(c.Notes), MaxCaseNotes, ErrTooComplex)
	}
	if c.AsOf != "" {
		// A partial date is as precise as the sources often are.
		if _, err := ParseDate(c.AsOf); err != nil {
			return bad("asOf: %v", err)
		}
	}
	seen := make(map[string]bool, len(c.Items))
	for _, it := range c.Items {
		if err := ValidateID(it.Entity); err != nil {
			return bad("item: %v", err)
		}
		if seen[it.Entity] {
			return bad("entity %q is on the chart twice", it.Entity)
		}
		seen[it.Entity] = true
		if len(it.Note) > MaxCaseText {
			return bad("note of item %q longer than %d bytes", it.Entity, MaxCaseText)
		}
		for _, v := range []*float64{it.X, it.Y} {
			if v != nil && (*v != *v || *v > 1e9 || *v < -1e9) {
				return bad("position of %q out of range", it.Entity)
			}
		}
	}
	ids := make(map[string]bool, len(c.Notes))
	for _, n := range c.Notes {
		if n.Text == "" || len(n.Text) > MaxCaseText || !utf8.ValidString(n.Text) {
			return bad("note text must be 1 to %d bytes of UTF-8", MaxCaseText)
		}
		if n.Entity != "" && n.Link != "" {
			return bad("note %s is on an entity and a link: one at most", n.ID)
		}
		if ids[n.ID] {
			return bad("note id %q twice", n.ID)
		}
		ids[n.ID] = true
	}
	return nil
}

// CaseFromRecord decodes a stored case.
func CaseFromRecord(r Record) (Case, error) {
	var c Case
	if err := json.Unmarshal(r.Data, &c); err != nil {
		return Case{}, fmt.Errorf("case %s: stored record does not decode: %w", r.ID, err)
	}
	c.ID, c.Version = r.ID, r.Version
	return c, nil
}

// Record encodes a case for the record store.
func (c *Case) Record() (Record, error) {
	data, err := json.Marshal(c)
	if err != nil {
		return Record{}, fmt.Errorf("case %s: encode: %w", c.ID, err)
	}
	return Record{Collection: CaseCollection, ID: c.ID, Version: c.Version, Data: data}, nil
}
