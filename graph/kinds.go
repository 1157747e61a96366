package graph

import (
	"fmt"
	"strings"
)

// Kind is the kind of an entity. In Neo4j it is also the entity's second
// label, so it must only ever come from this enumeration.
type Kind string

// Entity kinds, aligned with FollowTheMoney schemata; registry.go describes
// each.
const (
	KindPerson         Kind = "PERSON"         // FtM Person
	KindOrganization   Kind = "ORGANIZATION"   // gang, crime group, network, clan (FtM Organization)
	KindCompany        Kind = "COMPANY"        // registered legal person (FtM Company)
	KindLegalEntity    Kind = "LEGAL_ENTITY"   // legal person of unstated form (FtM LegalEntity)
	KindAddress        Kind = "ADDRESS"        // premises, an address (FtM Address)
	KindVessel         Kind = "VESSEL"         // FtM Vessel
	KindVehicle        Kind = "VEHICLE"        // FtM Vehicle
	KindBankAccount    Kind = "BANK_ACCOUNT"   // FtM BankAccount
	KindIdentification Kind = "IDENTIFICATION" // passport, ID card, driving licence (FtM Identification)
)

// Kinds lists every entity kind of the registry, in its order.
var Kinds = func() []Kind {
	out := make([]Kind, len(kindSpecs))
	for i, s := range kindSpecs {
		out[i] = s.Kind
	}
	return out
}()

// Valid reports whether k is a kind of the registry.
func (k Kind) Valid() bool {
	_, ok := kindIndex[k]
	return ok
}

// Label is the Neo4j label of the kind ("Person", "BankAccount"), "" for an
// unknown kind.
func (k Kind) Label() string {
	s, _ := k.Spec()
	return s.Label
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

// Link types; registry.go describes each.
const (
	LinkMemberOf    LinkType = "MEMBER_OF"    // person or group in an organisation; carries a role
	LinkPartOf      LinkType = "PART_OF"      // company or group within a larger network
	LinkSupplies    LinkType = "SUPPLIES"     // supplies goods or services to
	LinkAssociateOf LinkType = "ASSOCIATE_OF" // known associate
	LinkFamilyOf    LinkType = "FAMILY_OF"    // family tie (only where a source states it)
	LinkDirectorOf  LinkType = "DIRECTOR_OF"  // director of a company
	LinkOwns        LinkType = "OWNS"         // owns (shares of) a company; carries a percentage
	LinkEmployedBy  LinkType = "EMPLOYED_BY"  // employee of
	LinkLinkedTo    LinkType = "LINKED_TO"    // unspecified link
	LinkHolds       LinkType = "HOLDS"        // holds an identification
	LinkLocatedAt   LinkType = "LOCATED_AT"   // at an address or premises
	LinkRepresents  LinkType = "REPRESENTS"   // agent of a client
	LinkPays        LinkType = "PAYS"         // pays money to; carries amount, currency, date, purpose
	LinkOperates    LinkType = "OPERATES"     // operates a vessel or vehicle
)

// LinkTypes lists every link type of the registry, in its order.
var LinkTypes = func() []LinkType {
	out := make([]LinkType, len(linkSpecs))
	for i, s := range linkSpecs {
		out[i] = s.Type
	}
	return out
}()

// Valid reports whether t is a link type of the registry.
func (t LinkType) Valid() bool {
	_, ok := linkIndex[t]
	return ok
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
