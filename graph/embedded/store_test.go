package embedded_test

import (
	"context"
	"errors"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/embedded"
	"github.com/skein-project/skein/graph/storetest"
)

func openTemp(t *testing.T) *embedded.Store {
	t.Helper()
	s, err := embedded.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) graph.Store { return openTemp(t) })
}

func TestRecordsConformance(t *testing.T) {
	storetest.RunRecords(t, func(t *testing.T) graph.Records { return openTemp(t) })
}

func TestRecordsAfterClose(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	if _, err := s.PutRecord(ctx, graph.Record{Collection: "cases", ID: "c1"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetRecord(ctx, "cases", "c1"); !errors.Is(err, graph.ErrUnavailable) {
		t.Errorf("GetRecord after Close: %v, want ErrUnavailable", err)
	}
	if _, err := s.PutRecord(ctx, graph.Record{Collection: "cases", ID: "c2"}); !errors.Is(err, graph.ErrUnavailable) {
		t.Errorf("PutRecord after Close: %v, want ErrUnavailable", err)
	}
}
