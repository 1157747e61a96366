package schema

import (
	"context"
	"testing"

	"github.com/skein-project/skein/graph/embedded"
)

// BenchmarkNestedQuery measures a nested search over HTTP on the seeded
// embedded store.
func BenchmarkNestedQuery(b *testing.B) {
	s, err := embedded.Open(context.Background(), b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = s.Close() })
	srv := newServer(b, s, Options{})
	const q = `{ search(query: "krasniqi", first: 20) { nodes { id degree links { source { name } target { name degree } } } } }`
	for b.Loop() {
		if res := srv.post(q, nil); len(res.Errors) > 0 {
			b.Fatal(res.Errors)
		}
	}
}
