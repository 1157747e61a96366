package storetest

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph/analysis"
)

// The ownership answers have two roads, the store's own chains
// (analysis.HoldingsIn and the rest) and a snapshot walked in Go; the
// suite here and graph/analysis's brute-force tests compare them with
// these helpers, so the comparison and its figures are written once.

// SameOwnerships checks that the store's road to an ownership answer (in,
// called with o: analysis.HoldingsIn or OwnersIn) gives the snapshot's
// answer want, chains and all, and the same figures without the chains.
// It returns the store's answer with chains.
func SameOwnerships(t testing.TB, what string, want []analysis.Ownership, in func(analysis.OwnershipOptions) ([]analysis.Ownership, error), o analysis.OwnershipOptions) []analysis.Ownership {
	t.Helper()
	o.Chains = true
	got, err := in(o)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: the store's road differs from the snapshot's:\n got %s\nwant %s", what, OwnershipsText(got), OwnershipsText(want))
	}
	o.Chains = false
	figures, err := in(o)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := OwnershipFigures(figures), OwnershipFigures(want); a != b {
		t.Errorf("%s without chains: %s, want %s", what, a, b)
	}
	return got
}

// OwnershipFigures is the figures of ownership answers (no chains), one
// line, for comparing answers with and without chains.
func OwnershipFigures(ws []analysis.Ownership) string {
	var b strings.Builder
	for _, w := range ws {
		d := "-"
		if w.Direct != nil {
			d = strconv.FormatFloat(*w.Direct, 'g', -1, 64)
		}
		fmt.Fprintf(&b, "%s>%s %v %s %d+%d; ", w.Owner.ID, w.Asset.ID, w.Share, d, w.Stated, w.Unstated)
	}
	return b.String()
}

// OwnershipsText is ownership answers with their chains' entity ids, a
// line each, for failure messages.
func OwnershipsText(ws []analysis.Ownership) string {
	var b strings.Builder
	for _, w := range ws {
		fmt.Fprintf(&b, "  %s -> %s %v direct %v complete %v", w.Owner.ID, w.Asset.ID, w.Share, w.Direct, w.Complete())
		for _, p := range append(slices.Clone(w.Paths), w.Unknown...) {
			ids := make([]string, len(p.Nodes))
			for i, n := range p.Nodes {
				ids[i] = n.ID
			}
			fmt.Fprintf(&b, " %v", ids)
		}
		b.WriteString("\n")
	}
	return b.String()
}

// FindingsText is sanctions ownership findings with their owners'
// OwnershipsText, for failure messages.
func FindingsText(fs []analysis.OwnershipFinding) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s %v %v %v\n%s", f.Asset.ID, f.Share, f.MeetsThreshold, f.UnknownShares, OwnershipsText(f.Owners))
	}
	return b.String()
}
