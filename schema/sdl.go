package schema

import (
	"embed"
	"io/fs"
	"strings"
)

//go:embed *.graphql
var sdlFiles embed.FS

// SDL returns the schema definition: every embedded .graphql file, joined in
// name order.
func SDL() string {
	entries, err := fs.ReadDir(sdlFiles, ".")
	if err != nil {
		panic(err) // the embedded directory always exists
	}
	var b strings.Builder
	for _, e := range entries {
		data, err := sdlFiles.ReadFile(e.Name())
		if err != nil {
			panic(err)
		}
		b.WriteString("# " + e.Name() + "\n")
		b.Write(data)
		b.WriteString("\n")
	}
	return b.String()
}
