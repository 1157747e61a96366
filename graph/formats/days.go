package formats

import "github.com/skein-project/skein/graph"

// firstDay and lastDay of a date at any precision, "" for none.
func firstDay(s string) string {
	d, err := graph.ParseDate(s)
	if s == "" || err != nil {
		return ""
	}
	return d.First.String()
}

func lastDay(s string) string {
	d, err := graph.ParseDate(s)
	if s == "" || err != nil {
		return ""
	}
	return d.Last.String()
}
