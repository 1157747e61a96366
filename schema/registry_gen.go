// Code generated from graph's registry by TestRegistryGenerated (go test ./schema -run TestRegistryGenerated -update); DO NOT EDIT.

package schema

// The concrete type of an Entity, for graphql-go's interface resolution.
func (r *entityResolver) ToPerson() (*entityResolver, bool) { return r, r.e.Kind == "PERSON" }
func (r *entityResolver) ToOrganization() (*entityResolver, bool) {
	return r, r.e.Kind == "ORGANIZATION"
}
func (r *entityResolver) ToCompany() (*entityResolver, bool) { return r, r.e.Kind == "COMPANY" }
func (r *entityResolver) ToLegalEntity() (*entityResolver, bool) {
	return r, r.e.Kind == "LEGAL_ENTITY"
}
func (r *entityResolver) ToAddress() (*entityResolver, bool) { return r, r.e.Kind == "ADDRESS" }
func (r *entityResolver) ToVessel() (*entityResolver, bool)  { return r, r.e.Kind == "VESSEL" }
func (r *entityResolver) ToVehicle() (*entityResolver, bool) { return r, r.e.Kind == "VEHICLE" }
func (r *entityResolver) ToBankAccount() (*entityResolver, bool) {
	return r, r.e.Kind == "BANK_ACCOUNT"
}
func (r *entityResolver) ToIdentification() (*entityResolver, bool) {
	return r, r.e.Kind == "IDENTIFICATION"
}

// Typed fields of the kinds.
func (r *entityResolver) BirthDate() *string      { return typedText(r.typed("birthDate")) }
func (r *entityResolver) Nationalities() []string { return typedList(r.typed("nationalities")) }
func (r *entityResolver) RegistrationNumber() *string {
	return typedText(r.typed("registrationNumber"))
}
func (r *entityResolver) Jurisdiction() *string      { return typedText(r.typed("jurisdiction")) }
func (r *entityResolver) IncorporationDate() *string { return typedText(r.typed("incorporationDate")) }
func (r *entityResolver) DissolutionDate() *string   { return typedText(r.typed("dissolutionDate")) }
func (r *entityResolver) Full() *string              { return typedText(r.typed("full")) }
func (r *entityResolver) City() *string              { return typedText(r.typed("city")) }
func (r *entityResolver) PostalCode() *string        { return typedText(r.typed("postalCode")) }
func (r *entityResolver) Country() *string           { return typedText(r.typed("country")) }
func (r *entityResolver) ImoNumber() *string         { return typedText(r.typed("imoNumber")) }
func (r *entityResolver) Flag() *string              { return typedText(r.typed("flag")) }
func (r *entityResolver) VesselType() *string        { return typedText(r.typed("vesselType")) }
func (r *entityResolver) Iban() *string              { return typedText(r.typed("iban")) }
func (r *entityResolver) AccountNumber() *string     { return typedText(r.typed("accountNumber")) }
func (r *entityResolver) BankName() *string          { return typedText(r.typed("bankName")) }
func (r *entityResolver) Number() *string            { return typedText(r.typed("number")) }
func (r *entityResolver) DocumentType() *string      { return typedText(r.typed("documentType")) }
func (r *entityResolver) Authority() *string         { return typedText(r.typed("authority")) }
func (r *entityResolver) IssueDate() *string         { return typedText(r.typed("issueDate")) }
func (r *entityResolver) ExpiryDate() *string        { return typedText(r.typed("expiryDate")) }

// Typed fields of the link types.
func (r *linkResolver) Relationship() *string { return typedText(r.typed("relationship")) }
func (r *linkResolver) Percentage() *float64  { return typedNumber(r.typed("percentage")) }
func (r *linkResolver) ShareValue() *float64  { return typedNumber(r.typed("shareValue")) }
func (r *linkResolver) Amount() *float64      { return typedNumber(r.typed("amount")) }
func (r *linkResolver) Currency() *string     { return typedText(r.typed("currency")) }
func (r *linkResolver) Date() *string         { return typedText(r.typed("date")) }
func (r *linkResolver) Purpose() *string      { return typedText(r.typed("purpose")) }

// entityFieldsInput holds the typed fields an input may give.
type entityFieldsInput struct {
	BirthDate          *string
	Nationalities      *[]string
	RegistrationNumber *string
	Jurisdiction       *string
	IncorporationDate  *string
	DissolutionDate    *string
	Full               *string
	City               *string
	PostalCode         *string
	Country            *string
	ImoNumber          *string
	Flag               *string
	VesselType         *string
	Iban               *string
	AccountNumber      *string
	BankName           *string
	Number             *string
	DocumentType       *string
	Authority          *string
	IssueDate          *string
	ExpiryDate         *string
}

func (in *entityFieldsInput) given() []givenField {
	return []givenField{
		{name: "birthDate", text: in.BirthDate},
		{name: "nationalities", list: in.Nationalities},
		{name: "registrationNumber", text: in.RegistrationNumber},
		{name: "jurisdiction", text: in.Jurisdiction},
		{name: "incorporationDate", text: in.IncorporationDate},
		{name: "dissolutionDate", text: in.DissolutionDate},
		{name: "full", text: in.Full},
		{name: "city", text: in.City},
		{name: "postalCode", text: in.PostalCode},
		{name: "country", text: in.Country},
		{name: "imoNumber", text: in.ImoNumber},
		{name: "flag", text: in.Flag},
		{name: "vesselType", text: in.VesselType},
		{name: "iban", text: in.Iban},
		{name: "accountNumber", text: in.AccountNumber},
		{name: "bankName", text: in.BankName},
		{name: "number", text: in.Number},
		{name: "documentType", text: in.DocumentType},
		{name: "authority", text: in.Authority},
		{name: "issueDate", text: in.IssueDate},
		{name: "expiryDate", text: in.ExpiryDate},
	}
}

// linkFieldsInput holds the typed fields an input may give.
type linkFieldsInput struct {
	Relationship *string
	Percentage   *float64
	ShareValue   *float64
	Amount       *float64
	Currency     *string
	Date         *string
	Purpose      *string
}

func (in *linkFieldsInput) given() []givenField {
	return []givenField{
		{name: "relationship", text: in.Relationship},
		{name: "percentage", number: in.Percentage},
		{name: "shareValue", number: in.ShareValue},
		{name: "amount", number: in.Amount},
		{name: "currency", text: in.Currency},
		{name: "date", text: in.Date},
		{name: "purpose", text: in.Purpose},
	}
}
