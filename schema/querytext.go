package schema

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// A small parser of GraphQL executable documents, enough to measure a
// query (cost, aliases) before graphql-go executes it: graphql-go keeps its
// own parser internal. It keeps only what the measure needs: operations,
// fragments, fields with their aliases and the arguments that size lists.
// When it fails, the handler falls back on graphql-go's validation, so a
// document this parser does not understand is never executed unmeasured.

// qDocument is a parsed executable document.
type qDocument struct {
	ops   []*qOperation
	frags map[string]*qFragment
	// unsupported says why the fast executor (fast_exec.go) must not run
	// the document, when the parser saw something whose meaning it does
	// not keep exactly (block strings, directives where it keeps none);
	// "" when nothing.
	unsupported string
	// verdict is graphql-go's validation of the text (doccache.go).
	verdict gqlVerdict
	// plans are the fast executor's plans kept for the text (fast_exec.go).
	plans keptPlans
}

type qOperation struct {
	name string
	kind string            // query, mutation or subscription
	vars map[string]qValue // the variables' defaults
	// varTypes are the declared variables, in order, for the check of
	// their values (varcheck.go).
	varTypes []qVarType
	sel      []*qSelection
}

// qVarType is a declared variable and its type.
type qVarType struct {
	name string
	typ  *qType
}

// qType is a variable's type as written: a named type, or a list of a
// type, either of them non-null.
type qType struct {
	name    string // "" for a list
	elem    *qType // the item type of a list
	nonNull bool
}

type qFragment struct {
	on   string
	dirs []qDirective
	sel  []*qSelection
}

// qSelection is a field (name set), a fragment spread (spread set) or an
// inline fragment (neither set; on may be empty).
type qSelection struct {
	alias, name string
	args        map[string]qValue
	dirs        []qDirective
	spread      string
	on          string
	sel         []*qSelection
}

// qDirective is a directive with its arguments (@skip(if: $x)).
type qDirective struct {
	name string
	args map[string]qValue
}

// qValue is an argument value: a variable, an integer, a string, a list
// (of n items, with its strings) or anything else.
type qValue struct {
	variable string
	integer  *int64
	str      *string
	list     int      // items of a list value; -1 when not a list
	strs     []string // the string items of a list value
	// lit is the value as graphql-go's ast.Value.Deserialize gives it
	// (int32 or int64, float64, string for strings and enum values,
	// bool, nil, []any, map[string]any) when it holds no variable;
	// nestedVar is set when a list or object holds one.
	lit       any
	nestedVar bool
}

var (
	errQuerySyntax = errors.New("query syntax")
	// errQuerySize: the document is larger than the parser's bounds; it
	// is refused before graphql-go validates it, since validation time
	// grows with the square of repeated fields.
	errQuerySize = errors.New("query size")
)

// Bounds of a document, checked while it is parsed.
const (
	// MaxSelections bounds the fields, fragment spreads and inline
	// fragments written in a document (fragments not expanded).
	MaxSelections = 2000
	// MaxRepeatedField bounds how often one response name may be written
	// in one selection set.
	MaxRepeatedField = 20
	// maxNesting bounds the nesting of selection sets and values, so that
	// neither this parser nor graphql-go's recurses without bound; the
	// depth graphql-go checks (Options.MaxDepth) is far lower.
	maxNesting = 64
)

// parseQuery parses an executable document.
func parseQuery(src string) (doc *qDocument, err error) {
	p := &qParser{src: src}
	defer func() {
		// The parser stops at the first error by panicking with it.
		if r := recover(); r != nil {
			pe, ok := r.(qParseError)
			if !ok {
				panic(r)
			}
			kind := errQuerySyntax
			if pe.size {
				kind = errQuerySize
			}
			doc, err = nil, fmt.Errorf("%w: %s at byte %d", kind, pe.msg, pe.at)
		}
	}()
	p.next()
	doc = &qDocument{frags: map[string]*qFragment{}}
	defer func() {
		if doc != nil {
			doc.unsupported = p.unsupported
		}
	}()
	for p.tok != tEOF {
		switch {
		case p.tok == tPunct && p.val == "{":
			doc.ops = append(doc.ops, &qOperation{kind: "query", sel: p.selectionSet()})
		case p.tok == tName && (p.val == "query" || p.val == "mutation" || p.val == "subscription"):
			doc.ops = append(doc.ops, p.operation())
		case p.tok == tName && p.val == "fragment":
			p.next()
			name := p.name()
			if _, dup := doc.frags[name]; dup {
				p.fail("fragment " + name + " defined twice")
			}
			p.keyword("on")
			f := &qFragment{on: p.name()}
			f.dirs = p.directives()
			f.sel = p.selectionSet()
			doc.frags[name] = f
		default:
			p.fail("unexpected " + strconv.Quote(p.val))
		}
	}
	if len(doc.ops) == 0 {
		p.fail("no operation")
	}
	return doc, nil
}

type qToken int

const (
	tEOF qToken = iota
	tPunct
	tName
	tInt
	tFloat
	tString
)

