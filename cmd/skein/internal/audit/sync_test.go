package audit

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestSyncHoldsNoLock: while the flusher's fsync is under way (held here
// until the test lets it go), the log's lock is free, so that requests
// check Healthy and Append their records without waiting for the disk; the
// records appended meanwhile are all kept.
func TestSyncHoldsNoLock(t *testing.T) {
	syncing, release := make(chan struct{}, 1), make(chan struct{})
	path := filepath.Join(t.TempDir(), "audit.log")
	l := openT(t, path, Options{syncFile: func(f *os.File) error {
		select {
		case syncing <- struct{}{}:
		default:
		}
		<-release
		return f.Sync()
	}})
	appendT(t, l, Record{Actor: "a", Outcome: "ok"})
	<-syncing // the flusher is in the fsync, and stays there

	if !l.mu.TryLock() {
		close(release)
		t.Fatal("the log's lock is held while the file is synced: every request would wait for the disk")
	}
	l.mu.Unlock()
	if err := l.Healthy(); err != nil {
		t.Errorf("healthy during a sync: %v", err)
	}
	for range 3 {
		appendT(t, l, Record{Actor: "b", Outcome: "ok"})
	}
	close(release)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	page, err := openT(t, path, Options{}).Query(context.Background(), Query{First: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Records) != 4 || page.Records[0].Seq != 4 {
		t.Errorf("after the sync: %d records, newest seq %d; want 4 and 4", len(page.Records), page.Records[0].Seq)
	}
}

// TestSyncFailureRefuses: a failed fsync still makes the log unhealthy,
// so that requests are refused until an append succeeds again.
func TestSyncFailureRefuses(t *testing.T) {
	failed := errors.New("disk gone")
	l := openT(t, filepath.Join(t.TempDir(), "audit.log"), Options{syncFile: func(*os.File) error { return failed }})
	defer l.Close()
	appendT(t, l, Record{Actor: "a", Outcome: "ok"})
	for l.Healthy() == nil {
		if t.Context().Err() != nil {
			t.Fatal("a failed sync never made the log unhealthy")
		}
		time.Sleep(time.Millisecond)
	}
	if err := l.Healthy(); !errors.Is(err, ErrUnavailable) || !errors.Is(err, failed) {
		t.Errorf("healthy after a failed sync: %v", err)
	}
}
