package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/skein-project/skein/cmd/skein/internal/audit"
	"github.com/skein-project/skein/cmd/skein/internal/httpapi"
	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/schema"
	"github.com/skein-project/skein/seed"
)

// serveConfig holds the settings of `skein serve`.
type serveConfig struct {
	Store   storeConfig
	Addr    string
	NoSeed  bool
	Timeout time.Duration
	// Tokens is SKEIN_AUTH_TOKENS; TokenFile a file of role:token lines.
	Tokens    string
	TokenFile string
	AuditLog  string // default: audit.log in the data directory
	Rate      float64
	Burst     int
	// SecureCookies marks the sign-in cookie Secure (behind an HTTPS proxy).
	SecureCookies bool
	// MaxExecuting bounds the GraphQL requests executing at once; 0 picks
	// by store (maxExecuting).
	MaxExecuting int
}

func (c *serveConfig) bind(fs *flag.FlagSet) {
	c.Store.bind(fs)
	fs.StringVar(&c.Addr, "addr", envOr("SKEIN_ADDR", "127.0.0.1:8080"), "listen address (SKEIN_ADDR)")
	fs.BoolVar(&c.NoSeed, "no-seed", false, "do not load the seed dataset into an empty embedded store")
	fs.DurationVar(&c.Timeout, "timeout", 30*time.Second, "per-request timeout for GraphQL, export and import")
	fs.StringVar(&c.TokenFile, "auth-token-file", envOr("SKEIN_AUTH_TOKEN_FILE", ""), "file of role:token lines (SKEIN_AUTH_TOKEN_FILE)")
	fs.StringVar(&c.AuditLog, "audit-log", envOr("SKEIN_AUDIT_LOG", ""), "append-only audit log file (default DATA/audit.log)")
	fs.Float64Var(&c.Rate, "rate-limit", 50, "requests per second per token when tokens are configured (0: no limit)")
	fs.IntVar(&c.Burst, "rate-burst", 100, "burst of the per-token rate limit")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", os.Getenv("SKEIN_SECURE_COOKIES") == "true", "mark the sign-in cookie Secure: set it when an HTTPS proxy serves Skein (SKEIN_SECURE_COOKIES=true)")
	fs.IntVar(&c.MaxExecuting, "max-executing", envInt("SKEIN_MAX_EXECUTING", 0),
		"GraphQL requests executing at once, the others waiting in arrival order (SKEIN_MAX_EXECUTING; 0: one per core on the embedded store, two per core on Neo4j; -1: no bound)")
	c.Tokens = os.Getenv("SKEIN_AUTH_TOKENS")
}

// runServe serves until ctx is cancelled (SIGINT/SIGTERM), then drains
// in-flight requests.
func runServe(ctx context.Context, args []string, stderr io.Writer, logger *slog.Logger) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg serveConfig
	cfg.bind(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	app, err := openApp(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer app.Close()
	if err := app.Listen(cfg.Addr); err != nil {
		return err
	}
	logger.Info("skein serving", "url", app.URL(), "store", cfg.Store.Kind)
	errc := make(chan error, 1)
	go func() { errc <- app.Serve() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down: draining in-flight requests")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	return app.Shutdown(shutdownCtx)
}

// App is a running Skein: a store and the HTTP server over it. Tests drive
// it the same way main does.
type App struct {
	store  graph.Store
	audit  *audit.Log
	logger *slog.Logger
	srv    *http.Server
	ln     net.Listener
	closed bool // for tests that restart an app
}

// openApp opens the store, seeds an empty embedded store unless told not
// to, and builds the HTTP handler.
func openApp(ctx context.Context, cfg serveConfig, logger *slog.Logger) (*App, error) {
	toks, err := httpapi.LoadTokens(cfg.Tokens, cfg.TokenFile)
	if err != nil {
		return nil, err
	}
	if len(toks) == 0 {
		if !isLoopback(cfg.Addr) {
			return nil, fmt.Errorf("refusing to serve %s without access tokens: set SKEIN_AUTH_TOKENS (role:token,...) or --auth-token-file, or listen on a loopback address such as 127.0.0.1", cfg.Addr)
		}
		logger.Warn("no access tokens configured: serving OPEN to anyone on this machine (loopback only)", "addr", cfg.Addr)
	}
	store, err := cfg.Store.open(ctx, logger)
	if err != nil {
		return nil, err
	}
	if cfg.Store.Kind == "embedded" && !cfg.NoSeed {
		st, err := store.Stats(ctx)
		if err != nil {
			store.Close()
			return nil, err
		}
		if st.Entities == 0 {
			if err := seed.Load(ctx, store); err != nil {
				store.Close()
				return nil, fmt.Errorf("seed: %w", err)
			}
			logger.Info("empty store: loaded the seed dataset")
		}
	}
	auditPath := cfg.AuditLog
	if auditPath == "" {
		auditPath = filepath.Join(cfg.Store.Data, "audit.log")
	}
	trail, err := audit.Open(auditPath, audit.Options{Logger: logger})
	if err != nil {
		store.Close()
		return nil, err
	}
	h, err := httpapi.New(store, httpapi.Options{
		Timeout: cfg.Timeout, Logger: logger, Tokens: toks, Audit: trail,
		RatePerSec: cfg.Rate, RateBurst: cfg.Burst, SecureCookies: cfg.SecureCookies,
		MaxExecuting: maxExecuting(cfg),
	})
	if err != nil {
		trail.Close()
		store.Close()
		return nil, err
	}
	return &App{
		store:  store,
		audit:  trail,
		logger: logger,
		srv: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 10 * time.Second,
			ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		},
	}, nil
}

// maxExecuting is the bound on GraphQL requests executing at once. On the
// embedded store a request is CPU work throughout, so the schema's
// default (one per core) applies; over Neo4j a request spends most of its
// time waiting on the database, so a few per core
// (schema.DefaultMaxExecutingRemote).
func maxExecuting(cfg serveConfig) int {
	if cfg.MaxExecuting == 0 && cfg.Store.Kind != "embedded" {
		return schema.DefaultMaxExecutingRemote()
	}
	return cfg.MaxExecuting
}

// envInt is the integer in the environment variable name, or def when it
// is unset or not an integer.
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return n
	}
	return def
}

// isLoopback reports whether addr only listens on the loopback interface.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Listen binds the address (":0" picks a free port).
func (a *App) Listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	a.ln = ln
	return nil
}

// URL is the base URL the app listens on.
func (a *App) URL() string { return "http://" + a.ln.Addr().String() }

// Serve serves until Shutdown.
func (a *App) Serve() error {
	if err := a.srv.Serve(a.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Shutdown stops accepting requests and waits for in-flight ones.
func (a *App) Shutdown(ctx context.Context) error { return a.srv.Shutdown(ctx) }

// Close closes the audit log and the store.
func (a *App) Close() error {
	return errors.Join(a.audit.Close(), a.store.Close())
}
