package schema

import (
	"sync"

	gqlerrors "github.com/graph-gophers/graphql-go/errors"
)

// The document cache. A client sends the same few query texts over and
// over with different variables (the UI's, the bench harness's), and on a
// small answer parsing the text twice (this package's parser for the cost,
// graphql-go's for validation) and validating it cost more than the store
// and the fast executor together. The cache keeps, per query text, the
// document this package parsed and graphql-go's verdict on the text; the
// values of the variables are still checked on every request (varcheck.go),
// since they change while the text does not. It lives on the Schema (one
// schema, one set of verdicts), is bounded in entries and in bytes of query
// text, and forgets an arbitrary entry to make room.

// Bounds of the document cache.
const (
	docCacheEntries = 1024
	docCacheBytes   = 1 << 20 // of query text; a document takes a few times more
)

// docCache maps query texts to their parsed documents. It is safe for
// concurrent use.
type docCache struct {
	mu      sync.Mutex
	docs    map[string]*qDocument
	bytes   int
	entries int // bound on len(docs)
	most    int // bound on bytes
}

func newDocCache(entries, bytes int) *docCache {
	return &docCache{docs: make(map[string]*qDocument), entries: entries, most: bytes}
}

// parse is parseQuery through the cache: only documents that parse are
// kept, so that a failure is always reported afresh.
func (c *docCache) parse(src string) (*qDocument, error) {
	c.mu.Lock()
	doc, ok := c.docs[src]
	c.mu.Unlock()
	if ok {
		return doc, nil
	}
	doc, err := parseQuery(src)
	if err != nil || len(src) > c.most {
		return doc, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.docs[src]; ok {
		return old, nil // parsed at the same time by another request
	}
	for k := range c.docs { // map order: an arbitrary entry
		if len(c.docs) < c.entries && c.bytes+len(src) <= c.most {
			break
		}
		delete(c.docs, k)
		c.bytes -= len(k)
	}
	c.docs[src] = doc
	c.bytes += len(src)
	return doc, nil
}

// len is the number of documents kept.
func (c *docCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.docs)
}

// gqlVerdict is graphql-go's validation of a document's text, the values
// of its variables aside: asked once per document.
type gqlVerdict struct {
	once  sync.Once
	valid bool
}

// validText reports whether graphql-go finds nothing wrong with the text
// of doc (src) except, perhaps, the values of its variables: the text is
// validated without variables, and the errors that only the variables'
// values cause (a missing non-null one) are set aside.
func (s *Schema) validText(doc *qDocument, src string) bool {
	doc.verdict.once.Do(func() {
		doc.verdict.valid = true
		for _, e := range s.gql.ValidateWithVariables(src, nil) {
			if !variableValueError(e) {
				doc.verdict.valid = false
			}
		}
	})
	return doc.verdict.valid
}

// variableValueError reports whether the error is graphql-go's report of a
// variable's value (the one rule of its validation that reads them).
func variableValueError(e *gqlerrors.QueryError) bool {
	return e.Rule == "VariablesOfCorrectType"
}
