package schema

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/teststores"
	"github.com/skein-project/skein/graph/synth"
	"github.com/skein-project/skein/seed"
)

// The fast executor (fast_exec.go) against graphql-go: generated requests
// (random selections over Subgraph, Entity and its kinds, Link; aliases,
// repeated fields, named and inline fragments, variables with and without
// defaults, @include and @skip, __typename; bad ids, refused depths and
// limits, invalid documents, fields the fast executor leaves to
// graphql-go) go through two schemas over the same store, one with the
// fast executor and one without, and their HTTP answers must be the same
// bytes. Each request the fast executor answers must also charge the
// response budget exactly what graphql-go charges.

// diffRequests is the number of generated requests per store.
const diffRequests = 600

func TestFastExecutorMatchesGraphQLGo(t *testing.T) {
	teststores.Each(t, func(t *testing.T, s graph.Store) {
		ctx := context.Background()
		if err := seed.Load(ctx, s); err != nil {
			t.Fatal(err)
		}
		var ids []string
		words := []string{"krasniqi", "Krasniqi Network", "burim krasniqy", "trading", "clan", "arif"}
		err := synth.Generate(ctx, synth.Config{Entities: 400, Seed: 7}, func(b graph.Batch) error {
			for _, e := range b.Entities {
				ids = append(ids, e.ID)
				if len(words) < 40 {
					first, _, _ := strings.Cut(e.Name, " ")
					words = append(words, e.Name, first)
				}
			}
			return s.Upsert(ctx, b)
		})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids[:40], "person:burim-krasniqi", "organization:krasniqi-network", "person:arif-krasniqi",
			"nobody:missing", "")
		// Ids that share associates: the seed's family and network, and a
		// few synthetic ones (the first are the clans and companies, each
		// linked to many).
		shared := append(slices.Clip(ids[:6]), ids[40:43]...)
		var cursors []string
		fast, err := New(s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		slow, err := New(s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		slow.noFast = true
		// A small response budget, so that some answers stop on it.
		tightFast, _ := New(s, Options{MaxResponseBytes: 6000})
		tightSlow, _ := New(s, Options{MaxResponseBytes: 6000})
		tightSlow.noFast = true
		// Reads refused.
		deny := func(context.Context, Action) error { return ErrForbidden }
		denyFast, _ := New(s, Options{Authorize: deny})
		denySlow, _ := New(s, Options{Authorize: deny})
		denySlow.noFast = true

		n, seedOf := diffRequests, uint64(17)
		if strings.HasSuffix(t.Name(), "neo4j") {
			n /= 3 // each request is a few round trips
		}
		if v, err := strconv.Atoi(os.Getenv("SKEIN_FAST_DIFF_REQUESTS")); err == nil { // longer runs by hand
			n, seedOf = v, uint64(time.Now().UnixNano())
			t.Logf("seed %d", seedOf)
		}
		rng := rand.New(rand.NewPCG(seedOf, uint64(len(ids))))
		errorsSeen, fastErrors, pathsSeen, searchSeen, sharedSeen := 0, 0, 0, 0, 0
		replays := int64(0) // fast answers served a second time
		for i := range n {
			g := &queryGen{rng: rng, ids: ids, words: words, shared: shared, cursors: &cursors}
			body := g.request()
			a, b := fast, slow
			switch {
			case i%5 == 4:
				a, b = tightFast, tightSlow
			case i%23 == 0:
				a, b = denyFast, denySlow
			}
			before := a.fastRuns.Load()
			var got, want []byte
			if i%9 == 8 {
				got, want = serveGet(t, a, body), serveGet(t, b, body)
			} else {
				got, want = serveBody(a, body, i%7 == 0), serveBody(b, body, i%7 == 0)
			}
			ranFast := a.fastRuns.Load() > before
			if ranFast {
				// Served again, the text's document and plan are the
				// cached ones (doccache.go, keptPlans): the same answer.
				var again []byte
				if i%9 == 8 {
					again = serveGet(t, a, body)
				} else {
					again = serveBody(a, body, i%7 == 0)
				}
				replays++
				if !bytes.Equal(again, got) && !bytes.Equal(sortedErrors(t, again), sortedErrors(t, got)) {
					t.Fatalf("request %d served again differs\nrequest: %s\nfirst: %.600s\nagain: %.600s", i, body, got, again)
				}
			}
			if !ranFast || g.multi {
				// graphql-go runs root fields at once and lists their
				// errors as they come: compare those as a set too.
				// Both answers are graphql-go's, whose validation lists
				// some errors in map order: compare them as sets.
				got, want = sortedErrors(t, got), sortedErrors(t, want)
			}
			if !bytes.Equal(got, want) {
				at := 0
				for at < min(len(got), len(want)) && got[at] == want[at] {
					at++
				}
				from := max(0, at-300)
				t.Fatalf("request %d differs at byte %d\nrequest: %s\nfast:       ...%.600s\ngraphql-go: ...%.600s",
					i, at, body, got[from:], want[from:])
			}
			if ranFast {
				checkCharge(t, a, b, body)
				written := bytes.Contains(want, []byte(":[{"))
				switch {
				case bytes.Contains(body, []byte("paths(")) && written:
					pathsSeen++ // some path written
				case bytes.Contains(body, []byte("search(")) && written:
					searchSeen++ // some hit written
				case bytes.Contains(body, []byte("sharedAssociates(")) && written:
					sharedSeen++ // some associate written
				}
			}
			for _, m := range cursorPattern.FindAllSubmatch(want, -1) {
				if len(cursors) < 64 {
					cursors = append(cursors, string(m[1]))
				}
			}
			if bytes.Contains(want, []byte(`"errors"`)) {
				errorsSeen++
				if ranFast {
					fastErrors++
				}
			}
		}
		runs := fast.fastRuns.Load() + tightFast.fastRuns.Load() + denyFast.fastRuns.Load() - replays
		t.Logf("%d requests, %d answered by the fast executor (%d of them errors, %d with paths, %d with search hits, %d with shared associates), %d with errors",
			n, runs, fastErrors, pathsSeen, searchSeen, sharedSeen, errorsSeen)
		// The comparison means something only if every kind is common.
		if runs < int64(n/4) || runs > int64(n*9/10) || errorsSeen < n/10 || fastErrors < n/50 || pathsSeen < n/50 ||
			searchSeen < n/50 || sharedSeen < n/100 {
			t.Fatalf("the generator is off: %d fast answers (%d errors, %d paths, %d search, %d shared), %d with errors, of %d",
				runs, fastErrors, pathsSeen, searchSeen, sharedSeen, errorsSeen, n)
		}
	})
}

// cursorPattern finds the cursors of a search answer, which later
// requests page on.
var cursorPattern = regexp.MustCompile(`"[xyz]?(?:cursor|endCursor)":"([^"\\]+)"`)

// serveBody serves a POST body (as JSON, or as the GraphQL media type)
// and returns status, content type and body as one text.
func serveBody(s *Schema, body []byte, graphqlMedia bool) []byte {
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return serveReq(s, req, graphqlMedia)
}

// serveGet serves a POST body's request as GET with URL parameters.
func serveGet(t *testing.T, s *Schema, body []byte) []byte {
	var wire wireRequest
	if err := json.Unmarshal(body, &wire); err != nil {
		t.Fatal(err)
	}
	q := url.Values{"query": {wire.Query}}
	if len(wire.Variables) > 0 {
		q.Set("variables", string(wire.Variables))
	}
	if wire.OperationName != "" {
		q.Set("operationName", wire.OperationName)
	}
	return serveReq(s, httptest.NewRequest(http.MethodGet, "/graphql?"+q.Encode(), nil), false)
}

func serveReq(s *Schema, req *http.Request, graphqlMedia bool) []byte {
	if graphqlMedia {
		req.Header.Set("Accept", mediaGraphQLResponse)
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return fmt.Appendf(nil, "%d %s\n%s", rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes())
}

// sortedErrors is an answer (serveBody's) with its errors in a fixed order.
func sortedErrors(t *testing.T, answer []byte) []byte {
	t.Helper()
	head, body, _ := bytes.Cut(answer, []byte("\n"))
	var resp map[string]json.RawMessage
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatalf("%v: %s", err, answer)
	}
	var errs []json.RawMessage
	if e, ok := resp["errors"]; ok {
		if err := json.Unmarshal(e, &errs); err != nil {
			t.Fatal(err)
		}
	}
	slices.SortFunc(errs, func(a, b json.RawMessage) int { return bytes.Compare(a, b) })
	resp["errors"], _ = json.Marshal(errs)
	out, _ := json.Marshal(resp)
	return append(append(head, '\n'), out...)
}

// checkCharge compares what the request charges to its response budget on
// either executor, with a budget it cannot exceed.
func checkCharge(t *testing.T, fast, slow *Schema, body []byte) {
	t.Helper()
	var wire wireRequest
	if err := json.Unmarshal(body, &wire); err != nil {
		t.Fatal(err)
	}
	req := httpRequest{Query: wire.Query, OperationName: wire.OperationName}
	if len(wire.Variables) > 0 {
		if err := json.Unmarshal(wire.Variables, &req.Variables); err != nil {
			t.Fatal(err)
		}
	}
	charge := func(run func(ctx context.Context)) int64 {
		ctx, state := withRequest(context.Background(), http.MethodPost)
		state.budget = &budget{limit: 1 << 40, cancel: func() {}}
		run(ctx)
		return state.budget.used.Load()
	}
	doc, err := parseQuery(req.Query)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := fast.planFast(doc, req)
	if err != nil {
		t.Fatalf("answered fast, but not planned again: %v", err)
	}
	got := charge(func(ctx context.Context) {
		if _, err := fast.runFast(ctx, plan); err != nil {
			t.Fatal(err)
		}
	})
	want := charge(func(ctx context.Context) { slow.gql.Exec(ctx, req.Query, req.OperationName, req.Variables) })
	if got != want {
		t.Fatalf("the fast executor charges %d bytes, graphql-go %d\nrequest: %s", got, want, body)
	}
}

func TestAppendJSONStringIsEncodingJSON(t *testing.T) {
	cases := []string{"", "plain", `q"uote\back`, "<a href='x'>&amp;</a>", "\x00\x01\b\f\n\r\t\x1f\x7f",
		"Krasniqi – Ђорђе 日本", "bad \xff\xfe utf8", "\u2028\u2029", "\xe2\x80", "é\xc3"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		b := make([]byte, rng.IntN(12))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		cases = append(cases, string(b))
	}
	// Longer ASCII text with one byte of each class at every position:
	// safeASCII's words and their edges.
	for _, c := range []string{"\x00", "\x1f", " ", "\"", "\\", "<", ">", "&", "%", "=", "?", "\x7f", "\xff", "é", "\u2028"} {
		for n := range 26 {
			cases = append(cases, strings.Repeat("syn:", n/4)+"ab"[:n%3]+c+"person:12345678->syn:x")
		}
	}
	for _, s := range cases {
		want, _ := json.Marshal(s)
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	}
}

// queryGen writes one random request.
type queryGen struct {
	rng *rand.Rand
	ids []string
	// words are search texts (names and words of the graph); shared the
	// ids sharedAssociates mostly asks about; cursors those of earlier
	// answers, for after.
	words   []string
	shared  []string
	cursors *[]string
	vars    map[string]any
	decl    []string // variable definitions
	frags   []string // fragment definitions
	n       int      // names handed out
	multi   bool     // more than one root field
}

// entityRoot is an entity root field, which may select degree.
func (g *queryGen) entityRoot() string {
	id := jsonQuote(g.id())
	if g.chance(0.5) {
		id = g.variable("ID!", g.id(), false, "")
	}
	sel := g.entity(1)
	if g.chance(0.6) {
		sel += " " + g.pick("", "d: ", "e: ") + "degree" + g.when(true)
	}
	return g.pick("", "one: ") + "entity(id: " + id + ") { " + sel + " }"
}

// when is sometimes the arguments of a dated field (sanctioned, degree).
func (g *queryGen) when(during bool) string {
	switch {
	case g.chance(0.3):
		return "(asOf: " + jsonQuote(g.pick("2025-10-22", "2020", "bad", "2030-01")) + ")"
	case g.chance(0.2):
		return "(asOf: " + g.variable("Date", g.pick("2025-10-22", "2019"), g.chance(0.2), "") + ")"
	case during && g.chance(0.15):
		return `(during: {from: "2000", to: "2025"})`
	}
	return ""
}

func (g *queryGen) pick(xs ...string) string { return xs[g.rng.IntN(len(xs))] }

func (g *queryGen) chance(p float64) bool { return g.rng.Float64() < p }

// variable declares a variable of type typ holding v (or left out when
// absent), optionally with a default, and returns its reference.
func (g *queryGen) variable(typ string, v any, absent bool, def string) string {
	g.n++
	name := fmt.Sprintf("v%d", g.n)
	d := "$" + name + ": " + typ
	if def != "" {
		d += " = " + def
	}
	g.decl = append(g.decl, d)
	if !absent {
		g.vars[name] = v
	}
	return "$" + name
}

// uiNeighborhood is the chart's neighbourhood query (ui/src/api.ts).
const uiNeighborhood = `query Neighborhood($id: ID!, $limit: Int, $asOf: Date) {
      neighborhood(id: $id, depth: 1, limit: $limit, asOf: $asOf) { truncated nodes { id kind name sanctioned(asOf: $asOf) countries } links { id type role startDate endDate properties { key value } source { id } target { id } } }
      entity(id: $id) { degree(asOf: $asOf) }
    }`

func (g *queryGen) request() []byte {
	g.vars = map[string]any{}
	if g.chance(0.05) {
		g.multi = true
		vars := map[string]any{"id": g.id(), "limit": g.pick("500", "20"), "asOf": nil}
		if g.chance(0.5) {
			vars["asOf"] = g.pick("2025-10-22", "2020", "bad")
		}
		if vars["limit"] == "20" {
			vars["limit"] = 20
		} else {
			vars["limit"] = 500
		}
		body, _ := json.Marshal(map[string]any{"query": uiNeighborhood, "variables": vars})
		return body
	}
	root := g.root()
	switch {
	case g.chance(0.1):
		root += " stats { entities }" // a second root field: graphql-go's
	case g.chance(0.15):
		root += " " + g.entityRoot()
		g.multi = true
	case g.chance(0.08):
		root = g.entityRoot()
	case g.chance(0.05):
		root += " second: " + g.root()
		g.multi = true
	}
	switch {
	case g.chance(0.1):
		root = "... on Query" + g.directive() + " { " + root + " }"
	case g.chance(0.1):
		g.frags = append(g.frags, "fragment Root on Query { "+root+" }")
		root = "...Root" + g.directive()
	}
	var q strings.Builder
	opName := ""
	if len(g.decl) > 0 || g.chance(0.3) {
		opName = g.pick("", "Q", "Hub")
		q.WriteString("query " + opName)
		if len(g.decl) > 0 {
			q.WriteString("(" + strings.Join(g.decl, ", ") + ")")
		}
		q.WriteString(" ")
	}
	q.WriteString("{ " + root + " }")
	for _, f := range g.frags {
		q.WriteString("\n" + f)
	}
	if g.chance(0.03) {
		q.WriteString("\nquery Other { stats { links } }") // two operations
	}
	sent := map[string]any{"query": q.String(), "variables": g.vars}
	if opName != "" && g.chance(0.5) {
		sent["operationName"] = opName
	}
	if g.chance(0.02) {
		sent["operationName"] = "Nope"
	}
	body, _ := json.Marshal(sent)
	return body
}

// root is a neighborhood or paths field, sometimes twice under one name.
func (g *queryGen) root() string {
	alias := ""
	if g.chance(0.3) {
		alias = g.pick("hub", "n", "neighborhood", "paths", "search") + ": "
	}
	name, args, sel := "paths", "", g.path
	switch r := g.rng.Float64(); {
	case r < 0.3:
		args = g.pathsArgs()
	case r < 0.45:
		name, args, sel = "search", g.searchArgs(), g.connection
	case r < 0.57:
		name, args, sel = "sharedAssociates", g.sharedArgs(), func() string { return g.entity(2) }
	default:
		name, args, sel = "neighborhood", g.args(), g.subgraph
	}
	f := alias + name + "(" + args + ")" + g.directive() + " { " + sel() + " }"
	if g.chance(0.15) {
		f += " " + alias + name + "(" + args + ") { " + sel() + " }"
	}
	return f
}

func (g *queryGen) id() string { return g.ids[g.rng.IntN(len(g.ids))] }

func (g *queryGen) pathsArgs() string {
	var as []string
	for _, name := range []string{"from", "to"} {
		id := g.id()
		if g.chance(0.6) {
			id = g.ids[g.rng.IntN(8)] // a few, so that many pairs are linked
		}
		if g.chance(0.5) {
			as = append(as, name+": "+g.variable("ID!", id, false, ""))
		} else {
			as = append(as, name+": "+jsonQuote(id))
		}
	}
	for _, arg := range []struct {
		name string
		vals []any
	}{{"maxHops", []any{1, 2, 3, 4, 6, 0, 7, nil}}, {"limit", []any{1, 3, 10, 100, 0, 101, nil}}} {
		if !g.chance(0.5) {
			continue
		}
		name, v := arg.name, arg.vals[g.rng.IntN(len(arg.vals))]
		switch {
		case g.chance(0.4):
			as = append(as, name+": "+g.variable("Int", v, g.chance(0.15), ""))
		case v == nil:
			as = append(as, name+": null")
		default:
			as = append(as, fmt.Sprintf("%s: %v", name, v))
		}
	}
	for _, name := range []string{"weighted", "chronological"} {
		if !g.chance(0.2) {
			continue
		}
		b := g.chance(0.5)
		if g.chance(0.5) {
			as = append(as, name+": "+g.variable("Boolean", b, g.chance(0.2), ""))
		} else {
			as = append(as, fmt.Sprintf("%s: %v", name, b))
		}
	}
	if g.chance(0.2) {
		as = append(as, "linkTypes: ["+g.pick("MEMBER_OF", "ASSOCIATE_OF", "OWNS")+"]")
	}
	if g.chance(0.1) {
		as = append(as, "asOf: "+jsonQuote(g.pick("2020", "2025-10-22", "bad")))
	}
	g.rng.Shuffle(len(as), func(i, j int) { as[i], as[j] = as[j], as[i] })
	return strings.Join(as, ", ")
}

func (g *queryGen) path() string {
	s := g.fields([]string{"nodes", "links", "length", "__typename", "length", "links"}, func(f string) string {
		switch f {
		case "nodes":
			return g.entity(2)
		case "links":
			return g.link()
		}
		return ""
	})
	if g.chance(0.1) {
		s += " ... on Path { length }"
	}
	return s
}

func (g *queryGen) args() string {
	var as []string
	id := g.ids[g.rng.IntN(len(g.ids))]
	switch {
	case g.chance(0.5):
		as = append(as, "id: "+g.variable("ID!", id, false, ""))
	case g.chance(0.05):
		as = append(as, "id: 12") // an Int literal for an ID
	case g.chance(0.05):
		as = append(as, `id: "person:burim-krasniq\u0069"`) // an escape
	case g.chance(0.03):
		as = append(as, `id: """person:burim-krasniqi"""`) // a block string
	case g.chance(0.03):
		as = append(as, "id: \"person:burim-krasniqi\u0301\"") // normalized by graphql-go's lexer
	default:
		as = append(as, "id: "+jsonQuote(id))
	}
	as = g.intArg(as, "depth", 0, 1, 1, 2, 3, nil, -1, 7)
	as = g.intArg(as, "limit", 1, 3, 10, 50, 500, 0, 6000, nil, 2.5)
	as = g.enumArg(as, "linkTypes", "LinkType", "MEMBER_OF", "ASSOCIATE_OF", "OWNS", "DIRECTOR_OF", "FAMILY_OF")
	as = g.enumArg(as, "kinds", "EntityKind", "PERSON", "ORGANIZATION", "COMPANY")
	as = g.whenArg(as)
	g.rng.Shuffle(len(as), func(i, j int) { as[i], as[j] = as[j], as[i] })
	return strings.Join(as, ", ")
}

// intArg sometimes appends an Int argument holding one of vals, as a
// literal or a variable (with or without a default, sometimes absent).
func (g *queryGen) intArg(as []string, name string, vals ...any) []string {
	if !g.chance(0.6) {
		return as
	}
	v := vals[g.rng.IntN(len(vals))]
	switch {
	case g.chance(0.4):
		def := ""
		if g.chance(0.3) {
			def = "2"
		}
		return append(as, name+": "+g.variable("Int", v, g.chance(0.15), def))
	case v == nil:
		return append(as, name+": null")
	default:
		return append(as, fmt.Sprintf("%s: %v", name, v))
	}
}

// enumArg sometimes appends a list of enum values of type typ: a
// variable, a single value or a list literal.
func (g *queryGen) enumArg(as []string, name, typ string, vals ...string) []string {
	if !g.chance(0.25) {
		return as
	}
	n := g.rng.IntN(3)
	pickN := make([]string, n)
	for i := range pickN {
		pickN[i] = vals[g.rng.IntN(len(vals))]
	}
	switch {
	case g.chance(0.4):
		list := make([]any, n)
		for i, v := range pickN {
			list[i] = v
		}
		return append(as, name+": "+g.variable("["+typ+"!]", list, false, ""))
	case n == 1 && g.chance(0.5):
		return append(as, name+": "+pickN[0])
	default:
		return append(as, name+": ["+strings.Join(pickN, ", ")+"]")
	}
}

// whenArg sometimes appends asOf or during, some of them refused.
func (g *queryGen) whenArg(as []string) []string {
	switch {
	case g.chance(0.15):
		d := g.pick("2020", "2025-10-22", "1999-01", "not a date", "2030")
		if g.chance(0.5) {
			return append(as, "asOf: "+g.variable("Date", d, false, ""))
		}
		return append(as, "asOf: "+jsonQuote(d))
	case g.chance(0.08):
		return append(as, fmt.Sprintf("during: {from: %s, to: %s}", jsonQuote(g.pick("2000", "2019-05")), jsonQuote(g.pick("2024", "2026-01-01"))))
	case g.chance(0.05):
		return append(as, "during: "+g.variable("DateRange", map[string]any{"from": g.pick("2000", "2021-02-30")}, false, ""))
	}
	return as
}

// searchArgs are search's: names and words of the graph (some with a
// typo), texts with no match, texts refused (empty, no letters, too
// long), kinds, first in and out of range, and after as cursors of
// earlier answers, refused cursors or null.
func (g *queryGen) searchArgs() string {
	var as []string
	var q string
	switch {
	case g.chance(0.75):
		q = g.words[g.rng.IntN(len(g.words))]
		if g.chance(0.2) && len(q) > 4 {
			q = q[:len(q)-1] + "x" // a typo
		}
	default:
		q = g.pick("zzqxv", "", "   ", "!!", strings.Repeat("krasniqi ", 30), `<b>"Krasniqi" & co</b>`, "krasniqi\tnetwork")
	}
	if g.chance(0.5) {
		as = append(as, "query: "+g.variable("String!", q, false, ""))
	} else {
		as = append(as, "query: "+jsonQuote(q))
	}
	as = g.intArg(as, "first", 1, 2, 3, 20, 100, 0, 101, -1, nil)
	as = g.enumArg(as, "kinds", "EntityKind", "PERSON", "ORGANIZATION", "COMPANY")
	if g.chance(0.3) {
		var after any
		switch {
		case len(*g.cursors) > 0 && g.chance(0.7):
			after = (*g.cursors)[g.rng.IntN(len(*g.cursors))]
		case g.chance(0.5):
			after = g.pick("bad", "", "eyJ4IjoxfQ")
		}
		switch {
		case g.chance(0.5):
			as = append(as, "after: "+g.variable("String", after, g.chance(0.1), ""))
		case after == nil:
			as = append(as, "after: null")
		default:
			as = append(as, "after: "+jsonQuote(after.(string)))
		}
	}
	g.rng.Shuffle(len(as), func(i, j int) { as[i], as[j] = as[j], as[i] })
	return strings.Join(as, ", ")
}

// sharedArgs are sharedAssociates': mostly two or three ids of entities
// that share some (the seed's and a few linked ones), sometimes one id,
// none, a repeated id, an unknown or refused one, a single value for the
// list; depth in and out of range; asOf and during.
func (g *queryGen) sharedArgs() string {
	var as []string
	n := 2
	switch {
	case g.chance(0.25):
		n = 3
	case g.chance(0.1):
		n = 1
	case g.chance(0.03):
		n = 0
	}
	list := make([]any, n)
	lits := make([]string, n)
	for i := range list {
		id := g.shared[g.rng.IntN(len(g.shared))]
		if g.chance(0.15) {
			id = g.id()
		}
		list[i], lits[i] = id, jsonQuote(id)
	}
	switch {
	case g.chance(0.4):
		as = append(as, "ids: "+g.variable("[ID!]!", list, false, ""))
	case n == 1 && g.chance(0.5):
		as = append(as, "ids: "+lits[0])
	default:
		as = append(as, "ids: ["+strings.Join(lits, ", ")+"]")
	}
	as = g.intArg(as, "depth", 1, 1, 2, 3, 0, 4, nil)
	as = g.whenArg(as)
	g.rng.Shuffle(len(as), func(i, j int) { as[i], as[j] = as[j], as[i] })
	return strings.Join(as, ", ")
}

// connection is a selection of a search connection: its nodes, edges
// (node, cursor, score), pageInfo and totalCount.
func (g *queryGen) connection() string {
	fields := []string{"nodes", "edges", "pageInfo", "totalCount", "__typename", "nodes", "edges"}
	if g.chance(0.03) {
		fields = append(fields, "notAField") // a validation error
	}
	s := g.fields(fields, func(f string) string {
		switch f {
		case "nodes":
			return g.entity(2)
		case "edges":
			return g.fields([]string{"node", "cursor", "score", "__typename", "node"}, func(f string) string {
				if f == "node" {
					return g.entity(1)
				}
				return ""
			})
		case "pageInfo":
			return g.fields([]string{"hasNextPage", "endCursor", "__typename"}, nil)
		}
		return ""
	})
	if g.chance(0.1) {
		s += " ... on EntityConnection { totalCount pageInfo { endCursor } }"
	}
	if g.chance(0.04) {
		s += " nodes { links { id } }" // graphql-go's
	}
	return s
}

// directive is sometimes an @include or @skip, on a literal or a variable.
func (g *queryGen) directive() string {
	if !g.chance(0.12) {
		return ""
	}
	d := g.pick("include", "skip")
	b := g.chance(0.5)
	if g.chance(0.5) {
		return fmt.Sprintf(" @%s(if: %s)", d, g.variable("Boolean!", b, false, ""))
	}
	return fmt.Sprintf(" @%s(if: %v)", d, b)
}

// fields writes a random selection of fields, each sometimes aliased,
// repeated or carrying a directive; nested objects get sub-selections.
func (g *queryGen) fields(fields []string, nested func(name string) string) string {
	var out []string
	n := 1 + g.rng.IntN(len(fields))
	for range n {
		f := fields[g.rng.IntN(len(fields))]
		s := f
		if g.chance(0.15) {
			s = g.pick("a", "x"+f, "y"+f, "z"+f) + ": " + f
		}
		s += g.directive()
		if nested != nil {
			if sub := nested(f); sub != "" {
				s += " { " + sub + " }"
			}
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func (g *queryGen) subgraph() string {
	fields := []string{"nodes", "links", "truncated", "__typename", "nodes", "links"}
	if g.chance(0.03) {
		fields = append(fields, "notAField") // a validation error
	}
	s := g.fields(fields, func(f string) string {
		switch f {
		case "nodes":
			return g.entity(2)
		case "links":
			return g.link()
		}
		return ""
	})
	if g.chance(0.1) {
		s += " ... on Subgraph { truncated }"
	}
	if g.chance(0.1) {
		g.n++
		name := fmt.Sprintf("S%d", g.n)
		g.frags = append(g.frags, "fragment "+name+" on Subgraph { links { "+g.link()+" } nodes { "+g.entity(1)+" } }")
		s += " ..." + name + g.directive()
	}
	return s
}

var entityFieldNames = []string{"id", "kind", "name", "aliases", "countries", "description", "__typename", "id", "name"}

// entity writes an entity selection; depth bounds its fragments.
func (g *queryGen) entity(depth int) string {
	fields := entityFieldNames
	if g.chance(0.05) {
		fields = append(slices.Clip(fields), "degree") // graphql-go's
	}
	s := g.fields(fields, nil)
	if g.chance(0.15) {
		s += " " + g.pick("", "xs: ") + "sanctioned" + g.when(false)
	}
	if g.chance(0.1) {
		s += " properties { " + g.fields([]string{"key", "value", "__typename"}, nil) + " }"
	}
	if depth > 0 && g.chance(0.35) {
		typ := g.pick("Person", "Organization", "Company", "Entity", "Vessel")
		inner := g.fields(entityFieldNames, nil)
		if g.chance(0.05) && typ == "Person" {
			inner += " birthDate" // a kind's own field: graphql-go's
		}
		if g.chance(0.5) {
			s += " ... on " + typ + g.directive() + " { " + inner + " }"
		} else {
			g.n++
			name := fmt.Sprintf("F%d", g.n)
			g.frags = append(g.frags, "fragment "+name+" on "+typ+" { "+inner+" }")
			s += " ..." + name + g.directive()
		}
	}
	if depth > 0 && g.chance(0.05) {
		s += " ... { " + g.entity(depth-1) + " }"
	}
	return s
}

func (g *queryGen) link() string {
	fields := []string{"id", "type", "source", "target", "role", "description", "startDate", "endDate", "weight", "__typename", "id", "source"}
	s := g.fields(fields, func(f string) string {
		if f == "source" || f == "target" {
			return g.entity(1)
		}
		return ""
	})
	if g.chance(0.15) {
		s += " properties { " + g.fields([]string{"key", "value", "__typename"}, nil) + " }"
	}
	if g.chance(0.08) {
		g.n++
		name := fmt.Sprintf("L%d", g.n)
		g.frags = append(g.frags, "fragment "+name+" on Link { id source { id } }")
		s += " ..." + name
	}
	return s
}

// jsonQuote is s as a GraphQL string literal (JSON's escapes are GraphQL's).
func jsonQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// endlessStore answers neighbourhoods without their last node, so that a
// link's endpoint is missing from the nodes: the fast executor leaves such
// an answer to graphql-go after the store call, with the budget as it was.
type endlessStore struct{ graph.Store }

func (s endlessStore) Neighborhood(ctx context.Context, q graph.NeighborhoodQuery) (graph.Subgraph, error) {
	sg, err := s.Store.Neighborhood(ctx, q)
	if len(sg.Nodes) > 1 {
		sg.Nodes = sg.Nodes[:len(sg.Nodes)-1]
	}
	if c := sg.NodeColumns; c.Len() > 1 { // the embedded store's columns
		n := c.Len() - 1
		cut := graph.EntityColumns{IDs: c.IDs[:n]}
		if len(c.Kinds) > 0 {
			cut.Kinds = c.Kinds[:n]
		}
		if len(c.Names) > 0 {
			cut.Names = c.Names[:n]
		}
		sg.NodeColumns = &cut
	}
	return sg, err
}

func TestFastExecutorLeavesMissingEndpoints(t *testing.T) {
	s := teststores.Embedded(t)
	if err := seed.Load(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	fast, err := New(endlessStore{s}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	slow, _ := New(endlessStore{s}, Options{})
	slow.noFast = true
	body, _ := json.Marshal(map[string]any{"query": `{ neighborhood(id: "organization:krasniqi-network") { nodes { id } links { id source { id } target { name } } } }`})
	got, want := serveBody(fast, body, false), serveBody(slow, body, false)
	if !bytes.Equal(got, want) || !bytes.Contains(want, []byte("non-null")) {
		t.Fatalf("fast:\n%s\ngraphql-go:\n%s", got, want)
	}
	if n := fast.fastRuns.Load(); n != 0 {
		t.Fatalf("the fast executor answered %d requests", n)
	}
	ctx, state := withRequest(context.Background(), http.MethodPost)
	state.budget = &budget{limit: 1 << 40, cancel: func() {}}
	q := `{ neighborhood(id: "organization:krasniqi-network") { links { source { id } } } }`
	doc, err := parseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := fast.fastExec(ctx, httpRequest{Query: q}, doc); ok || state.budget.used.Load() != 0 {
		t.Fatalf("answered %v, %d bytes left charged", ok, state.budget.used.Load())
	}
	// Without endpoints selected, the fast executor answers.
	body, _ = json.Marshal(map[string]any{"query": `{ neighborhood(id: "organization:krasniqi-network") { nodes { id } links { id } } }`})
	if got, want := serveBody(fast, body, false), serveBody(slow, body, false); !bytes.Equal(got, want) || fast.fastRuns.Load() != 1 {
		t.Fatalf("fast (%d runs):\n%s\ngraphql-go:\n%s", fast.fastRuns.Load(), got, want)
	}
}

// TestFastExecutorConcurrent serves different neighbourhoods from many
// goroutines at once through one schema, whose answer buffers are reused
// across requests: each answer must be the one served alone.
func TestFastExecutorConcurrent(t *testing.T) {
	s := teststores.Embedded(t)
	ctx := context.Background()
	var ids []string
	err := synth.Generate(ctx, synth.Config{Entities: 300, Seed: 3}, func(b graph.Batch) error {
		for _, e := range b.Entities {
			ids = append(ids, e.ID)
		}
		return s.Upsert(ctx, b)
	})
	if err != nil {
		t.Fatal(err)
	}
	sch, err := New(s, Options{MaxExecuting: -1})
	if err != nil {
		t.Fatal(err)
	}
	ids = ids[:24]
	bodies := make([][]byte, len(ids))
	want := make([][]byte, len(ids))
	for i, id := range ids {
		bodies[i], _ = json.Marshal(map[string]any{
			"query":     `query($id: ID!) { neighborhood(id: $id, depth: 2) { nodes { id name kind } links { id type source { id } target { id name } } } }`,
			"variables": map[string]any{"id": id},
		})
		want[i] = serveBody(sch, bodies[i], false)
	}
	done := make(chan error)
	for w := range 8 {
		go func() {
			for k := range 30 {
				i := (w*7 + k) % len(ids)
				if got := serveBody(sch, bodies[i], false); !bytes.Equal(got, want[i]) {
					done <- fmt.Errorf("%s: concurrent answer differs:\n%.300s\nalone:\n%.300s", ids[i], got, want[i])
					return
				}
			}
			done <- nil
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if sch.fastRuns.Load() < int64(len(ids)) {
		t.Fatalf("the fast executor answered %d requests", sch.fastRuns.Load())
	}
}

// TestFastExecutorLeavesNonASCII: graphql-go's lexer normalizes the query
// text (NFC), so that "i" and a combining acute in a literal read as "í";
// the fast executor, whose parser reads the bytes as they are, leaves any
// query with non-ASCII text to graphql-go.
func TestFastExecutorLeavesNonASCII(t *testing.T) {
	sch, err := New(teststores.Embedded(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		"{ neighborhood(id: \"person:krasniqi\u0301\") { nodes { id } } }",
		"{ neighborhood(id: \"person:krasniq\u00ed\") { nodes { id } } }",
		"{ neighborhood(id: \"x\") { nodes { id } } } # \u00e9",
	} {
		doc, err := parseQuery(q)
		if err != nil {
			t.Fatal(err)
		}
		ctx, _ := withRequest(context.Background(), http.MethodPost)
		if _, ok := sch.fastExec(ctx, httpRequest{Query: q}, doc); ok {
			t.Errorf("answered fast: %s", q)
		}
	}
	q := `{ neighborhood(id: "x") { nodes { id } } }`
	doc, _ := parseQuery(q)
	ctx, _ := withRequest(context.Background(), http.MethodPost)
	if _, ok := sch.fastExec(ctx, httpRequest{Query: q}, doc); !ok {
		t.Errorf("not answered fast: %s", q)
	}
}

// TestFastExecutorUIQuery: the chart's neighbourhood query (two root
// fields, sanctioned and degree as of a date, links' properties) is the
// fast executor's, with graphql-go's answer, on both stores.
func TestFastExecutorUIQuery(t *testing.T) {
	teststores.Each(t, func(t *testing.T, s graph.Store) {
		if err := seed.Load(context.Background(), s); err != nil {
			t.Fatal(err)
		}
		fast, err := New(s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		slow, _ := New(s, Options{})
		slow.noFast = true
		for _, id := range []string{"person:burim-krasniqi", "organization:krasniqi-network", "nobody:missing"} {
			for _, asOf := range []any{nil, "2025-10-22", "2025-10-21", "bad"} {
				body, _ := json.Marshal(map[string]any{"query": uiNeighborhood, "variables": map[string]any{"id": id, "limit": 500, "asOf": asOf}})
				before := fast.fastRuns.Load()
				got, want := serveBody(fast, body, false), serveBody(slow, body, false)
				// A date sanctioned refuses is reported per entity, in
				// graphql-go's order: graphql-go's.
				if ranFast := fast.fastRuns.Load() > before; ranFast != (asOf != "bad") {
					t.Errorf("%s as of %v: answered fast %v", id, asOf, ranFast)
				}
				if got, want = sortedErrors(t, got), sortedErrors(t, want); !bytes.Equal(got, want) {
					t.Errorf("%s as of %v:\nfast:       %.1500s\ngraphql-go: %.1500s", id, asOf, got, want)
				}
			}
		}
	})
}
