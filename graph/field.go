package graph

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// ValueType is the type of a typed field's value. Every value is kept as a
// string in Properties; the type says which strings are valid and how they
// are written canonically.
type ValueType string

// Value types.
const (
	ValueString   ValueType = "string"   // free text
	ValueDate     ValueType = "date"     // ISO 8601 at the source's precision: YYYY, YYYY-MM or YYYY-MM-DD
	ValueCountry  ValueType = "country"  // ISO 3166-1 alpha-2, upper case (plus XK, Kosovo)
	ValueNumber   ValueType = "number"   // a finite decimal number, within Min..Max
	ValueCurrency ValueType = "currency" // ISO 4217 shape: three letters, upper case
	ValueIBAN     ValueType = "iban"     // an IBAN whose check digits are right, without spaces
	ValueEnum     ValueType = "enum"     // one of Values, upper case
)

// ListSeparator joins the values of a list field in Properties, as the
// FtM importer joins repeated values.
const ListSeparator = "; "

// EnumValue is one allowed value of an enum field.
type EnumValue struct {
	Name        string
	Description string
}

// Field is a typed field of a kind or link type. Its value lives in
// Properties under the FollowTheMoney property name.
type Field struct {
	Name     string // GraphQL field name, e.g. "nationalities"
	Property string // key in Properties: the FtM property, e.g. "nationality"
	Type     ValueType
	List     bool        // several values, joined by ListSeparator
	Enum     string      // GraphQL enum type name, for ValueEnum
	Values   []EnumValue // allowed values, for ValueEnum
	Min, Max *float64    // bounds, for ValueNumber
	// Identifier marks a number that names one thing (a registration or
	// document number, an IMO number, an IBAN): screening matches on it.
	Identifier  bool
	Description string
	// Label names the field for people ("Date of birth", "IMO number").
	Label string
	// Unit follows a number when it is shown ("%"); empty for none.
	Unit string
	// Summary marks the fields a chart writes on the link or entity itself
	// (an ownership's percentage, a payment's amount and currency), in order.
	Summary bool
}

