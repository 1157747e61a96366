package formats

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/testenv"
)

// ftmScript reads FtM files with FollowTheMoney's own library and prints,
// per file, every record as the library keeps it and every way the file
// breaks the model: an unknown schema, a value the schema's validation
// refuses or the library does not keep as written (it drops what it cannot
// clean, and writes some in its own form), a missing required
// property (Payment's payer and beneficiary may be bank accounts:
// payerAccount, beneficiaryAccount; a Document without a file has no
// fileName; an Identification whose source gives no number or holder has
// none, as nothing is invented: the test marks those records
// skein:test:no-number, skein:test:no-holder), a reference to a
// record that is not in the file or whose schema is outside the
// property's range.
const ftmScript = `
import json, sys
from followthemoney import model

def load(path):
    recs = [json.loads(l) for l in open(path, encoding="utf-8") if l.strip()]
    byid = {r["id"]: r for r in recs}
    out, errors = [], []
    for r in recs:
        rid = r["id"]
        schema = model.get(r["schema"])
        if schema is None:
            errors.append("%s: unknown schema %s" % (rid, r["schema"]))
            continue
        p = model.get_proxy(r, cleaned=False)
        raw = {k: v for k, v in r["properties"].items() if k in schema.properties}
        try:
            schema.validate({"properties": raw})
        except Exception as e:
            errors.append("%s: validation: %s" % (rid, getattr(e, "errors", e)))
        for k, v in raw.items():
            kept = p.get(k)
            if sorted(set(v)) != sorted(kept):
                errors.append("%s: %s %r read as %r" % (rid, k, v, kept))
        for name in schema.required:
            if schema.name == "Document" and name == "fileName" and "skein:path" not in r["properties"]:
                continue  # a Skein document need not be a file
            if schema.is_a(model.get("Identification")) and "skein:test:no-" + name in r["properties"]:
                continue  # the source gives none
            if not p.has(name) and not (schema.name == "Payment" and p.has(name + "Account")):
                errors.append("%s: required %s missing" % (rid, name))
        for k in raw:
            prop = schema.get(k)
            if prop.type.name != "entity":
                continue
            for v in p.get(k):
                t = byid.get(v)
                if t is None:
                    errors.append("%s: %s %s is not in the file" % (rid, k, v))
                elif not model.get(t["schema"]).is_a(prop.range):
                    errors.append("%s: %s %s is a %s, not a %s" % (rid, k, v, t["schema"], prop.range.name))
        out.append({"id": p.id, "schema": p.schema.name, "properties": p.properties})
    return {"records": out, "errors": errors}

print(json.dumps([load(path) for path in sys.argv[1:]]))
`

type ftmLibFile struct {
	Records []ftmRecord `json:"records"`
	Errors  []string    `json:"errors"`
}

// ftmLibrary reads FtM files with the followthemoney library.
func ftmLibrary(t *testing.T, files ...[]byte) []ftmLibFile {
	t.Helper()
	py := testenv.PythonModule(t, "followthemoney", installPython("followthemoney"))
	var paths []string
	for i, data := range files {
		p := filepath.Join(t.TempDir(), "f"+strconv.Itoa(i)+".ftm.json")
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	out, err := exec.Command(py, append([]string{"-c", ftmScript}, paths...)...).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("followthemoney: %v\n%s", err, stderr)
	}
	var got []ftmLibFile
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	return got
}

// values of a property as the library keeps them, or nil.
func libValues(r ftmRecord, prop string) []string { return r.Properties[prop] }

