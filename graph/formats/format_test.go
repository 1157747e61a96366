package formats

import (
	"errors"
	"mime"
	"slices"
	"testing"

	"github.com/skein-project/skein/graph"
)

func TestParseFormat(t *testing.T) {
	for _, f := range Formats() {
		got, err := ParseFormat(" " + string(f) + " ")
		if err != nil || got != f {
			t.Errorf("ParseFormat(%q) = %q, %v", f, got, err)
		}
		if _, _, err := mime.ParseMediaType(f.ContentType()); err != nil {
			t.Errorf("%s: content type %q: %v", f, f.ContentType(), err)
		}
		if got, ok := FormatOf("export" + f.FileExtension()); !ok || got != f {
			t.Errorf("FormatOf(export%s) = %q, %v", f.FileExtension(), got, ok)
		}
	}
	for in, want := range map[string]Format{"GraphML": GraphML, "zip": CSV, "followthemoney": FtM, ".jsonl": FtM, "i2": ANX} {
		if got, err := ParseFormat(in); err != nil || got != want {
			t.Errorf("ParseFormat(%q) = %q, %v; want %s", in, got, err, want)
		}
	}
	if _, err := ParseFormat("xlsx"); !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("ParseFormat(xlsx): %v, want ErrInvalid", err)
	}
	if f, ok := FormatOf("entities.ftm.json"); !ok || f != FtM {
		t.Errorf("FormatOf(entities.ftm.json) = %q, %v; want ftm, not json", f, ok)
	}
	if f, ok := FormatOf("chart.xml"); ok {
		t.Errorf("FormatOf(chart.xml) = %q: XML is ambiguous", f)
	}
	var readable []Format
	for _, f := range Formats() {
		if f.CanRead() {
			readable = append(readable, f)
		}
	}
	// The full-model formats, and GEXF (no documents, see TestRoundTripGEXF).
	if want := append(slices.Clone(fullModel), GEXF); len(readable) != len(want) || slices.ContainsFunc(want, func(f Format) bool { return !f.CanRead() }) {
		t.Errorf("readable formats %v, want %v", readable, want)
	}
}
