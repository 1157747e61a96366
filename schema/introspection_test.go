package schema

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
)

// contract is the GraphQL contract of design.md: root fields with their
// full signatures, other types with their field names.
var contract = []string{
	"Query.entity(id: ID!): Entity",
	"Query.search(query: String!, kinds: [EntityKind!], first: Int = 20, after: String): EntityConnection!",
	"Query.neighborhood(id: ID!, depth: Int = 1, linkTypes: [LinkType!], kinds: [EntityKind!], limit: Int = 500): Subgraph!",
	"Query.paths(from: ID!, to: ID!, maxHops: Int = 4, linkTypes: [LinkType!], limit: Int = 10): [Path!]!",
	"Query.sharedAssociates(ids: [ID!]!, depth: Int = 1): [Entity!]!",
	"Query.centrality(metric: CentralityMetric!, ids: [ID!], depth: Int = 2, top: Int = 20): [EntityScore!]!",
	"Query.communities(ids: [ID!], depth: Int = 2): [Community!]!",
	"Query.sanctionsExposure(id: ID!, maxHops: Int = 3): [Exposure!]!",
	"Query.stats: GraphStats!",
	"Mutation.upsertEntities(input: [EntityInput!]!): [Entity!]!",
	"Mutation.upsertLinks(input: [LinkInput!]!): [Link!]!",
	"Mutation.deleteEntity(id: ID!): Boolean!",
	"Mutation.deleteLink(id: ID!): Boolean!",
	"Mutation.mergeEntities(keep: ID!, merge: [ID!]!): Entity!",
	"Subgraph.nodes: [Entity!]!",
	"Subgraph.links: [Link!]!",
	"Subgraph.truncated: Boolean!",
	"Community.members: [Entity!]!",
}

var contractFields = map[string][]string{
	"Entity":           {"id", "kind", "name", "aliases", "countries", "description", "sources", "designations", "links", "degree"},
	"Person":           {"id", "kind", "name", "aliases", "countries", "description", "sources", "designations", "links", "degree"},
	"Organization":     {"id", "kind", "name", "aliases", "countries", "description", "sources", "designations", "links", "degree"},
	"Company":          {"id", "kind", "name", "aliases", "countries", "description", "sources", "designations", "links", "degree"},
	"Link":             {"id", "type", "source", "target", "role", "description", "startDate", "endDate", "sources"},
	"Designation":      {"regime", "authority", "listedOn", "measures", "reason"},
	"SourceRef":        {"document", "quote"},
	"EntityConnection": {"nodes", "edges", "pageInfo", "totalCount"},
	"EntityEdge":       {"node", "cursor"},
	"PageInfo":         {"hasNextPage", "endCursor"},
	"Path":             {"nodes", "links", "length"},
	"EntityScore":      {"entity", "score"},
	"Community":        {"id", "members"},
	"Exposure":         {"entity", "designation", "path"},
	"GraphStats":       {"entities", "links", "byKind", "byLinkType"},
	"KindCount":        {"kind", "count"},
	"LinkTypeCount":    {"type", "count"},
}

const introspectionQuery = `{ __schema {
	queryType { name } mutationType { name }
	types {
		name kind
		interfaces { name }
		enumValues { name }
		fields { name args { name defaultValue type { ...T } } type { ...T } }
	}
} }
fragment T on __Type { kind name ofType { kind name ofType { kind name ofType { kind name } } } }`

type typeRef struct {
	Kind   string
	Name   string
	OfType *typeRef
}

func (t *typeRef) String() string {
	switch t.Kind {
	case "NON_NULL":
		return t.OfType.String() + "!"
	case "LIST":
		return "[" + t.OfType.String() + "]"
	}
	return t.Name
}

