package audit

import (
	"bufio"
	"errors"
	"io"
)

// lineReader reads newline-ended lines of at most max bytes in constant
// memory: a longer line is passed over, never buffered whole.
type lineReader struct {
	br        *bufio.Reader
	oversized bool
}

func newLineReader(r io.Reader, max int) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, max)}
}

// next returns the next line and true; an empty non-nil line and false for
// a line longer than the bound; nil and false at the end.
func (l *lineReader) next() ([]byte, bool, error) {
	for {
		b, err := l.br.ReadSlice('\n')
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			l.oversized = true
			continue
		case err != nil && !errors.Is(err, io.EOF):
			return nil, false, err
		}
		if l.oversized {
			l.oversized = false
			return []byte{}, false, nil
		}
		if len(b) == 0 {
			return nil, false, nil // io.EOF
		}
		return b, true, nil // a last line without its newline comes too
	}
}
