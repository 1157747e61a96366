package neo4j

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	neo4jdrv "github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/notifications"

	"github.com/skein-project/skein/graph"
)

// Config says how to reach Neo4j.
type Config struct {
	URI      string // bolt://host:port, or neo4j://host:port for routing
	Username string
	Password string
	Database string // empty: the server's default database
	Logger   *slog.Logger
	// MaxRetryTime bounds how long a transaction is retried on transient
	// and connectivity errors: by default 5s with neo4j:// (long enough to
	// ride out a cluster leader switch) and 1.5s with bolt://, a single
	// server, where a refused connection is no leader switch. Once a call
	// fails to connect, later calls first check the server in at most
	// probeTimeout and answer ErrUnavailable at once while it is down, so
	// that a down database does not hold every request for the budget.
	MaxRetryTime time.Duration
}

// Store is a graph.Store on Neo4j. It is safe for concurrent use.
type Store struct {
	driver    neo4jdrv.DriverWithContext
	bookmarks neo4jdrv.BookmarkManager
	database  string
	log       *slog.Logger
	trips     atomic.Int64
	// down is set when a call failed to reach the server; calls then
	// probe it first (see MaxRetryTime).
	down atomic.Bool
	// exposureCap, when not zero, replaces exposurePathCap (tests).
	exposureCap int
	// searchCollected, when not zero, replaces searchCollectedMax (tests).
	searchCollected int
	// denseMargin, when not zero, replaces the constant denseMargin
	// (tests: a large negative one sends every start to the index seeks).
	denseMargin int
	// queries holds compiled query texts by shape.
	queries queryCache
}

// probeTimeout bounds the connectivity check of a call while the server
// is down.
const probeTimeout = time.Second

var _ graph.Store = (*Store)(nil)

// Open connects to Neo4j, checks that it answers and creates the schema
// (constraints and indexes) when missing.
func Open(ctx context.Context, cfg Config) (*Store, error) {
	if cfg.URI == "" {
		return nil, fmt.Errorf("neo4j: empty URI: %w", graph.ErrInvalid)
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxRetryTime <= 0 {
		cfg.MaxRetryTime = 5 * time.Second
		if strings.HasPrefix(cfg.URI, "bolt") {
			cfg.MaxRetryTime = 1500 * time.Millisecond
		}
	}
	drv, err := neo4jdrv.NewDriverWithContext(cfg.URI, neo4jdrv.BasicAuth(cfg.Username, cfg.Password, ""),
		func(c *config.Config) {
			c.SocketConnectTimeout = 5 * time.Second
			c.ConnectionAcquisitionTimeout = 30 * time.Second
			c.MaxTransactionRetryTime = cfg.MaxRetryTime
		})
	if err != nil {
		return nil, fmt.Errorf("neo4j: driver for %s: %w", cfg.URI, translate(err))
	}
	s := &Store{
		driver:    drv,
		bookmarks: neo4jdrv.NewBookmarkManager(neo4jdrv.BookmarkManagerConfig{}),
		database:  cfg.Database,
		log:       log,
	}
	if err := drv.VerifyConnectivity(ctx); err != nil {
		_ = drv.Close(context.Background())
		return nil, fmt.Errorf("neo4j: connect to %s: %w", cfg.URI, translate(err))
	}
	if err := s.createSchema(ctx); err != nil {
		_ = drv.Close(context.Background())
		return nil, err
	}
	if err := s.migrateDates(ctx); err != nil {
		_ = drv.Close(context.Background())
		return nil, err
	}
	if err := s.migrateText(ctx); err != nil {
		_ = drv.Close(context.Background())
		return nil, err
	}
	if err := s.migrateShares(ctx); err != nil {
		_ = drv.Close(context.Background())
		return nil, err
	}
	if err := s.migrateEndIDs(ctx); err != nil {
		_ = drv.Close(context.Background())
		return nil, err
	}
	log.Debug("neo4j store open", "uri", cfg.URI, "database", cfg.Database)
	return s, nil
}

// Close releases the driver and its connections.
func (s *Store) Close() error {
	return s.driver.Close(context.Background())
}

// RoundTrips is the number of queries sent to the server so far, so tests
// can check that an operation costs a bounded number of them.
func (s *Store) RoundTrips() int64 { return s.trips.Load() }

// Ping checks that the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	_, err := read(ctx, s, func(tx *txn) (struct{}, error) {
		_, err := tx.collect(ctx, "RETURN 1", nil)
		return struct{}{}, err
	})
	if err != nil {
		return fmt.Errorf("neo4j: ping: %w", err)
	}
	return nil
}

