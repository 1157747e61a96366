package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
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
	tempDir string
}

// export writes the subgraph to a temporary file first, so a failure is a
// proper error response rather than a truncated download, and the audit
// records the size of what was sent.
func (x exchange) export(c *gin.Context) {
	f, err := formats.ParseFormat(c.Param("format"))
	if err != nil {
		writeCoded(c, err)
		return
	}
	sc, err := formats.ParseScope(c.Query("ids"), c.Query("depth"), c.Query("linkTypes"))
	if err == nil {
		sc.When, err = formats.ParseWhen(c.Query("asOf"), c.Query("from"), c.Query("to"))
	}
	if err != nil {
		writeCoded(c, err)
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), x.timeout)
	defer cancel()
	if id := c.Query("case"); id != "" {
		if sc, err = x.caseScope(ctx, id, sc); err != nil {
			writeCoded(c, err)
			return
		}
	}
	tmp, err := os.CreateTemp(x.tempDir, "skein-export-*")
	if err != nil {
		writeCoded(c, fmt.Errorf("export spool: %w", err))
		return
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()
	if err := formats.Export(ctx, x.store, f, sc, tmp); err != nil {
		writeCoded(c, err)
		return
	}
	size, err := tmp.Seek(0, io.SeekCurrent)
	if err == nil {
		_, err = tmp.Seek(0, io.SeekStart)
	}
	if err != nil {
		writeCoded(c, fmt.Errorf("export spool: %w", err))
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Type", f.ContentType())
	h.Set("Content-Disposition", `attachment; filename="`+exportName(sc, f)+`"`)
	h.Set("Content-Length", strconv.FormatInt(size, 10))
	c.Status(http.StatusOK)
	if _, err := io.Copy(c.Writer, tmp); err != nil {
		x.logger.Warn("export: client went away", "format", f, "err", err)
	}
}

// caseScope is the export of a saved case: its entities (unless ids are
// given) and their chart positions, which ANX carries.
func (x exchange) caseScope(ctx context.Context, id string, sc formats.Scope) (formats.Scope, error) {
	recs, ok := x.store.(graph.Records)
	if !ok {
		return sc, fmt.Errorf("this server's store keeps no cases: %w", graph.ErrUnavailable)
	}
	rec, err := recs.GetRecord(ctx, graph.CaseCollection, id)
	if err != nil {
		return sc, fmt.Errorf("export of case %q: %w", id, err)
	}
	cs, err := graph.CaseFromRecord(rec)
	if err != nil {
		return sc, fmt.Errorf("export of case %q: %w", id, err)
	}
	if len(sc.IDs) == 0 {
		for _, it := range cs.Items {
			sc.IDs = append(sc.IDs, it.Entity)
		}
		sc.Depth = 0
		if len(sc.IDs) == 0 {
			return sc, fmt.Errorf("case %q has no entities to export: %w", id, graph.ErrInvalid)
		}
	}
	sc.Positions = make(map[string][2]float64, len(cs.Items))
	for _, it := range cs.Items {
		if it.X != nil && it.Y != nil {
			sc.Positions[it.Entity] = [2]float64{*it.X, *it.Y}
		}
	}
	return sc, nil
}

// exportName is the download's file name: skein-export, the first id when
// the export is a subgraph, and the format's extension.
func exportName(sc formats.Scope, f formats.Format) string {
	name := "skein-export"
	if len(sc.IDs) > 0 {
		id := strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
				return r
			}
			return '-'
		}, sc.IDs[0])
		name += "-" + strings.Trim(id, "-")
	}
	return name + "." + strings.TrimPrefix(f.FileExtension(), ".")
}

var errUploadTooLarge = fmt.Errorf("upload larger than %d bytes: %w", formats.MaxImportBytes, graph.ErrTooLarge)

// uploadSize refuses an announced upload over the limit before any work.
func uploadSize(c *gin.Context) {
	if c.Request.ContentLength > formats.MaxImportBytes {
		writeCoded(c, errUploadTooLarge)
		c.Abort()
		return
	}
	c.Next()
}

func (x exchange) importFile(c *gin.Context) {
	name := c.Query("format")
	if name == "" {
		writeCoded(c, fmt.Errorf("the format query parameter is required (one of %v): %w", formats.Formats(), graph.ErrInvalid))
		return
	}
	f, err := formats.ParseFormat(name)
	if err != nil {
		writeCoded(c, err)
		return
	}
	tooLarge := errUploadTooLarge
	body := http.MaxBytesReader(c.Writer, c.Request.Body, formats.MaxImportBytes)
	ctx, cancel := context.WithTimeout(c.Request.Context(), x.timeout)
	defer cancel()
	rep, err := formats.Import(ctx, x.store, f, body)
	if err != nil {
		var maxBytes *http.MaxBytesError
		if errors.As(err, &maxBytes) || errors.Is(err, formats.ErrTooLarge) {
			writeCoded(c, tooLarge)
			return
		}
		var bad *formats.ImportError
		if errors.As(err, &bad) {
			// The bad rows with their lines (the first formats.MaxRows;
			// more counts the rest), so the analyst can fix the file.
			setCode(c, graph.CodeBadUserInput)
			c.JSON(http.StatusBadRequest, gin.H{"error": err.Error(), "code": graph.CodeBadUserInput, "rows": bad.Rows, "more": bad.More})
			return
		}
		writeCoded(c, err)
		return
	}
	c.JSON(http.StatusOK, rep)
}
