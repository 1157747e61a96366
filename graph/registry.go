package graph

// The registry: every entity kind and link type, with the Neo4j label, the
// GraphQL type, the FollowTheMoney schema and the typed fields each carries.
// The stores, the SDL, the formats, the generator and the UI's styles follow
// these two tables, so adding a kind takes one entry here (and its tests).

// KindSpec describes one entity kind.
type KindSpec struct {
	Kind        Kind
	Label       string // Neo4j label, next to :Entity
	GraphQLType string // GraphQL object type implementing Entity
	FtMSchema   string // FollowTheMoney schema
	Description string
	Title       string  // for people: "Bank account"
	Plural      string  // for headings and filters
	Style       Style   // how the UI draws it
	Fields      []Field // kind-specific fields, kept in Entity.Properties
}

// Style is how the UI draws a kind: a Cytoscape node shape, a colour and an
// icon given as SVG path data in a 24x24 view box.
type Style struct {
	Shape string
	Color string
	Icon  string
}

// LinkSpec describes one link type.
type LinkSpec struct {
	Type        LinkType
	Description string
	// FtMSchema is the FollowTheMoney interval schema the link maps to; for
	// links FtM keeps as an entity property (an identification's holder,
	// a thing's address, a vehicle's operator) it is that entity's schema
	// and FtMProperty names the property.
	FtMSchema   string
	FtMProperty string
	// Source and Target say what each end is, with the FtM property that
	// holds it ("owner", "asset").
	Source, Target       string
	FtMSource, FtMTarget string
	Fields               []Field // typed fields, kept in Link.Properties
}

func bound(v float64) *float64 { return &v }

// Icons (SVG path data, 24x24).
const (
	iconPerson  = "M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9zm0 2c-4.4 0-8 2.2-8 5v2h16v-2c0-2.8-3.6-5-8-5z"
	iconGroup   = "M8 11a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zm8 0a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7zM8 13c-3.3 0-6 1.7-6 4v2h12v-2c0-2.3-2.7-4-6-4zm8 0c-.6 0-1.2.1-1.7.2 1 .9 1.7 2.1 1.7 3.8v2h6v-2c0-2.3-2.7-4-6-4z"
	iconCompany = "M3 21V7l6-3v4l6-3v4l6-3v15H3zm4-3h2v-2H7v2zm4 0h2v-2h-2v2zm4 0h2v-2h-2v2z"
	iconLegal   = "M12 2 3 6v2h18V6l-9-4zM5 10v8h2v-8H5zm6 0v8h2v-8h-2zm6 0v8h2v-8h-2zM3 20v2h18v-2H3z"
	iconAddress = "M12 2a7 7 0 0 0-7 7c0 5.2 7 13 7 13s7-7.8 7-13a7 7 0 0 0-7-7zm0 9.5a2.5 2.5 0 1 1 0-5 2.5 2.5 0 0 1 0 5z"
	iconVessel  = "M4 15l-2-5h20l-2 5H4zm7-12h2v6h-2V3zm-7 15c1.5 0 2.5-1 4-1s2.5 1 4 1 2.5-1 4-1 2.5 1 4 1v2c-1.5 0-2.5-1-4-1s-2.5 1-4 1-2.5-1-4-1-2.5 1-4 1v-2z"
	iconVehicle = "M5 11l1.5-4.5A2 2 0 0 1 8.4 5h7.2a2 2 0 0 1 1.9 1.5L19 11h1a1 1 0 0 1 1 1v5h-2v2h-3v-2H8v2H5v-2H3v-5a1 1 0 0 1 1-1h1zm2.1 0h9.8l-1-3H8.1l-1 3zM7 15a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3zm10 0a1.5 1.5 0 1 0 0-3 1.5 1.5 0 0 0 0 3z"
	iconBank    = "M2 8l10-5 10 5v2H2V8zm2 4h3v6H4v-6zm6.5 0h3v6h-3v-6zM17 12h3v6h-3v-6zM2 20h20v2H2v-2z"
	iconID      = "M3 5h18a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1zm5 3a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5zm-4 8h8c0-1.7-1.8-3-4-3s-4 1.3-4 3zm10-7v2h6V9h-6zm0 4v2h4v-2h-4z"
)