// DeleteAll removes every node and relationship (for tests); the schema
// stays.
func (s *Store) DeleteAll(ctx context.Context) error {
	sess := s.session(ctx, neo4jdrv.AccessModeWrite)
	defer sess.Close(context.Background())
	// Batched in auto-commit transactions so a large database does not
	// need one huge transaction. Links go first: a batch of nodes detached
	// at once holds every one of their links too (a hub's thousands), which
	// at 200k entities and 860k links exceeded the server's 512 MiB of
	// transaction memory in batches of 10,000. In batches of 1,000, links
	// first, 40k entities and 173k links are deleted within 48 MiB.
	for _, q := range []string{
		"MATCH ()-[r]->() CALL { WITH r DELETE r } IN TRANSACTIONS OF 1000 ROWS",
		"MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS OF 1000 ROWS",
	} {
		s.trips.Add(1)
		res, err := sess.Run(ctx, q, nil, txTimeout(ctx))
		if err == nil {
			_, err = res.Consume(ctx)
		}
		if err != nil {
			return fmt.Errorf("neo4j: delete all: %w", translate(err))
		}
	}
	return nil
}

// createSchema creates, when missing, the uniqueness constraints on entity,
// document and (per type) link ids, the full-text index search uses and
// the range indexes on link dates, and waits until they are online.
func (s *Store) createSchema(ctx context.Context) error {
	stmts := []string{
		"CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE",
		"CREATE CONSTRAINT document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE",
		recordConstraint,
		"CREATE FULLTEXT INDEX " + searchIndex + " IF NOT EXISTS FOR (e:Entity) ON EACH [e.searchText] " +
			"OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace', `fulltext.eventually_consistent`: false}}",
		"CREATE FULLTEXT INDEX " + latinIndex + " IF NOT EXISTS FOR (e:Entity) ON EACH [e.latinText] " +
			"OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace', `fulltext.eventually_consistent`: false}}",
		"CREATE FULLTEXT INDEX " + identifierIndex + " IF NOT EXISTS FOR (e:Entity) ON EACH [e.idText] " +
			"OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace', `fulltext.eventually_consistent`: false}}",
	}
	for _, t := range graph.LinkTypes {
		// The type is one of the validated enumeration, never input.
		stmts = append(stmts, fmt.Sprintf("CREATE CONSTRAINT link_id_%s IF NOT EXISTS FOR ()-[r:%s]-() REQUIRE r.id IS UNIQUE", t, t))
	}
	stmts = append(stmts, dateIndexes()...)
	stmts = append(stmts, linkEndIndexes()...)
	sess := s.session(ctx, neo4jdrv.AccessModeWrite)
	defer sess.Close(context.Background())
	for _, q := range append(stmts, "CALL db.awaitIndexes(300)") {
		s.trips.Add(1)
		res, err := sess.Run(ctx, q, nil)
		if err == nil {
			_, err = res.Consume(ctx)
		}
		var n4e *neo4jdrv.Neo4jError
		if errors.As(err, &n4e) && strings.HasSuffix(n4e.Code, "AlreadyExists") {
			// Another process created the same rule at the same moment.
			err = nil
		}
		if err != nil {
			return fmt.Errorf("neo4j: create schema (%s): %w", q, translate(err))
		}
	}
	return nil
}

// session opens a session that asks the server for no deprecation
// notifications: the store's queries are fixed text and nothing reads
// them, while each one costs the server its making and the driver some 70
// allocations to decode (the neighbourhood's use of id(), rows.go's
// nodeKeys, raised two per query: on an ordinary depth-1 neighbourhood 15%
// more allocations and ~0.1 ms more server CPU than without).
func (s *Store) session(ctx context.Context, mode neo4jdrv.AccessMode) neo4jdrv.SessionWithContext {
	return s.driver.NewSession(ctx, neo4jdrv.SessionConfig{
		AccessMode:                      mode,
		DatabaseName:                    s.database,
		BookmarkManager:                 s.bookmarks,
		NotificationsDisabledCategories: notifications.DisableCategories(notifications.Deprecation),
	})
}

// txTimeout passes the context's deadline to the server, so a query that
// outlives its request is stopped there too.
func txTimeout(ctx context.Context) func(*neo4jdrv.TransactionConfig) {
	return func(c *neo4jdrv.TransactionConfig) {
		if d, ok := ctx.Deadline(); ok {
			left := time.Until(d)
			if left < time.Millisecond {
				left = time.Millisecond
			}
			c.Timeout = left
		}
	}
}

