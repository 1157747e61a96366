package formats

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
)

// fuzzDecode checks a reader against arbitrary input: it never panics,
// rejects only with ErrInvalid (or ErrTooLarge), and what it accepts is a
// valid batch that the writer writes and the reader reads back unchanged.
// Seeds: the crafted graph in the format, plus testdata/fuzz/<target>.
func fuzzDecode(f *testing.F, format Format) {
	f.Add(encode(f, format, crafted()))
	f.Add(encode(f, format, graph.Batch{}))
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		b, err := Decode(ctx, format, bytes.NewReader(data))
		if err != nil {
			if !errors.Is(err, graph.ErrInvalid) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("rejected with %v, want ErrInvalid", err)
			}
			var ie *ImportError
			if errors.As(err, &ie) && len(ie.Rows) == 0 {
				t.Fatal("ImportError without rows")
			}
			return
		}
		check := b
		if err := check.Normalize(); err != nil {
			t.Fatalf("accepted an invalid batch: %v", err)
		}
		again, err := Decode(ctx, format, bytes.NewReader(encode(t, format, b)))
		if err != nil {
			t.Fatalf("cannot read back what was written: %v", err)
		}
		assertSameBatch(t, b, again)
	})
}

func FuzzDecodeJSON(f *testing.F)    { fuzzDecode(f, JSON) }
func FuzzDecodeFTM(f *testing.F)     { fuzzDecode(f, FtM) }
func FuzzDecodeGraphML(f *testing.F) { fuzzDecode(f, GraphML) }
func FuzzDecodeCSV(f *testing.F)     { fuzzDecode(f, CSV) }

// The corpus files named "valid" must decode, so that fuzzing starts from
// accepted input and not only from rejections.
func TestFuzzCorpusValidSeedsDecode(t *testing.T) {
	for target, f := range map[string]Format{
		"FuzzDecodeJSON": JSON, "FuzzDecodeFTM": FtM, "FuzzDecodeGraphML": GraphML, "FuzzDecodeCSV": CSV,
	} {
		raw, err := os.ReadFile(filepath.Join("testdata", "fuzz", target, "valid"))
		if err != nil {
			t.Fatal(err)
		}
		lit := strings.TrimSpace(strings.TrimPrefix(string(raw), "go test fuzz v1\n"))
		lit = strings.TrimSuffix(strings.TrimPrefix(lit, "[]byte("), ")")
		data, err := strconv.Unquote(lit)
		if err != nil {
			t.Fatalf("%s: corpus file: %v", target, err)
		}
		b, err := Decode(context.Background(), f, strings.NewReader(data))
		if err != nil {
			t.Fatalf("%s: valid seed rejected: %v", target, err)
		}
		if len(b.Entities) < 2 || len(b.Links) < 1 {
			t.Fatalf("%s: valid seed decoded to %d entities, %d links", target, len(b.Entities), len(b.Links))
		}
	}
}
