package neo4j_test

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/graph/neo4j"
	"github.com/skein-project/skein/graph/storetest/teststores"
)

// proxy forwards a local port to the test server; stop closes the port
// and every connection (the server seems gone: connections are refused),
// start opens the same port again.
type proxy struct {
	t      *testing.T
	addr   string
	target string
	// hangUp, when set, makes the port accept connections and close them
	// after that long without reaching the server (a server that takes
	// connections and never answers).
	hangUp time.Duration
	mu     sync.Mutex
	l      net.Listener
	conns  []net.Conn
}

func (p *proxy) start() {
	p.t.Helper()
	addr := p.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	l, err := net.Listen("tcp", addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.addr = l.Addr().String()
	p.mu.Lock()
	p.l = l
	p.mu.Unlock()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			if p.hangUp > 0 {
				go func() { time.Sleep(p.hangUp); c.Close() }()
				continue
			}
			up, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { _, _ = io.Copy(up, c); up.Close() }()
			go func() { _, _ = io.Copy(c, up); c.Close() }()
		}
	}()
}

func (p *proxy) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.l.Close()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// TestRefusedConnection stops the server from answering while the store is
// open: calls must answer ErrUnavailable within 2 s (a 2 s deadline would
// give ErrTimeout instead), not after the whole retry budget, and the
// store must serve again by itself once the server is back.
func TestRefusedConnection(t *testing.T) {
	cfg := teststores.Neo4jConfig(t)
	scheme, target, ok := strings.Cut(cfg.URI, "://")
	if !ok {
		t.Fatalf("NEO4J_URI %q has no scheme", cfg.URI)
	}
	p := &proxy{t: t, target: target}
	p.start()
	t.Cleanup(p.stop)
	cfg.URI = scheme + "://" + p.addr
	ctx := context.Background()
	s, err := neo4j.Open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.Stats(ctx); err != nil {
		t.Fatal(err)
	}
	p.stop()
	for i := range 3 {
		cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		_, err := s.Stats(cctx)
		cancel()
		if !errors.Is(err, graph.ErrUnavailable) || errors.Is(err, graph.ErrTimeout) {
			t.Fatalf("call %d with the server gone: %v, want ErrUnavailable within 2 s", i, err)
		}
	}
	p.start()
	for range 20 { // the driver's pool may hold a dead connection a moment
		if _, err = s.Stats(ctx); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("the store did not recover when the server came back: %v", err)
	}
}

// TestUnansweredConnection takes the server away while the driver retries:
// each attempt reaches a port that hangs up after 600 ms, and the driver
// pauses 0.8-1.2 s before its third attempt, so a deadline of 1.9 s runs
// out inside that attempt, 0.7 s one inside the second and 1.2 s one
// inside the pause, jitter or not. The driver then reports only the
// deadline or a connection that timed out; the store must still say that
// the server is unavailable, not that the query was slow.
func TestUnansweredConnection(t *testing.T) {
	cfg := teststores.Neo4jConfig(t)
	scheme, target, ok := strings.Cut(cfg.URI, "://")
	if !ok {
		t.Fatalf("NEO4J_URI %q has no scheme", cfg.URI)
	}
	ctx := context.Background()
	for _, deadline := range []time.Duration{500 * time.Millisecond, 1200 * time.Millisecond, 1900 * time.Millisecond} {
		p := &proxy{t: t, target: target}
		p.start()
		cfg.URI = scheme + "://" + p.addr
		s, err := neo4j.Open(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Stats(ctx); err != nil {
			t.Fatal(err)
		}
		p.stop()
		p.hangUp = 600 * time.Millisecond
		p.start()
		cctx, cancel := context.WithTimeout(ctx, deadline)
		_, err = s.Stats(cctx)
		cancel()
		_ = s.Close()
		p.stop()
		if !errors.Is(err, graph.ErrUnavailable) || errors.Is(err, graph.ErrTimeout) {
			t.Errorf("deadline %v with the server not answering: %v, want ErrUnavailable", deadline, err)
		}
	}
}
