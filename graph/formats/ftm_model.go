package formats

import (
	"github.com/skein-project/skein/graph"
)

// What Skein needs to know of the FollowTheMoney model
// (followthemoney/schema/*.yaml) beyond the registry's FtMSchema names:
// which schemata extend which (the ranges of entity references), the edge
// properties of the interval schemata and which property names are
// Skein's own mapping of each record.

// ftmAncestors lists, for every schema Skein writes or reads as an entity,
// the schema itself and the schemata it extends that a range can name.
var ftmAncestors = map[string][]string{
	"Person":         {"Person", "LegalEntity", "Thing"},
	"Organization":   {"Organization", "LegalEntity", "Thing"},
	"Company":        {"Company", "Organization", "LegalEntity", "Asset", "Thing"},
	"LegalEntity":    {"LegalEntity", "Thing"},
	"Address":        {"Address", "Thing"},
	"Vessel":         {"Vessel", "Vehicle", "Asset", "Thing"},
	"Vehicle":        {"Vehicle", "Asset", "Thing"},
	"BankAccount":    {"BankAccount", "Asset", "Thing"},
	"Identification": {"Identification", "Interval"},
	"Passport":       {"Passport", "Identification", "Interval"},
}

// ftmIsA reports whether schema is, or extends, want.
func ftmIsA(schema, want string) bool {
	for _, s := range ftmAncestors[schema] {
		if s == want {
			return true
		}
	}
	return false
}

// ftmHasName reports whether the schema has FtM's name and alias properties
// (Things do; Identification and Passport are Intervals and do not).
func ftmHasName(schema string) bool { return ftmIsA(schema, "Thing") }

// ftmNameRequired are the schemata whose name FtM requires; the others get
// a name only when it is not their caption (see ftmCaption).
var ftmNameRequired = map[string]bool{
	"Person": true, "Organization": true, "Company": true, "LegalEntity": true, "Vessel": true,
}

// ftmCaption lists the properties FtM captions a schema by when it has no
// name (the schema's caption list, after name).
var ftmCaption = map[string][]string{
	"Address":        {"full", "city"},
	"Vehicle":        {"registrationNumber"},
	"BankAccount":    {"iban", "accountNumber"},
	"Identification": {"number"},
	"Passport":       {"number"},
}

// ftmEdge is an interval schema Skein writes a link as: the properties
// holding its two ends and their ranges, and the property holding the
// link's role ("" when the schema has none; Skein then writes skein:role).
// Payment's ends may also be bank accounts (payerAccount,
// beneficiaryAccount).
type ftmEdge struct {
	schema              string
	def                 graph.LinkType // the type a record of the schema is read as
	src, srcRange       string
	tgt, tgtRange       string
	srcAlt, srcAltRange string
	tgtAlt, tgtAltRange string
	role                string
}

var ftmEdges = []ftmEdge{
	{schema: "Membership", def: graph.LinkMemberOf, src: "member", srcRange: "LegalEntity", tgt: "organization", tgtRange: "Organization", role: "role"},
	{schema: "Directorship", def: graph.LinkDirectorOf, src: "director", srcRange: "LegalEntity", tgt: "organization", tgtRange: "Organization", role: "role"},
	{schema: "Employment", def: graph.LinkEmployedBy, src: "employee", srcRange: "Person", tgt: "employer", tgtRange: "Organization", role: "role"},
	{schema: "Ownership", def: graph.LinkOwns, src: "owner", srcRange: "LegalEntity", tgt: "asset", tgtRange: "Asset", role: "role"},
	{schema: "Family", def: graph.LinkFamilyOf, src: "person", srcRange: "Person", tgt: "relative", tgtRange: "Person"},
	{schema: "Associate", def: graph.LinkAssociateOf, src: "person", srcRange: "Person", tgt: "associate", tgtRange: "Person"},
	{schema: "Representation", def: graph.LinkRepresents, src: "agent", srcRange: "LegalEntity", tgt: "client", tgtRange: "LegalEntity", role: "role"},
	{schema: "Payment", def: graph.LinkPays, src: "payer", srcRange: "LegalEntity", tgt: "beneficiary", tgtRange: "LegalEntity",
		srcAlt: "payerAccount", srcAltRange: "BankAccount", tgtAlt: "beneficiaryAccount", tgtAltRange: "BankAccount"},
	{schema: "UnknownLink", def: graph.LinkLinkedTo, src: "subject", srcRange: "Thing", tgt: "object", tgtRange: "Thing", role: "role"},
}

