package schema

import (
	"testing"
)

// TestSchemaParses checks every SDL field against the resolvers: graphql-go
// refuses a schema whose resolver lacks a field or has the wrong types.
func TestSchemaParses(t *testing.T) {
	if _, err := New(nil, Options{}); err != nil {
		t.Fatal(err)
	}
}
