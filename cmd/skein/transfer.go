package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/formats"
)

// runImport imports files, each all-or-nothing.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer, logger *slog.Logger) error {
	fs, sc := storeFlags("import", stderr)
	format := fs.String("format", "", "format of the files (default: from each file's extension)")
	var srv remote
	srv.bind(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("import: no files given")
	}
	importOne := func(f formats.Format, r io.Reader) (formats.Report, error) { return srv.importVia(ctx, f, r) }
	if !srv.enabled() {
		store, err := sc.open(ctx, logger)
		if err != nil {
			return err
		}
		defer store.Close()
		importOne = func(f formats.Format, r io.Reader) (formats.Report, error) { return formats.Import(ctx, store, f, r) }
	}
	for _, path := range fs.Args() {
		f, err := formatFor(*format, path)
		if err != nil {
			return err
		}
		file, err := os.Open(path)
		if err != nil {
			return fmt.Errorf("import: %w", err)
		}
		info, _ := file.Stat()
		var r io.Reader = file
		if isTerminal(stderr) && info != nil {
			r = newProgress(file, info.Size(), filepath.Base(path), stderr)
		}
		rep, err := importOne(f, r)
		file.Close()
		if err != nil {
			return fmt.Errorf("import %s (nothing from it was written): %w", path, err)
		}
		fmt.Fprintf(stdout, "%s: imported %d entities, %d links, %d documents\n", path, rep.Entities, rep.Links, rep.Documents)
		for _, w := range rep.Warnings {
			fmt.Fprintf(stdout, "%s: warning: %s\n", path, w)
		}
	}
	return nil
}

// formatFor picks the format from the flag or the file's name.
func formatFor(flagValue, path string) (formats.Format, error) {
	if flagValue != "" {
		return formats.ParseFormat(flagValue)
	}
	if f, ok := formats.FormatOf(path); ok {
		return f, nil
	}
	return "", fmt.Errorf("cannot tell the format of %s from its name; use --format (one of %v): %w", path, formats.Formats(), graph.ErrInvalid)
}

// runExport writes a subgraph (or the whole graph) to a file or stdout.
func runExport(ctx context.Context, args []string, stdout, stderr io.Writer, logger *slog.Logger) error {
	fs, sc := storeFlags("export", stderr)
	format := fs.String("format", "", "export format: "+fmt.Sprint(formats.Formats()))
	ids := fs.String("ids", "", "comma-separated entity ids (default: the whole graph)")
	depth := fs.String("depth", "", "hops around the ids (default 1 when ids are given)")
	linkTypes := fs.String("link-types", "", "comma-separated link types to follow (default: all)")
	asOf := fs.String("as-of", "", "keep the links in force at this date (YYYY, YYYY-MM or YYYY-MM-DD)")
	from := fs.String("from", "", "keep the links in force on or after this date (with --to, a window)")
	to := fs.String("to", "", "keep the links in force on or before this date")
	out := fs.String("o", "-", "output file (- for standard output)")
	var srv remote
	srv.bind(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *format == "" {
		return fmt.Errorf("export: --format is required (one of %v)", formats.Formats())
	}
	f, err := formats.ParseFormat(*format)
	if err != nil {
		return err
	}
	scope, err := formats.ParseScope(*ids, *depth, *linkTypes)
	if err != nil {
		return err
	}
	if scope.When, err = formats.ParseWhen(*asOf, *from, *to); err != nil {
		return err
	}
	write := func(w io.Writer) error {
		return srv.exportVia(ctx, f, map[string]string{"ids": *ids, "depth": *depth, "linkTypes": *linkTypes,
			"asOf": scope.When.AsOf, "from": scope.When.During.From, "to": scope.When.During.To}, w)
	}
	if !srv.enabled() {
		store, err := sc.open(ctx, logger)
		if err != nil {
			return err
		}
		defer store.Close()
		write = func(w io.Writer) error { return formats.Export(ctx, store, f, scope, w) }
	}
	if *out == "-" {
		return write(stdout)
	}
	// Write to a temporary file and rename, so a failed export leaves no
	// half-written file behind.
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".skein-export-*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("export: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return fmt.Errorf("export: %w", err)
	}
	fmt.Fprintf(stderr, "exported %s to %s\n", f, *out)
	return nil
}

// progress reports how much of a file an import has read, on a terminal.
type progress struct {
	r          io.Reader
	total, n   int64
	name       string
	w          io.Writer
	lastReport time.Time
}

func newProgress(r io.Reader, total int64, name string, w io.Writer) *progress {
	return &progress{r: r, total: total, name: name, w: w}
}

func (p *progress) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.n += int64(n)
	if time.Since(p.lastReport) > 200*time.Millisecond || err == io.EOF {
		p.lastReport = time.Now()
		pct := 100.0
		if p.total > 0 {
			pct = 100 * float64(p.n) / float64(p.total)
		}
		bar := strings.Repeat("#", int(pct/5)) + strings.Repeat(".", 20-int(pct/5))
		fmt.Fprintf(p.w, "\r%s [%s] %5.1f%% %d/%d bytes", p.name, bar, pct, p.n, p.total)
		if err == io.EOF {
			fmt.Fprintln(p.w)
		}
	}
	return n, err
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
