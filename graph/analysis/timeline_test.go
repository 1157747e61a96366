package analysis

import (
	"errors"
	"reflect"
	"testing"

	"github.com/skein-project/skein/graph"
)

// A small timeline worked out by hand: ordering of partial dates and
// kinds, the window, paging and the histogram.
func TestTimelineByHand(t *testing.T) {
	g := graph.Subgraph{
		Nodes: []graph.Entity{
			{ID: "person:p", Kind: graph.KindPerson, Name: "P", Properties: map[string]string{"birthDate": "1980"},
				Designations: []graph.Designation{{Regime: "r", Authority: "a", ListedOn: "2020-03-01", DelistedOn: "2021"}}},
			{ID: "company:c", Kind: graph.KindCompany, Name: "C", Properties: map[string]string{"incorporationDate": "2020-03", "dissolutionDate": "not a date"}},
		},
		Links: []graph.Link{
			{ID: "l1", Type: graph.LinkOwns, Source: "person:p", Target: "company:c", StartDate: "2020-03-01", EndDate: "2020-03"},
			{ID: "l0", Type: graph.LinkDirectorOf, Source: "person:p", Target: "company:c", StartDate: "2020-03-01"},
		},
	}
	line := func(evs []Event) []string {
		var out []string
		for _, e := range evs {
			out = append(out, e.Date.Text+" "+string(e.Kind)+" "+e.Key)
		}
		return out
	}
	all := Events(g, graph.When{})
	want := []string{
		"1980 BORN person:p",
		"2020-03-01 LINK_STARTED l0", // same day: links by id, then the designation
		"2020-03-01 LINK_STARTED l1",
		"2020-03-01 DESIGNATED person:p#0",
		"2020-03 INCORPORATED company:c", // March 2020 starts that day too but is less precise
		"2020-03 LINK_ENDED l1",
		"2021 DELISTED person:p#0",
	}
	if got := line(all); !reflect.DeepEqual(got, want) {
		t.Errorf("events:\n got  %q\n want %q", got, want)
	}
	if got := line(Events(g, graph.When{During: graph.DateRange{From: "2020-03-15", To: "2020-12"}})); !reflect.DeepEqual(got, want[4:6]) {
		t.Errorf("events in 2020-03-15..2020-12: %q, want %q", got, want[4:6])
	}
	page, more, err := Page(all, 3, all[2].Cursor())
	if err != nil || !more || !reflect.DeepEqual(line(page), want[3:6]) {
		t.Errorf("page after the third: %q %v %v", line(page), more, err)
	}
	if _, _, err := Page(all, 3, "not a cursor"); !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("bad cursor: %v", err)
	}
	hist, err := Histogram(all, PeriodYear)
	if err != nil || !reflect.DeepEqual(hist, []Bucket{{"1980", 1}, {"2020", 5}, {"2021", 1}}) {
		t.Errorf("by year: %v %v", hist, err)
	}
	hist, _ = Histogram(all, PeriodMonth)
	if !reflect.DeepEqual(hist, []Bucket{{"1980-01", 1}, {"2020-03", 5}, {"2021-01", 1}}) {
		t.Errorf("by month: %v", hist)
	}
	if _, err := Histogram(all, "WEEK"); !errors.Is(err, graph.ErrInvalid) {
		t.Errorf("unknown period: %v", err)
	}
}
