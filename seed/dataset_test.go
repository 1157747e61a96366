package seed

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
)

const sourceFile = "sources/uk-gim-sanctions-2025-10-23.txt"

// readSource reads the source text from disk, not from the embedded copy,
// so the quote check stands on the file itself.
func readSource(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(sourceFile)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func dataset(t *testing.T) graph.Batch {
	t.Helper()
	b, err := Dataset()
	if err != nil {
		t.Fatalf("Dataset: %v", err)
	}
	return b
}

// TestSourceUnchanged guards the shipped text: it must stay the published
// file byte for byte (its SHA-256 when it was copied in), and the embedded
// copy must be that file.
func TestSourceUnchanged(t *testing.T) {
	text := readSource(t)
	sum := sha256.Sum256([]byte(text))
	if got, want := hex.EncodeToString(sum[:]), "495a18338de1e2a1e0add6b2209a894c22f36bcf2b990597c56cd7681e5ee3bc"; got != want {
		t.Errorf("%s changed: sha256 %s, want %s", sourceFile, got, want)
	}
	for _, name := range []string{"uk-gim-sanctions-2025-10-23.txt", sourceFile} {
		got, err := Source(name)
		if err != nil {
			t.Fatalf("Source(%q): %v", name, err)
		}
		if string(got) != text {
			t.Errorf("Source(%q) differs from the file on disk", name)
		}
	}
	for _, name := range []string{"missing.txt", "../dataset.json", "", "/etc/passwd"} {
		if _, err := Source(name); !errors.Is(err, graph.ErrNotFound) {
			t.Errorf("Source(%q) = %v, want ErrNotFound", name, err)
		}
	}
	notice, err := fs.ReadFile(Sources(), "NOTICE")
	if err != nil {
		t.Fatalf("NOTICE: %v", err)
	}
	if !strings.Contains(string(notice), "Contains public sector information licensed under the Open Government Licence v3.0") {
		t.Error("sources/NOTICE lacks the OGL v3.0 attribution")
	}
}

// TestQuotesVerbatim checks that every SourceRef of every entity, link and
// designation quotes the source file exactly, and that nothing is uncited.
func TestQuotesVerbatim(t *testing.T) {
	text := readSource(t)
	b := dataset(t)
	docs := map[string]bool{}
	for _, d := range b.Documents {
		docs[d.ID] = true
		if d.Path != sourceFile {
			t.Errorf("document %s: path %q, want %q", d.ID, d.Path, sourceFile)
		}
		if d.Published != "2025-10-23" || d.License != "Open Government Licence v3.0" {
			t.Errorf("document %s: published %q licence %q", d.ID, d.Published, d.License)
		}
		if d.URL != "" {
			t.Errorf("document %s: URL %q is not stated by the source", d.ID, d.URL)
		}
	}
	check := func(what string, refs []graph.SourceRef) {
		t.Helper()
		if len(refs) == 0 {
			t.Errorf("%s has no source", what)
		}
		for _, r := range refs {
			if !docs[r.Document] {
				t.Errorf("%s cites unknown document %q", what, r.Document)
			}
			if strings.TrimSpace(r.Quote) == "" {
				t.Errorf("%s has an empty quote", what)
			} else if !strings.Contains(text, r.Quote) {
				t.Errorf("%s quote is not verbatim text of the source: %q", what, r.Quote)
			}
		}
	}
	var n int
	for _, e := range b.Entities {
		check("entity "+e.ID, e.Sources)
		n += len(e.Sources)
		for i, d := range e.Designations {
			check(fmt.Sprintf("entity %s designation %d", e.ID, i), d.Sources)
			n += len(d.Sources)
		}
	}
	for _, l := range b.Links {
		check("link "+l.ID, l.Sources)
		n += len(l.Sources)
	}
	if n == 0 {
		t.Fatal("no quotes checked")
	}
}

// TestDatasetFile checks the data file itself: the embedded copy is the file
// on disk, it is already in normal form (so a store returns exactly what
// the file says), link ids are the derived ones, and Dataset hands out
// fresh copies.
func TestDatasetFile(t *testing.T) {
	raw, err := os.ReadFile("dataset.json")
	if err != nil {
		t.Fatal(err)
	}
	var fromDisk graph.Batch
	if err := json.Unmarshal(raw, &fromDisk); err != nil {
		t.Fatal(err)
	}
	b := dataset(t)
	if !reflect.DeepEqual(fromDisk, b) {
		t.Error("dataset.json is not in normal form (Batch.Normalize changes it) or the embedded copy is stale")
	}
	for _, l := range b.Links {
		if want := graph.LinkID(l.Type, l.Source, l.Target, l.Role); l.ID != want {
			t.Errorf("link id %q, want the derived id %q", l.ID, want)
		}
	}

	b.Entities[0].Name = "changed"
	b.Entities[0].Designations = nil
	b.Links = nil
	again := dataset(t)
	if !reflect.DeepEqual(fromDisk, again) {
		t.Error("Dataset returned data shared with an earlier caller")
	}
}

// TestDatasetFacts asserts the facts of the source text on the data itself;
// store_test.go asserts the same facts on every store after Load.
func TestDatasetFacts(t *testing.T) {
	b := dataset(t)
	checkFacts(t, graph.Subgraph{Nodes: b.Entities, Links: b.Links})
}