func TestIntrospectionHasContract(t *testing.T) {
	eachServer(t, Options{}, func(t *testing.T, srv *server) {
		type schemaData struct {
			Schema struct {
				QueryType, MutationType struct{ Name string }
				Types                   []struct {
					Name, Kind string
					Interfaces []struct{ Name string }
					EnumValues []struct{ Name string }
					Fields     []struct {
						Name string
						Args []struct {
							Name         string
							DefaultValue *string
							Type         typeRef
						}
						Type typeRef
					}
				}
			} `json:"__schema"`
		}
		// Introspection is a read: it works over GET too.
		got := decode[schemaData](t, srv.get(introspectionQuery, nil)).Schema
		if got.QueryType.Name != "Query" || got.MutationType.Name != "Mutation" {
			t.Fatalf("roots %+v %+v", got.QueryType, got.MutationType)
		}
		sigs := map[string]bool{}
		fields := map[string][]string{}
		enums := map[string][]string{}
		interfaces := map[string][]string{}
		for _, ty := range got.Types {
			for _, i := range ty.Interfaces {
				interfaces[ty.Name] = append(interfaces[ty.Name], i.Name)
			}
			for _, v := range ty.EnumValues {
				enums[ty.Name] = append(enums[ty.Name], v.Name)
			}
			for _, f := range ty.Fields {
				fields[ty.Name] = append(fields[ty.Name], f.Name)
				var args []string
				for _, a := range f.Args {
					s := a.Name + ": " + a.Type.String()
					if a.DefaultValue != nil {
						s += " = " + *a.DefaultValue
					}
					args = append(args, s)
				}
				sig := ty.Name + "." + f.Name
				if len(args) > 0 {
					sig += "(" + strings.Join(args, ", ") + ")"
				}
				sigs[sig+": "+f.Type.String()] = true
			}
		}
		for _, c := range contract {
			if !sigs[c] && !slices.ContainsFunc(slices.Collect(maps.Keys(sigs)), func(s string) bool { return extends(s, c) }) {
				name, _, _ := strings.Cut(c, "(")
				name, _, _ = strings.Cut(name, ":")
				var near []string
				for s := range sigs {
					if strings.HasPrefix(s, name+"(") || strings.HasPrefix(s, name+":") {
						near = append(near, s)
					}
				}
				t.Errorf("missing %s (schema has %v)", c, near)
			}
		}
		for ty, want := range contractFields {
			for _, f := range want {
				if !slices.Contains(fields[ty], f) {
					t.Errorf("type %s lacks field %s", ty, f)
				}
			}
		}
		for _, ty := range []string{"Person", "Organization", "Company"} {
			if !slices.Equal(interfaces[ty], []string{"Entity"}) {
				t.Errorf("%s implements %v, want Entity", ty, interfaces[ty])
			}
		}
		wantEnums := map[string][]string{
			// The enums follow the domain package, in its order.
			"EntityKind":       strs(graph.Kinds),
			"LinkType":         strs(graph.LinkTypes),
			"Direction":        {"BOTH", "OUTGOING", "INCOMING"},
			"CentralityMetric": {"DEGREE", "BETWEENNESS", "CLOSENESS", "PAGERANK", "EIGENVECTOR", "CORE_NUMBER", "CONSTRAINT", "EFFECTIVE_SIZE", "HARMONIC"},
		}
		for e, want := range wantEnums {
			if !slices.Equal(enums[e], want) {
				t.Errorf("enum %s = %v, want %v", e, enums[e], want)
			}
		}
	})
}

// extends reports whether sig is the contract signature c with optional
// arguments added at the end, which keeps every query written against c
// valid.
func extends(sig, c string) bool {
	head, tail, ok := strings.Cut(c, "): ")
	if !ok || !strings.HasPrefix(sig, head+", ") || !strings.HasSuffix(sig, "): "+tail) {
		return false
	}
	extra := strings.TrimSuffix(strings.TrimPrefix(sig, head+", "), "): "+tail)
	for a := range strings.SplitSeq(extra, ", ") {
		typ, _, _ := strings.Cut(a, " = ")
		if strings.HasSuffix(typ, "!") {
			return false // a required argument would break existing queries
		}
	}
	return true
}

func strs[T ~string](in []T) []string {
	out := make([]string, len(in))
	for i, v := range in {
		out[i] = string(v)
	}
	return out
}