// txn wraps a managed transaction to count round trips.
type txn struct {
	tx neo4jdrv.ManagedTransaction
	s  *Store
}

// collect runs a query and returns all its records. Driver errors are
// returned unchanged so that the driver can retry the transaction.
func (t *txn) collect(ctx context.Context, cypher string, params map[string]any) ([]*neo4jdrv.Record, error) {
	t.s.trips.Add(1)
	start := time.Now()
	res, err := t.tx.Run(ctx, cypher, params)
	if err != nil {
		return nil, err
	}
	recs, err := res.Collect(ctx)
	t.s.logSlow(cypher, len(recs), time.Since(start))
	return recs, err
}

// each runs a query and hands its records to fn as they arrive, holding
// none of them: for results too large to collect (screening's candidate
// hits). Driver errors are returned unchanged, as collect's.
func (t *txn) each(ctx context.Context, cypher string, params map[string]any, fn func(*neo4jdrv.Record) error) error {
	t.s.trips.Add(1)
	start := time.Now()
	res, err := t.tx.Run(ctx, cypher, params)
	if err != nil {
		return err
	}
	rows := 0
	for res.Next(ctx) {
		rows++
		if err := fn(res.Record()); err != nil {
			return err
		}
	}
	t.s.logSlow(cypher, rows, time.Since(start))
	return res.Err()
}

// slowQuery is how long a query may take before it is logged as slow.
const slowQuery = time.Second

func (s *Store) logSlow(cypher string, rows int, took time.Duration) {
	if took < slowQuery {
		return
	}
	if len(cypher) > 160 {
		cypher = cypher[:160] + "..."
	}
	s.log.Warn("slow neo4j query", "cypher", cypher, "rows", rows, "took", took)
}

// exec runs a query for its effect.
func (t *txn) exec(ctx context.Context, cypher string, params map[string]any) error {
	t.s.trips.Add(1)
	start := time.Now()
	res, err := t.tx.Run(ctx, cypher, params)
	if err != nil {
		return err
	}
	_, err = res.Consume(ctx)
	t.s.logSlow(cypher, 0, time.Since(start))
	return err
}

// read runs work in a managed read transaction.
func read[T any](ctx context.Context, s *Store, work func(*txn) (T, error)) (T, error) {
	return run(ctx, s, neo4jdrv.AccessModeRead, work)
}

// write runs work in a managed write transaction.
func write[T any](ctx context.Context, s *Store, work func(*txn) (T, error)) (T, error) {
	return run(ctx, s, neo4jdrv.AccessModeWrite, work)
}

func run[T any](ctx context.Context, s *Store, mode neo4jdrv.AccessMode, work func(*txn) (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, translate(err)
	}
	if s.down.Load() {
		pctx, cancel := context.WithTimeout(ctx, probeTimeout)
		err := s.driver.VerifyConnectivity(pctx)
		cancel()
		if err != nil {
			return zero, fmt.Errorf("neo4j: the server is not reachable: %w: %w", graph.ErrUnavailable, err)
		}
		s.down.Store(false)
	}
	sess := s.session(ctx, mode)
	defer sess.Close(context.Background())
	fn := func(tx neo4jdrv.ManagedTransaction) (any, error) {
		return work(&txn{tx: tx, s: s})
	}
	var (
		out any
		err error
	)
	if mode == neo4jdrv.AccessModeRead {
		out, err = sess.ExecuteRead(ctx, fn, txTimeout(ctx))
	} else {
		out, err = sess.ExecuteWrite(ctx, fn, txTimeout(ctx))
	}
	if err != nil {
		if unreachable(err) {
			s.down.Store(true)
		}
		cause := err
		err = translate(err)
		if errors.Is(err, graph.ErrTimeout) && ctx.Err() != nil && s.gone() {
			// The driver retries a connection that fails until the
			// caller's deadline and may then report only the deadline: a
			// server that cannot be reached is not a slow query.
			s.down.Store(true)
			return zero, fmt.Errorf("neo4j: the server is not reachable: %w: %w", graph.ErrUnavailable, cause)
		}
		var mem *memoryError
		if errors.As(err, &mem) {
			s.log.Warn("neo4j refused a transaction more memory", "err", mem.cause)
		}
		return zero, err
	}
	return out.(T), nil
}

// gone reports whether a connectivity check fails with a connectivity
// error within probeTimeout, whatever the caller's own deadline.
func (s *Store) gone() bool {
	pctx, cancel := context.WithTimeout(context.Background(), probeTimeout)
	defer cancel()
	err := s.driver.VerifyConnectivity(pctx)
	return err != nil && unreachable(err)
}
