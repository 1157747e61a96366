package graph

// Selection says which parts of the records of an answer the caller will
// read, so that a store that pays for every byte it fetches (Neo4j, over
// Bolt) can fetch only those. The zero Selection selects whole records.
// A store may return more than is selected (the embedded store leaves out
// only the lists and maps, which cost it allocations), never less. Ids, an entity's kind, and a link's
// type and endpoints are part of every answer, selected or not, unless
// LinkIDsOnly or NoKinds says otherwise.
type Selection struct {
	// Partial is false for whole records; when true, only the parts in
	// Entity and Link are needed.
	Partial bool
	Entity  EntityParts
	Link    LinkParts
	// LinkIDsOnly, with Partial, says that nothing of the links is read
	// but their ids: a store may leave their type and endpoints empty (a
	// hub's answer has thousands of links, and each end is a read the
	// server would make for nothing).
	LinkIDsOnly bool
	// NoKinds, with Partial, says that no entity's kind is read: a store
	// may leave Kind empty (a large answer is hundreds of entities, and
	// each kind a property read). GraphQL's own executor resolves every
	// entity's concrete type from its kind, so only schema's fast
	// executor, which knows when the answer does not depend on it, sets it.
	NoKinds bool
	// LinkColumns, with Partial, says that the caller reads a subgraph's
	// links from Subgraph.LinkColumns when it is filled: a store may
	// answer that way when nothing of the links but ids, types and
	// endpoints is selected. Only schema's fast executor, which writes
	// either form, sets it.
	LinkColumns bool
	// NodeColumns, with Partial, says the same of a subgraph's nodes and
	// Subgraph.NodeColumns: a store may answer that way when nothing of
	// the entities but ids, kinds and names is selected.
	NodeColumns bool
}

// LinkColumnar reports whether a store may answer a subgraph's links as
// Subgraph.LinkColumns: the caller asks so, and reads nothing of them but
// what the columns hold.
func (s Selection) LinkColumnar() bool { return s.Partial && s.LinkColumns && s.Link == 0 }

// NodeColumnar reports whether a store may answer a subgraph's nodes as
// Subgraph.NodeColumns: the caller asks so, and reads nothing of them but
// what the columns hold.
func (s Selection) NodeColumnar() bool {
	return s.Partial && s.NodeColumns && s.Entity&^EntityName == 0
}

// LinkEnds reports whether the links' type and endpoints are needed.
func (s Selection) LinkEnds() bool { return !s.Partial || !s.LinkIDsOnly }

// Kinds reports whether the entities' kinds are needed.
func (s Selection) Kinds() bool { return !s.Partial || !s.NoKinds }

// EntityParts is a set of an entity's stored fields.
type EntityParts uint16

// The parts of an entity beyond its id and kind.
const (
	EntityName EntityParts = 1 << iota
	EntityAliases
	EntityCountries
	EntityDescription
	EntityProperties
	EntitySources
	EntityDesignations
)

// LinkParts is a set of a link's stored fields.
type LinkParts uint16

// The parts of a link beyond its id, type and endpoints.
const (
	LinkRole LinkParts = 1 << iota
	LinkDescription
	LinkDates // StartDate and EndDate
	LinkWeight
	LinkProperties
	LinkSources
)

// HasEntity reports whether p is selected.
func (s Selection) HasEntity(p EntityParts) bool { return !s.Partial || s.Entity&p != 0 }

// HasLink reports whether p is selected.
func (s Selection) HasLink(p LinkParts) bool { return !s.Partial || s.Link&p != 0 }
