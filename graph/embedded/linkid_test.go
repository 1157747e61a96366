package embedded

import (
	"testing"

	"github.com/skein-project/skein/graph"
)

func TestDerivedLinkIDIsLinkID(t *testing.T) {
	roles := []string{"", "leader", "co-owner", "Chief Officer", " two  words ", "tab\there", "Ünïcode", "a\u00a0b", "x\u0085y"}
	types := []graph.LinkType{graph.LinkAssociateOf, graph.LinkOwns, "NOT_REGISTERED"}
	for _, typ := range types {
		for _, role := range roles {
			want := graph.LinkID(typ, "person:a", "company:b", role)
			if got := derivedLinkID(typ, "person:a", "company:b", role); got != want {
				t.Errorf("derivedLinkID(%s, %q) = %q, want %q", typ, role, got, want)
			}
			if !isDerivedLinkID(want, typ, "person:a", "company:b", role) {
				t.Errorf("isDerivedLinkID(%q, %s, %q) = false", want, typ, role)
			}
			for _, other := range []string{want + "x", want[:len(want)-1], "x" + want, "link:1", ""} {
				if isDerivedLinkID(other, typ, "person:a", "company:b", role) {
					t.Errorf("isDerivedLinkID(%q, %s, %q) = true", other, typ, role)
				}
			}
		}
	}
}
