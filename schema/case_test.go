package schema

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest/teststores"
	"github.com/skein-project/skein/seed"
)

type actorKey struct{}

// caseServer serves the schema over a seeded store; each request runs as
// the principal "role:name" of its X-Actor header.
type caseServer struct {
	t     *testing.T
	url   string
	store graph.Store
}

func newCaseServer(t *testing.T, s graph.Store) *caseServer {
	t.Helper()
	if err := seed.Load(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	rank := map[string]int{"viewer": 1, "analyst": 2, "editor": 3, "admin": 4}
	need := map[Action]int{ActionRead: 1, ActionAnalyze: 2, ActionWrite: 3, ActionAdmin: 4, ActionAudit: 4}
	sch, err := New(s, Options{
		Principal: func(ctx context.Context) Principal {
			p, _ := ctx.Value(actorKey{}).(Principal)
			return p
		},
		Authorize: func(ctx context.Context, a Action) error {
			p, _ := ctx.Value(actorKey{}).(Principal)
			if rank[p.Role] < need[a] {
				return fmt.Errorf("%s may not %s: %w", p.Role, a, ErrForbidden)
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		role, name, _ := strings.Cut(r.Header.Get("X-Actor"), ":")
		ctx := context.WithValue(r.Context(), actorKey{}, Principal{ID: role + ":" + name, Role: role})
		sch.ServeHTTP(w, r.WithContext(ctx))
	}))
	t.Cleanup(hs.Close)
	return &caseServer{t: t, url: hs.URL, store: s}
}

// as sends a GraphQL request as actor and decodes data into out (when not
// nil); it returns the error codes.
func (cs *caseServer) as(actor, query string, vars map[string]any, out any) []string {
	cs.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequest(http.MethodPost, cs.url, bytes.NewReader(body))
	if err != nil {
		cs.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Actor", actor)
	srv := &server{t: cs.t}
	res := srv.do(req)
	if out != nil && len(res.Data) > 0 && string(res.Data) != "null" {
		if err := json.Unmarshal(res.Data, out); err != nil {
			cs.t.Fatalf("decode %s: %v", res.Data, err)
		}
	}
	return res.codes()
}

const caseFields = `id title description owner createdAt updatedAt updatedBy version asOf view
  items { entityId missing x y pinned hidden note entity { id kind name } }
  notes { id text author createdAt updatedAt updatedBy entityId linkId entity { id name } link { id type } }`

type caseJSON struct {
	ID, Title, Owner, CreatedAt, UpdatedAt string
	Description, UpdatedBy, AsOf, View     *string
	Version                                int
	Items                                  []struct {
		EntityID string
		Missing  bool
		X, Y     *float64
		Pinned   bool
		Hidden   bool
		Note     *string
		Entity   struct{ ID, Kind, Name string }
	}
	Notes []struct {
		ID, Text, Author, CreatedAt string
		UpdatedAt, UpdatedBy        *string
		EntityID, LinkID            *string
		Entity                      *struct{ ID, Name string }
		Link                        *struct{ ID, Type string }
	}
}

// noteInputs turns a stored case's notes back into input (keeping them).
func (c caseJSON) noteInputs() []map[string]any {
	out := []map[string]any{}
	for _, n := range c.Notes {
		out = append(out, map[string]any{"id": n.ID, "text": n.Text})
	}
	return out
}

func (cs *caseServer) save(actor string, input map[string]any) (caseJSON, []string) {
	cs.t.Helper()
	var out struct{ SaveCase caseJSON }
	codes := cs.as(actor, `mutation($in: CaseInput!) { saveCase(input: $in) { `+caseFields+` } }`, map[string]any{"in": input}, &out)
	return out.SaveCase, codes
}

func (cs *caseServer) get(actor, id string) (caseJSON, []string) {
	cs.t.Helper()
	var out struct{ Case *caseJSON }
	codes := cs.as(actor, `query($id: ID!) { case(id: $id) { `+caseFields+` } }`, map[string]any{"id": id}, &out)
	if out.Case == nil {
		return caseJSON{}, codes
	}
	return *out.Case, codes
}

func TestCases(t *testing.T) {
	teststores.Each(t, func(t *testing.T, s graph.Store) {
		cs := newCaseServer(t, s)
		ctx := context.Background()
		const (
			alice  = "editor:alice"
			bob    = "editor:bob"
			viewer = "viewer:vera"
			admin  = "admin:ada"
		)
		burim, ring, arif := "person:burim-krasniqi", "organization:krasniqi-network", "person:arif-krasniqi"
		ls, err := s.LinksOf(ctx, []string{burim}, []graph.LinkType{graph.LinkMemberOf}, graph.DirectionOutgoing, graph.When{})
		if err != nil || len(ls[burim]) == 0 {
			t.Fatalf("seed: no MEMBER_OF link of %s: %v", burim, err)
		}
		link := ls[burim][0]

		created, codes := cs.save(alice, map[string]any{
			"title": "Krasniqi forgery ring", "description": "who forges for whom",
			"items": []map[string]any{
				{"entity": burim, "x": 10.5, "y": -20, "pinned": true, "note": "leader"},
				{"entity": ring, "x": 100, "y": 50},
				{"entity": arif, "hidden": true},
			},
			"notes": []map[string]any{
				{"text": "Start from the press release."},
				{"text": "Named as the leader.", "entity": burim},
				{"text": "Membership stated in the designation.", "link": link.ID},
			},
			"asOf": "2025-10-22", "view": `{"layout":"cose","filters":["MEMBER_OF"]}`,
		})
		if len(codes) != 0 {
			t.Fatalf("create: %v", codes)
		}
		if created.Version != 1 || created.Owner != alice || created.Title != "Krasniqi forgery ring" ||
			deref(created.AsOf) != "2025-10-22" || !strings.Contains(deref(created.View), "cose") || len(created.Items) != 3 || len(created.Notes) != 3 {
			t.Fatalf("created case: %+v", created)
		}
		it := created.Items[0]
		if it.EntityID != burim || it.Entity.Name != "Burim Krasniqi" || it.Entity.Kind != "PERSON" || it.Missing ||
			it.X == nil || *it.X != 10.5 || *it.Y != -20 || !it.Pinned || it.Hidden || deref(it.Note) != "leader" {
			t.Errorf("first item: %+v", it)
		}
		if created.Items[1].Pinned || created.Items[1].Hidden || !created.Items[2].Hidden || created.Items[2].X != nil {
			t.Errorf("items' state: %+v", created.Items)
		}
		for _, n := range created.Notes {
			if n.Author != alice || n.ID == "" || n.CreatedAt == "" {
				t.Errorf("note without author, id or time: %+v", n)
			}
		}
		if n := created.Notes[1]; n.Entity == nil || n.Entity.Name != "Burim Krasniqi" || deref(n.EntityID) != burim {
			t.Errorf("entity note: %+v", n)
		}
		if n := created.Notes[2]; n.Link == nil || n.Link.ID != link.ID || n.Link.Type != "MEMBER_OF" {
			t.Errorf("link note: %+v", n)
		}

		// A viewer reads it as saved.
		got, codes := cs.get(viewer, created.ID)
		if len(codes) != 0 || !equalJSON(t, got, created) {
			t.Errorf("read back as a viewer (%v):\n got %+v\nwant %+v", codes, got, created)
		}
		// ... and may neither save nor delete.
		if _, codes := cs.save(viewer, map[string]any{"id": created.ID, "version": 1, "title": "mine"}); !slices.Equal(codes, []string{CodeForbidden}) {
			t.Errorf("viewer save: %v, want FORBIDDEN", codes)
		}
		if _, codes := cs.save(viewer, map[string]any{"title": "new"}); !slices.Equal(codes, []string{CodeForbidden}) {
			t.Errorf("viewer create: %v, want FORBIDDEN", codes)
		}
		if codes := cs.as(viewer, `mutation($id: ID!) { deleteCase(id: $id) }`, map[string]any{"id": created.ID}, nil); !slices.Equal(codes, []string{CodeForbidden}) {
			t.Errorf("viewer delete: %v, want FORBIDDEN", codes)
		}

		// Bob edits a note, adds one and moves an entity, based on v1.
		notes := created.noteInputs()
		notes[0]["text"] = "Start from the press release of 2025-10-23."
		notes = append(notes, map[string]any{"text": "Check the Seferović link.", "entity": ring})
		v2, codes := cs.save(bob, map[string]any{"id": created.ID, "version": 1, "notes": notes,
			"items": []map[string]any{{"entity": burim, "x": 0, "y": 0, "pinned": true}, {"entity": ring}}})
		if len(codes) != 0 {
			t.Fatalf("update: %v", codes)
		}
		if v2.Version != 2 || v2.Owner != alice || deref(v2.UpdatedBy) != bob || v2.Title != created.Title || deref(v2.View) != deref(created.View) || len(v2.Items) != 2 {
			t.Errorf("updated case: %+v", v2)
		}
		if len(v2.Notes) != 4 || v2.Notes[0].Author != alice || deref(v2.Notes[0].UpdatedBy) != bob || v2.Notes[0].UpdatedAt == nil ||
			v2.Notes[0].CreatedAt != created.Notes[0].CreatedAt || v2.Notes[1].UpdatedAt != nil || v2.Notes[3].Author != bob {
			t.Errorf("notes after update: %+v", v2.Notes)
		}

		// Alice saves on top of v1: CONFLICT, and nothing changes.
		if _, codes := cs.save(alice, map[string]any{"id": created.ID, "version": 1, "notes": created.noteInputs()}); !slices.Equal(codes, []string{CodeConflict}) {
			t.Errorf("stale save: %v, want CONFLICT", codes)
		}
		if got, _ := cs.get(alice, created.ID); got.Version != 2 || len(got.Notes) != 4 {
			t.Errorf("a refused save changed the case: v%d, %d notes", got.Version, len(got.Notes))
		}

		// Concurrent saves based on v2, each adding a note: one wins, the
		// others get CONFLICT; no note is lost without an error.
		var (
			wg    sync.WaitGroup
			mu    sync.Mutex
			wins  []string
			other []string
		)
		for i := range 6 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				text := fmt.Sprintf("concurrent note %d", i)
				c, codes := cs.save(fmt.Sprintf("editor:e%d", i), map[string]any{"id": created.ID, "version": 2,
					"notes": append(v2.noteInputs(), map[string]any{"text": text})})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case len(codes) == 0 && c.Version == 3:
					wins = append(wins, text)
				case !slices.Equal(codes, []string{CodeConflict}):
					other = append(other, fmt.Sprint(codes))
				}
			}()
		}
		wg.Wait()
		if len(wins) != 1 || len(other) != 0 {
			t.Fatalf("concurrent saves: winners %v, other outcomes %v; want one winner, the rest CONFLICT", wins, other)
		}
		v3, _ := cs.get(alice, created.ID)
		if v3.Version != 3 || len(v3.Notes) != 5 || v3.Notes[4].Text != wins[0] {
			t.Errorf("after the race: v%d notes %+v, want the winner's note %q", v3.Version, v3.Notes, wins[0])
		}

		// Unknown entities are refused; bad dates and oversized views too.
		for name, tc := range map[string]struct {
			in   map[string]any
			code string
		}{
			"unknown entity":  {map[string]any{"title": "x", "items": []map[string]any{{"entity": "person:nobody"}}}, CodeBadUserInput},
			"unknown note id": {map[string]any{"id": created.ID, "version": 3, "notes": []map[string]any{{"id": "n-nope", "text": "x"}}}, CodeBadUserInput},
			"note on a ghost": {map[string]any{"title": "x", "notes": []map[string]any{{"text": "x", "link": "no-such-link"}}}, CodeBadUserInput},
			"bad asOf":        {map[string]any{"title": "x", "asOf": "22/10/2025"}, CodeBadUserInput},
			"no title":        {map[string]any{"description": "x"}, CodeBadUserInput},
			"empty title":     {map[string]any{"title": ""}, CodeBadUserInput},
			"no version":      {map[string]any{"id": created.ID, "title": "x"}, CodeBadUserInput},
			"unknown case":    {map[string]any{"id": "no-such-case", "version": 1, "title": "x"}, CodeNotFound},
			"view too large":  {map[string]any{"title": "x", "view": strings.Repeat("v", graph.MaxCaseView+1)}, CodeTooComplex},
			"same entity x2":  {map[string]any{"title": "x", "items": []map[string]any{{"entity": burim}, {"entity": burim}}}, CodeBadUserInput},
		} {
			if _, codes := cs.save(alice, tc.in); !slices.Equal(codes, []string{tc.code}) {
				t.Errorf("%s: %v, want %s", name, codes, tc.code)
			}
		}

		// An entity deleted, another merged away: the case still opens,
		// with those items flagged and remembered.
		if err := s.DeleteEntity(ctx, ring); err != nil {
			t.Fatal(err)
		}
		mustSave := func(in map[string]any) caseJSON {
			t.Helper()
			c, codes := cs.save(alice, in)
			if len(codes) != 0 {
				t.Fatalf("save %v: %v", in, codes)
			}
			return c
		}
		two := mustSave(map[string]any{"title": "Two Krasniqis", "items": []map[string]any{{"entity": burim}, {"entity": arif, "x": 5, "y": 6}}})
		if _, err := s.MergeEntities(ctx, burim, []string{arif}); err != nil {
			t.Fatal(err)
		}
		gone, codes := cs.get(viewer, created.ID)
		if len(codes) != 0 {
			t.Fatalf("case with a deleted entity: %v", codes)
		}
		if it := gone.Items[1]; !it.Missing || it.EntityID != ring || it.Entity.ID != ring || it.Entity.Name != "Krasniqi network" || it.Entity.Kind != "ORGANIZATION" {
			t.Errorf("deleted entity's item: %+v", it)
		}
		if gone.Items[0].Missing {
			t.Errorf("present entity flagged missing: %+v", gone.Items[0])
		}
		if n := gone.Notes[3]; n.Entity != nil || deref(n.EntityID) != ring {
			t.Errorf("note on the deleted entity: %+v", n)
		}
		merged, codes := cs.get(viewer, two.ID)
		if len(codes) != 0 || !merged.Items[1].Missing || merged.Items[1].Entity.Name != "Arif Krasniqi" || *merged.Items[1].X != 5 || merged.Items[0].Missing {
			t.Errorf("case with a merged-away entity (%v): %+v", codes, merged.Items)
		}
		// It can be saved again as it is: the case remembers its items.
		again := mustSave(map[string]any{"id": two.ID, "version": two.Version, "items": []map[string]any{{"entity": burim}, {"entity": arif}}})
		if !again.Items[1].Missing || again.Items[1].Entity.Name != "Arif Krasniqi" {
			t.Errorf("re-saved case lost the remembered item: %+v", again.Items)
		}

		// Listing, paged by id.
		mustSave(map[string]any{"title": "Third"})
		var list struct {
			Cases struct {
				Nodes      []struct{ ID, Title string }
				TotalCount int
				PageInfo   struct {
					HasNextPage bool
					EndCursor   *string
				}
			}
		}
		const listQ = `query($after: String) { cases(first: 2, after: $after) { nodes { id title } totalCount pageInfo { hasNextPage endCursor } } }`
		if codes := cs.as(viewer, listQ, nil, &list); len(codes) != 0 || len(list.Cases.Nodes) != 2 || list.Cases.TotalCount != 3 || !list.Cases.PageInfo.HasNextPage {
			t.Fatalf("cases page 1 (%v): %+v", codes, list)
		}
		ids := []string{list.Cases.Nodes[0].ID, list.Cases.Nodes[1].ID}
		if codes := cs.as(viewer, listQ, map[string]any{"after": deref(list.Cases.PageInfo.EndCursor)}, &list); len(codes) != 0 || len(list.Cases.Nodes) != 1 || list.Cases.PageInfo.HasNextPage {
			t.Fatalf("cases page 2 (%v): %+v", codes, list)
		}
		ids = append(ids, list.Cases.Nodes[0].ID)
		if !slices.IsSorted(ids) || !slices.Contains(ids, created.ID) || !slices.Contains(ids, two.ID) {
			t.Errorf("listed ids %v", ids)
		}

		// Only the owner or an admin deletes.
		del := `mutation($id: ID!) { deleteCase(id: $id) }`
		if codes := cs.as(bob, del, map[string]any{"id": created.ID}, nil); !slices.Equal(codes, []string{CodeForbidden}) {
			t.Errorf("delete by an editor who does not own it: %v, want FORBIDDEN", codes)
		}
		var ok struct{ DeleteCase bool }
		if codes := cs.as(alice, del, map[string]any{"id": two.ID}, &ok); len(codes) != 0 || !ok.DeleteCase {
			t.Errorf("delete by the owner: %v %+v", codes, ok)
		}
		if codes := cs.as(admin, del, map[string]any{"id": created.ID}, &ok); len(codes) != 0 || !ok.DeleteCase {
			t.Errorf("delete by an admin: %v %+v", codes, ok)
		}
		if _, codes := cs.get(viewer, created.ID); !slices.Equal(codes, []string{CodeNotFound}) {
			t.Errorf("deleted case: %v, want NOT_FOUND", codes)
		}
		if codes := cs.as(admin, del, map[string]any{"id": created.ID}, nil); !slices.Equal(codes, []string{CodeNotFound}) {
			t.Errorf("second delete: %v, want NOT_FOUND", codes)
		}

		var me struct {
			Me struct {
				ID, Role           string
				CanWrite, CanAdmin bool
			}
		}
		if cs.as(viewer, `{ me { id role canWrite canAdmin } }`, nil, &me); me.Me.ID != viewer || me.Me.Role != "viewer" || me.Me.CanWrite || me.Me.CanAdmin {
			t.Errorf("me as a viewer: %+v", me.Me)
		}
		if cs.as(bob, `{ me { id role canWrite canAdmin } }`, nil, &me); me.Me.ID != bob || !me.Me.CanWrite || me.Me.CanAdmin {
			t.Errorf("me as an editor: %+v", me.Me)
		}
	})
}

func equalJSON(t *testing.T, a, b any) bool {
	t.Helper()
	ja, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	jb, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Equal(ja, jb)
}
