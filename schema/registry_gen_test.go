package schema

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/graph-gophers/graphql-go/ast"

	"github.com/skein-project/skein/graph"
)

// The parts of the schema that follow graph's registry (the EntityKind and
// LinkType enums, one object type per kind with its typed fields, the typed
// fields of Link and of the inputs, and the resolver methods graphql-go needs
// for them) are generated from it. TestRegistryGenerated fails when the
// files and the registry disagree; -update rewrites them:
//
//	go test ./schema -run TestRegistryGenerated -update
//
//go:generate go test -run TestRegistryGenerated -update .

var update = flag.Bool("update", false, "rewrite the files generated from graph's registry")

const (
	genSDLFile = "registry.graphql"
	genGoFile  = "registry_gen.go"
	genHeader  = "Code generated from graph's registry by TestRegistryGenerated (go test ./schema -run TestRegistryGenerated -update); DO NOT EDIT."
)

func TestRegistryGenerated(t *testing.T) {
	entitySDL, err := os.ReadFile("entity.graphql")
	if err != nil {
		t.Fatal(err)
	}
	sdl, err := renderRegistrySDL(string(entitySDL))
	if err != nil {
		t.Fatal(err)
	}
	goSrc, err := renderRegistryGo()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		name string
		want []byte
	}{{genSDLFile, []byte(sdl)}, {genGoFile, goSrc}} {
		if *update {
			if err := os.WriteFile(f.name, f.want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(f.name)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, f.want) {
			t.Errorf("%s disagrees with graph's registry: run go generate ./schema", f.name)
		}
	}
}

