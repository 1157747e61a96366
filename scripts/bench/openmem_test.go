package main

import (
	"strings"
	"testing"
)

func TestOpenCheck(t *testing.T) {
	full := func(rss int64) check {
		r := &report{Entities: 1_000_000, Links: 4_800_000, Open: &openResult{RSSOpen: rss, RSSAfterCentral: rss + 1}}
		return r.openCheck()
	}
	if c := full(1_400_000_000); !c.Known || !c.Met {
		t.Errorf("1.4 GB at 1M: %+v, want met", c)
	}
	if c := full(1_600_000_000); !c.Known || c.Met {
		t.Errorf("1.6 GB at 1M: %+v, want not met", c)
	}
	small := (&report{Entities: 3000, Links: 13000, Open: &openResult{RSSOpen: 40 << 20}}).openCheck()
	if small.Known || small.Unjudged == "" || !strings.Contains(small.Measured, "40 MiB") {
		t.Errorf("a small run: %+v, want the figure, not judged", small)
	}
	if c := (&report{}).openCheck(); c.Known || c.Measured != "not measured" {
		t.Errorf("no measurement: %+v", c)
	}
}
