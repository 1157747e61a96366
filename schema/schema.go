package schema

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/graph-gophers/graphql-go"

	"github.com/skein-project/skein/graph"
)

// Defaults of Options.
const (
	DefaultTimeout       = 30 * time.Second
	DefaultMaxDepth      = 15       // nesting of a query's selections
	DefaultMaxQueryBytes = 32 << 10 // query text
	DefaultMaxBodyBytes  = 8 << 20  // POST body, variables included (bulk upserts)
	DefaultSlowRequest   = 2 * time.Second
	MaxBatch             = graph.MaxIDsPerQuery
	MaxTop               = graph.MaxTop // centrality results
	// maxOverlapPairs bounds the pairs of fields graphql-go's validation
	// compares; MaxSelections fields in one set make at most 2 million.
	maxOverlapPairs = 100_000
)

// Action is what a root field does, for Options.Authorize.
type Action string

// Actions.
const (
	ActionRead    Action = "read"    // queries
	ActionAnalyze Action = "analyze" // centrality, communities, brokers, sanctionsExposure, weighted paths
	ActionWrite   Action = "write"   // mutations
)

// Options configure the API. Zero values take the defaults above.
type Options struct {
	// Timeout bounds each request, database work included.
	Timeout time.Duration
	// MaxDepth bounds the nesting of a query.
	MaxDepth int
	// MaxQueryBytes bounds the query text.
	MaxQueryBytes int
	// MaxBodyBytes bounds a POST body.
	MaxBodyBytes int64
	// MaxCost bounds the estimated cost of a query (see complexity.go),
	// checked before execution.
	MaxCost int64
	// MaxAliases bounds the number of aliased fields of a query, fragments
	// expanded.
	MaxAliases int
	// MaxResponseBytes bounds the response while it is built (see
	// budget.go); a request past it is cancelled and refused TOO_COMPLEX.
	MaxResponseBytes int64
	// SlowRequest is the duration above which a request is logged at
	// Warn level with its query.
	SlowRequest time.Duration
	Logger      *slog.Logger
	// Authorize, when set, is asked before every root field; returning
	// ErrUnauthenticated or ErrForbidden (wrapped or not) refuses it with
	// that code.
	Authorize func(ctx context.Context, a Action) error
	// AuditLog, when set, serves the auditLog field (ActionAudit).
	AuditLog AuditReader
	// OnResponse, when set, is called once for every request ServeHTTP
	// answers, refused ones included, before the response is written (the
	// audit). An error replaces the response with 503 AUDIT_UNAVAILABLE.
	OnResponse func(ctx context.Context, c Completed) error
	// BeforeWrite, when set, is asked once per request before its first
	// write runs, with the request as sent (the audit's record that a
	// write starts); an error refuses the write with AUDIT_UNAVAILABLE.
	BeforeWrite func(ctx context.Context, sent Completed) error
	// Records keeps cases; when nil, the store itself if it is also a
	// graph.Records (both stores are).
	Records graph.Records
	// MaxAnalyses bounds the analyses running at once (see analysis_slots.go);
	// the others wait within their deadline. Ignored when Analyses is set.
	MaxAnalyses int
	// Analyses are the analysis slots, when the caller shares them with
	// other entry points (POST /api/match); nil means MaxAnalyses of
	// this schema's own.
	Analyses *AnalysisSlots
	// MaxExecuting bounds the GraphQL requests executing at once (see
	// exec_slots.go): the others wait in arrival order within their
	// deadline. 0 means DefaultMaxExecuting, < 0 no bound.
	MaxExecuting int
	// Principal says who a request runs as (case owners and note
	// authors); when nil, everyone is "anonymous".
	Principal func(ctx context.Context) Principal
}

// Schema is the executable GraphQL schema and its HTTP handler.
type Schema struct {
	gql   *gqlSchema
	opts  Options
	log   *slog.Logger
	costs costModel
	store graph.Store
	exec  *ExecutionSlots // nil: unbounded
	// The fast executor's (fast_exec.go): the root resolver it calls, the
	// SDL's argument defaults, whether it is off (tests compare it with
	// graphql-go) and how many requests it answered.
	res      *resolver
	defaults rootDefaults
	noFast   bool
	fastRuns atomic.Int64
	bufs     sync.Pool // of *[]byte: the fast executor's answers, once written
	nodeIdx  sync.Pool // of map[string]node: the fast executor's subgraph node indexes
	docs     *docCache
}

