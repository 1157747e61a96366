package ui

import (
	"embed"
	"io/fs"
)

// dist is the Vite build output. "all:" keeps dist/.keep, so the package
// compiles (and Built reports false) before the UI has been built.
//
//go:embed all:dist
var dist embed.FS

// Assets returns the built UI rooted at dist: index.html, graphiql.html and
// assets/.
func Assets() fs.FS {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		// fs.Sub only fails on an invalid path; "dist" is a constant.
		panic(err)
	}
	return sub
}

// Built reports whether the UI has been built into dist (index.html is
// there), as opposed to only the placeholder .keep.
func Built() bool {
	_, err := fs.Stat(dist, "dist/index.html")
	return err == nil
}