type qParseError struct {
	msg  string
	at   int
	size bool // a bound, not the syntax
}

type qParser struct {
	src        string
	pos        int
	tok        qToken
	val        string // text of the token (a string's raw content, quotes included)
	at         int    // offset of the token
	selections int    // selections read so far
	nesting    int    // open selection sets and values
	// unsupported: see qDocument.unsupported (the first reason).
	unsupported string
}

// unsure records why the fast executor must leave the document to
// graphql-go.
func (p *qParser) unsure(why string) {
	if p.unsupported == "" {
		p.unsupported = why
	}
}

func (p *qParser) fail(msg string) { panic(qParseError{msg: msg, at: p.at}) }

func (p *qParser) tooBig(msg string) { panic(qParseError{msg: msg, at: p.at, size: true}) }

// enter and leave track nesting.
func (p *qParser) enter() {
	p.nesting++
	if p.nesting > maxNesting {
		p.tooBig(fmt.Sprintf("nested more than %d levels", maxNesting))
	}
}

func (p *qParser) leave() { p.nesting-- }

// next reads the next token, skipping white space, commas and comments.
func (p *qParser) next() {
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' {
			p.pos++
			continue
		}
		if c == '#' {
			for p.pos < len(p.src) && p.src[p.pos] != '\n' && p.src[p.pos] != '\r' {
				p.pos++
			}
			continue
		}
		if strings.HasPrefix(p.src[p.pos:], "\uFEFF") {
			p.pos += len("\uFEFF")
			continue
		}
		break
	}
	p.at = p.pos
	if p.pos >= len(p.src) {
		p.tok, p.val = tEOF, ""
		return
	}
	c := p.src[p.pos]
	switch {
	case strings.HasPrefix(p.src[p.pos:], "..."):
		p.pos += 3
		p.tok, p.val = tPunct, "..."
	case strings.IndexByte("!$&()[]{}:=@|", c) >= 0:
		p.pos++
		p.tok, p.val = tPunct, string(c)
	case c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
		start := p.pos
		for p.pos < len(p.src) && isNameByte(p.src[p.pos]) {
			p.pos++
		}
		p.tok, p.val = tName, p.src[start:p.pos]
	case c == '-' || c >= '0' && c <= '9':
		p.number()
	case c == '"':
		p.str()
	default:
		p.fail(fmt.Sprintf("unexpected character %q", c))
	}
}

