package graph

import (
	"strings"
	"testing"
)

func TestLatinize(t *testing.T) {
	for in, want := range map[string]string{
		"Нусрет Сеферовић":     "nusret seferovic",
		"Nusret SEFEROVIĆ":     "nusret seferovic",
		"Шкембим Ђорђевић":     "shkembim dordevic",
		"Юлия Щербакова":       "iuliia shcherbakova",
		"Йосиф Жуков":          "iosif zhukov",
		"Γιώργος Παπαδόπουλος": "giorgos papadopoulos",
		"Θεόδωρος Ψαρρός":      "theodoros psarros",
		"Ali Derakhshan":       "ali derakhshan",
		"محمد":                 "محمد", // other scripts are kept
	} {
		if got := Latinize(in); got != want {
			t.Errorf("Latinize(%q) = %q, want %q", in, got, want)
		}
	}
}

// compareNames scores a query name against an entity's names.
func compareNames(q string, names ...string) scoredPair {
	sc := scorer{explain: true}
	a := newSubject([]string{q}, "", nil, nil)
	b := newSubject(names, "", nil, nil)
	return sc.compare(&a, &b)
}

func TestNameScores(t *testing.T) {
	type c struct {
		query, name string
		lo, hi      float64
	}
	for _, tc := range []c{
		{"Burim Krasniqi", "Burim Krasniqi", 1, 1},
		{"krasniqi burim", "Burim Krasniqi", 1, 1},            // order free
		{"Burim Krasnqii", "Burim Krasniqi", 0.85, 0.95},      // one transposition in 8 runes
		{"Burim Krasnxqx", "Burim Krasniqi", 0.8, 0.9},        // two edits allowed from 8 runes
		{"Sami Dxrxqi", "Sami Duriqi", 0.33, 0.34},            // two edits in 6 runes: only sami pairs
		{"B. Krasniqi", "Burim Krasniqi", 0.85, 0.95},         // an initial
		{"Burim Agron Krasniqi", "Burim Krasniqi", 0.85, 0.9}, // a middle name the record lacks
		{"Krasniqi", "Burim Krasniqi", 0.5, 0.5},              // the surname alone
		{"Arif Krasniqi", "Burim Krasniqi", 0.33, 0.34},       // the same surname, another given name
		{"Бурим Краснићи", "Burim Krasniqi", 0.9, 0.95},       // Serbian Cyrillic
		{"Nobody Here", "Burim Krasniqi", 0, 0},
	} {
		got := compareNames(tc.query, tc.name)
		if got.score < tc.lo || got.score > tc.hi {
			t.Errorf("%q ~ %q = %v (%v), want %v..%v", tc.query, tc.name, got.score, got.features, tc.lo, tc.hi)
		}
		if got.score >= DefaultMatchThreshold && strings.Contains(tc.query, "Krasniqi") && tc.query != tc.name &&
			(tc.query == "Krasniqi" || strings.HasPrefix(tc.query, "Arif")) {
			t.Errorf("%q matches %q by the surname", tc.query, tc.name)
		}
	}
	// An alias counts as a name, and the best name explains the score.
	got := compareNames("Nusret Seferovic", "Nusret Seferović", "Seferovic")
	if got.score != 1 || !strings.Contains(got.features[0].Detail, `"Nusret Seferović"`) {
		t.Errorf("alias: %+v", got)
	}
	got = compareNames("Seferovic", "Nusret Seferović", "Seferovic")
	if got.score != 1 || !strings.Contains(got.features[0].Detail, `~ "Seferovic"`) {
		t.Errorf("alias: %+v", got)
	}
}

func TestFeatureScores(t *testing.T) {
	sc := scorer{explain: true}
	quick := scorer{}
	fixture := newSubject([]string{"Fixture Personname"}, "1970-05-04", []string{"Kosovo"}, []string{"AB123456"})
	for _, tc := range []struct {
		what          string
		q             subject
		vetoed, match bool
		feature       string
		sign          int
	}{
		{"same date", newSubject([]string{"Fixture Personnane"}, "1970-05-04", nil, nil), false, true, FeatureBirthDate, 1},
		{"same year", newSubject([]string{"Fixture Personnane"}, "1970", nil, nil), false, true, FeatureBirthDate, 1},
		{"conflicting date", newSubject([]string{"Fixture Personname"}, "1971-05-04", nil, nil), true, false, FeatureBirthDate, -1},
		{"conflicting month", newSubject([]string{"Fixture Personname"}, "1970-06", nil, nil), true, false, FeatureBirthDate, -1},
		{"one date", newSubject([]string{"Fixture Personname"}, "", nil, nil), false, true, FeatureBirthDate, 0},
		{"same identifier", newSubject([]string{"Other Name"}, "", nil, []string{"ab-123 456"}), false, true, FeatureIdentifier, 1},
		{"other identifier", newSubject([]string{"Fixture Personname"}, "", nil, []string{"AB123457"}), true, false, FeatureIdentifier, -1},
		{"country", newSubject([]string{"Fixture Personnane"}, "", []string{"kosovo"}, nil), false, true, FeatureCountry, 1},
		{"other country", newSubject([]string{"Fixture Personnane"}, "", []string{"Serbia"}, nil), false, true, FeatureCountry, 0},
	} {
		r := sc.compare(&tc.q, &fixture)
		if q := quick.compare(&tc.q, &fixture); q.score != r.score || q.raw != r.raw || q.vetoed != r.vetoed {
			t.Errorf("%s: the unexplained score %+v differs from the explained %+v", tc.what, q, r)
		}
		match := !r.vetoed && r.score >= DefaultMatchThreshold
		if r.vetoed != tc.vetoed || match != tc.match {
			t.Errorf("%s: vetoed %v match %v (score %v), want %v %v: %+v", tc.what, r.vetoed, match, r.score, tc.vetoed, tc.match, r.features)
		}
		if tc.vetoed && r.score >= DefaultMatchThreshold {
			t.Errorf("%s: a conflict left the score at %v", tc.what, r.score)
		}
		var f *MatchFeature
		for i := range r.features {
			if r.features[i].Name == tc.feature {
				f = &r.features[i]
			}
		}
		if f == nil || f.Detail == "" {
			t.Errorf("%s: no %s feature explaining it: %+v", tc.what, tc.feature, r.features)
			continue
		}
		if s := sign(f.Score); s != tc.sign {
			t.Errorf("%s: %s feature scores %v, want sign %d", tc.what, tc.feature, f.Score, tc.sign)
		}
		base := compareNames(tc.q.names[0], fixture.names[0]).score
		if tc.sign > 0 && r.score <= base && base < 1 {
			t.Errorf("%s: agreement did not raise %v (got %v)", tc.what, base, r.score)
		}
	}
}

func sign(v float64) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}