// Normalize returns the canonical form of a value of the field (trimmed,
// list items de-duplicated, codes upper case, numbers in shortest form), or
// an error wrapping ErrInvalid that names the field and the value.
func (f Field) Normalize(value string) (string, error) {
	if !f.List {
		return f.normalizeOne(value)
	}
	var out []string
	for _, item := range strings.Split(value, ";") {
		if strings.TrimSpace(item) == "" {
			continue
		}
		v, err := f.normalizeOne(item)
		if err != nil {
			return "", err
		}
		if !containsString(out, v) {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return "", fmt.Errorf("%s: empty list %q: %w", f.Name, value, ErrInvalid)
	}
	return strings.Join(out, ListSeparator), nil
}

// Split returns the values of a list field (or the one value of a scalar
// field) as stored in Properties.
func (f Field) Split(stored string) []string {
	if stored == "" {
		return nil
	}
	if !f.List {
		return []string{stored}
	}
	var out []string
	for _, item := range strings.Split(stored, ";") {
		if s := strings.TrimSpace(item); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func containsString(ss []string, s string) bool {
	for _, v := range ss {
		if v == s {
			return true
		}
	}
	return false
}

func (f Field) normalizeOne(raw string) (string, error) {
	v := strings.TrimSpace(raw)
	bad := func(why string) (string, error) {
		return "", fmt.Errorf("%s: %q is not %s: %w", f.Name, raw, why, ErrInvalid)
	}
	if v == "" {
		return bad("a value (empty)")
	}
	switch f.Type {
	case ValueString:
		return v, nil
	case ValueDate:
		if _, err := ParseDate(v); err != nil {
			return bad("an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
		}
		return v, nil
	case ValueCountry:
		c := strings.ToUpper(v)
		if !IsCountryCode(c) {
			return bad("an ISO 3166-1 alpha-2 country code")
		}
		return c, nil
	case ValueCurrency:
		c := strings.ToUpper(v)
		if len(c) != 3 || !isUpperASCII(c) {
			return bad("an ISO 4217 currency code (three letters)")
		}
		return c, nil
	case ValueIBAN:
		c := strings.ToUpper(strings.ReplaceAll(v, " ", ""))
		if !validIBAN(c) {
			return bad("an IBAN with valid check digits")
		}
		return c, nil
	case ValueEnum:
		c := strings.ToUpper(strings.Join(strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == '-' || r == '_' }), "_"))
		for _, e := range f.Values {
			if e.Name == c {
				return c, nil
			}
		}
		names := make([]string, len(f.Values))
		for i, e := range f.Values {
			names[i] = e.Name
		}
		return bad("one of " + strings.Join(names, ", "))
	case ValueNumber:
		n, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
			return bad("a finite number")
		}
		if (f.Min != nil && n < *f.Min) || (f.Max != nil && n > *f.Max) {
			return bad("a number in " + f.rangeText())
		}
		return strconv.FormatFloat(n, 'f', -1, 64), nil
	}
	return bad("of a known type")
}

func (f Field) rangeText() string {
	lo, hi := "-inf", "inf"
	if f.Min != nil {
		lo = strconv.FormatFloat(*f.Min, 'f', -1, 64)
	}
	if f.Max != nil {
		hi = strconv.FormatFloat(*f.Max, 'f', -1, 64)
	}
	return "[" + lo + ", " + hi + "]"
}

func isUpperASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// validIBAN checks an IBAN's shape and its ISO 7064 mod-97 check digits.
func validIBAN(s string) bool {
	if len(s) < 15 || len(s) > 34 || !isUpperASCII(s[:2]) || s[2] < '0' || s[2] > '9' || s[3] < '0' || s[3] > '9' {
		return false
	}
	var digits strings.Builder
	for _, r := range s[4:] + s[:4] {
		switch {
		case r >= '0' && r <= '9':
			digits.WriteRune(r)
		case r >= 'A' && r <= 'Z':
			digits.WriteString(strconv.Itoa(int(r-'A') + 10))
		default:
			return false
		}
	}
	n, ok := new(big.Int).SetString(digits.String(), 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

// NumberProperty returns a number field's value from props: ok is false
// when it is absent (or, for data written before validation, unreadable).
func NumberProperty(props map[string]string, f Field) (float64, bool) {
	s, present := props[f.Property]
	if !present {
		return 0, false
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || math.IsNaN(n) || math.IsInf(n, 0) {
		return 0, false
	}
	return n, true
}

// normalizeFields rewrites the typed fields found in props to their
// canonical form; values it cannot read are left for validateFields.
func normalizeFields(fs []Field, props map[string]string) {
	for _, f := range fs {
		if v, ok := props[f.Property]; ok {
			if c, err := f.Normalize(v); err == nil {
				props[f.Property] = c
			}
		}
	}
}

// validateFields checks the typed fields found in props; other properties
// are free and only checked as text.
func validateFields(fs []Field, props map[string]string) error {
	for _, f := range fs {
		v, ok := props[f.Property]
		if !ok {
			continue
		}
		if _, err := f.Normalize(v); err != nil {
			return err
		}
	}
	return nil
}

// countryCodes lists the ISO 3166-1 alpha-2 codes, plus XK (Kosovo), which
// the EU, FtM and OpenSanctions use.
const countryCodes = "" +
	"AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ " +
	"BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
	"CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ " +
	"DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
	"GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY " +
	"HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
	"KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY " +
	"MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ " +
	"NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY " +
	"QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ " +
	"TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ " +
	"VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW"

// IsCountryCode reports whether s is an upper-case country code of
// countryCodes.
func IsCountryCode(s string) bool {
	if len(s) != 2 || !isUpperASCII(s) {
		return false
	}
	for i := 0; i+2 <= len(countryCodes); i += 3 {
		if countryCodes[i:i+2] == s {
			return true
		}
	}
	return false
}