// The FtM export is valid FollowTheMoney: the reference library takes every
// record, keeps every value as written (references too: it drops one whose
// id breaks FtM's id rule), finds every required property and every
// referenced record, in range; and every fact Skein maps is there: each
// entity under its schema with its name and typed fields, each
// designation, and each link as a reference between its two ends.
func TestFollowTheMoneyLibraryValidatesExport(t *testing.T) {
	batches := map[string]graph.Batch{"seed": seedBatch(t), "crafted": crafted()}
	names := []string{"seed", "crafted"}
	var files [][]byte
	raws := map[string]map[string]ftmRecord{}
	for _, n := range names {
		data, raw := markUnstated(t, batches[n], encode(t, FtM, batches[n]))
		files = append(files, data)
		raws[n] = raw
	}
	lib := ftmLibrary(t, files...)
	for i, name := range names {
		b, got := batches[name], lib[i]
		t.Run(name, func(t *testing.T) {
			for _, e := range got.Errors {
				t.Error(e)
			}
			raw := raws[name]
			byID := map[string]ftmRecord{}
			for _, r := range got.Records {
				byID[r.ID] = r
			}
			for _, e := range b.Entities {
				r, ok := byID[ftmID(e.ID)]
				if !ok {
					t.Errorf("entity %s: no record", e.ID)
					continue
				}
				spec, _ := e.Kind.Spec()
				if want := spec.FtMSchema; r.Schema != want && !(want == "Identification" && r.Schema == "Passport" && e.Properties["type"] == "PASSPORT") {
					t.Errorf("entity %s: schema %s, want %s", e.ID, r.Schema, want)
				}
				if ftmHasName(r.Schema) && !slices.Contains(libValues(r, "name"), e.Name) && !slices.Contains(libValues(r, ftmCaption[r.Schema][0]), e.Name) {
					t.Errorf("entity %s: name %q not in %v", e.ID, e.Name, r.Properties)
				}
				if len(e.Sources) > 0 && len(r.Properties["proof"]) == 0 {
					t.Errorf("entity %s: proof references dropped", e.ID)
				}
				for _, f := range spec.Fields {
					v, ok := e.Properties[f.Property]
					if !ok || (f.Property == "type" && e.Kind == graph.KindIdentification) {
						continue
					}
					for _, item := range f.Split(v) {
						if f.Type == graph.ValueCountry {
							item = strings.ToLower(item)
						}
						if !slices.Contains(libValues(r, f.Property), item) && !slices.Contains(libValues(r, f.Property), v) {
							t.Errorf("entity %s: %s %q not in %v", e.ID, f.Property, item, libValues(r, f.Property))
						}
					}
				}
				for j, d := range e.Designations {
					s := byID[ftmID(e.ID)+"-sanction-"+strconv.Itoa(j)]
					if first(s.Properties["entity"]) != ftmID(e.ID) || first(s.Properties["program"]) != d.Regime ||
						first(s.Properties["listingDate"]) != d.ListedOn || first(s.Properties["endDate"]) != d.DelistedOn {
						t.Errorf("entity %s designation %d: read as %+v", e.ID, j, s)
					}
				}
			}
			for _, l := range b.Links {
				if attachedTo(raw, l) {
					continue // no FtM schema holds it (checked by the round trips)
				}
				if !libReferences(byID, ftmID(l.ID), ftmID(l.Source), ftmID(l.Target)) &&
					!libReferences(byID, ftmID(l.Source), ftmID(l.Target)) && !libReferences(byID, ftmID(l.Target), ftmID(l.Source)) {
					t.Errorf("link %s (%s %s -> %s): no record references both ends", l.ID, l.Type, l.Source, l.Target)
				}
				if r, ok := byID[ftmID(l.ID)]; ok && l.Role != "" && !slices.Contains(libValues(r, "role"), l.Role) && r.Schema != "Family" && r.Schema != "Associate" && r.Schema != "Payment" {
					t.Errorf("link %s: role %v, want %q", l.ID, r.Properties["role"], l.Role)
				}
			}
		})
	}
}