func isNameByte(c byte) bool {
	return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

func (p *qParser) number() {
	start := p.pos
	digits := func() {
		n := p.pos
		for p.pos < len(p.src) && p.src[p.pos] >= '0' && p.src[p.pos] <= '9' {
			p.pos++
		}
		if p.pos == n {
			p.fail("malformed number")
		}
	}
	if p.src[p.pos] == '-' {
		p.pos++
	}
	digits()
	p.tok = tInt
	if p.pos < len(p.src) && p.src[p.pos] == '.' {
		p.pos++
		digits()
		p.tok = tFloat
	}
	if p.pos < len(p.src) && (p.src[p.pos] == 'e' || p.src[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.src) && (p.src[p.pos] == '+' || p.src[p.pos] == '-') {
			p.pos++
		}
		digits()
		p.tok = tFloat
	}
	if p.pos < len(p.src) && (isNameByte(p.src[p.pos]) || p.src[p.pos] == '.') {
		p.fail("malformed number")
	}
	p.val = p.src[start:p.pos]
}

// str reads a string, keeping its raw text (quotes included) in val. Block
// strings are lexed as graphql-go's lexer (text/scanner) does, as an empty
// string followed by a string, so both see the same tokens.
func (p *qParser) str() {
	start := p.pos
	p.pos++
	for {
		if p.pos >= len(p.src) || p.src[p.pos] == '\n' || p.src[p.pos] == '\r' {
			p.fail("unterminated string")
		}
		switch p.src[p.pos] {
		case '\\':
			p.pos += 2
			continue
		case '"':
			p.pos++
			p.tok, p.val = tString, p.src[start:p.pos]
			if p.val == `""` && p.pos < len(p.src) && p.src[p.pos] == '"' {
				p.unsure("a block string")
			}
			return
		}
		p.pos++
	}
}

func (p *qParser) punct(s string) bool {
	if p.tok == tPunct && p.val == s {
		p.next()
		return true
	}
	return false
}

func (p *qParser) expect(s string) {
	if !p.punct(s) {
		p.fail("expected " + s)
	}
}

func (p *qParser) name() string {
	if p.tok != tName {
		p.fail("expected a name")
	}
	n := p.val
	p.next()
	return n
}

func (p *qParser) keyword(k string) {
	if p.tok != tName || p.val != k {
		p.fail("expected " + k)
	}
	p.next()
}

func (p *qParser) operation() *qOperation {
	op := &qOperation{kind: p.name(), vars: map[string]qValue{}}
	if p.tok == tName {
		op.name = p.name()
	}
	if p.punct("(") {
		for !p.punct(")") {
			p.expect("$")
			v := p.name()
			p.expect(":")
			op.varTypes = append(op.varTypes, qVarType{name: v, typ: p.typeRef()})
			if p.punct("=") {
				op.vars[v] = p.value()
			}
			if len(p.directives()) > 0 {
				p.unsure("a directive on a variable")
			}
		}
	}
	if len(p.directives()) > 0 {
		p.unsure("a directive on an operation")
	}
	op.sel = p.selectionSet()
	return op
}

func (p *qParser) typeRef() *qType {
	t := &qType{}
	if p.punct("[") {
		t.elem = p.typeRef()
		p.expect("]")
	} else {
		t.name = p.name()
	}
	t.nonNull = p.punct("!")
	return t
}

func (p *qParser) directives() []qDirective {
	var out []qDirective
	for p.punct("@") {
		d := qDirective{name: p.name()}
		if p.tok == tPunct && p.val == "(" {
			d.args = p.arguments()
		}
		out = append(out, d)
	}
	return out
}

func (p *qParser) selectionSet() []*qSelection {
	p.expect("{")
	p.enter()
	var out []*qSelection
	seen := map[string]int{}
	for !p.punct("}") {
		if p.tok == tEOF {
			p.fail("unterminated selection set")
		}
		p.selections++
		if p.selections > MaxSelections {
			p.tooBig(fmt.Sprintf("more than %d selections", MaxSelections))
		}
		s := p.selection()
		if s.name != "" {
			key := cmp.Or(s.alias, s.name)
			seen[key]++
			if seen[key] > MaxRepeatedField {
				p.tooBig(fmt.Sprintf("%s selected more than %d times in one selection set", key, MaxRepeatedField))
			}
		}
		out = append(out, s)
	}
	p.leave()
	if len(out) == 0 {
		p.fail("empty selection set")
	}
	return out
}

func (p *qParser) selection() *qSelection {
	if p.punct("...") {
		s := &qSelection{}
		switch {
		case p.tok == tName && p.val == "on":
			p.next()
			s.on = p.name()
		case p.tok == tName:
			s.spread = p.name()
			s.dirs = p.directives()
			return s
		}
		s.dirs = p.directives()
		s.sel = p.selectionSet()
		return s
	}
	s := &qSelection{name: p.name()}
	if p.punct(":") {
		s.alias, s.name = s.name, p.name()
	}
	if p.tok == tPunct && p.val == "(" {
		s.args = p.arguments()
	}
	s.dirs = p.directives()
	if p.tok == tPunct && p.val == "{" {
		s.sel = p.selectionSet()
	}
	return s
}

func (p *qParser) arguments() map[string]qValue {
	p.expect("(")
	args := map[string]qValue{}
	for !p.punct(")") {
		n := p.name()
		p.expect(":")
		args[n] = p.value()
	}
	return args
}

func (p *qParser) value() qValue {
	v := qValue{list: -1}
	switch {
	case p.punct("$"):
		v.variable = p.name()
	case p.tok == tInt:
		if i, err := strconv.ParseInt(p.val, 10, 64); err == nil {
			v.integer = &i
			v.lit = i
			if i >= -1<<31 && i <= 1<<31-1 {
				v.lit = int32(i)
			}
		} else {
			p.unsure("an integer out of range")
		}
		p.next()
	case p.tok == tString:
		v.str = unquote(p.val)
		// graphql-go decodes a string token with strconv.Unquote.
		if s, err := strconv.Unquote(p.val); err == nil {
			v.lit = s
		} else {
			p.unsure("a string Go cannot unquote")
		}
		p.next()
	case p.tok == tFloat:
		if f, err := strconv.ParseFloat(p.val, 64); err == nil {
			v.lit = f
		} else {
			p.unsure("a float out of range")
		}
		p.next()
	case p.tok == tName:
		switch p.val {
		case "true", "false":
			v.lit = p.val == "true"
		case "null":
		default:
			v.lit = p.val // an enum value
		}
		p.next()
	case p.punct("["):
		p.enter()
		v.list = 0
		items := []any{}
		for !p.punct("]") {
			if p.tok == tEOF {
				p.fail("unterminated list")
			}
			item := p.value()
			if item.str != nil {
				v.strs = append(v.strs, *item.str)
			}
			v.nestedVar = v.nestedVar || item.variable != "" || item.nestedVar
			items = append(items, item.lit)
			v.list++
		}
		v.lit = items
		p.leave()
	case p.punct("{"):
		p.enter()
		fields := map[string]any{}
		for !p.punct("}") {
			n := p.name()
			p.expect(":")
			item := p.value()
			v.nestedVar = v.nestedVar || item.variable != "" || item.nestedVar
			fields[n] = item.lit
		}
		v.lit = fields
		p.leave()
	default:
		p.fail("expected a value")
	}
	return v
}

// unquote decodes a string token; GraphQL's escapes are JSON's. A block
// string's empty first token, or text it cannot decode, gives nil: the
// measure then does without the value.
func unquote(raw string) *string {
	var s string
	if len(raw) < 3 || json.Unmarshal([]byte(raw), &s) != nil {
		return nil
	}
	return &s
}
