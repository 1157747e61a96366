package graph

import (
	"fmt"
	"math"
	"strconv"
	"time"
)

// Time semantics, written once for every store and the API.
//
// A date is ISO 8601 at the precision its source gives: YYYY, YYYY-MM or
// YYYY-MM-DD, and a partial date covers its whole period (2020-05 is every
// day of May 2020). A link's span runs from the first day of its start date
// to the last day of its end date, an unknown end being open; a
// designation's from listedOn to delistedOn alike. A query restricted to a
// date (asOf) or to a window (during) keeps what overlaps that date or
// window: a link is in force at D when its start is unknown or begins no
// later than D ends, and its end is unknown or ends no earlier than D
// begins.

// Day is a calendar day, counted from 1970-01-01 (negative before it).
type Day int32

// Open ends of a span: before and after every day a Date can name.
const (
	Dawn Day = math.MinInt32
	Dusk Day = math.MaxInt32
)

const secondsPerDay = 24 * 60 * 60

// DayOf returns the day of t in UTC.
func DayOf(t time.Time) Day {
	y, m, d := t.UTC().Date()
	return Day(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / secondsPerDay)
}

// Time returns midnight UTC of d.
func (d Day) Time() time.Time { return time.Unix(int64(d)*secondsPerDay, 0).UTC() }

// String is d as YYYY-MM-DD.
func (d Day) String() string {
	switch d {
	case Dawn:
		return "-inf"
	case Dusk:
		return "+inf"
	}
	return d.Time().Format(time.DateOnly)
}

// Date is a date at the precision its text gives, with the first and last
// day it covers.
type Date struct {
	Text        string
	First, Last Day
}

// ParseDate parses YYYY, YYYY-MM or YYYY-MM-DD (a real calendar day, year
// 0001..9999). Anything else is ErrInvalid naming the value.
func ParseDate(s string) (Date, error) {
	bad := func() (Date, error) {
		return Date{}, fmt.Errorf("date %q is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD): %w", s, ErrInvalid)
	}
	digits := func(part string) (int, bool) {
		for _, r := range part {
			if r < '0' || r > '9' {
				return 0, false
			}
		}
		n, err := strconv.Atoi(part)
		return n, err == nil
	}
	if len(s) != 4 && len(s) != 7 && len(s) != 10 {
		return bad()
	}
	y, ok := digits(s[:4])
	if !ok || y < 1 {
		return bad()
	}
	first := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(1, 0, -1)
	if len(s) >= 7 {
		m, ok := digits(s[5:7])
		if s[4] != '-' || !ok || m < 1 || m > 12 {
			return bad()
		}
		first = time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		last = first.AddDate(0, 1, -1)
	}
	if len(s) == 10 {
		d, ok := digits(s[8:10])
		if s[7] != '-' || !ok || d < 1 || d > last.Day() {
			return bad()
		}
		first = first.AddDate(0, 0, d-1)
		last = first
	}
	return Date{Text: s, First: DayOf(first), Last: DayOf(last)}, nil
}

// Span is a closed interval of days; Dawn or Dusk stands for an open end.
type Span struct{ From, To Day }

// Always is the span of something whose dates are unknown.
var Always = Span{Dawn, Dusk}

// Overlaps reports whether the two spans share a day.
func (s Span) Overlaps(o Span) bool { return s.From <= o.To && o.From <= s.To }

// spanOf is the span from the first day of start to the last day of end,
// an empty or unreadable date leaving its end open (stored dates are
// validated on the way in, so unreadable ones do not occur).
func spanOf(start, end string) Span {
	// An empty date is the common case: ParseDate's error for it (built
	// with fmt) took a seventh of the embedded store's start-up CPU.
	s := Always
	if start != "" {
		if d, err := ParseDate(start); err == nil {
			s.From = d.First
		}
	}
	if end != "" {
		if d, err := ParseDate(end); err == nil {
			s.To = d.Last
		}
	}
	return s
}

// Span is the time the link is in force (see the time semantics above).
func (l *Link) Span() Span { return spanOf(l.StartDate, l.EndDate) }

// Start returns the first day of the link's start date; ok is false when
// the link has none. Chronological paths compare links by it.
func (l *Link) Start() (d Day, ok bool) {
	x, err := ParseDate(l.StartDate)
	return x.First, err == nil
}

// Span is the time the designation is in force: from listedOn to
// delistedOn, either open when unknown.
func (d *Designation) Span() Span { return spanOf(d.ListedOn, d.DelistedOn) }

// DateRange is a window of time; an empty bound is open.
type DateRange struct {
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
}

// When restricts a query in time: to what is in force at AsOf, or to what
// overlaps the window During. Both empty means no restriction; giving both
// is ErrInvalid. Each query's Normalize checks it.
type When struct {
	AsOf   string    `json:"asOf,omitempty"`
	During DateRange `json:"during,omitempty"`
}

// Active reports whether w restricts anything.
func (w When) Active() bool { return w.AsOf != "" || w.During.From != "" || w.During.To != "" }

// Check validates w; what names the query in errors.
func (w When) Check(what string) error {
	if w.AsOf != "" {
		if w.During.From != "" || w.During.To != "" {
			return fmt.Errorf("%s: asOf and during cannot be combined: %w", what, ErrInvalid)
		}
		if _, err := ParseDate(w.AsOf); err != nil {
			return fmt.Errorf("%s: asOf: %w", what, err)
		}
		return nil
	}
	var from, to Date
	var err error
	if w.During.From != "" {
		if from, err = ParseDate(w.During.From); err != nil {
			return fmt.Errorf("%s: during.from: %w", what, err)
		}
	}
	if w.During.To != "" {
		if to, err = ParseDate(w.During.To); err != nil {
			return fmt.Errorf("%s: during.to: %w", what, err)
		}
		if w.During.From != "" && from.First > to.Last {
			return fmt.Errorf("%s: during.from %q is after during.to %q: %w", what, w.During.From, w.During.To, ErrInvalid)
		}
	}
	return nil
}

// Window is the span a query keeps what overlaps: AsOf's days, or During
// with its open bounds. ok is false when w restricts nothing. w must have
// passed Check.
func (w When) Window() (s Span, ok bool) {
	if !w.Active() {
		return Always, false
	}
	if w.AsOf != "" {
		d, _ := ParseDate(w.AsOf)
		return Span{d.First, d.Last}, true
	}
	s = Always
	if d, err := ParseDate(w.During.From); err == nil {
		s.From = d.First
	}
	if d, err := ParseDate(w.During.To); err == nil {
		s.To = d.Last
	}
	return s, true
}

// Admits reports whether a link with span s passes w.
func (w When) Admits(s Span) bool {
	win, ok := w.Window()
	return !ok || s.Overlaps(win)
}

// InForce returns the designations of ds in force under w, in their order
// (all of them when w restricts nothing).
func InForce(ds []Designation, w When) []Designation {
	if !w.Active() {
		return ds
	}
	var out []Designation
	for i := range ds {
		if w.Admits(ds[i].Span()) {
			out = append(out, ds[i])
		}
	}
	return out
}