// libReferences reports whether record id holds every one of refs among
// its property values.
func libReferences(byID map[string]ftmRecord, id string, refs ...string) bool {
	r, ok := byID[id]
	if !ok {
		return false
	}
	for _, ref := range refs {
		found := false
		for _, vals := range r.Properties {
			if slices.Contains(vals, ref) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// ftmListed are the schemata issue 14 requires to round-trip.
var ftmListed = []string{"Person", "Organization", "Company", "LegalEntity", "Address", "Vessel", "Vehicle",
	"BankAccount", "Identification", "Passport", "Payment", "Ownership", "Directorship", "Membership",
	"Employment", "Family", "Associate", "Representation", "UnknownLink", "Sanction"}

// An FtM file of every listed schema, written as another tool would (no
// skein: properties), read by Skein and written again, has the same
// records with the same properties, as the followthemoney library reads
// both; both files are valid; nothing is lost on the way (no warning); and
// Skein reads each record as what it is: the holder of an identification,
// the operator of a vehicle and an addressEntity as links.
func TestFollowTheMoneyRoundTrip(t *testing.T) {
	in, recs := ftmFixture(t)
	b, warnings, err := decode(context.Background(), FtM, bytes.NewReader(in), MaxImportBytes)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range warnings {
		t.Errorf("warning: %s", w)
	}
	sameThroughLibrary(t, in, encode(t, FtM, b), len(recs))

	// What Skein made of it, checked against the file itself.
	kinds := map[string]graph.Kind{"Person": graph.KindPerson, "Organization": graph.KindOrganization, "Company": graph.KindCompany,
		"LegalEntity": graph.KindLegalEntity, "Address": graph.KindAddress, "Vessel": graph.KindVessel, "Vehicle": graph.KindVehicle,
		"BankAccount": graph.KindBankAccount, "Identification": graph.KindIdentification, "Passport": graph.KindIdentification}
	edges := map[string]graph.LinkType{"Payment": graph.LinkPays, "Ownership": graph.LinkOwns, "Directorship": graph.LinkDirectorOf,
		"Membership": graph.LinkMemberOf, "Employment": graph.LinkEmployedBy, "Family": graph.LinkFamilyOf, "Associate": graph.LinkAssociateOf,
		"Representation": graph.LinkRepresents, "UnknownLink": graph.LinkLinkedTo}
	ents := map[string]graph.Entity{}
	for _, e := range b.Entities {
		ents[e.ID] = e
	}
	hasLink := func(t graph.LinkType, src, tgt string) bool {
		return slices.ContainsFunc(b.Links, func(l graph.Link) bool { return l.Type == t && l.Source == src && l.Target == tgt })
	}
	designations := 0
	for _, r := range recs {
		if k, ok := kinds[r.Schema]; ok {
			if e, ok := ents[r.ID]; !ok || e.Kind != k {
				t.Errorf("%s %s read as %+v", r.Schema, r.ID, e)
			}
		}
		if lt, ok := edges[r.Schema]; ok && !slices.ContainsFunc(b.Links, func(l graph.Link) bool { return l.ID == r.ID && l.Type == lt }) {
			t.Errorf("%s %s: no %s link", r.Schema, r.ID, lt)
		}
		for _, h := range r.Properties["holder"] {
			if !hasLink(graph.LinkHolds, h, r.ID) {
				t.Errorf("%s %s: no HOLDS link from its holder %s", r.Schema, r.ID, h)
			}
		}
		for _, o := range r.Properties["operator"] {
			if !hasLink(graph.LinkOperates, o, r.ID) {
				t.Errorf("%s %s: no OPERATES link from its operator %s", r.Schema, r.ID, o)
			}
		}
		for _, a := range r.Properties["addressEntity"] {
			if !hasLink(graph.LinkLocatedAt, r.ID, a) {
				t.Errorf("%s %s: no LOCATED_AT link to %s", r.Schema, r.ID, a)
			}
		}
		if r.Schema == "Sanction" {
			designations++
		}
	}
	n := 0
	for _, e := range b.Entities {
		n += len(e.Designations)
	}
	if n != designations {
		t.Errorf("%d designations, want %d", n, designations)
	}
	// A Sanction with only one of listingDate and startDate is listed on
	// that date (and written back with that one alone, checked above).
	for id, listed := range map[string]string{"p2": "2024-05", "le-1": "2022-11-30"} {
		if ds := ents[id].Designations; len(ds) != 1 || ds[0].ListedOn != listed {
			t.Errorf("%s: designations %+v, want one listed on %s", id, ds, listed)
		}
	}
}

// The same file imported into each store and exported from it again: the
// library reads the same records and properties (Sanctions with their ids,
// authority, program, sourceUrl, reason, listingDate, status, ...).
func TestFollowTheMoneyRoundTripThroughStores(t *testing.T) {
	ctx := context.Background()
	in, recs := ftmFixture(t)
	eachStore(t, func(t *testing.T, fresh func(t *testing.T) graph.Store) {
		s := fresh(t)
		rep, err := Import(ctx, s, FtM, bytes.NewReader(in))
		if err != nil {
			t.Fatalf("Import: %v", err)
		}
		if len(rep.Warnings) > 0 {
			t.Errorf("import report: %+v", rep)
		}
		var out bytes.Buffer
		if err := Export(ctx, s, FtM, Scope{}, &out); err != nil {
			t.Fatalf("Export: %v", err)
		}
		sameThroughLibrary(t, in, out.Bytes(), len(recs))
	})
}

// ftmFixture is testdata/ftm/schemata.ftm.json, with a record of every
// schema issue 14 lists.
func ftmFixture(t *testing.T) ([]byte, []ftmRecord) {
	t.Helper()
	in, err := os.ReadFile(filepath.Join("testdata", "ftm", "schemata.ftm.json"))
	if err != nil {
		t.Fatal(err)
	}
	var recs []ftmRecord
	for _, line := range bytes.Split(bytes.TrimSpace(in), []byte("\n")) {
		var r ftmRecord
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	for _, s := range ftmListed {
		if !slices.ContainsFunc(recs, func(r ftmRecord) bool { return r.Schema == s }) {
			t.Fatalf("fixture has no %s", s)
		}
	}
	return in, recs
}

// sameThroughLibrary reads both files with the followthemoney library:
// neither breaks the model, and every record of the first is in the
// second by its id, with the same schema and properties.
func sameThroughLibrary(t *testing.T, in, out []byte, n int) {
	t.Helper()
	lib := ftmLibrary(t, in, out)
	for i, f := range lib {
		for _, e := range f.Errors {
			t.Errorf("file %d: %s", i, e)
		}
	}
	before, after := map[string]ftmRecord{}, map[string]ftmRecord{}
	for _, r := range lib[0].Records {
		before[r.ID] = r
	}
	for _, r := range lib[1].Records {
		after[r.ID] = r
	}
	if len(before) != n || len(after) != len(before) {
		t.Errorf("%d records in the file, the library read %d, and %d after Skein", n, len(before), len(after))
	}
	for id, r := range before {
		a, ok := after[id]
		switch {
		case !ok:
			t.Errorf("%s %s: not written back", r.Schema, id)
		case a.Schema != r.Schema:
			t.Errorf("%s: schema %s written back as %s", id, r.Schema, a.Schema)
		default:
			if w, g := sortedProps(r.Properties), sortedProps(a.Properties); w != g {
				t.Errorf("%s %s:\nread    %s\nwritten %s", r.Schema, id, w, g)
			}
		}
	}
}

// sortedProps prints properties with each value list sorted.
func sortedProps(props map[string][]string) string {
	c := map[string][]string{}
	for k, v := range props {
		v = slices.Clone(v)
		slices.Sort(v)
		c[k] = v
	}
	return jsonString(c)
}

// markUnstated reads an FtM export back and marks each Identification
// record whose entity has no number, or no HOLDS link, with
// skein:test:no-number / skein:test:no-holder, so the library check lets
// that required property be missing there and nowhere else. It returns the
// marked file and its records by id.
func markUnstated(t *testing.T, b graph.Batch, data []byte) ([]byte, map[string]ftmRecord) {
	t.Helper()
	held := map[string]bool{}
	for _, l := range b.Links {
		if l.Type == graph.LinkHolds {
			held[ftmID(l.Target)] = true
		}
	}
	numbered := map[string]bool{}
	for _, e := range b.Entities {
		if e.Properties["number"] != "" {
			numbered[ftmID(e.ID)] = true
		}
	}
	var out bytes.Buffer
	recs := map[string]ftmRecord{}
	for _, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var r ftmRecord
		if err := json.Unmarshal(line, &r); err != nil {
			t.Fatal(err)
		}
		if r.Schema == "Identification" || r.Schema == "Passport" {
			if !numbered[r.ID] {
				r.Properties["skein:test:no-number"] = []string{"true"}
			}
			if !held[r.ID] {
				r.Properties["skein:test:no-holder"] = []string{"true"}
			}
		}
		recs[r.ID] = r
		line, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		out.Write(line)
		out.WriteByte('\n')
	}
	return out.Bytes(), recs
}

// attachedTo reports whether the exported record of one of l's ends
// carries l whole as a skein:attachedLink.
func attachedTo(raw map[string]ftmRecord, l graph.Link) bool {
	for _, end := range []string{l.Source, l.Target} {
		for _, s := range raw[ftmID(end)].Properties[ftmAttached] {
			var got graph.Link
			if json.Unmarshal([]byte(s), &got) == nil && got.ID == l.ID {
				return true
			}
		}
	}
	return false
}
