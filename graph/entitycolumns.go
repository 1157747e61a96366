package graph

// EntityColumns are a subgraph's nodes as parallel columns, in the order
// of Subgraph.Nodes: what a caller that reads only their ids, kinds and
// names needs (Selection.NodeColumns), as LinkColumns are its links. A
// hub's answer is hundreds of nodes, and as Entity records (144 bytes
// each, pointerful) they were the largest allocation of the embedded
// store's answer once its links were columns; a store holds the ids,
// kinds and names already and hands them out as they are.
type EntityColumns struct {
	IDs []string
	// Kinds is empty when no kind is read (Selection.NoKinds), else as
	// long as IDs.
	Kinds []Kind
	// Names is empty unless names are selected (EntityName), else as
	// long as IDs.
	Names []string
}

// Len is the number of entities, 0 for nil columns.
func (c *EntityColumns) Len() int {
	if c == nil {
		return 0
	}
	return len(c.IDs)
}

// Entity returns entity i as a record holding the columns' fields.
func (c *EntityColumns) Entity(i int) Entity {
	e := Entity{ID: c.IDs[i]}
	if len(c.Kinds) > 0 {
		e.Kind = c.Kinds[i]
	}
	if len(c.Names) > 0 {
		e.Name = c.Names[i]
	}
	return e
}

// Records returns the entities as records.
func (c *EntityColumns) Records() []Entity {
	out := make([]Entity, len(c.IDs))
	for i := range out {
		out[i] = c.Entity(i)
	}
	return out
}
