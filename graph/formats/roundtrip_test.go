package formats

import (
	"bytes"
	"context"
	"testing"

	"github.com/skein-project/skein/graph"
)

func TestRoundTripCrafted(t *testing.T) {
	for _, f := range fullModel {
		t.Run(string(f), func(t *testing.T) {
			in := crafted()
			data := encode(t, f, in)
			got, err := Decode(context.Background(), f, bytes.NewReader(data))
			if err != nil {
				t.Fatalf("Decode: %v\n%s", err, data)
			}
			assertSameBatch(t, byID(in), byID(got)) // FtM writes some links on their entity's record
		})
	}
}

func TestRoundTripSeed(t *testing.T) {
	for _, f := range fullModel {
		t.Run(string(f), func(t *testing.T) {
			in := seedBatch(t)
			if len(in.Entities) == 0 || len(in.Links) == 0 || len(in.Documents) == 0 {
				t.Fatal("seed is empty")
			}
			got, err := Decode(context.Background(), f, bytes.NewReader(encode(t, f, in)))
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			assertSameBatch(t, byID(in), byID(got))
		})
	}
}

// An empty batch is a valid file in every format and reads back empty.
func TestRoundTripEmpty(t *testing.T) {
	for _, f := range Formats() {
		t.Run(string(f), func(t *testing.T) {
			data := encode(t, f, graph.Batch{})
			if len(data) == 0 {
				if f == FtM {
					return // no records, no lines
				}
				t.Fatal("empty output")
			}
			if !f.CanRead() {
				return
			}
			got, err := Decode(context.Background(), f, bytes.NewReader(data))
			if err != nil {
				t.Fatalf("Decode: %v\n%s", err, data)
			}
			if !got.Empty() {
				t.Fatalf("got %+v", got)
			}
		})
	}
}

// Writing what was read gives the same bytes: the writers are
// deterministic and the readers lose nothing the writers need.
func TestReencodeIsStable(t *testing.T) {
	for _, f := range fullModel {
		t.Run(string(f), func(t *testing.T) {
			first := encode(t, f, crafted())
			b, err := Decode(context.Background(), f, bytes.NewReader(first))
			if err != nil {
				t.Fatal(err)
			}
			second := encode(t, f, b)
			if f == CSV {
				// zip headers carry timestamps; compare the decoded content.
				b2, err := Decode(context.Background(), f, bytes.NewReader(second))
				if err != nil {
					t.Fatal(err)
				}
				assertSameBatch(t, b, b2)
				return
			}
			if !bytes.Equal(first, second) {
				t.Fatalf("re-encoding differs:\n%s\n---\n%s", first, second)
			}
		})
	}
}
