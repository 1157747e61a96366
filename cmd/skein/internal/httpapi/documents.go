package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/seed"
)

// documentText serves GET /api/documents/:id/text: the text of a source
// document, so the UI can open a quote in its context. The text is the
// file the document's path names among the shipped sources; a document
// whose text the server does not hold is NOT_FOUND.
func documentText(store graph.Store, timeout time.Duration) gin.HandlerFunc {
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	return func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), timeout)
		defer cancel()
		id := c.Param("id")
		doc, err := store.Document(ctx, id)
		if err != nil {
			writeCoded(c, fmt.Errorf("document %q: %w", id, err))
			return
		}
		if doc.Path == "" {
			writeCoded(c, fmt.Errorf("document %q has no text file: %w", id, graph.ErrNotFound))
			return
		}
		text, err := seed.Source(doc.Path)
		if err != nil {
			writeCoded(c, fmt.Errorf("document %q: %w", id, err))
			return
		}
		c.Header("Cache-Control", "private, max-age=300")
		c.Data(http.StatusOK, "text/plain; charset=utf-8", text)
	}
}
