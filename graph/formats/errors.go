package formats

import (
	"errors"
	"fmt"
	"strings"

	"github.com/skein-project/skein/graph"
)

// MaxImportBytes caps what a reader accepts (and, for the CSV zip, what each
// member may inflate to), so an upload cannot exhaust memory.
const MaxImportBytes = 256 << 20

// ErrTooLarge is returned (wrapped) when an import exceeds MaxImportBytes. It
// matches graph.ErrTooComplex.
var ErrTooLarge = fmt.Errorf("import larger than %d bytes: %w", MaxImportBytes, graph.ErrTooComplex)

// Row is one bad record of an import.
type Row struct {
	// File is the member of a zip (CSV) the row is in; empty otherwise.
	File string `json:"file,omitempty"`
	// Line is the 1-based line where the record starts, in every format
	// (XML readers report the line of the element's start tag; CSV the line
	// in the member file). 0 means the problem is not tied to one record.
	Line    int    `json:"line"`
	Message string `json:"message"`
}

func (r Row) String() string {
	var b strings.Builder
	if r.File != "" {
		b.WriteString(r.File)
		b.WriteString(" ")
	}
	if r.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", r.Line)
	}
	b.WriteString(r.Message)
	return b.String()
}

// ImportError lists the bad rows of a rejected import: the first MaxRows,
// and how many More there are. It matches graph.ErrInvalid.
type ImportError struct {
	Format Format
	Rows   []Row
	// More counts the bad rows past MaxRows, which are not listed.
	More int
}

// MaxRows bounds the bad rows (and the warnings) an import lists; the rest
// are counted. A row's message is cut at maxRowMessage bytes. So the error
// of any file is at most about MaxRows * maxRowMessage bytes.
const (
	MaxRows       = 1000
	maxRowMessage = 300
)

// maxRowsInMessage bounds Error(); Rows holds up to MaxRows.
const maxRowsInMessage = 20

// Total is the number of bad rows, listed or not.
func (e *ImportError) Total() int { return len(e.Rows) + e.More }

func (e *ImportError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s import: %d bad row(s)", e.Format, e.Total())
	for i, r := range e.Rows {
		if i == maxRowsInMessage {
			fmt.Fprintf(&b, "; and %d more", e.Total()-i)
			break
		}
		b.WriteString("; ")
		b.WriteString(r.String())
	}
	return b.String()
}

// Unwrap makes errors.Is(err, graph.ErrInvalid) true.
func (e *ImportError) Unwrap() error { return graph.ErrInvalid }

// message renders an error for a row, without the sentinel suffix that
// every row would otherwise repeat.
func message(err error) string {
	s := err.Error()
	for _, suffix := range []error{graph.ErrInvalid, graph.ErrNotFound} {
		if errors.Is(err, suffix) {
			s = strings.TrimSuffix(s, ": "+suffix.Error())
		}
	}
	return s
}
