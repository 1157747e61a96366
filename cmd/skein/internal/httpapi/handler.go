package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/skein-project/skein/cmd/skein/internal/audit"
	"github.com/skein-project/skein/graph"
	"github.com/skein-project/skein/schema"
	"github.com/skein-project/skein/ui"
)

// Options configure the HTTP application.
type Options struct {
	Timeout time.Duration
	Logger  *slog.Logger
	Assets  fs.FS // UI files; nil means the embedded build
	Tokens  Tokens
	// Audit is the trail every request is recorded in; required.
	Audit *audit.Log
	// RatePerSec and RateBurst bound each token's requests (when Tokens
	// are configured); zero disables the limit.
	RatePerSec float64
	RateBurst  int
	// SecureCookies marks the sign-in cookie Secure even without TLS here:
	// set it when a proxy in front terminates HTTPS.
	SecureCookies bool
	// TempDir holds exports while they are written (default: the system's).
	TempDir string
	// MaxAnalyses bounds the analyses running at once, GraphQL's and
	// POST /api/match's together (one schema.AnalysisSlots); 0 means
	// schema.DefaultMaxAnalyses.
	MaxAnalyses int
	// MaxExecuting bounds the GraphQL requests executing at once, the
	// others waiting in arrival order (schema.Options.MaxExecuting): 0
	// means schema.DefaultMaxExecuting, < 0 no bound.
	MaxExecuting int
}

// Failed authentication attempts allowed per client address: a burst,
// then one every few seconds.
const (
	failedAuthBurst  = 10
	failedAuthPerSec = 0.2
)

// contentSecurityPolicy allows nothing from outside the server itself.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self'; font-src 'self' data:; connect-src 'self'; worker-src 'self'; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// New builds the HTTP application over store: health, GraphQL,
// export/import, sign-in, the audit trail and the UI.
func New(store graph.Store, opts Options) (http.Handler, error) {
	if opts.Audit == nil {
		return nil, errors.New("httpapi: an audit log is required")
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = schema.DefaultTimeout
	}
	aud := &auditor{log: opts.Audit, logger: opts.Logger}
	slots := schema.NewAnalysisSlots(opts.MaxAnalyses)
	gql, err := schema.New(store, schema.Options{
		Timeout:      opts.Timeout,
		Analyses:     slots,
		MaxExecuting: opts.MaxExecuting,
		Logger:       opts.Logger,
		AuditLog:     auditReaderOf(opts.Audit),
		OnResponse:   aud.onResponse,
		BeforeWrite:  aud.intent,
		Principal: func(ctx context.Context) schema.Principal {
			who, _ := principalFrom(ctx)
			return schema.Principal{ID: who.ID, Role: string(who.Role)}
		},
		Authorize: func(ctx context.Context, a schema.Action) error {
			who, ok := principalFrom(ctx)
			if !ok {
				return schema.ErrUnauthenticated
			}
			if !who.Role.can(permissionOf(a)) {
				return fmt.Errorf("role %s may not %s: %w", who.Role, permissionOf(a), schema.ErrForbidden)
			}
			return nil
		},
	})
	if err != nil {
		return nil, err
	}
	assets := opts.Assets
	if assets == nil {
		assets = ui.Assets()
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery(), requestLogger(opts.Logger), securityHeaders)

	// Liveness and readiness stay open and unaudited (probes).
	r.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	r.GET("/readyz", func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
		defer cancel()
		if err := store.Ping(ctx); err != nil {
			c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "code": graph.Code(err), "error": graph.PublicMessage(err)})
			return
		}
		c.JSON(http.StatusOK, gin.H{"status": "ready"})
	})

	// Kind icons are the registry's public drawing data, fetched per chart
	// load: left out of the audit trail like the probes.
	r.GET("/api/icons/:file", kindIcon)

	// Everything else is audited, refusals included.
	r.Use(aud.middleware)
	if len(opts.Tokens) == 0 {
		r.Use(loopbackHost)
	}
	r.Use(sameOrigin)
	auth := &authenticator{
		tokens: opts.Tokens, sessions: newSessions(), secure: opts.SecureCookies,
		failures: newRateLimiter(failedAuthPerSec, failedAuthBurst),
	}
	r.POST("/auth/login", auth.login)
	r.POST("/auth/logout", auth.logout)
	r.Use(auth.middleware)
	limit := func(c *gin.Context) { c.Next() }
	if len(opts.Tokens) > 0 && opts.RatePerSec > 0 {
		limit = newRateLimiter(opts.RatePerSec, opts.RateBurst).limit
	}
	r.Any("/graphql", limit, gin.WrapH(gql))

	ex := exchange{store: store, timeout: opts.Timeout, logger: opts.Logger, tempDir: opts.TempDir}
	r.GET("/api/export/:format", limit, require(permExport), ex.export)
	r.POST("/api/import", limit, require(permImport), nonSimpleBody, uploadSize, aud.intentHandler, ex.importFile)
	r.GET("/api/documents/:id/text", limit, require(permRead), documentText(store, opts.Timeout))
	r.GET("/api/audit", limit, require(permAudit), auditQueryHandler(opts.Audit))
	r.POST("/api/match", limit, require(permAnalyze), nonSimpleBody, screening{store: store, timeout: opts.Timeout, slots: slots}.match)

	r.GET("/graphiql", func(c *gin.Context) { serveAsset(c, assets, "graphiql.html") })
	// A case's address opens the UI, which loads the case itself.
	r.GET("/case/:id", func(c *gin.Context) { serveAsset(c, assets, "index.html") })
	r.NoRoute(assetHandler(assets))
	return r, nil
}

// serveAsset serves one file of the UI build, or says the UI is not built.
func serveAsset(c *gin.Context, assets fs.FS, name string) {
	b, err := fs.ReadFile(assets, name)
	if err != nil {
		c.String(http.StatusNotFound, "%s is not built: run `make ui` (or `make run`)", name)
		return
	}
	c.Data(http.StatusOK, "text/html; charset=utf-8", b)
}

func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", contentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	c.Next()
}

func requestLogger(logger *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		// Asked first, so that a request not logged builds no attributes.
		if logger.Enabled(c.Request.Context(), slog.LevelDebug) {
			logger.Debug("request", "method", c.Request.Method, "path", c.Request.URL.Path,
				"status", c.Writer.Status(), "duration", time.Since(start))
		}
	}
}