// TestRegistryMatchesSchema checks the parsed schema itself, independently of
// the generator: every kind is an EntityKind value and an object type with
// its fields, every link type a LinkType value, every link field on Link.
func TestRegistryMatchesSchema(t *testing.T) {
	s, err := New(nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	a := s.gql.AST()
	enumValues := func(name string) []string {
		var out []string
		if e, ok := a.Types[name].(*ast.EnumTypeDefinition); ok {
			for _, ev := range e.EnumValuesDefinition {
				out = append(out, ev.EnumValue)
			}
		}
		return out
	}
	var kinds, linkTypes []string
	for _, k := range graph.Kinds {
		kinds = append(kinds, string(k))
	}
	for _, lt := range graph.LinkTypes {
		linkTypes = append(linkTypes, string(lt))
	}
	if got := enumValues("EntityKind"); !slices.Equal(got, kinds) {
		t.Errorf("EntityKind %v, registry %v", got, kinds)
	}
	if got := enumValues("LinkType"); !slices.Equal(got, linkTypes) {
		t.Errorf("LinkType %v, registry %v", got, linkTypes)
	}
	fieldsOf := func(typeName string) map[string]string {
		out := map[string]string{}
		if o, ok := a.Types[typeName].(*ast.ObjectTypeDefinition); ok {
			for _, f := range o.Fields {
				out[f.Name] = f.Type.String()
			}
		}
		return out
	}
	entityIface := map[string]bool{}
	for _, o := range a.Objects {
		for _, i := range o.Interfaces {
			if i.Name == "Entity" {
				entityIface[o.Name] = true
			}
		}
	}
	if len(entityIface) != len(graph.KindSpecs()) {
		t.Errorf("%d types implement Entity, the registry has %d kinds", len(entityIface), len(graph.KindSpecs()))
	}
	for _, k := range graph.KindSpecs() {
		fs := fieldsOf(k.GraphQLType)
		if !entityIface[k.GraphQLType] {
			t.Errorf("%s does not implement Entity", k.GraphQLType)
		}
		for _, f := range k.Fields {
			if got, want := fs[f.Name], gqlType(f, false); got != want {
				t.Errorf("%s.%s: %q, registry %q", k.GraphQLType, f.Name, got, want)
			}
		}
	}
	link := fieldsOf("Link")
	for _, lt := range graph.LinkSpecs() {
		for _, f := range lt.Fields {
			if got, want := link[f.Name], gqlType(f, false); got != want {
				t.Errorf("Link.%s: %q, registry %q", f.Name, got, want)
			}
		}
	}
}

// gqlType is the GraphQL type of a field's value, as output or input.
func gqlType(f graph.Field, input bool) string {
	base := "String"
	switch f.Type {
	case graph.ValueNumber:
		base = "Float"
	case graph.ValueEnum:
		base = f.Enum
	}
	if f.List {
		if input {
			return "[" + base + "!]"
		}
		return "[" + base + "!]!"
	}
	return base
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

var entityInterface = regexp.MustCompile(`(?s)\ninterface Entity \{\n(.*?)\n\}`)

// unionFields lists the fields of several specs once each, in first-seen
// order, with the owners that declare each.
type unionField struct {
	f      graph.Field
	owners []string
}

func union(specs [][]graph.Field, owners []string) []unionField {
	var out []unionField
	for i, fs := range specs {
	next:
		for _, f := range fs {
			for j := range out {
				if out[j].f.Name == f.Name {
					out[j].owners = append(out[j].owners, owners[i])
					continue next
				}
			}
			out = append(out, unionField{f: f, owners: []string{owners[i]}})
		}
	}
	return out
}

func entityUnion() []unionField {
	var fs [][]graph.Field
	var owners []string
	for _, k := range graph.KindSpecs() {
		fs, owners = append(fs, k.Fields), append(owners, k.GraphQLType)
	}
	return union(fs, owners)
}

func linkUnion() []unionField {
	var fs [][]graph.Field
	var owners []string
	for _, l := range graph.LinkSpecs() {
		fs, owners = append(fs, l.Fields), append(owners, string(l.Type))
	}
	return union(fs, owners)
}

func renderRegistrySDL(entitySDL string) (string, error) {
	m := entityInterface.FindStringSubmatch(entitySDL)
	if m == nil {
		return "", fmt.Errorf("entity.graphql has no interface Entity")
	}
	common := m[1]
	var b strings.Builder
	b.WriteString("# " + genHeader + "\n\n")
	b.WriteString("\"The kind of an entity (FollowTheMoney schema).\"\nenum EntityKind {\n")
	for _, k := range graph.KindSpecs() {
		fmt.Fprintf(&b, "  %s\n  %s\n", quote(k.Description), k.Kind)
	}
	b.WriteString("}\n\n\"The type of a link (a Neo4j relationship type).\"\nenum LinkType {\n")
	for _, l := range graph.LinkSpecs() {
		fmt.Fprintf(&b, "  %s\n  %s\n", quote(l.Description+" From the "+l.Source+" to the "+l.Target+"."), l.Type)
	}
	b.WriteString("}\n")
	done := map[string]bool{}
	for _, u := range append(entityUnion(), linkUnion()...) {
		if u.f.Type != graph.ValueEnum || done[u.f.Enum] {
			continue
		}
		done[u.f.Enum] = true
		fmt.Fprintf(&b, "\n%s\nenum %s {\n", quote(u.f.Description), u.f.Enum)
		for _, v := range u.f.Values {
			fmt.Fprintf(&b, "  %s\n  %s\n", quote(v.Description), v.Name)
		}
		b.WriteString("}\n")
	}
	for _, k := range graph.KindSpecs() {
		fmt.Fprintf(&b, "\n%s\ntype %s implements Entity {\n%s\n", quote(k.Description), k.GraphQLType, common)
		for _, f := range k.Fields {
			fmt.Fprintf(&b, "  %s\n  %s: %s\n", quote(strings.TrimSuffix(f.Description, ".")+" (FtM "+f.Property+")."), f.Name, gqlType(f, false))
		}
		b.WriteString("}\n")
	}
	ext := func(head string, fs []unionField, input bool) {
		fmt.Fprintf(&b, "\n%s {\n", head)
		for _, u := range fs {
			fmt.Fprintf(&b, "  %s\n  %s: %s\n", quote(strings.Join(u.owners, ", ")+": "+u.f.Description), u.f.Name, gqlType(u.f, input))
		}
		b.WriteString("}\n")
	}
	ext("extend type Link", linkUnion(), false)
	ext("extend input EntityInput", entityUnion(), true)
	ext("extend input LinkInput", linkUnion(), true)
	return b.String(), nil
}

func goName(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

func renderRegistryGo() ([]byte, error) {
	var b strings.Builder
	b.WriteString("// " + genHeader + "\n\npackage schema\n\n")
	b.WriteString("// The concrete type of an Entity, for graphql-go's interface resolution.\n")
	for _, k := range graph.KindSpecs() {
		fmt.Fprintf(&b, "func (r *entityResolver) To%s() (*entityResolver, bool) { return r, r.e.Kind == %q }\n", k.GraphQLType, k.Kind)
	}
	methods := func(recv string, fs []unionField) {
		for _, u := range fs {
			switch {
			case u.f.List:
				fmt.Fprintf(&b, "func (r *%s) %s() []string { return typedList(r.typed(%q)) }\n", recv, goName(u.f.Name), u.f.Name)
			case u.f.Type == graph.ValueNumber:
				fmt.Fprintf(&b, "func (r *%s) %s() *float64 { return typedNumber(r.typed(%q)) }\n", recv, goName(u.f.Name), u.f.Name)
			default:
				fmt.Fprintf(&b, "func (r *%s) %s() *string { return typedText(r.typed(%q)) }\n", recv, goName(u.f.Name), u.f.Name)
			}
		}
	}
	b.WriteString("\n// Typed fields of the kinds.\n")
	methods("entityResolver", entityUnion())
	b.WriteString("\n// Typed fields of the link types.\n")
	methods("linkResolver", linkUnion())
	input := func(name string, fs []unionField) {
		fmt.Fprintf(&b, "\n// %s holds the typed fields an input may give.\ntype %s struct {\n", name, name)
		for _, u := range fs {
			typ := "*string"
			switch {
			case u.f.List:
				typ = "*[]string"
			case u.f.Type == graph.ValueNumber:
				typ = "*float64"
			}
			fmt.Fprintf(&b, "%s %s\n", goName(u.f.Name), typ)
		}
		fmt.Fprintf(&b, "}\n\nfunc (in *%s) given() []givenField {\nreturn []givenField{\n", name)
		for _, u := range fs {
			kind := "text"
			switch {
			case u.f.List:
				kind = "list"
			case u.f.Type == graph.ValueNumber:
				kind = "number"
			}
			fmt.Fprintf(&b, "{name: %q, %s: in.%s},\n", u.f.Name, kind, goName(u.f.Name))
		}
		b.WriteString("}\n}\n")
	}
	input("entityFieldsInput", entityUnion())
	input("linkFieldsInput", linkUnion())
	return format.Source([]byte(b.String()))
}
