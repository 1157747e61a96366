package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/skein-project/skein/graph"
)

// runJudgements is "skein judgements export|import": the screening
// decisions (graph.Judgement) as a JSON file, so two installations can
// share them.
func runJudgements(ctx context.Context, args []string, stdout, stderr io.Writer, logger *slog.Logger) error {
	if len(args) == 0 || (args[0] != "export" && args[0] != "import") {
		return errors.New("judgements: say export [-o FILE] or import FILE")
	}
	verb := args[0]
	fs, sc := storeFlags("judgements "+verb, stderr)
	out := fs.String("o", "-", "output file of export (- for standard output)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if verb == "import" && fs.NArg() != 1 {
		return errors.New("judgements import: give one FILE")
	}
	store, err := sc.open(ctx, logger)
	if err != nil {
		return err
	}
	defer store.Close()
	recs, ok := store.(graph.Records)
	if !ok {
		return errors.New("judgements: this store keeps no judgements")
	}
	if verb == "import" {
		data, err := os.ReadFile(fs.Arg(0))
		if err != nil {
			return fmt.Errorf("judgements import: %w", err)
		}
		var f graph.JudgementFile
		if err := json.Unmarshal(data, &f); err != nil {
			return fmt.Errorf("judgements import: %s is not a judgement file: %w", fs.Arg(0), err)
		}
		st, err := graph.ImportJudgements(ctx, store, recs, f)
		if err != nil {
			return fmt.Errorf("judgements import: %w", err)
		}
		fmt.Fprintf(stdout, "judgements: %d saved, %d skipped (a decision here as recent or newer), %d pairs merged\n", st.Saved, st.Skipped, st.Merged)
		return nil
	}
	js, err := graph.AllJudgements(ctx, recs)
	if err != nil {
		return fmt.Errorf("judgements export: %w", err)
	}
	if js == nil {
		js = []graph.Judgement{}
	}
	data, err := json.MarshalIndent(graph.JudgementFile{Format: graph.JudgementFormat, Judgements: js}, "", "  ")
	if err != nil {
		return err
	}
	data = append(data, '\n')
	if *out == "-" {
		_, err := stdout.Write(data)
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(*out), ".skein-judgements-*")
	if err != nil {
		return fmt.Errorf("judgements export: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("judgements export: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("judgements export: %w", err)
	}
	if err := os.Rename(tmp.Name(), *out); err != nil {
		return fmt.Errorf("judgements export: %w", err)
	}
	fmt.Fprintf(stderr, "exported %d judgements to %s\n", len(js), *out)
	return nil
}
