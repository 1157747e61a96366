package graph

// LinkColumns are a subgraph's links as parallel columns, ordered by id:
// what a caller that reads only their ids, types and endpoints needs
// (Selection.LinkColumns). A hub's answer has thousands of links, and as
// Link records they are most of the bytes a store allocates for it (a
// Link is 168 bytes, its id, type and ends 64, its id alone 16), which
// the store allocates and the garbage collector scans.
type LinkColumns struct {
	IDs []string
	// Types, Sources and Targets are empty when the links' ends were
	// not selected (Selection.LinkIDsOnly), else as long as IDs.
	Types            []LinkType
	Sources, Targets []string
}

// Len is the number of links, 0 for nil columns.
func (c *LinkColumns) Len() int {
	if c == nil {
		return 0
	}
	return len(c.IDs)
}

// Link returns link i as a record holding the columns' fields.
func (c *LinkColumns) Link(i int) Link {
	l := Link{ID: c.IDs[i]}
	if len(c.Types) > 0 {
		l.Type, l.Source, l.Target = c.Types[i], c.Sources[i], c.Targets[i]
	}
	return l
}

// Records returns the links as records.
func (c *LinkColumns) Records() []Link {
	out := make([]Link, len(c.IDs))
	for i := range out {
		out[i] = c.Link(i)
	}
	return out
}
