package audit

import (
	"path/filepath"
	"testing"
)

func TestAuditTrailSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "audit.log")
	log1, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if err := log1.Append(Record{Actor: "a", Kind: "graphql", Outcome: "ok"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := log1.Close(); err != nil {
		t.Fatal(err)
	}
	log2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer log2.Close()
	if err := log2.Append(Record{Actor: "b", Kind: "export", Outcome: "ok"}); err != nil {
		t.Fatal(err)
	}
	page, err := log2.Query(t.Context(), Query{First: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Records) != 4 || page.Records[0].Seq != 4 || page.Records[0].Actor != "b" || page.Records[3].Seq != 1 {
		t.Fatalf("after restart: %+v", page.Records)
	}
}
