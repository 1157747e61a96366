package graph

import (
	"errors"
	"testing"
)

// A case's as-of date is read by ParseDate: the partial dates the sources
// give (a year, a month) are accepted; anything else is ErrInvalid.
func TestCaseAsOf(t *testing.T) {
	for asOf, ok := range map[string]bool{
		"":           true,
		"2025":       true,
		"2025-10":    true,
		"2025-10-22": true,
		"2024-02-29": true,
		"2025-02-29": false,
		"2025-13":    false,
		"22/10/2025": false,
		"2025-1":     false,
		"20251022":   false,
		"0000":       false,
		"today":      false,
	} {
		c := Case{ID: "c1", Title: "t", AsOf: asOf}
		err := c.Validate()
		if ok && err != nil {
			t.Errorf("asOf %q: %v, want accepted", asOf, err)
		}
		if !ok && !errors.Is(err, ErrInvalid) {
			t.Errorf("asOf %q: error %v, want ErrInvalid", asOf, err)
		}
	}
}
