package httpapi

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/formats"
)

// exchange serves /api/export/{format} and /api/import.
type exchange struct {
	store   graph.Store
	timeout time.Duration
	logger  *slog.Logger
}

func (x exchange) export(c *gin.Context) {
	f, err := formats.ParseFormat(c.Param("format"))
	if err != nil {
		httpError(c, err)
		return
	}
	sc, err := formats.ParseScope(c.Query("ids"), c.Query("depth"), c.Query("linkTypes"))
	if err != nil {
		httpError(c, err)
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), x.timeout)
	defer cancel()
	w := &lazyWriter{c: c, contentType: f.ContentType(),
		filename: "skein-export." + f.FileExtension()}
	if err := formats.Export(ctx, x.store, f, sc, w); err != nil {
		if !w.started {
			httpError(c, err)
			return
		}
		// Headers are gone; the truncated body is all the client gets.
		x.logger.Error("export failed mid-stream", "format", f, "err", err)
		_ = c.Error(err)
	}
}

// lazyWriter sends the download headers with the first byte, so an error
// before any output still becomes a proper error response.
type lazyWriter struct {
	c           *gin.Context
	contentType string
	filename    string
	started     bool
}

func (w *lazyWriter) Write(p []byte) (int, error) {
	if !w.started {
		w.started = true
		h := w.c.Writer.Header()
		h.Set("Content-Type", w.contentType)
		h.Set("Content-Disposition", `attachment; filename="`+w.filename+`"`)
		w.c.Status(http.StatusOK)
	}
	return w.c.Writer.Write(p)
}

func (x exchange) importFile(c *gin.Context) {
	name := c.Query("format")
	if name == "" {
		httpError(c, fmt.Errorf("the format query parameter is required (one of %v): %w", formats.Formats(), graph.ErrInvalid))
		return
	}
	f, err := formats.ParseFormat(name)
	if err != nil {
		httpError(c, err)
		return
	}
	if c.Request.ContentLength > formats.MaxImportBytes {
		c.JSON(http.StatusRequestEntityTooLarge, gin.H{"error": fmt.Sprintf("upload larger than %d bytes", formats.MaxImportBytes)})
		return
	}
	body := http.MaxBytesReader(c.Writer, c.Request.Body, formats.MaxImportBytes)
	ctx, cancel := context.WithTimeout(c.Request.Context(), x.timeout)
	defer cancel()
	rep, err := formats.Import(ctx, x.store, f, body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) || errors.Is(err, formats.ErrTooLarge) {
			c.JSON(http.StatusRequestEntityTooLarge, gin.H{"error": err.Error(), "code": "TOO_COMPLEX"})
			return
		}
		var bad *formats.ImportError
		if errors.As(err, &bad) {
			// Every bad row with its line, so the analyst can fix the file.
			c.JSON(http.StatusBadRequest, gin.H{"error": err.Error(), "code": "BAD_USER_INPUT", "rows": bad.Rows})
			return
		}
		httpError(c, err)
		return
	}
	c.JSON(http.StatusOK, rep)
}

// httpError maps domain errors to HTTP statuses with a JSON body that
// carries the same codes as GraphQL's extensions.code.
func httpError(c *gin.Context, err error) {
	status, code := http.StatusInternalServerError, "INTERNAL"
	switch {
	case errors.Is(err, graph.ErrNotFound):
		status, code = http.StatusNotFound, "NOT_FOUND"
	case errors.Is(err, graph.ErrInvalid):
		status, code = http.StatusBadRequest, "BAD_USER_INPUT"
	case errors.Is(err, graph.ErrTooComplex):
		status, code = http.StatusUnprocessableEntity, "TOO_COMPLEX"
	case errors.Is(err, graph.ErrUnavailable):
		status, code = http.StatusServiceUnavailable, "UNAVAILABLE"
	case errors.Is(err, graph.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		status, code = http.StatusGatewayTimeout, "TIMEOUT"
	}
	c.JSON(status, gin.H{"error": err.Error(), "code": code})
}
