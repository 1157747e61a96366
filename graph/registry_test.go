package graph

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

// entityCoreFields and linkCoreFields are the GraphQL fields every entity
// or link has; a typed field must not shadow one.
var (
	entityCoreFields = []string{"id", "kind", "name", "aliases", "countries", "description", "properties", "sources", "designations", "links", "degree", "sanctioned"}
	linkCoreFields   = []string{"id", "type", "source", "target", "role", "description", "startDate", "endDate", "weight", "properties", "sources"}
	graphqlName      = regexp.MustCompile(`^[a-z][A-Za-z0-9]*$`)
	typeName         = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)
	enumName         = regexp.MustCompile(`^[A-Z][A-Z0-9_]*$`)
)

func checkFields(t *testing.T, owner string, fs []Field, core []string, seen map[string]Field) {
	t.Helper()
	props := map[string]bool{}
	names := map[string]bool{}
	for _, f := range fs {
		if !graphqlName.MatchString(f.Name) || f.Property == "" || f.Description == "" || f.Label == "" {
			t.Errorf("%s: field %+v needs a GraphQL name, a property, a description and a label", owner, f)
		}
		if f.Unit != "" && f.Type != ValueNumber {
			t.Errorf("%s: field %q has a unit but is not a number", owner, f.Name)
		}
		if containsString(core, f.Name) {
			t.Errorf("%s: field %q shadows a core field", owner, f.Name)
		}
		if names[f.Name] || props[f.Property] {
			t.Errorf("%s: field %q or property %q declared twice", owner, f.Name, f.Property)
		}
		names[f.Name], props[f.Property] = true, true
		if f.Type == ValueEnum {
			if !typeName.MatchString(f.Enum) || len(f.Values) == 0 {
				t.Errorf("%s: enum field %q needs an enum type name and values", owner, f.Name)
			}
			for _, v := range f.Values {
				if !enumName.MatchString(v.Name) || v.Description == "" {
					t.Errorf("%s: enum value %+v", owner, v)
				}
			}
		}
		// The GraphQL field of that name has one type across the schema.
		if prev, ok := seen[f.Name]; ok && (prev.Type != f.Type || prev.List != f.List || prev.Enum != f.Enum) {
			t.Errorf("%s: field %q has type %s/%v, elsewhere %s/%v", owner, f.Name, f.Type, f.List, prev.Type, prev.List)
		}
		seen[f.Name] = f
	}
}

func TestRegistryKinds(t *testing.T) {
	labels, types, ftm := map[string]bool{}, map[string]bool{}, map[string]bool{}
	seen := map[string]Field{}
	if len(Kinds) != len(KindSpecs()) {
		t.Fatalf("Kinds has %d entries, the registry %d", len(Kinds), len(KindSpecs()))
	}
	for i, s := range KindSpecs() {
		if Kinds[i] != s.Kind || !s.Kind.Valid() || !enumName.MatchString(string(s.Kind)) {
			t.Errorf("kind %d: %q", i, s.Kind)
		}
		if got, _ := s.Kind.Spec(); got.Kind != s.Kind {
			t.Errorf("%s: Spec returns %q", s.Kind, got.Kind)
		}
		if k, err := ParseKind(strings.ToLower(string(s.Kind))); err != nil || k != s.Kind {
			t.Errorf("ParseKind(%q) = %q, %v", s.Kind, k, err)
		}
		if !typeName.MatchString(s.Label) || !typeName.MatchString(s.GraphQLType) || !typeName.MatchString(s.FtMSchema) {
			t.Errorf("%s: label %q, GraphQL type %q, FtM schema %q", s.Kind, s.Label, s.GraphQLType, s.FtMSchema)
		}
		if s.Kind.Label() != s.Label || s.Label == "Entity" {
			t.Errorf("%s: Label() = %q", s.Kind, s.Kind.Label())
		}
		if labels[s.Label] || types[s.GraphQLType] || ftm[s.FtMSchema] {
			t.Errorf("%s: label, GraphQL type or FtM schema used twice", s.Kind)
		}
		labels[s.Label], types[s.GraphQLType], ftm[s.FtMSchema] = true, true, true
		if s.Description == "" || s.Title == "" || s.Plural == "" || s.Style.Shape == "" || !regexp.MustCompile(`^#[0-9a-f]{6}$`).MatchString(s.Style.Color) || s.Style.Icon == "" {
			t.Errorf("%s: description, plural or style missing: %+v", s.Kind, s)
		}
		checkFields(t, string(s.Kind), s.Fields, entityCoreFields, seen)
	}
	if Kind("SHIP").Valid() || Kind("").Label() != "" {
		t.Error("an unknown kind passes")
	}
}

func TestRegistryLinkTypes(t *testing.T) {
	seen := map[string]Field{}
	if len(LinkTypes) != len(LinkSpecs()) {
		t.Fatalf("LinkTypes has %d entries, the registry %d", len(LinkTypes), len(LinkSpecs()))
	}
	for i, s := range LinkSpecs() {
		if LinkTypes[i] != s.Type || !s.Type.Valid() || !enumName.MatchString(string(s.Type)) {
			t.Errorf("link type %d: %q", i, s.Type)
		}
		if lt, err := ParseLinkType(strings.ToLower(string(s.Type))); err != nil || lt != s.Type {
			t.Errorf("ParseLinkType(%q) = %q, %v", s.Type, lt, err)
		}
		if s.Description == "" || s.Source == "" || s.Target == "" || !typeName.MatchString(s.FtMSchema) {
			t.Errorf("%s: description, endpoints or FtM schema missing", s.Type)
		}
		// An FtM edge schema names both ends; an entity-property link names the property.
		if s.FtMProperty == "" && (s.FtMSource == "" || s.FtMTarget == "") {
			t.Errorf("%s: FtM endpoints missing", s.Type)
		}
		checkFields(t, string(s.Type), s.Fields, linkCoreFields, seen)
	}
}

