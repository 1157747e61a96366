package ui

import (
	"io/fs"
	"regexp"
	"testing"

	"github.com/skein-project/skein/graph/testenv"
)

// assetRef matches the files an HTML page of the build loads (not links
// to routes such as /graphiql).
var assetRef = regexp.MustCompile(`(?:src|href)="/(assets/[^"]+|favicon\.svg)"`)

func TestAssets(t *testing.T) {
	assets := Assets()
	if !Built() {
		// Before `npm run build`: only the placeholder, and no pages.
		if _, err := fs.Stat(assets, ".keep"); err != nil {
			t.Fatalf("unbuilt dist lacks .keep: %v", err)
		}
		if _, err := fs.Stat(assets, "index.html"); err == nil {
			t.Fatal("Built() is false but index.html exists")
		}
		testenv.Missing(t, "the built UI in ui/dist (only the placeholder was checked)", "make build (or npm --prefix ui run build)")
	}
	for _, page := range []string{"index.html", "graphiql.html"} {
		b, err := fs.ReadFile(assets, page)
		if err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		refs := assetRef.FindAllStringSubmatch(string(b), -1)
		if len(refs) == 0 {
			t.Fatalf("%s loads nothing", page)
		}
		for _, m := range refs {
			if _, err := fs.Stat(assets, m[1]); err != nil {
				t.Errorf("%s references /%s, which is not in the build: %v", page, m[1], err)
			}
		}
	}
}
