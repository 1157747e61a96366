package formats

import (
	"bufio"
	"io"
	"strings"
	"unicode/utf8"
)

// xmlWriter writes hand-laid-out XML (so that output streams and stays
// readable) with every text and attribute value escaped by xmlEscape.
type xmlWriter struct {
	w   *bufio.Writer
	err error
}

func newXMLWriter(w io.Writer) *xmlWriter { return &xmlWriter{w: bufio.NewWriter(w)} }

// raw writes markup as is.
func (x *xmlWriter) raw(s string) {
	if x.err == nil {
		_, x.err = x.w.WriteString(s)
	}
}

// text writes escaped character data.
func (x *xmlWriter) text(s string) { x.raw(xmlEscape(s, false)) }

// attr writes ` name="value"`.
func (x *xmlWriter) attr(name, value string) {
	x.raw(" " + name + `="` + xmlEscape(value, true) + `"`)
}

// xmlEscape escapes s for character data or (attr) a double-quoted
// attribute value, so that a parser gives back exactly s: CR is escaped
// everywhere (parsers turn CRLF into LF), and in attributes also LF and tab
// (attribute-value normalisation would turn them into spaces). Characters
// XML 1.0 cannot carry at all become U+FFFD, as in encoding/xml.
func xmlEscape(s string, attr bool) string {
	if !strings.ContainsAny(s, "&<>\"\r\n\t") && validXMLChars(s) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '\r':
			b.WriteString("&#xD;")
		case r == '"' && attr:
			b.WriteString("&quot;")
		case r == '\n' && attr:
			b.WriteString("&#xA;")
		case r == '\t' && attr:
			b.WriteString("&#x9;")
		case !xmlChar(r):
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func validXMLChars(s string) bool {
	for _, r := range s {
		if !xmlChar(r) {
			return false
		}
	}
	return true
}

// xmlChar reports whether r is in XML 1.0's Char production.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

func (x *xmlWriter) flush() error {
	if x.err != nil {
		return x.err
	}
	return x.w.Flush()
}