// Fields shared by several kinds; each must have one meaning everywhere.
var (
	fieldRegistrationNumber = Field{Name: "registrationNumber", Label: "Registration number", Property: "registrationNumber", Type: ValueString, Identifier: true, Description: "Registration number, as the registry gives it."}
	fieldJurisdiction       = Field{Name: "jurisdiction", Label: "Jurisdiction", Property: "jurisdiction", Type: ValueCountry, Description: "Country of registration (ISO 3166-1 alpha-2)."}
	fieldCountry            = Field{Name: "country", Label: "Country", Property: "country", Type: ValueCountry, Description: "Country (ISO 3166-1 alpha-2)."}
	fieldIncorporation      = Field{Name: "incorporationDate", Label: "Incorporation date", Property: "incorporationDate", Type: ValueDate, Description: "Date of incorporation (ISO 8601, as precise as the source)."}
	fieldDissolution        = Field{Name: "dissolutionDate", Label: "Dissolution date", Property: "dissolutionDate", Type: ValueDate, Description: "Date of dissolution (ISO 8601, as precise as the source)."}
)

// kindSpecs is the entity half of the registry. The order is the order of
// the EntityKind enum and of every listing by kind.
var kindSpecs = []KindSpec{
	{
		Kind: KindPerson, Label: "Person", GraphQLType: "Person", FtMSchema: "Person",
		Description: "A natural person (FtM Person).", Title: "Person", Plural: "People",
		Style: Style{Shape: "ellipse", Color: "#3d7cc9", Icon: iconPerson},
		Fields: []Field{
			{Name: "birthDate", Label: "Date of birth", Property: "birthDate", Type: ValueDate, Description: "Date of birth (ISO 8601, as precise as the source)."},
			{Name: "nationalities", Label: "Nationalities", Property: "nationality", Type: ValueCountry, List: true, Description: "Nationalities (ISO 3166-1 alpha-2)."},
		},
	},
	{
		Kind: KindOrganization, Label: "Organization", GraphQLType: "Organization", FtMSchema: "Organization",
		Description: "A gang, crime group, network or clan (FtM Organization).", Title: "Organisation", Plural: "Organisations",
		Style: Style{Shape: "round-hexagon", Color: "#d68a1c", Icon: iconGroup},
	},
	{
		Kind: KindCompany, Label: "Company", GraphQLType: "Company", FtMSchema: "Company",
		Description: "A registered legal person (FtM Company).", Title: "Company", Plural: "Companies",
		Style:  Style{Shape: "round-rectangle", Color: "#1f9a8f", Icon: iconCompany},
		Fields: []Field{fieldRegistrationNumber, fieldJurisdiction, fieldIncorporation, fieldDissolution},
	},
	{
		Kind: KindLegalEntity, Label: "LegalEntity", GraphQLType: "LegalEntity", FtMSchema: "LegalEntity",
		Description: "A legal entity whose form the source does not give (FtM LegalEntity).", Title: "Legal entity", Plural: "Legal entities",
		Style:  Style{Shape: "round-octagon", Color: "#5f7f96", Icon: iconLegal},
		Fields: []Field{fieldRegistrationNumber, fieldJurisdiction},
	},
	{
		Kind: KindAddress, Label: "Address", GraphQLType: "Address", FtMSchema: "Address",
		Description: "A place: premises, an address (FtM Address).", Title: "Address", Plural: "Addresses",
		Style: Style{Shape: "round-tag", Color: "#8d6e63", Icon: iconAddress},
		Fields: []Field{
			{Name: "full", Label: "Full address", Property: "full", Type: ValueString, Description: "The full address, as the source gives it."},
			{Name: "city", Label: "City", Property: "city", Type: ValueString, Description: "City."},
			{Name: "postalCode", Label: "Postal code", Property: "postalCode", Type: ValueString, Description: "Postal code."},
			fieldCountry,
		},
	},
	{
		Kind: KindVessel, Label: "Vessel", GraphQLType: "Vessel", FtMSchema: "Vessel",
		Description: "A ship or boat (FtM Vessel).", Title: "Vessel", Plural: "Vessels",
		Style: Style{Shape: "barrel", Color: "#0277bd", Icon: iconVessel},
		Fields: []Field{
			{Name: "imoNumber", Label: "IMO number", Property: "imoNumber", Type: ValueString, Identifier: true, Description: "IMO number."},
			{Name: "flag", Label: "Flag", Property: "flag", Type: ValueCountry, Description: "Flag state (ISO 3166-1 alpha-2)."},
			{Name: "vesselType", Label: "Vessel type", Property: "type", Type: ValueString, Description: "Type of vessel."},
		},
	},
	{
		Kind: KindVehicle, Label: "Vehicle", GraphQLType: "Vehicle", FtMSchema: "Vehicle",
		Description: "A car, van, lorry or other vehicle (FtM Vehicle).", Title: "Vehicle", Plural: "Vehicles",
		Style:  Style{Shape: "cut-rectangle", Color: "#6d4c9e", Icon: iconVehicle},
		Fields: []Field{fieldRegistrationNumber},
	},
	{
		Kind: KindBankAccount, Label: "BankAccount", GraphQLType: "BankAccount", FtMSchema: "BankAccount",
		Description: "A bank account (FtM BankAccount).", Title: "Bank account", Plural: "Bank accounts",
		Style: Style{Shape: "rhomboid", Color: "#2e7d32", Icon: iconBank},
		Fields: []Field{
			{Name: "iban", Label: "IBAN", Property: "iban", Type: ValueIBAN, Identifier: true, Description: "IBAN."},
			{Name: "accountNumber", Label: "Account number", Property: "accountNumber", Type: ValueString, Identifier: true, Description: "Account number."},
			{Name: "bankName", Label: "Bank", Property: "bankName", Type: ValueString, Description: "Name of the bank."},
			fieldCountry,
		},
	},
	{
		Kind: KindIdentification, Label: "Identification", GraphQLType: "Identification", FtMSchema: "Identification",
		Description: "An identity document: passport, ID card, driving licence (FtM Identification, Passport).", Title: "Identification", Plural: "Identifications",
		Style: Style{Shape: "round-pentagon", Color: "#c2185b", Icon: iconID},
		Fields: []Field{
			{Name: "number", Label: "Document number", Property: "number", Type: ValueString, Identifier: true, Description: "Document number."},
			{Name: "documentType", Label: "Document type", Property: "type", Type: ValueEnum, Enum: "DocumentType", Values: []EnumValue{
				{"PASSPORT", "A passport."}, {"ID_CARD", "An identity card."},
				{"DRIVING_LICENCE", "A driving licence."}, {"OTHER", "Another identity document."},
			}, Description: "What kind of document it is."},
			fieldCountry,
			{Name: "authority", Label: "Issuing authority", Property: "authority", Type: ValueString, Description: "The authority that issued it."},
			{Name: "issueDate", Label: "Issue date", Property: "startDate", Type: ValueDate, Description: "Date of issue (ISO 8601)."},
			{Name: "expiryDate", Label: "Expiry date", Property: "endDate", Type: ValueDate, Description: "Date of expiry (ISO 8601)."},
		},
	},
}

