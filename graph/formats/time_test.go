package formats

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/storetest"
)

// An export as of a date, or over a window, writes every entity and the
// links in force then: the file's link ids against a literal reading of
// the dates, on both stores, over a random dated graph.
func TestExportAsOf(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(13, 5))
	dates := []string{"2016", "2017-02", "2017-02-28", "2018", "2018-07", "2018-07-01", "2019-12-31", "2020", "2021-05"}
	pick := func() string { return dates[rng.IntN(len(dates))] }
	var b graph.Batch
	for i := range 30 {
		b.Entities = append(b.Entities, graph.Entity{ID: fmt.Sprintf("person:x%02d", i), Kind: graph.KindPerson, Name: fmt.Sprintf("X %d", i)})
	}
	for i := range 90 {
		l := graph.Link{ID: fmt.Sprintf("x:%03d", i), Type: graph.LinkAssociateOf,
			Source: b.Entities[rng.IntN(30)].ID, Target: b.Entities[rng.IntN(30)].ID}
		if l.Source == l.Target {
			continue
		}
		for {
			switch rng.IntN(4) {
			case 0:
				l.StartDate, l.EndDate = "", ""
			case 1:
				l.StartDate, l.EndDate = pick(), ""
			case 2:
				l.StartDate, l.EndDate = "", pick()
			default:
				l.StartDate, l.EndDate = pick(), pick()
			}
			if l.Validate() == nil {
				break
			}
		}
		b.Links = append(b.Links, l)
	}
	cases := []struct{ asOf, from, to string }{
		{asOf: "2017"}, {asOf: "2018-07-01"}, {asOf: "2020-02"}, {from: "2019"}, {to: "2017-02"}, {from: "2017-03", to: "2018-06-30"},
	}
	eachStore(t, func(t *testing.T, fresh func(t *testing.T) graph.Store) {
		s := fresh(t)
		if err := s.Upsert(ctx, b); err != nil {
			t.Fatal(err)
		}
		all := 0
		for _, c := range cases {
			w, err := ParseWhen(c.asOf, c.from, c.to)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := Export(ctx, s, JSON, Scope{When: w}, &buf); err != nil {
				t.Fatal(err)
			}
			var file struct {
				Entities []struct{ ID string }
				Links    []struct{ ID string }
			}
			if err := json.Unmarshal(buf.Bytes(), &file); err != nil {
				t.Fatal(err)
			}
			var got, want []string
			for _, l := range file.Links {
				got = append(got, l.ID)
			}
			when := graph.When{AsOf: c.asOf, During: graph.DateRange{From: c.from, To: c.to}}
			for _, l := range b.Links {
				if storetest.RefOverlaps(l.StartDate, l.EndDate, when) {
					want = append(want, l.ID)
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%+v: links\n got %v\nwant %v", c, got, want)
			}
			if len(want) == len(b.Links) {
				all++
			}
			if len(file.Entities) != len(b.Entities) {
				t.Errorf("%+v: %d entities, want all %d", c, len(file.Entities), len(b.Entities))
			}
		}
		if all == len(cases) {
			t.Error("no case drops a link: the dates are not exercised")
		}
	})
}

func TestParseWhen(t *testing.T) {
	for _, c := range []struct {
		asOf, from, to string
		want           graph.When
		bad            string // a text the error must name, "" when valid
	}{
		{want: graph.When{}},
		{asOf: "2020-02-29", want: graph.When{AsOf: "2020-02-29"}},
		{from: " 2019 ", want: graph.When{During: graph.DateRange{From: "2019"}}},
		{from: "2019-01", to: "2019-01", want: graph.When{During: graph.DateRange{From: "2019-01", To: "2019-01"}}},
		{asOf: "2019-02-29", bad: "2019-02-29"},
		{from: "2019-13", bad: "from"},
		{to: "yesterday", bad: "yesterday"},
		{asOf: "2019", to: "2020", bad: "asOf"},
		{from: "2021", to: "2020-12-31", bad: "2021"},
	} {
		got, err := ParseWhen(c.asOf, c.from, c.to)
		switch {
		case c.bad == "" && err != nil:
			t.Errorf("%+v: %v", c, err)
		case c.bad == "" && got != c.want:
			t.Errorf("%+v: %+v", c, got)
		case c.bad != "" && (!errors.Is(err, graph.ErrInvalid) || !strings.Contains(err.Error(), c.bad)):
			t.Errorf("%+v: error %v, want ErrInvalid naming %q", c, err, c.bad)
		}
	}
}
