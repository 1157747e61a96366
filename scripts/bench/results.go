package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The measured results are saved as JSON beside the run (-results), so
// that the report can be rendered again from them (-render) when only its
// text changes: a full run takes about an hour.

// MarshalText lets encoding/json write the results map, whose key is a
// struct: "op|backend|clients" (no operation or backend name holds a |).
func (k key) MarshalText() ([]byte, error) {
	if strings.Contains(k.Op, "|") || strings.Contains(k.Backend, "|") {
		return nil, fmt.Errorf("result key %q/%q holds a |", k.Op, k.Backend)
	}
	return []byte(k.Op + "|" + k.Backend + "|" + strconv.Itoa(k.Conc)), nil
}

func (k *key) UnmarshalText(b []byte) error {
	parts := strings.Split(string(b), "|")
	if len(parts) != 3 {
		return fmt.Errorf("result key %q: want op|backend|clients", b)
	}
	conc, err := strconv.Atoi(parts[2])
	if err != nil {
		return fmt.Errorf("result key %q: %w", b, err)
	}
	*k = key{Op: parts[0], Backend: parts[1], Conc: conc}
	return nil
}

// saveResults writes the report's measurements to file, through a
// temporary file so that a run stopped while writing leaves the previous
// save whole. The harness saves after every measurement: a run that fails
// late keeps what it measured.
func saveResults(file string, r *report) error {
	b, err := json.MarshalIndent(r, "", "\t")
	if err != nil {
		return fmt.Errorf("results: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	tmp := file + ".tmp"
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, file)
}

// loadResults reads what saveResults wrote.
func loadResults(file string) (*report, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var r report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if r.Results == nil {
		r.Results = map[key]result{}
	}
	return &r, nil
}

// analysisMarker ends the harness's part of the report; scripts/bench.sh
// appends the link-analysis sections after it. An HTML comment, so the
// rendered Markdown does not show it.
const analysisMarker = "<!-- scripts/bench.sh appends the link-analysis sections below this line -->"

var errNoMarker = errors.New("the report has no analysis marker")

// spliceReport puts a newly rendered harness part in front of the
// analysis sections of the existing report old (everything from the
// marker on), which rendering again keeps as they were.
func spliceReport(old, harness string) (string, error) {
	_, rest, ok := strings.Cut(old, analysisMarker)
	if !ok {
		return "", errNoMarker
	}
	return harness + strings.TrimPrefix(rest, "\n"), nil
}

// render writes the report in cfg.out again from the results saved in
// cfg.render, keeping the analysis sections already in cfg.out.
func render(ctx context.Context, cfg config) error {
	r, err := loadResults(cfg.render)
	if err != nil {
		return err
	}
	r.RenderedBy = gitDescribe(ctx)
	text := r.markdown()
	old, err := os.ReadFile(cfg.out)
	switch {
	case errors.Is(err, os.ErrNotExist):
		// Nothing to keep: the harness part alone.
	case err != nil:
		return err
	default:
		if text, err = spliceReport(string(old), text); err != nil {
			return fmt.Errorf("%s: %w (it was not written by a harness that saves its results)", cfg.out, err)
		}
	}
	return os.WriteFile(cfg.out, []byte(text), 0o644)
}
