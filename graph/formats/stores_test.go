package formats

import (
	"context"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/embedded"
)

// eachStore runs fn once per store backend; fresh gives an empty store of
// that backend each time it is called (on Neo4j: the one test database,
// emptied, so a test must not use an earlier store after calling it again).
func eachStore(t *testing.T, fn func(t *testing.T, open func(t *testing.T) graph.Store)) {
	t.Helper()
	t.Run("embedded", func(t *testing.T) {
		fn(t, func(t *testing.T) graph.Store {
			s, err := embedded.Open(context.Background(), t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = s.Close() })
			return s
		})
	})
}
