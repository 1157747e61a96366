package schema

import (
	"context"
	"fmt"
	"strings"
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

// BenchmarkMeasureQuery measures parsing and costing a query before it
// runs: GraphiQL's introspection-like query and a fragment bomb.
func BenchmarkMeasureQuery(b *testing.B) {
	sch, err := New(nil, Options{})
	if err != nil {
		b.Fatal(err)
	}
	var bomb strings.Builder
	bomb.WriteString(`{ entity(id: "x") { ...F24 } } fragment F0 on Entity { name }`)
	for i := 1; i <= 24; i++ {
		fmt.Fprintf(&bomb, " fragment F%d on Entity { ...F%d ...F%d }", i, i-1, i-1)
	}
	for name, q := range map[string]string{"introspection": introspectionQuery, "nested": nestedQuery, "bomb": bomb.String()} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				resp := sch.checkComplexity(context.Background(), httpRequest{Query: q, Variables: map[string]any{"n": 20}})
				if (resp == nil) != (name != "bomb") {
					b.Fatalf("%s: %+v", name, resp)
				}
			}
		})
	}
}
