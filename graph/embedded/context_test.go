package embedded_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/skein-project/skein/graph"
)

func TestContextEnds(t *testing.T) {
	s := open(t, t.TempDir())
	defer s.Close()
	var b graph.Batch
	for i := range 2000 {
		b.Entities = append(b.Entities, graph.Entity{ID: fmt.Sprintf("person:%04d", i), Kind: graph.KindPerson, Name: fmt.Sprintf("Krasniqi %d", i)})
		if i > 0 {
			b.Links = append(b.Links, graph.Link{Type: graph.LinkAssociateOf, Source: fmt.Sprintf("person:%04d", i), Target: fmt.Sprintf("person:%04d", i/2)})
		}
	}
	if err := s.Upsert(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel2()
	calls := map[string]func(ctx context.Context) error{
		"Neighborhood": func(ctx context.Context) error {
			_, err := s.Neighborhood(ctx, graph.NeighborhoodQuery{ID: "person:0000", Depth: 6})
			return err
		},
		"Paths": func(ctx context.Context) error {
			_, err := s.Paths(ctx, graph.PathQuery{From: "person:1999", To: "person:1000"})
			return err
		},
		"Search": func(ctx context.Context) error {
			_, err := s.Search(ctx, graph.SearchQuery{Text: "krasniqi"})
			return err
		},
		"Upsert": func(ctx context.Context) error {
			return s.Upsert(ctx, graph.Batch{Entities: []graph.Entity{{ID: "person:new", Kind: graph.KindPerson, Name: "New"}}})
		},
	}
	for name, call := range calls {
		if err := call(cancelled); !errors.Is(err, context.Canceled) {
			t.Errorf("%s with a cancelled context: %v", name, err)
		}
		if err := call(expired); !errors.Is(err, graph.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s past its deadline: %v, want ErrTimeout", name, err)
		}
	}
	if _, err := s.Entity(context.Background(), "person:new"); !errors.Is(err, graph.ErrNotFound) {
		t.Errorf("an upsert with an ended context was written: %v", err)
	}
}
