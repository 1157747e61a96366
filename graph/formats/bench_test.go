package formats

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/skein-project/skein/graph"
)

// synthetic builds a graph of n entities in a chain with one designation
// every tenth entity, for benchmarks.
func synthetic(n int) graph.Batch {
	b := graph.Batch{Documents: []graph.Document{{ID: "doc", Title: "Doc"}}}
	src := []graph.SourceRef{{Document: "doc", Quote: "a quote of some length, as sources have"}}
	for i := range n {
		e := graph.Entity{
			ID: fmt.Sprintf("person:%d", i), Kind: graph.KindPerson, Name: fmt.Sprintf("Person Number %d", i),
			Aliases: []string{"Alias"}, Countries: []string{"Kosovo"}, Description: "A person.", Sources: src,
		}
		if i%10 == 0 {
			e.Designations = []graph.Designation{{Regime: "GIM", Authority: "UK", ListedOn: "2025-10-22", Measures: []string{"asset freeze"}, Sources: src}}
		}
		b.Entities = append(b.Entities, e)
		if i > 0 {
			b.Links = append(b.Links, graph.Link{ID: fmt.Sprintf("l%d", i), Type: graph.LinkAssociateOf,
				Source: fmt.Sprintf("person:%d", i-1), Target: e.ID, Role: "associate", Sources: src})
		}
	}
	return b
}

func BenchmarkEncode(b *testing.B) {
	g := synthetic(10_000)
	for _, f := range Formats() {
		b.Run(string(f), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := Encode(context.Background(), f, g, io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkDecode(b *testing.B) {
	g := synthetic(10_000)
	for _, f := range fullModel {
		var buf bytes.Buffer
		if err := Encode(context.Background(), f, g, &buf); err != nil {
			b.Fatal(err)
		}
		data := buf.Bytes()
		b.Run(string(f), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := Decode(context.Background(), f, bytes.NewReader(data)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
