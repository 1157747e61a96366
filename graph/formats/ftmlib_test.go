package formats

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/testenv"
)

// ftmScript loads every line with FollowTheMoney's own library and prints,
// per record, its schema and the properties the library kept.
const ftmScript = `
import json, sys
from followthemoney import model
out = []
for line in open(sys.argv[1]):
    p = model.get_proxy(json.loads(line), cleaned=False)
    out.append({"id": p.id, "schema": p.schema.name, "properties": p.properties})
print(json.dumps(out))
`

// The FtM export is valid FollowTheMoney: the reference library takes every
// record, and keeps every reference between records (which it drops when
// an id breaks FtM's id rule) and every mapped property.
func TestFollowTheMoneyLibraryReadsExport(t *testing.T) {
	py := testenv.PythonModule(t, "followthemoney", installPython("followthemoney"))
	for name, b := range map[string]graph.Batch{"seed": seedBatch(t), "crafted": crafted()} {
		t.Run(name, func(t *testing.T) {
			data := encode(t, FtM, b)
			path := filepath.Join(t.TempDir(), "export.ftm.json")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(py, "-c", ftmScript, path).Output()
			if err != nil {
				var stderr []byte
				if ee, ok := err.(*exec.ExitError); ok {
					stderr = ee.Stderr
				}
				t.Fatalf("followthemoney: %v\n%s", err, stderr)
			}
			var got []ftmRecord
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatal(err)
			}
			byID := map[string]ftmRecord{}
			for _, r := range got {
				byID[r.ID] = r
			}
			designations := 0
			for _, e := range b.Entities {
				designations += len(e.Designations)
			}
			if want := len(b.Documents) + len(b.Entities) + designations + len(b.Links); len(got) != want {
				t.Fatalf("library read %d records, want %d", len(got), want)
			}
			for _, e := range b.Entities {
				r, ok := byID[ftmID(e.ID)]
				if !ok || r.Schema != e.Kind.Label() || first(r.Properties["name"]) != e.Name {
					t.Errorf("entity %s: read as %+v", e.ID, r)
				}
				if len(e.Sources) > 0 && len(r.Properties["proof"]) == 0 {
					t.Errorf("entity %s: proof references dropped", e.ID)
				}
				for i := range e.Designations {
					s := byID[ftmID(e.ID)+"-sanction-"+strconv.Itoa(i)]
					if first(s.Properties["entity"]) != ftmID(e.ID) || first(s.Properties["program"]) != e.Designations[i].Regime {
						t.Errorf("entity %s designation %d: read as %+v", e.ID, i, s)
					}
				}
			}
			for _, l := range b.Links {
				r := byID[ftmID(l.ID)]
				ls := ftmLinkByType(l.Type)
				if r.Schema != ls.schema || first(r.Properties[ls.src]) != ftmID(l.Source) || first(r.Properties[ls.tgt]) != ftmID(l.Target) {
					t.Errorf("link %s: read as %+v, want %s %s->%s", l.ID, r, ls.schema, ftmID(l.Source), ftmID(l.Target))
				}
				if l.Role != "" && first(r.Properties[ls.role]) != l.Role {
					t.Errorf("link %s: role %v, want %q", l.ID, r.Properties[ls.role], l.Role)
				}
			}
		})
	}
}
