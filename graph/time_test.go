package graph

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	for _, c := range []struct{ in, first, last string }{
		{"2025-10-22", "2025-10-22", "2025-10-22"},
		{"2025-10", "2025-10-01", "2025-10-31"},
		{"2024-02", "2024-02-01", "2024-02-29"},
		{"2023-02", "2023-02-01", "2023-02-28"},
		{"2025", "2025-01-01", "2025-12-31"},
		{"1969-12-31", "1969-12-31", "1969-12-31"},
		{"0001", "0001-01-01", "0001-12-31"},
		{"9999-12-31", "9999-12-31", "9999-12-31"},
	} {
		d, err := ParseDate(c.in)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", c.in, err)
			continue
		}
		if d.First.String() != c.first || d.Last.String() != c.last || d.Text != c.in {
			t.Errorf("ParseDate(%q) = %s..%s (%q), want %s..%s", c.in, d.First, d.Last, d.Text, c.first, c.last)
		}
	}
	for _, bad := range []string{"", "25", "2025-1", "2025-13", "2025-00", "2023-02-29", "2025-04-31",
		"2025-10-00", "2025/10/22", "2025-10-22T00:00", "0000", "20251022", "+202", "2025-1a", "２０２５"} {
		_, err := ParseDate(bad)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), fmt.Sprintf("%q", bad)) {
			t.Errorf("ParseDate(%q) = %v, want ErrInvalid naming the value", bad, err)
		}
	}
}

// Every day of a few years parses to itself, and agrees with the time
// package on which strings are days at all.
func TestParseDateAgreesWithTime(t *testing.T) {
	for d := DayOf(time.Date(1899, 1, 1, 0, 0, 0, 0, time.UTC)); d < DayOf(time.Date(1905, 1, 1, 0, 0, 0, 0, time.UTC)); d++ {
		s := d.Time().Format(time.DateOnly)
		got, err := ParseDate(s)
		if err != nil || got.First != d || got.Last != d {
			t.Fatalf("ParseDate(%s) = %v, %v; want day %d", s, got, err, d)
		}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		s := fmt.Sprintf("%04d-%02d-%02d", 1+rng.IntN(3000), rng.IntN(14), rng.IntN(33))
		_, want := time.Parse(time.DateOnly, s)
		if _, err := ParseDate(s); (err == nil) != (want == nil) {
			t.Fatalf("ParseDate(%s) error %v, time.Parse error %v", s, err, want)
		}
	}
}

// randomDate is a date at a random precision around 2020, or "".
func randomDate(rng *rand.Rand) string {
	y := 2018 + rng.IntN(4)
	switch rng.IntN(4) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("%d", y)
	case 2:
		return fmt.Sprintf("%d-%02d", y, 1+rng.IntN(12))
	}
	return fmt.Sprintf("%d-%02d-%02d", y, 1+rng.IntN(12), 1+rng.IntN(28))
}

// covers reports, day by day, whether a partial date's period contains day.
func covers(date string, day time.Time) bool {
	return strings.HasPrefix(day.Format(time.DateOnly), date)
}

