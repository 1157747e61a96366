package schema

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph/storetest/teststores"
)

// TestMediaTypes: the request's content type is read as a media type
// (parameters and case aside), and the response is the GraphQL media type
// exactly when some part of Accept names it.
func TestMediaTypes(t *testing.T) {
	sch, err := New(teststores.Embedded(t), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		contentType, accept string
		status              int
		media               string
	}{
		{"application/json", "", http.StatusOK, mediaJSON},
		{"application/json; charset=utf-8", "application/json", http.StatusOK, mediaJSON},
		{"Application/JSON", "*/*", http.StatusOK, mediaJSON},
		{"text/plain", "", http.StatusUnsupportedMediaType, mediaJSON},
		{"application/json", "application/graphql-response+json", http.StatusOK, mediaGraphQLResponse},
		{"application/json", "text/html, Application/GraphQL-Response+JSON; q=0.9", http.StatusOK, mediaGraphQLResponse},
		{"application/json", "application/graphql-response+jsonx", http.StatusOK, mediaJSON},
	} {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query": "{ stats { entities } }"}`))
		req.Header.Set("Content-Type", tc.contentType)
		if tc.accept != "" {
			req.Header.Set("Accept", tc.accept)
		}
		rec := httptest.NewRecorder()
		sch.ServeHTTP(rec, req)
		if got := rec.Header().Get("Content-Type"); rec.Code != tc.status || got != tc.media+"; charset=utf-8" {
			t.Errorf("Content-Type %q, Accept %q: %d %s, want %d %s: %s", tc.contentType, tc.accept, rec.Code, got, tc.status, tc.media, rec.Body)
		}
	}
}
