package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A small dated network, worked out by hand below: a was a member of g
// from 2018-03 to 2019-06, b from 2019-07-01 on; a knows c (undated), b
// knew c until 2017.
const datedNetwork = `{"entities": [
	{"id": "person:t13-a", "kind": "PERSON", "name": "T13 A"},
	{"id": "person:t13-b", "kind": "PERSON", "name": "T13 B"},
	{"id": "person:t13-c", "kind": "PERSON", "name": "T13 C"},
	{"id": "organization:t13-g", "kind": "ORGANIZATION", "name": "T13 Group"}],
 "links": [
	{"id": "t13:m-a", "type": "MEMBER_OF", "source": "person:t13-a", "target": "organization:t13-g", "startDate": "2018-03", "endDate": "2019-06"},
	{"id": "t13:m-b", "type": "MEMBER_OF", "source": "person:t13-b", "target": "organization:t13-g", "startDate": "2019-07-01"},
	{"id": "t13:k-ac", "type": "ASSOCIATE_OF", "source": "person:t13-a", "target": "person:t13-c"},
	{"id": "t13:k-bc", "type": "ASSOCIATE_OF", "source": "person:t13-b", "target": "person:t13-c", "endDate": "2017"}]}`

// exportedIDs reads a JSON export and returns its entity and link ids
// of the dated network (t13), sorted.
func exportedIDs(t *testing.T, body []byte) (entities, links []string) {
	t.Helper()
	var v struct{ Entities, Links []struct{ ID string } }
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("export is not JSON: %v: %.200s", err, body)
	}
	for _, e := range v.Entities {
		if strings.Contains(e.ID, "t13-") {
			entities = append(entities, e.ID)
		}
	}
	for _, l := range v.Links {
		if strings.HasPrefix(l.ID, "t13:") {
			links = append(links, l.ID)
		}
	}
	slices.Sort(entities)
	slices.Sort(links)
	return entities, links
}

var allDated = []string{"organization:t13-g", "person:t13-a", "person:t13-b", "person:t13-c"}

func TestExportAsOfCLI(t *testing.T) {
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	dir := t.TempDir()
	in := filepath.Join(dir, "dated.json")
	if err := os.WriteFile(in, []byte(datedNetwork), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(ctx, []string{"import", "--data", dir, in}, io.Discard, io.Discard, log); err != nil {
		t.Fatal(err)
	}
	app := startApp(t, "")
	if r := do(t, http.MethodPost, app.URL()+"/api/import?format=json", "", "application/json", []byte(datedNetwork)); r.status != http.StatusOK {
		t.Fatalf("import over HTTP: %d %s", r.status, r.body)
	}
	for _, c := range []struct {
		args            []string
		entities, links []string
	}{
		// m-b starts after 2019-06, k-bc ended in 2017.
		{[]string{"--as-of", "2019-06"}, allDated, []string{"t13:k-ac", "t13:m-a"}},
		{[]string{"--as-of", "2019"}, allDated, []string{"t13:k-ac", "t13:m-a", "t13:m-b"}},
		{[]string{"--from", "2020"}, allDated, []string{"t13:k-ac", "t13:m-b"}},
		{[]string{"--to", "2017-12"}, allDated, []string{"t13:k-ac", "t13:k-bc"}},
		{[]string{"--from", "2019-06-15", "--to", "2019-06-30"}, allDated, []string{"t13:k-ac", "t13:m-a"}},
		// From b in 2020: only its membership is in force, and none of g's others.
		{[]string{"--ids", "person:t13-b", "--depth", "2", "--as-of", "2020"}, []string{"organization:t13-g", "person:t13-b"}, []string{"t13:m-b"}},
		{[]string{"--ids", "person:t13-b", "--depth", "2", "--as-of", "2019-06"}, []string{"person:t13-b"}, nil},
	} {
		for _, where := range []string{"local", "server"} {
			out := filepath.Join(t.TempDir(), "out.json")
			args := append([]string{"export", "--format", "json", "-o", out}, c.args...)
			if where == "local" {
				args = append(args, "--data", dir)
			} else {
				args = append(args, "--server", app.URL())
			}
			if err := run(ctx, args, io.Discard, io.Discard, log); err != nil {
				t.Fatalf("%s %v: %v", where, c.args, err)
			}
			body, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			es, ls := exportedIDs(t, body)
			if !slices.Equal(es, c.entities) || !slices.Equal(ls, c.links) {
				t.Errorf("%s %v: entities %v links %v, want %v %v", where, c.args, es, ls, c.entities, c.links)
			}
		}
	}
	for _, c := range []struct {
		args []string
		bad  string
	}{
		{[]string{"--as-of", "2019-06-31"}, "2019-06-31"},
		{[]string{"--from", "2019-W01"}, "2019-W01"},
		{[]string{"--as-of", "2019", "--to", "2020"}, "asOf"},
	} {
		out := filepath.Join(t.TempDir(), "out.json")
		err := run(ctx, append([]string{"export", "--data", dir, "--format", "json", "-o", out}, c.args...), io.Discard, io.Discard, log)
		if err == nil || !strings.Contains(err.Error(), c.bad) {
			t.Errorf("%v: error %v, want one naming %q", c.args, err, c.bad)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%v: a refused export left %s", c.args, out)
		}
	}
}

func TestExportAsOfOverHTTP(t *testing.T) {
	app := startApp(t, "")
	if r := do(t, http.MethodPost, app.URL()+"/api/import?format=json", "", "application/json", []byte(datedNetwork)); r.status != http.StatusOK {
		t.Fatalf("import: %d %s", r.status, r.body)
	}
	r := do(t, http.MethodGet, app.URL()+"/api/export/json?asOf=2019-06", "", "", nil)
	if r.status != http.StatusOK {
		t.Fatalf("export: %d %s", r.status, r.body)
	}
	if _, ls := exportedIDs(t, r.body); !slices.Equal(ls, []string{"t13:k-ac", "t13:m-a"}) {
		t.Errorf("asOf=2019-06: links %v", ls)
	}
	r = do(t, http.MethodGet, app.URL()+"/api/export/json?from=2019-07&to=2019-12", "", "", nil)
	if _, ls := exportedIDs(t, r.body); r.status != http.StatusOK || !slices.Equal(ls, []string{"t13:k-ac", "t13:m-b"}) {
		t.Errorf("from=2019-07&to=2019-12: %d links %v", r.status, ls)
	}
	for _, q := range []struct{ query, bad string }{
		{"asOf=2019-13", "2019-13"},
		{"from=2020&to=2019", "2020"},
		{"to=31/12/2019", "31/12/2019"},
		{"asOf=2019&from=2018", "asOf"},
	} {
		r := do(t, http.MethodGet, app.URL()+"/api/export/graphml?"+q.query, "", "", nil)
		var body struct{ Error, Code string }
		_ = json.Unmarshal(r.body, &body)
		if r.status != http.StatusBadRequest || body.Code != "BAD_USER_INPUT" || !strings.Contains(body.Error, q.bad) {
			t.Errorf("%s: %d %s, want 400 BAD_USER_INPUT naming %q", q.query, r.status, r.body, q.bad)
		}
	}
}