// In force at D, checked against the definition read literally, day by
// day: the start (if known) begins no later than D ends, the end (if
// known) ends no earlier than D begins.
func TestInForceMatchesDefinition(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	// begins and ends: the first and last day a partial date covers.
	memo := map[string]time.Time{}
	begins := func(date string) time.Time {
		if d, ok := memo["b"+date]; ok {
			return d
		}
		for d := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC); ; d = d.AddDate(0, 0, 1) {
			if covers(date, d) {
				memo["b"+date] = d
				return d
			}
		}
	}
	ends := func(date string) time.Time {
		if d, ok := memo["e"+date]; ok {
			return d
		}
		for d := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC); ; d = d.AddDate(0, 0, -1) {
			if covers(date, d) {
				memo["e"+date] = d
				return d
			}
		}
	}
	in := 0
	for range 3000 {
		l := Link{StartDate: randomDate(rng), EndDate: randomDate(rng)}
		if checkDates(l.StartDate, l.EndDate, "s", "e") != nil {
			continue
		}
		at := randomDate(rng)
		if at == "" {
			continue
		}
		want := (l.StartDate == "" || !begins(l.StartDate).After(ends(at))) &&
			(l.EndDate == "" || !ends(l.EndDate).Before(begins(at)))
		w := When{AsOf: at}
		if err := w.Check("test"); err != nil {
			t.Fatal(err)
		}
		if got := w.Admits(l.Span()); got != want {
			t.Fatalf("link %s..%s in force at %s: got %v, want %v", l.StartDate, l.EndDate, at, got, want)
		}
		if want {
			in++
		}
		// A window with open bounds: the link overlaps it when some day of
		// the link's span lies within it.
		from, to := randomDate(rng), randomDate(rng)
		w = When{During: DateRange{From: from, To: to}}
		if w.Check("test") != nil {
			continue
		}
		// Days outside 2017..2022 stand for the open ends.
		lo, hi := time.Date(2017, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2022, 12, 31, 0, 0, 0, 0, time.UTC)
		bound := func(date string, open time.Time, edge func(string) time.Time) time.Time {
			if date == "" {
				return open
			}
			return edge(date)
		}
		ls, le := bound(l.StartDate, lo, begins), bound(l.EndDate, hi, ends)
		ws, we := bound(from, lo, begins), bound(to, hi, ends)
		wantW := false
		for d := lo; !d.After(hi) && !wantW; d = d.AddDate(0, 0, 1) {
			wantW = !d.Before(ls) && !d.After(le) && !d.Before(ws) && !d.After(we)
		}
		if got := w.Admits(l.Span()); got != wantW {
			t.Fatalf("link %s..%s during %s..%s: got %v, want %v", l.StartDate, l.EndDate, from, to, got, wantW)
		}
	}
	if in < 500 {
		t.Errorf("only %d links in force; the test exercises too little", in)
	}
}

func TestWhenCheck(t *testing.T) {
	for _, c := range []struct {
		w   When
		bad string // part of the error, "" when valid
	}{
		{When{}, ""},
		{When{AsOf: "2025-10-22"}, ""},
		{When{During: DateRange{From: "2020"}}, ""},
		{When{During: DateRange{To: "2020-05"}}, ""},
		{When{During: DateRange{From: "2020-05", To: "2020"}}, ""}, // overlapping periods
		{When{AsOf: "2025-13"}, `"2025-13"`},
		{When{During: DateRange{From: "x"}}, `during.from: date "x"`},
		{When{During: DateRange{From: "2021", To: "2020"}}, "is after"},
		{When{AsOf: "2020", During: DateRange{To: "2021"}}, "cannot be combined"},
	} {
		err := c.w.Check("q")
		if c.bad == "" && err != nil {
			t.Errorf("%+v: %v", c.w, err)
		}
		if c.bad != "" && (!errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.bad)) {
			t.Errorf("%+v: got %v, want ErrInvalid with %q", c.w, err, c.bad)
		}
	}
}

func TestDatesValidated(t *testing.T) {
	l := Link{ID: "l", Type: LinkMemberOf, Source: "a", Target: "b", StartDate: "2020-05", EndDate: "2020"}
	if err := l.Validate(); err != nil {
		t.Errorf("a link ending in the year it started: %v", err)
	}
	l.EndDate = "2019-12"
	if err := l.Validate(); !errors.Is(err, ErrInvalid) {
		t.Errorf("a link ending before it starts: %v", err)
	}
	e := Entity{ID: "p", Kind: KindPerson, Name: "P", Designations: []Designation{{Regime: "r", Authority: "a", ListedOn: "2025-10-22", DelistedOn: "2025-02-30"}}}
	if err := e.Validate(); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "delistedOn") {
		t.Errorf("a bad delistedOn: %v", err)
	}
	e.Designations[0].DelistedOn = "2026"
	if err := e.Validate(); err != nil {
		t.Errorf("a partial delistedOn: %v", err)
	}
	if !e.SanctionedUnder(When{AsOf: "2025-10-22"}) || e.SanctionedUnder(When{AsOf: "2025-10-21"}) || e.SanctionedUnder(When{AsOf: "2027"}) {
		t.Errorf("designation in force from 2025-10-22 to 2026 wrongly judged")
	}
}
