package httpapi

import (
	"context"
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
	Audit   *audit.Log
	// RatePerSec and RateBurst bound each token's requests (when Tokens
	// are configured); zero disables the limit.
	RatePerSec float64
	RateBurst  int
}

// contentSecurityPolicy allows nothing from outside the server itself.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; " +
	"img-src 'self'; font-src 'self' data:; connect-src 'self'; worker-src 'self'; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// New builds the HTTP application over store: health, GraphQL,
// export/import, sign-in, the audit trail and the UI.
func New(store graph.Store, opts Options) (http.Handler, error) {
	var auditReader schema.AuditReader
	if opts.Audit != nil {
		auditReader = auditReaderOf(opts.Audit)
	}
	gql, err := schema.New(store, schema.Options{
		Timeout:  opts.Timeout,
		Logger:   opts.Logger,
		AuditLog: auditReader,
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

	r.GET("/healthz", func(c *gin.Context) { c.JSON(http.StatusOK, gin.H{"status": "ok"}) })
	r.GET("/readyz", func(c *gin.Context) {
		ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
		defer cancel()
		if err := store.Ping(ctx); err != nil {
			c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "error": err.Error()})
			return
		}
		c.JSON(http.StatusOK, gin.H{"status": "ready"})
	})
	r.POST("/auth/login", login(opts.Tokens))
	r.Use(authenticate(opts.Tokens))
	limit := func(c *gin.Context) { c.Next() }
	if len(opts.Tokens) > 0 && opts.RatePerSec > 0 {
		limit = newRateLimiter(opts.RatePerSec, max(1, opts.RateBurst)).limit
	}
	audit := func(kind string) gin.HandlerFunc {
		if opts.Audit == nil {
			return func(c *gin.Context) { c.Next() }
		}
		return audited(opts.Audit, opts.Logger, kind)
	}
	r.Any("/graphql", limit, audit("graphql"), gin.WrapH(gql))

	ex := exchange{store: store, timeout: opts.Timeout, logger: opts.Logger}
	r.GET("/api/export/:format", limit, audit("export"), require(permExport), ex.export)
	r.POST("/api/import", limit, audit("import"), require(permImport), ex.importFile)
	if opts.Audit != nil {
		r.GET("/api/audit", limit, require(permAudit), auditQueryHandler(opts.Audit))
	}

	static := http.FileServerFS(assets)
	r.GET("/graphiql", func(c *gin.Context) { serveAsset(c, assets, "graphiql.html") })
	r.NoRoute(func(c *gin.Context) {
		if c.Request.Method != http.MethodGet && c.Request.Method != http.MethodHead {
			c.JSON(http.StatusNotFound, gin.H{"error": "not found"})
			return
		}
		static.ServeHTTP(c.Writer, c.Request)
	})
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
		logger.Debug("request", "method", c.Request.Method, "path", c.Request.URL.Path,
			"status", c.Writer.Status(), "duration", time.Since(start))
	}
}
