package httpapi

import (
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/skein-project/skein/graph"
)

// assetHandler serves the UI's files: never a directory listing, never a
// dot-file (such as the .keep that holds an empty dist/ in git).
func assetHandler(assets fs.FS) gin.HandlerFunc {
	static := http.FileServerFS(assets)
	return func(c *gin.Context) {
		if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
			writeCoded(c, codedErr(graph.ErrNotFound, "no such route"))
			return
		}
		name := strings.TrimPrefix(path.Clean("/"+c.Request.URL.Path), "/")
		if name == "" {
			name = "."
		}
		for _, part := range strings.Split(name, "/") {
			if strings.HasPrefix(part, ".") && part != "." {
				writeCoded(c, codedErr(graph.ErrNotFound, "no such file"))
				return
			}
		}
		info, err := fs.Stat(assets, name)
		if err == nil && info.IsDir() {
			_, err = fs.Stat(assets, path.Join(name, "index.html"))
		}
		if err != nil {
			msg := "no such file"
			if name == "." {
				msg = "the UI is not built: run `make ui` (or `make run`)"
			}
			writeCoded(c, codedErr(graph.ErrNotFound, msg))
			return
		}
		static.ServeHTTP(c.Writer, c.Request)
	}
}