var fieldRelationship = Field{Name: "relationship", Label: "Relationship", Summary: true, Property: "relationship", Type: ValueString, Description: "The kind of tie, as the source puts it (brother, business partner)."}

// linkSpecs is the link half of the registry, in the order of the LinkType
// enum.
var linkSpecs = []LinkSpec{
	{Type: LinkMemberOf, Description: "Person or group in an organisation; carries a role.", FtMSchema: "Membership",
		Source: "member", Target: "organisation", FtMSource: "member", FtMTarget: "organization"},
	{Type: LinkPartOf, Description: "Company or group within a larger network.", FtMSchema: "UnknownLink",
		Source: "part", Target: "whole", FtMSource: "subject", FtMTarget: "object"},
	{Type: LinkSupplies, Description: "Supplies goods or services to.", FtMSchema: "UnknownLink",
		Source: "supplier", Target: "customer", FtMSource: "subject", FtMTarget: "object"},
	{Type: LinkAssociateOf, Description: "Known associate.", FtMSchema: "Associate",
		Source: "person", Target: "associate", FtMSource: "person", FtMTarget: "associate", Fields: []Field{fieldRelationship}},
	{Type: LinkFamilyOf, Description: "Family tie (only where a source states it).", FtMSchema: "Family",
		Source: "person", Target: "relative", FtMSource: "person", FtMTarget: "relative", Fields: []Field{fieldRelationship}},
	{Type: LinkDirectorOf, Description: "Director of a company.", FtMSchema: "Directorship",
		Source: "director", Target: "organisation", FtMSource: "director", FtMTarget: "organization"},
	{Type: LinkOwns, Description: "Owns (shares of) a company or an asset.", FtMSchema: "Ownership",
		Source: "owner", Target: "asset", FtMSource: "owner", FtMTarget: "asset", Fields: []Field{
			{Name: "percentage", Label: "Share", Property: "percentage", Type: ValueNumber, Unit: "%", Summary: true, Min: bound(0), Max: bound(100), Description: "Percentage of the asset held (0-100)."},
			{Name: "shareValue", Label: "Value of shares", Property: "sharesValue", Type: ValueNumber, Min: bound(0), Description: "Value of the shares held."},
		}},
	{Type: LinkEmployedBy, Description: "Employee of.", FtMSchema: "Employment",
		Source: "employee", Target: "employer", FtMSource: "employee", FtMTarget: "employer"},
	{Type: LinkLinkedTo, Description: "Unspecified link.", FtMSchema: "UnknownLink",
		Source: "subject", Target: "object", FtMSource: "subject", FtMTarget: "object"},
	{Type: LinkHolds, Description: "Holds an identity document.", FtMSchema: "Identification", FtMProperty: "holder",
		Source: "holder (person or legal entity)", Target: "identification", FtMSource: "holder"},
	{Type: LinkLocatedAt, Description: "Is located at, or uses, an address or premises.", FtMSchema: "Thing", FtMProperty: "addressEntity",
		Source: "party or thing", Target: "address", FtMTarget: "addressEntity"},
	{Type: LinkRepresents, Description: "Acts on behalf of (agent, intermediary, broker).", FtMSchema: "Representation",
		Source: "agent", Target: "client", FtMSource: "agent", FtMTarget: "client"},
	{Type: LinkPays, Description: "Pays money to.", FtMSchema: "Payment",
		Source: "payer", Target: "beneficiary", FtMSource: "payer", FtMTarget: "beneficiary", Fields: []Field{
			{Name: "amount", Label: "Amount", Property: "amount", Type: ValueNumber, Summary: true, Min: bound(0), Description: "Amount paid."},
			{Name: "currency", Label: "Currency", Property: "currency", Type: ValueCurrency, Summary: true, Description: "Currency (ISO 4217 code)."},
			{Name: "date", Label: "Date", Property: "date", Type: ValueDate, Description: "Date of the payment (ISO 8601)."},
			{Name: "purpose", Label: "Purpose", Property: "purpose", Type: ValueString, Description: "Purpose of the payment, as the source gives it."},
		}},
	{Type: LinkOperates, Description: "Operates a vessel or vehicle.", FtMSchema: "Vehicle", FtMProperty: "operator",
		Source: "operator", Target: "vessel or vehicle", FtMSource: "operator"},
}

