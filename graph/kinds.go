package graph

import (
	"fmt"
	"strings"
)

// Kind is the kind of an entity. In Neo4j it is also the entity's second
// label, so it must only ever come from this enumeration.
type Kind string

// Entity kinds, aligned with FollowTheMoney schemata.
const (
	KindPerson       Kind = "PERSON"       // FtM Person
	KindOrganization Kind = "ORGANIZATION" // gang, crime group, network, clan (FtM Organization)
	KindCompany      Kind = "COMPANY"      // registered legal person (FtM Company)
)

// Kinds lists every entity kind in a stable order.
var Kinds = []Kind{KindPerson, KindOrganization, KindCompany}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// Label is the Neo4j label for the kind ("Person", "Organization", "Company").
func (k Kind) Label() string {
	switch k {
	case KindPerson:
		return "Person"
	case KindOrganization:
		return "Organization"
	case KindCompany:
		return "Company"
	}
	return ""
}

// ParseKind parses a kind case-insensitively.
func ParseKind(s string) (Kind, error) {
	k := Kind(strings.ToUpper(strings.TrimSpace(s)))
	if !k.Valid() {
		return "", fmt.Errorf("unknown entity kind %q: %w", s, ErrInvalid)
	}
	return k, nil
}

// LinkType is the type of a link. In Neo4j it is the relationship type, so it
// must only ever come from this enumeration.
type LinkType string

// Link types.
const (
	LinkMemberOf    LinkType = "MEMBER_OF"    // person or group in an organisation; carries a role
	LinkPartOf      LinkType = "PART_OF"      // company or group within a larger network
	LinkSupplies    LinkType = "SUPPLIES"     // supplies goods or services to
	LinkAssociateOf LinkType = "ASSOCIATE_OF" // known associate
	LinkFamilyOf    LinkType = "FAMILY_OF"    // family tie (only where a source states it)
	LinkDirectorOf  LinkType = "DIRECTOR_OF"  // director of a company
	LinkOwns        LinkType = "OWNS"         // owns (shares of) a company
	LinkEmployedBy  LinkType = "EMPLOYED_BY"  // employee of
	LinkLinkedTo    LinkType = "LINKED_TO"    // unspecified link
)

// LinkTypes lists every link type in a stable order.
var LinkTypes = []LinkType{
	LinkMemberOf, LinkPartOf, LinkSupplies, LinkAssociateOf, LinkFamilyOf,
	LinkDirectorOf, LinkOwns, LinkEmployedBy, LinkLinkedTo,
}

// Valid reports whether t is one of LinkTypes.
func (t LinkType) Valid() bool {
	for _, v := range LinkTypes {
		if t == v {
			return true
		}
	}
	return false
}

// ParseLinkType parses a link type case-insensitively.
func ParseLinkType(s string) (LinkType, error) {
	t := LinkType(strings.ToUpper(strings.TrimSpace(s)))
	if !t.Valid() {
		return "", fmt.Errorf("unknown link type %q: %w", s, ErrInvalid)
	}
	return t, nil
}

// Direction selects links by their direction relative to an entity.
type Direction string

// Directions.
const (
	DirectionBoth     Direction = "BOTH"
	DirectionOutgoing Direction = "OUTGOING"
	DirectionIncoming Direction = "INCOMING"
)

// Valid reports whether d is a known direction.
func (d Direction) Valid() bool {
	return d == DirectionBoth || d == DirectionOutgoing || d == DirectionIncoming
}

// NormalizeLinksArgs checks the filter of Store.LinksOf and returns its
// direction with the default applied (BOTH when empty).
func NormalizeLinksArgs(types []LinkType, dir Direction, w When) (Direction, error) {
	if err := w.Check("links"); err != nil {
		return "", err
	}
	if dir == "" {
		dir = DirectionBoth
	}
	if !dir.Valid() {
		return "", fmt.Errorf("unknown direction %q: %w", dir, ErrInvalid)
	}
	return dir, validLinkTypes(types)
}

// validKinds checks a kind filter.
func validKinds(ks []Kind) error {
	for _, k := range ks {
		if !k.Valid() {
			return fmt.Errorf("unknown entity kind %q: %w", k, ErrInvalid)
		}
	}
	return nil
}

// validLinkTypes checks a link-type filter.
func validLinkTypes(ts []LinkType) error {
	for _, t := range ts {
		if !t.Valid() {
			return fmt.Errorf("unknown link type %q: %w", t, ErrInvalid)
		}
	}
	return nil
}

// KindSet is a filter of entity kinds; the empty set allows every kind.
type KindSet []Kind

// Has reports whether k passes the filter.
func (s KindSet) Has(k Kind) bool {
	if len(s) == 0 {
		return true
	}
	for _, v := range s {
		if v == k {
			return true
		}
	}
	return false
}

// LinkTypeSet is a filter of link types; the empty set allows every type.
type LinkTypeSet []LinkType

// Has reports whether t passes the filter.
func (s LinkTypeSet) Has(t LinkType) bool {
	if len(s) == 0 {
		return true
	}
	for _, v := range s {
		if v == t {
			return true
		}
	}
	return false
}
