package main

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestMatchOverHTTP screens a CSV and JSON lines over POST /api/match on
// the seeded embedded store: the answer comes in the format asked, every
// query answered in order, matches carrying their exposure; bad input is a
// clear BAD_USER_INPUT, a viewer is refused.
func TestMatchOverHTTP(t *testing.T) {
	const analyst, viewer = "analyst-token-0123456789", "viewer-token-0123456789"
	app := startApp(t, "analyst:"+analyst+",viewer:"+viewer)
	url := app.URL() + "/api/match"

	in := "key,name,kind,birthDate\n" +
		"r1,Seferovic Nusret,person,\n" +
		"r2,\"Ali Derakhshan; A. Derakhshan\",,\n" +
		"r3,Nobody Atall,,\n"
	r := do(t, http.MethodPost, url, analyst, "text/csv", []byte(in))
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s %s", r.status, r.header.Get("Content-Type"), r.body)
	}
	rows, err := csv.NewReader(bytes.NewReader(r.body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	first := map[string][]string{}
	var keys []string
	for _, row := range rows[1:] {
		k := row[col["key"]]
		if _, ok := first[k]; !ok {
			first[k] = row
			keys = append(keys, k)
		}
	}
	if strings.Join(keys, ",") != "r1,r2,r3" {
		t.Fatalf("csv answers %v, want r1,r2,r3 in order:\n%s", keys, r.body)
	}
	if row := first["r1"]; row[col["entity_id"]] != "person:nusret-seferovic" || row[col["match"]] != "true" || row[col["exposure"]] == "" || !strings.Contains(row[col["features"]], "name") {
		t.Errorf("r1: %v", row)
	}
	if row := first["r2"]; row[col["entity_id"]] != "person:ali-derakhshan" || row[col["match"]] != "true" {
		t.Errorf("r2: %v", row)
	}
	if row := first["r3"]; row[col["match"]] == "true" {
		t.Errorf("r3 matched: %v", row)
	}

	jl := `{"key":"j1","names":["Вахид Дерахшан"]}` + "\n" + `{"key":"j2","names":["Krasniqi"]}` + "\n"
	r = do(t, http.MethodPost, url+"?limit=3", analyst, "application/x-ndjson", []byte(jl))
	if r.status != http.StatusOK {
		t.Fatalf("jsonl: %d %s", r.status, r.body)
	}
	type lineJSON struct {
		Key        string
		Candidates []struct {
			Entity   struct{ ID string }
			Match    bool
			Features []struct{ Name, Detail string }
			Exposure []struct{ Entity struct{ ID string } }
		}
	}
	var lines []lineJSON
	sc := bufio.NewScanner(bytes.NewReader(r.body))
	for sc.Scan() {
		var one lineJSON
		if err := json.Unmarshal(sc.Bytes(), &one); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		lines = append(lines, one)
	}
	if len(lines) != 2 || lines[0].Key != "j1" || lines[1].Key != "j2" {
		t.Fatalf("jsonl answers: %s", r.body)
	}
	if c := lines[0].Candidates; len(c) == 0 || c[0].Entity.ID != "person:vahid-derakhshan" || !c[0].Match || len(c[0].Exposure) == 0 {
		t.Errorf("j1: %+v", c)
	}
	if len(lines[1].Candidates) > 3 {
		t.Errorf("limit=3 gave %d candidates", len(lines[1].Candidates))
	}
	for _, c := range lines[1].Candidates {
		if c.Match {
			t.Errorf("the surname alone matched %s", c.Entity.ID)
		}
	}

	for _, tc := range []struct {
		ctype, body string
		status      int
		code        string
	}{
		{"text/csv", "key,nom\nx,y\n", http.StatusBadRequest, "BAD_USER_INPUT"},
		{"text/csv", "name,birthDate\nAli Derakhshan,1970-02-31\n", http.StatusBadRequest, "BAD_USER_INPUT"},
		{"application/x-ndjson", "{\"names\": \"not a list\"}\n", http.StatusBadRequest, "BAD_USER_INPUT"},
		{"application/x-ndjson", "{\"names\": [\"A B\"], \"dob\": \"1970\"}\n", http.StatusBadRequest, "BAD_USER_INPUT"},
		{"text/plain", "name\nA B\n", http.StatusBadRequest, "BAD_USER_INPUT"},
		{"text/csv", "name\n" + strings.Repeat("A B\n", 1001), http.StatusUnprocessableEntity, "TOO_COMPLEX"},
	} {
		r := do(t, http.MethodPost, url, analyst, tc.ctype, []byte(tc.body))
		var e struct{ Code, Error string }
		_ = json.Unmarshal(r.body, &e)
		if r.status != tc.status || e.Code != tc.code || e.Error == "" {
			t.Errorf("%s %.40q: %d %s, want %d %s", tc.ctype, tc.body, r.status, r.body, tc.status, tc.code)
		}
	}
	if r := do(t, http.MethodPost, url, viewer, "text/csv", []byte(in)); r.status != http.StatusForbidden {
		t.Errorf("viewer: %d %s", r.status, r.body)
	}
}
