package schema

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/skein-project/skein/graph/storetest/teststores"
	"github.com/skein-project/skein/seed"
)

// TestRequestLog: a slow request is logged at Warn with its query, a
// request with errors at Debug when Debug is on, and any other request not
// at all.
func TestRequestLog(t *testing.T) {
	s := teststores.Embedded(t)
	if err := seed.Load(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	const ok = `{"query": "{ entity(id: \"person:burim-krasniqi\") { id } }"}`
	const bad = `{"query": "{ entity(id: \"person:burim-krasniqi\") { nope } }"}`
	for _, tc := range []struct {
		name  string
		level slog.Level
		slow  time.Duration
		body  string
		want  string // "" when nothing is logged
	}{
		{"ok", slog.LevelDebug, time.Hour, ok, ""},
		{"error, debug", slog.LevelDebug, time.Hour, bad, `level=DEBUG msg="graphql: request with errors"`},
		{"error, info", slog.LevelInfo, time.Hour, bad, ""},
		{"slow", slog.LevelInfo, time.Nanosecond, ok, `level=WARN msg="graphql: slow request"`},
	} {
		var out bytes.Buffer
		log := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: tc.level}))
		sch, err := New(s, Options{Logger: log, SlowRequest: tc.slow})
		if err != nil {
			t.Fatal(err)
		}
		serveBody(sch, []byte(tc.body), false)
		got := out.String()
		switch {
		case tc.want == "" && got != "":
			t.Errorf("%s: logged %q", tc.name, got)
		case tc.want != "" && !strings.Contains(got, tc.want):
			t.Errorf("%s: logged %q, want %q", tc.name, got, tc.want)
		case tc.name == "slow" && !strings.Contains(got, "person:burim-krasniqi"):
			t.Errorf("slow: the query is not logged: %q", got)
		}
	}
}
