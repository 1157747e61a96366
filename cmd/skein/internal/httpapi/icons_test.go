package httpapi

import (
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/skein-project/skein/graph"
)

// TestKindIcons checks that every kind of the registry has its icon served
// as a well-formed SVG carrying the registry's path, and that anything else
// is not found.
func TestKindIcons(t *testing.T) {
	srv := server(t, fstest.MapFS{"index.html": {Data: []byte("<!doctype html>")}})
	for _, s := range graph.KindSpecs() {
		code, hdr, body := get(t, srv.URL+"/api/icons/"+string(s.Kind)+".svg")
		if code != http.StatusOK || hdr.Get("Content-Type") != "image/svg+xml" {
			t.Fatalf("%s: %d %s", s.Kind, code, hdr.Get("Content-Type"))
		}
		var svg struct {
			XMLName xml.Name `xml:"svg"`
			ViewBox string   `xml:"viewBox,attr"`
			Path    struct {
				D string `xml:"d,attr"`
			} `xml:"path"`
		}
		if err := xml.Unmarshal([]byte(body), &svg); err != nil {
			t.Fatalf("%s: %v in %s", s.Kind, err, body)
		}
		if svg.ViewBox != "0 0 24 24" || svg.Path.D != s.Style.Icon {
			t.Errorf("%s: view box %q, path %q; registry %q", s.Kind, svg.ViewBox, svg.Path.D, s.Style.Icon)
		}
		if hdr.Get("Content-Security-Policy") == "" {
			t.Errorf("%s: served without the CSP", s.Kind)
		}
	}
	for _, bad := range []string{"NOPE.svg", "PERSON", "PERSON.png", "..%2fPERSON.svg"} {
		if code, _, body := get(t, srv.URL+"/api/icons/"+bad); code != http.StatusNotFound || strings.Contains(body, "<svg") {
			t.Errorf("%s: %d %s", bad, code, body)
		}
	}
}
