package schema

import (
	"github.com/graph-gophers/graphql-go/ast"
)

// The check of the variables' values of a cached document (doccache.go).
// graphql-go's validation reads the variables in one rule only: a value
// must not be null where the type is non-null, a list's items are checked
// one by one (a single value stands for a list of one), an enum's value
// must be one of its values, and an input object's fields are checked
// against the type; scalars are left to execution. varsValid answers
// whether that rule would pass, and is sure only of what it says yes to:
// input objects and unknown types are "not sure", and the caller then asks
// graphql-go itself.

// varsValid reports whether graphql-go's validation would find nothing
// wrong with the values vars gives the variables of every operation of doc
// (graphql-go checks every operation's, not only the one that runs).
func (s *Schema) varsValid(doc *qDocument, vars map[string]any) bool {
	for _, op := range doc.ops {
		for _, v := range op.varTypes {
			if !s.valueValid(v.typ, vars[v.name]) {
				return false
			}
		}
	}
	return true
}

func (s *Schema) valueValid(t *qType, val any) bool {
	if val == nil {
		return !t.nonNull
	}
	if t.elem != nil {
		items, ok := val.([]any)
		if !ok {
			return s.valueValid(t.elem, val) // coerced to a list of one
		}
		for _, item := range items {
			if !s.valueValid(t.elem, item) {
				return false
			}
		}
		return true
	}
	switch nt := s.gql.AST().Types[t.name].(type) {
	case *ast.ScalarTypeDefinition:
		return true
	case *ast.EnumTypeDefinition:
		e, ok := val.(string)
		if !ok {
			return false
		}
		for _, option := range nt.EnumValuesDefinition {
			if option.EnumValue == e {
				return true
			}
		}
		return false
	}
	return false // an input object or an unknown type: not sure
}
