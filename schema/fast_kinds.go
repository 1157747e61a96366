package schema

// Whether the fast executor needs the entities' kinds. An entity's fields
// are collected for each kind (byKind), since fragments on a concrete type
// apply to entities of that type only; when every kind has the same fields
// and none of them is kind or __typename, the answer is the same whatever
// the kinds, and the store need not read them (graph.Selection.NoKinds).

// kindless reports whether writing an entity with these fields needs no
// kind.
func (bf byKind) kindless() bool {
	for _, fs := range bf {
		if !sameFields(fs, bf[0]) {
			return false
		}
	}
	for _, f := range bf[0] {
		if f.name == "kind" || f.name == "__typename" {
			return false
		}
	}
	return true
}

// sameFields reports whether two collections write the same fields: the
// same response names of the same fields in the same order, with the same
// dates and the same fields of properties.
func sameFields(a, b []*fastField) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].alias != b[i].alias || a[i].name != b[i].name || a[i].when != b[i].when || !sameFields(a[i].props, b[i].props) {
			return false
		}
	}
	return true
}

// kindless reports whether a subgraph's or paths' nodes and links'
// endpoints need no kinds.
func (sf *subgraphFields) kindless() bool {
	for _, bf := range sf.nodes {
		if !bf.kindless() {
			return false
		}
	}
	for _, lf := range sf.links {
		for _, bf := range lf.ends {
			if !bf.kindless() {
				return false
			}
		}
	}
	return true
}

// kindless reports whether a search connection's nodes and edges' node
// need no kinds.
func (cf *connectionFields) kindless() bool {
	for _, bf := range cf.nodes {
		if !bf.kindless() {
			return false
		}
	}
	for _, ef := range cf.edges {
		for _, bf := range ef.node {
			if !bf.kindless() {
				return false
			}
		}
	}
	return true
}
