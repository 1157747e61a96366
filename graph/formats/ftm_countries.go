package formats

import "strings"

// FtM stores countries as lower-case ISO 3166-1 alpha-2 codes (plus a few
// of its own, such as "xk" for Kosovo); Skein stores the names its sources
// use. These are the countries Skein's data meets; a value that is not in
// the table is kept as it is, both ways.
var countryCodes = [...][2]string{
	{"af", "Afghanistan"}, {"al", "Albania"}, {"dz", "Algeria"}, {"ad", "Andorra"},
	{"am", "Armenia"}, {"at", "Austria"}, {"az", "Azerbaijan"}, {"bh", "Bahrain"},
	{"bd", "Bangladesh"}, {"by", "Belarus"}, {"be", "Belgium"},
	{"ba", "Bosnia and Herzegovina"}, {"bg", "Bulgaria"}, {"ca", "Canada"},
	{"cn", "China"}, {"hr", "Croatia"}, {"cy", "Cyprus"}, {"cz", "Czechia"},
	{"dk", "Denmark"}, {"eg", "Egypt"}, {"er", "Eritrea"}, {"ee", "Estonia"},
	{"et", "Ethiopia"}, {"fi", "Finland"}, {"fr", "France"}, {"ge", "Georgia"},
	{"de", "Germany"}, {"gr", "Greece"}, {"hu", "Hungary"}, {"is", "Iceland"},
	{"in", "India"}, {"ir", "Iran"}, {"iq", "Iraq"}, {"ie", "Ireland"},
	{"il", "Israel"}, {"it", "Italy"}, {"jo", "Jordan"}, {"kz", "Kazakhstan"},
	{"xk", "Kosovo"}, {"kw", "Kuwait"}, {"lv", "Latvia"}, {"lb", "Lebanon"},
	{"ly", "Libya"}, {"li", "Liechtenstein"}, {"lt", "Lithuania"},
	{"lu", "Luxembourg"}, {"mt", "Malta"}, {"md", "Moldova"}, {"mc", "Monaco"},
	{"me", "Montenegro"}, {"ma", "Morocco"}, {"nl", "Netherlands"},
	{"ng", "Nigeria"}, {"mk", "North Macedonia"}, {"no", "Norway"}, {"om", "Oman"},
	{"pk", "Pakistan"}, {"ps", "Palestine"}, {"pl", "Poland"}, {"pt", "Portugal"},
	{"qa", "Qatar"}, {"ro", "Romania"}, {"ru", "Russia"}, {"sa", "Saudi Arabia"},
	{"rs", "Serbia"}, {"sk", "Slovakia"}, {"si", "Slovenia"}, {"so", "Somalia"},
	{"es", "Spain"}, {"sd", "Sudan"}, {"se", "Sweden"}, {"ch", "Switzerland"},
	{"sy", "Syria"}, {"tn", "Tunisia"}, {"tr", "Turkey"}, {"ua", "Ukraine"},
	{"ae", "United Arab Emirates"}, {"gb", "United Kingdom"},
	{"us", "United States"}, {"vn", "Vietnam"}, {"ye", "Yemen"},
}

// countryCode maps a Skein country name to its FtM code ("Kosovo" -> "xk").
// Names are matched exactly (so that the way back restores them exactly).
func countryCode(name string) string {
	for _, c := range countryCodes {
		if c[1] == name {
			return c[0]
		}
	}
	return name
}

// countryName maps an FtM code to a country name ("xk" -> "Kosovo"). FtM
// codes are lower case; other case and surrounding space are accepted on
// the way in.
func countryName(code string) string {
	lc := strings.ToLower(strings.TrimSpace(code))
	if len(lc) == 2 {
		for _, c := range countryCodes {
			if c[0] == lc {
				return c[1]
			}
		}
	}
	return code
}