// TestFieldValues checks each value type against values whose validity is
// known independently (ISO lists, published IBAN examples).
func TestFieldValues(t *testing.T) {
	pct, _ := LinkOwns.Spec()
	percentage, _ := pct.Field("percentage")
	person, _ := KindPerson.Spec()
	nat, _ := person.Field("nationalities")
	birth, _ := person.Field("birthDate")
	id, _ := KindIdentification.Spec()
	doc, _ := id.Field("documentType")
	acct, _ := KindBankAccount.Spec()
	iban, _ := acct.Field("iban")
	pays, _ := LinkPays.Spec()
	cur, _ := pays.Field("currency")
	for _, c := range []struct {
		f        Field
		in, want string // want "" means invalid
	}{
		{percentage, "50", "50"},
		{percentage, " 33.50 ", "33.5"},
		{percentage, "0", "0"},
		{percentage, "100", "100"},
		{percentage, "100.01", ""},
		{percentage, "-1", ""},
		{percentage, "half", ""},
		{percentage, "NaN", ""},
		{percentage, "", ""},
		{nat, "gb", "GB"},
		{nat, "GB; xk ;GB;", "GB; XK"},
		{nat, "UK", ""}, // not an ISO code (the UK is GB)
		{nat, "Albania", ""},
		{nat, ";", ""},
		{birth, "1980", "1980"},
		{birth, "1980-02", "1980-02"},
		{birth, "1980-02-29", "1980-02-29"},
		{birth, "1980-13", ""},
		{birth, "29/02/1980", ""},
		{doc, "passport", "PASSPORT"},
		{doc, "driving licence", "DRIVING_LICENCE"},
		{doc, "id-card", "ID_CARD"},
		{doc, "visa", ""},
		{iban, "GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"}, // the ECBS example
		{iban, "DE89370400440532013000", "DE89370400440532013000"},
		{iban, "GB83WEST12345698765432", ""}, // wrong check digits
		{iban, "12345", ""},
		{cur, "gbp", "GBP"},
		{cur, "£", ""},
		{cur, "EURO", ""},
	} {
		got, err := c.f.Normalize(c.in)
		if c.want == "" {
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.f.Name) || !strings.Contains(err.Error(), `"`+c.in+`"`) {
				t.Errorf("%s %q: err %v, want ErrInvalid naming the field and value", c.f.Name, c.in, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("%s %q = %q, %v; want %q", c.f.Name, c.in, got, err, c.want)
		}
	}
	for _, cc := range []string{"AL", "XK", "GB", "IR", "AE", "TR", "RS", "ME"} {
		if !IsCountryCode(cc) {
			t.Errorf("%s is a country code", cc)
		}
	}
	for _, cc := range []string{"UK", "EU", "XX", "gb", "G", "GBR"} {
		if IsCountryCode(cc) {
			t.Errorf("%s is not a country code", cc)
		}
	}
	if n := len(strings.Fields(countryCodes)); n != 250 { // 249 ISO 3166-1 codes and XK
		t.Errorf("%d country codes, want 250", n)
	}
}

func TestEntityTypedFields(t *testing.T) {
	e := Entity{ID: "person:a", Kind: KindPerson, Name: "A", Properties: map[string]string{
		"nationality": "al; gb", "birthDate": "1975", "hairColor": "brown",
	}}
	e.Normalize()
	if err := e.Validate(); err != nil {
		t.Fatal(err)
	}
	if e.Properties["nationality"] != "AL; GB" || e.Properties["hairColor"] != "brown" {
		t.Errorf("normalised properties %v", e.Properties)
	}
	e.Properties["birthDate"] = "yesterday"
	e.Normalize()
	err := e.Validate()
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "birthDate") || !strings.Contains(err.Error(), "yesterday") {
		t.Errorf("bad birthDate: %v", err)
	}
	// A property the kind does not declare is free: a company has no birthDate field.
	c := Entity{ID: "company:a", Kind: KindCompany, Name: "A", Properties: map[string]string{"birthDate": "n/a", "jurisdiction": "Narnia"}}
	c.Normalize()
	if err := c.Validate(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "jurisdiction") {
		t.Errorf("bad jurisdiction: %v", err)
	}
	delete(c.Properties, "jurisdiction")
	if err := c.Validate(); err != nil {
		t.Errorf("free property on a company: %v", err)
	}
}

func TestLinkTypedFields(t *testing.T) {
	l := Link{Type: LinkOwns, Source: "person:a", Target: "company:b", Properties: map[string]string{"percentage": "50.0", "sharesValue": "1000"}}
	l.Normalize()
	if err := l.Validate(); err != nil || l.Properties["percentage"] != "50" {
		t.Fatalf("%v %v", err, l.Properties)
	}
	l.Properties["percentage"] = "150"
	if err := l.Validate(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "percentage") || !strings.Contains(err.Error(), "150") {
		t.Errorf("percentage 150: %v", err)
	}
	p := Link{Type: LinkPays, Source: "a", Target: "b", Properties: map[string]string{"amount": "-5"}}
	p.Normalize()
	if err := p.Validate(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "amount") {
		t.Errorf("negative amount: %v", err)
	}
	// percentage is not an ASSOCIATE_OF field, so it is free text there.
	a := Link{Type: LinkAssociateOf, Source: "a", Target: "b", Properties: map[string]string{"percentage": "lots"}}
	a.Normalize()
	if err := a.Validate(); err != nil {
		t.Errorf("free property: %v", err)
	}
}