// New parses the SDL against the resolvers over store.
func New(store graph.Store, opts Options) (*Schema, error) {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxDepth <= 0 {
		opts.MaxDepth = DefaultMaxDepth
	}
	if opts.MaxQueryBytes <= 0 {
		opts.MaxQueryBytes = DefaultMaxQueryBytes
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.MaxCost <= 0 {
		opts.MaxCost = DefaultMaxCost
	}
	if opts.MaxAliases <= 0 {
		opts.MaxAliases = DefaultMaxAliases
	}
	if opts.MaxResponseBytes <= 0 {
		opts.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if opts.SlowRequest <= 0 {
		opts.SlowRequest = DefaultSlowRequest
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Analyses == nil {
		opts.Analyses = NewAnalysisSlots(opts.MaxAnalyses)
	}
	if opts.Records == nil {
		opts.Records, _ = store.(graph.Records)
	}
	r := &resolver{store: store, log: opts.Logger, authorize: opts.Authorize, audit: opts.AuditLog, beforeWrite: opts.BeforeWrite,
		records: opts.Records, whoami: opts.Principal, analyses: opts.Analyses}
	gql, err := graphql.ParseSchema(SDL(), r,
		graphql.UseStringDescriptions(),
		// Resolvers may expose plain struct fields (entityResolver.ID):
		// methods still win where both exist.
		graphql.UseFieldResolvers(),
		graphql.MaxDepth(opts.MaxDepth),
		graphql.MaxQueryLength(opts.MaxQueryBytes),
		graphql.MaxParallelism(8),
		// A second guard behind the parser's bounds (querytext.go):
		// validation compares repeated fields pairwise.
		graphql.OverlapValidationLimit(maxOverlapPairs),
		graphql.Tracer(budgetTracer{}),
		graphql.PanicHandler(panicHandler{}),
		graphql.Logger(&panicLogger{log: opts.Logger}),
	)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	return &Schema{gql: newGQLSchema(gql), opts: opts, log: opts.Logger, costs: newCostModel(gql.AST()), store: store,
		exec: NewExecutionSlots(opts.MaxExecuting), res: r, defaults: newRootDefaults(gql.AST()),
		docs: newDocCache(docCacheEntries, docCacheBytes)}, nil
}

// resolver is the root resolver: Query and Mutation fields.
type resolver struct {
	store       graph.Store
	log         *slog.Logger
	authorize   func(ctx context.Context, a Action) error
	audit       AuditReader
	beforeWrite func(ctx context.Context, sent Completed) error
	records     graph.Records
	whoami      func(ctx context.Context) Principal
	analyses    *AnalysisSlots
}

// allow checks a root field against Options.Authorize and, for writes, the
// read-only state of a GET request.
func (r *resolver) allow(ctx context.Context, a Action) error {
	if a == ActionWrite {
		if req := requestOf(ctx); req.readOnly {
			req.writeRefused.Store(true)
			return newError(CodeMethodNotAllowed, "mutations must be sent with POST")
		}
	}
	if r.authorize != nil {
		if err := r.authorize(ctx, a); err != nil {
			if codeOf(err) == "" {
				err = fmt.Errorf("%w: %w", ErrForbidden, err)
			}
			return fail(ctx, r.log, err)
		}
	}
	if a == ActionWrite && r.beforeWrite != nil {
		req := requestOf(ctx)
		_, err := req.beforeWrite.do(func() (struct{}, error) { return struct{}{}, r.beforeWrite(ctx, req.sent) })
		if err != nil {
			r.log.ErrorContext(ctx, "graphql: write not recorded, refused", "err", err)
			return newError(CodeAuditUnavailable, graph.PublicMessage(graph.ErrNotAudited))
		}
	}
	return nil
}
