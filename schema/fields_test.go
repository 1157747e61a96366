package schema

import (
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

const typedEntities = `mutation($input: [EntityInput!]!) { upsertEntities(input: $input) {
	id kind properties { key value }
	... on Person { birthDate nationalities }
	... on Identification { number documentType country issueDate expiryDate }
	... on Company { registrationNumber jurisdiction incorporationDate }
	... on Vessel { imoNumber flag vesselType }
} }`

const typedLinks = `mutation($input: [LinkInput!]!) { upsertLinks(input: $input) {
	id type percentage shareValue amount currency date purpose relationship properties { key value }
} }`

// TestTypedFields writes kind and link fields through the inputs and reads
// them back through the types, on both stores: values are stored under
// their FtM names, canonically, and bad or misplaced values are refused
// with the field and the value.
func TestTypedFields(t *testing.T) {
	eachServer(t, Options{}, func(t *testing.T, srv *server) {
		res := srv.post(typedEntities, map[string]any{"input": []any{
			map[string]any{"id": "person:tf", "kind": "PERSON", "name": "TF", "birthDate": "1970-05", "nationalities": []any{"al", "XK"}},
			map[string]any{"id": "identification:tf", "kind": "IDENTIFICATION", "name": "Passport of TF", "number": "X123",
				"documentType": "PASSPORT", "country": "gb", "issueDate": "2020-01-02", "expiryDate": "2030"},
			map[string]any{"id": "company:tf", "kind": "COMPANY", "name": "TF Ltd", "registrationNumber": "0001", "jurisdiction": "GB"},
			map[string]any{"id": "vessel:tf", "kind": "VESSEL", "name": "Small boat", "flag": "FR", "vesselType": "dinghy"},
		}})
		checkResponse(t, res, gqlTest{ExpectedResult: `{"upsertEntities": [
			{"id": "person:tf", "kind": "PERSON", "birthDate": "1970-05", "nationalities": ["AL", "XK"],
			 "properties": [{"key": "birthDate", "value": "1970-05"}, {"key": "nationality", "value": "AL; XK"}]},
			{"id": "identification:tf", "kind": "IDENTIFICATION", "number": "X123", "documentType": "PASSPORT", "country": "GB",
			 "issueDate": "2020-01-02", "expiryDate": "2030",
			 "properties": [{"key": "country", "value": "GB"}, {"key": "endDate", "value": "2030"}, {"key": "number", "value": "X123"},
			  {"key": "startDate", "value": "2020-01-02"}, {"key": "type", "value": "PASSPORT"}]},
			{"id": "company:tf", "kind": "COMPANY", "registrationNumber": "0001", "jurisdiction": "GB", "incorporationDate": null,
			 "properties": [{"key": "jurisdiction", "value": "GB"}, {"key": "registrationNumber", "value": "0001"}]},
			{"id": "vessel:tf", "kind": "VESSEL", "imoNumber": null, "flag": "FR", "vesselType": "dinghy",
			 "properties": [{"key": "flag", "value": "FR"}, {"key": "type", "value": "dinghy"}]}
		]}`})

		res = srv.post(typedLinks, map[string]any{"input": []any{
			map[string]any{"id": "own:tf", "type": "OWNS", "source": "person:tf", "target": "company:tf", "percentage": 75.5, "shareValue": 1000},
			map[string]any{"id": "pay:tf", "type": "PAYS", "source": "company:tf", "target": "person:tf", "amount": 250, "currency": "eur",
				"date": "2024-03-01", "purpose": "boat engine"},
			map[string]any{"id": "fam:tf", "type": "ASSOCIATE_OF", "source": "person:tf", "target": "person:tf", "relationship": "business partner"},
		}})
		checkResponse(t, res, gqlTest{ExpectedResult: `{"upsertLinks": [
			{"id": "own:tf", "type": "OWNS", "percentage": 75.5, "shareValue": 1000, "amount": null, "currency": null, "date": null,
			 "purpose": null, "relationship": null, "properties": [{"key": "percentage", "value": "75.5"}, {"key": "sharesValue", "value": "1000"}]},
			{"id": "pay:tf", "type": "PAYS", "percentage": null, "shareValue": null, "amount": 250, "currency": "EUR", "date": "2024-03-01",
			 "purpose": "boat engine", "relationship": null, "properties": [{"key": "amount", "value": "250"}, {"key": "currency", "value": "EUR"},
			 {"key": "date", "value": "2024-03-01"}, {"key": "purpose", "value": "boat engine"}]},
			{"id": "fam:tf", "type": "ASSOCIATE_OF", "percentage": null, "shareValue": null, "amount": null, "currency": null, "date": null,
			 "purpose": null, "relationship": "business partner", "properties": [{"key": "relationship", "value": "business partner"}]}
		]}`})

		for _, c := range []struct {
			name, query string
			input       map[string]any
			want        []string // in the message
		}{
			{"bad country", typedEntities, map[string]any{"id": "person:bad", "kind": "PERSON", "name": "B", "nationalities": []any{"Narnia"}}, []string{"nationalities", "Narnia"}},
			{"bad date", typedEntities, map[string]any{"id": "person:bad", "kind": "PERSON", "name": "B", "birthDate": "31/12/1970"}, []string{"birthDate", "31/12/1970"}},
			{"field of another kind", typedEntities, map[string]any{"id": "person:bad", "kind": "PERSON", "name": "B", "imoNumber": "1"}, []string{"imoNumber", "PERSON"}},
			{"field and property", typedEntities, map[string]any{"id": "person:bad", "kind": "PERSON", "name": "B", "birthDate": "1970",
				"properties": []any{map[string]any{"key": "birthDate", "value": "1971"}}}, []string{"birthDate"}},
			{"bad property value", typedEntities, map[string]any{"id": "person:bad", "kind": "PERSON", "name": "B",
				"properties": []any{map[string]any{"key": "birthDate", "value": "soon"}}}, []string{"birthDate", "soon"}},
			{"percentage over 100", typedLinks, map[string]any{"type": "OWNS", "source": "person:tf", "target": "company:tf", "percentage": 101}, []string{"percentage", "101"}},
			{"negative amount", typedLinks, map[string]any{"type": "PAYS", "source": "person:tf", "target": "company:tf", "amount": -1}, []string{"amount", "-1"}},
			{"field of another link type", typedLinks, map[string]any{"type": "MEMBER_OF", "source": "person:tf", "target": "company:tf", "amount": 3}, []string{"amount", "MEMBER_OF"}},
		} {
			res := srv.post(c.query, map[string]any{"input": []any{c.input}})
			if len(res.Errors) != 1 || res.codes()[0] != "BAD_USER_INPUT" {
				t.Errorf("%s: errors %+v, want one BAD_USER_INPUT", c.name, res.Errors)
				continue
			}
			for _, w := range c.want {
				if !strings.Contains(res.Errors[0].Message, w) {
					t.Errorf("%s: message %q does not name %q", c.name, res.Errors[0].Message, w)
				}
			}
		}
	})
}

// TestRegistryQuery checks that the registry query tells the UI what graph's
// registry holds, kind by kind and field by field.
func TestRegistryQuery(t *testing.T) {
	srv := newServer(t, teststores.Embedded(t), Options{})
	res := srv.post(`{ registry { kinds { kind title graphqlType neo4jLabel ftmSchema shape color icon fields { name property type list values min max label unit summary identifier } }
		linkTypes { type ftmSchema ftmProperty source target fields { name property type min max label unit summary } } } }`, nil)
	checkResponse(t, res, gqlTest{})
	type field struct {
		Name, Property, Type, Label string
		List, Summary, Identifier   bool
		Values                      []string
		Min, Max                    *float64
		Unit                        *string
	}
	reg := decode[struct {
		Registry struct {
			Kinds []struct {
				Kind, Title, GraphqlType, Neo4jLabel, FtmSchema, Shape, Color, Icon string
				Fields                                                              []field
			}
			LinkTypes []struct {
				Type, FtmSchema, Source, Target string
				FtmProperty                     *string
				Fields                          []field
			}
		}
	}](t, res).Registry
	specs := graph.KindSpecs()
	if len(reg.Kinds) != len(specs) {
		t.Fatalf("%d kinds, registry %d", len(reg.Kinds), len(specs))
	}
	for i, k := range reg.Kinds {
		s := specs[i]
		if k.Kind != string(s.Kind) || k.Title != s.Title || k.GraphqlType != s.GraphQLType || k.Neo4jLabel != s.Label ||
			k.FtmSchema != s.FtMSchema || k.Shape != s.Style.Shape || k.Color != s.Style.Color || k.Icon != s.Style.Icon || len(k.Fields) != len(s.Fields) {
			t.Errorf("kind %d: %+v, registry %+v", i, k, s)
			continue
		}
		for j, f := range k.Fields {
			if sf := s.Fields[j]; f.Name != sf.Name || f.Property != sf.Property || f.Type != string(sf.Type) || f.List != sf.List || len(f.Values) != len(sf.Values) ||
				f.Label != sf.Label || f.Summary != sf.Summary || f.Identifier != sf.Identifier || (f.Unit != nil) != (sf.Unit != "") {
				t.Errorf("%s field %d: %+v, registry %+v", k.Kind, j, f, sf)
			}
		}
	}
	links := graph.LinkSpecs()
	if len(reg.LinkTypes) != len(links) {
		t.Fatalf("%d link types, registry %d", len(reg.LinkTypes), len(links))
	}
	for i, l := range reg.LinkTypes {
		if s := links[i]; l.Type != string(s.Type) || l.FtmSchema != s.FtMSchema || l.Source != s.Source || len(l.Fields) != len(s.Fields) {
			t.Errorf("link type %d: %+v, registry %+v", i, l, s)
		}
	}
	// OWNS percentage carries its bounds.
	for _, l := range reg.LinkTypes {
		if l.Type == "OWNS" && (l.Fields[0].Name != "percentage" || l.Fields[0].Min == nil || *l.Fields[0].Min != 0 || *l.Fields[0].Max != 100 ||
			l.Fields[0].Unit == nil || *l.Fields[0].Unit != "%" || !l.Fields[0].Summary || l.Fields[0].Label == "") {
			t.Errorf("OWNS fields %+v", l.Fields)
		}
	}
}