// Index of the tables, built once from them and never changed.
var (
	kindIndex = func() map[Kind]int {
		m := make(map[Kind]int, len(kindSpecs))
		for i, s := range kindSpecs {
			m[s.Kind] = i
		}
		return m
	}()
	linkIndex = func() map[LinkType]int {
		m := make(map[LinkType]int, len(linkSpecs))
		for i, s := range linkSpecs {
			m[s.Type] = i
		}
		return m
	}()
)

// KindSpecs returns the entity kinds of the registry, in order. The caller
// must not change what it returns.
func KindSpecs() []KindSpec { return kindSpecs }

// LinkSpecs returns the link types of the registry, in order. The caller
// must not change what it returns.
func LinkSpecs() []LinkSpec { return linkSpecs }

// Spec returns the registry entry of the kind.
func (k Kind) Spec() (KindSpec, bool) {
	i, ok := kindIndex[k]
	if !ok {
		return KindSpec{}, false
	}
	return kindSpecs[i], true
}

// Spec returns the registry entry of the link type.
func (t LinkType) Spec() (LinkSpec, bool) {
	i, ok := linkIndex[t]
	if !ok {
		return LinkSpec{}, false
	}
	return linkSpecs[i], true
}

// Field returns the kind's field with the given GraphQL name.
func (s KindSpec) Field(name string) (Field, bool) { return fieldNamed(s.Fields, name) }

// Field returns the link type's field with the given GraphQL name.
func (s LinkSpec) Field(name string) (Field, bool) { return fieldNamed(s.Fields, name) }

func fieldNamed(fs []Field, name string) (Field, bool) {
	for _, f := range fs {
		if f.Name == name {
			return f, true
		}
	}
	return Field{}, false
}