// ftmUnknownLink is the schema of links no other schema fits.
const ftmUnknownLink = "UnknownLink"

func ftmEdgeBySchema(schema string) (ftmEdge, bool) {
	for _, e := range ftmEdges {
		if e.schema == schema {
			return e, true
		}
	}
	return ftmEdge{}, false
}

// fits reports which properties hold a link's ends in this schema, given
// the FtM schemata of its ends ("" when an end is outside the file: any
// entity fits). ok is false when an end is outside the schema's range.
func (e ftmEdge) fits(srcSchema, tgtSchema string) (src, tgt string, ok bool) {
	end := func(schema, prop, rng, alt, altRng string) string {
		switch {
		case schema == "" || ftmIsA(schema, rng):
			return prop
		case alt != "" && ftmIsA(schema, altRng):
			return alt
		}
		return ""
	}
	src = end(srcSchema, e.src, e.srcRange, e.srcAlt, e.srcAltRange)
	tgt = end(tgtSchema, e.tgt, e.tgtRange, e.tgtAlt, e.tgtAltRange)
	return src, tgt, src != "" && tgt != ""
}

// ftmPropLink is a link type FtM keeps as an entity property: the property
// (holder, addressEntity, operator), the schema of the record that carries
// it, whether the carrier is the link's source, and the range of the
// entity it names.
type ftmPropLink struct {
	t             graph.LinkType
	prop          string
	carrierSchema string
	carrierIsSrc  bool
	otherRange    string
}

// ftmPropLinks is built from the registry (FtMProperty, FtMSchema,
// FtMSource/FtMTarget); the ranges are FtM's.
var ftmPropLinks = func() []ftmPropLink {
	ranges := map[string]string{"holder": "LegalEntity", "addressEntity": "Address", "operator": "LegalEntity"}
	var out []ftmPropLink
	for _, s := range graph.LinkSpecs() {
		if s.FtMProperty == "" {
			continue
		}
		out = append(out, ftmPropLink{
			t: s.Type, prop: s.FtMProperty, carrierSchema: s.FtMSchema,
			carrierIsSrc: s.FtMTarget == s.FtMProperty, otherRange: ranges[s.FtMProperty],
		})
	}
	return out
}()

// ftmSchemaKinds maps the FtM schemata Skein reads as entities to kinds:
// every kind's FtMSchema, and Passport (an Identification whose
// documentType is PASSPORT).
var ftmSchemaKinds = func() map[string]graph.Kind {
	m := map[string]graph.Kind{"Passport": graph.KindIdentification}
	for _, s := range graph.KindSpecs() {
		m[s.FtMSchema] = s.Kind
	}
	return m
}()

// Identification document types: the registry's enum (Properties "type")
// and the text FtM's type property carries. A passport is written as the
// Passport schema, which says it, without a type.
var ftmDocumentTypes = []struct{ value, text string }{
	{"PASSPORT", ""},
	{"ID_CARD", "ID card"},
	{"DRIVING_LICENCE", "Driving licence"},
	{"OTHER", "Other"},
}

// ftmDocumentTypeSynonyms are other ways FtM data writes the types (lower
// case, separators as spaces).
var ftmDocumentTypeSynonyms = map[string]string{
	"passport": "PASSPORT", "id card": "ID_CARD", "identity card": "ID_CARD", "national id": "ID_CARD",
	"national identity card": "ID_CARD", "id": "ID_CARD", "driving licence": "DRIVING_LICENCE",
	"driving license": "DRIVING_LICENCE", "driver's license": "DRIVING_LICENCE", "driver license": "DRIVING_LICENCE",
	"drivers license": "DRIVING_LICENCE", "other": "OTHER",
}

// ftmTypeText is the Skein property that keeps an identification's FtM
// type as the file wrote it, when that is not the text Skein writes for
// its documentType ("Driving license", "Residence permit").
const ftmTypeText = "ftm:type"
