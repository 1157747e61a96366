package graph

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
)

// Link is a typed, directed relationship between two entities.
type Link struct {
	ID          string            `json:"id"`
	Type        LinkType          `json:"type"`
	Source      string            `json:"source"` // entity id
	Target      string            `json:"target"` // entity id
	Role        string            `json:"role,omitempty"`
	Description string            `json:"description,omitempty"`
	StartDate   string            `json:"startDate,omitempty"` // ISO date, as precise as the source
	EndDate     string            `json:"endDate,omitempty"`
	Weight      float64           `json:"weight,omitempty"` // optional cost for weighted paths; 0 means unweighted
	Properties  map[string]string `json:"properties,omitempty"`
	Sources     []SourceRef       `json:"sources,omitempty"`
}

// LinkID derives the stable id of a link that has none:
// "member_of:person:a->organization:b" (plus ":role" when a role is set), so
// that importing the same fact twice yields one link.
func LinkID(t LinkType, source, target, role string) string {
	id := strings.ToLower(string(t)) + ":" + source + "->" + target
	if r := strings.Join(strings.Fields(strings.ToLower(role)), "-"); r != "" {
		id += ":" + r
	}
	return id
}

// Clone returns a copy of l that shares no slice or map with it.
func (l *Link) Clone() Link {
	c := *l
	c.Sources = slices.Clone(l.Sources)
	c.Properties = maps.Clone(l.Properties)
	return c
}

// Other returns the endpoint of the link that is not id.
func (l *Link) Other(id string) string {
	if l.Source == id {
		return l.Target
	}
	return l.Source
}

// Validate checks the link against the domain rules. Whether its endpoints
// exist is the store's business, checked in the same transaction as the write.
func (l *Link) Validate() error {
	if err := ValidateID(l.ID); err != nil {
		return fmt.Errorf("link: %w", err)
	}
	if !l.Type.Valid() {
		return fmt.Errorf("link %q: unknown type %q: %w", l.ID, l.Type, ErrInvalid)
	}
	if err := ValidateID(l.Source); err != nil {
		return fmt.Errorf("link %q source: %w", l.ID, err)
	}
	if err := ValidateID(l.Target); err != nil {
		return fmt.Errorf("link %q target: %w", l.ID, err)
	}
	for field, v := range map[string]string{"role": l.Role, "description": l.Description} {
		if err := validateText(field, v, MaxTextLength); err != nil {
			return fmt.Errorf("link %q: %w", l.ID, err)
		}
	}
	if err := checkDates(l.StartDate, l.EndDate, "startDate", "endDate"); err != nil {
		return fmt.Errorf("link %q: %w", l.ID, err)
	}
	if l.Weight < 0 || math.IsNaN(l.Weight) || math.IsInf(l.Weight, 0) {
		return fmt.Errorf("link %q: weight must be a finite number >= 0: %w", l.ID, ErrInvalid)
	}
	for k, v := range l.Properties {
		if k == "" {
			return fmt.Errorf("link %q: empty property name: %w", l.ID, ErrInvalid)
		}
		if err := validateText("property "+k, v, MaxTextLength); err != nil {
			return fmt.Errorf("link %q: %w", l.ID, err)
		}
	}
	spec, _ := l.Type.Spec()
	if err := validateFields(spec.Fields, l.Properties); err != nil {
		return fmt.Errorf("link %q (%s): %w", l.ID, l.Type, err)
	}
	if err := validateSources(l.Sources); err != nil {
		return fmt.Errorf("link %q: %w", l.ID, err)
	}
	return nil
}

// Normalize fills a missing id, trims the free text fields and writes the
// type's typed fields canonically.
func (l *Link) Normalize() {
	l.Role = strings.TrimSpace(l.Role)
	if l.ID == "" {
		l.ID = LinkID(l.Type, l.Source, l.Target, l.Role)
	}
	if len(l.Properties) == 0 {
		l.Properties = nil
	}
	if spec, ok := l.Type.Spec(); ok {
		normalizeFields(spec.Fields, l.Properties)
	}
}

// checkDates validates an optional start and end date (named by the two
// fields) and that the end does not come before the start.
func checkDates(start, end, startField, endField string) error {
	var s, e Date
	var err error
	if start != "" {
		if s, err = ParseDate(start); err != nil {
			return fmt.Errorf("%s: %w", startField, err)
		}
	}
	if end != "" {
		if e, err = ParseDate(end); err != nil {
			return fmt.Errorf("%s: %w", endField, err)
		}
		if start != "" && e.Last < s.First {
			return fmt.Errorf("%s %q is before %s %q: %w", endField, end, startField, start, ErrInvalid)
		}
	}
	return nil
}
