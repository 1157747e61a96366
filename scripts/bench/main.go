package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"math"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	neo4jdrv "github.com/neo4j/neo4j-go-driver/v5/neo4j"
	neo4jconfig "github.com/neo4j/neo4j-go-driver/v5/neo4j/config"

	"github.com/skein-project/skein/graph/neo4j"
)

// Operation and backend names, in report order.
const (
	opSearch     = "search"
	opPaths      = "paths (maxHops 4)"
	opShared     = "sharedAssociates"
	opCentrality = "centrality (PageRank, 2 hops)"
	opOwners     = "owners (company, all levels)"
	opOwnership  = "sanctionsOwnership (whole graph)"
	opMatch      = "match (1,000 queries)"
	opXref       = "xref (first 50)"
	opChrono     = "paths chronological (maxHops 4)"

	beEmbedded = "Skein embedded"
	beNeo4j    = "Skein Neo4j"
	beCypher   = "raw Cypher"
	bePeer     = "@neo4j/graphql"

	nbrLimit = 500
)

func nbrOp(from string, depth int) string {
	return fmt.Sprintf("neighborhood d%d %s", depth, from)
}

// asOfOp is the as-of twin of nbrOp: the same inputs, the links in force
// at the workload's date.
func asOfOp(from string, depth int) string {
	return fmt.Sprintf("neighborhood d%d %s, as of", depth, from)
}

var (
	opOrder = []string{
		opSearch,
		nbrOp("hub", 1), nbrOp("hub", 2), nbrOp("hub", 3),
		nbrOp("ordinary", 1), nbrOp("ordinary", 2), nbrOp("ordinary", 3),
		asOfOp("hub", 1), asOfOp("hub", 2), asOfOp("ordinary", 1), asOfOp("ordinary", 2),
		opPaths, opChrono, opShared, opCentrality, opOwners, opOwnership, opMatch, opXref,
	}
	// singleClient are the operations measured from one client only: each
	// request is a batch over the whole graph.
	singleClient = map[string]bool{opMatch: true, opXref: true}
	backendOrder = []string{beEmbedded, beNeo4j, beCypher, bePeer}
	concurrency  = []int{1, 32}
)

type config struct {
	mode     string
	entities int
	seed     uint64
	skein    string
	work     string
	out      string
	peerDir  string
	neo4jPID string
	budget   budget
	timeout  time.Duration
	// batchTimeout bounds one request of the whole-graph batches (match,
	// xref) and is the servers' own per-request timeout: at 1M entities
	// one of them takes longer than an ordinary request may.
	batchTimeout time.Duration
	loadFor      time.Duration
	loadClients  int
	reuse        bool
	skip         map[string]bool
	neo4j        neo4j.Config
	// results is where the measurements are saved as JSON (after each
	// one); render, when set, is such a file to render the report from
	// instead of measuring.
	results, render string
	// workload, when set, is results saved by an earlier run of the same
	// graph whose inputs are taken instead of generating the graph again.
	workload string
}

func main() {
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if cfg.render != "" {
		if err := render(ctx, cfg); err != nil {
			log.Error("render failed", "err", err)
			os.Exit(1)
		}
		log.Info("report rendered from saved results", "results", cfg.render, "file", cfg.out)
		return
	}
	if err := run(ctx, cfg, log); err != nil {
		log.Error("bench failed", "err", err)
		os.Exit(1)
	}
}

func parseFlags(args []string) (config, error) {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	var cfg config
	var skip string
	fs.StringVar(&cfg.mode, "mode", "quick", "quick (100k entities) or full (1M entities)")
	fs.IntVar(&cfg.entities, "entities", 0, "entities to generate (default: by mode)")
	fs.Uint64Var(&cfg.seed, "seed", 1, "generator seed")
	fs.StringVar(&cfg.skein, "skein", "bin/skein", "the skein binary")
	fs.StringVar(&cfg.work, "work", "tmp/bench", "working directory (stores, logs)")
	fs.StringVar(&cfg.out, "out", "BENCHMARKS.md", "report to write")
	fs.StringVar(&cfg.peerDir, "peer", "scripts/bench/peer", "directory of the @neo4j/graphql peer server")
	fs.StringVar(&cfg.neo4jPID, "neo4j-pid-file", "", "pid file of the Neo4j server, for its peak memory")
	fs.DurationVar(&cfg.budget.Duration, "duration", 0, "time bound of one measurement (default: by mode)")
	fs.IntVar(&cfg.budget.Requests, "requests", 0, "request bound of one measurement (default: by mode)")
	fs.DurationVar(&cfg.timeout, "timeout", 30*time.Second, "timeout of one request")
	fs.DurationVar(&cfg.batchTimeout, "batch-timeout", 0, "timeout of one match or xref request, and skein serve's own --timeout (default: by mode)")
	fs.DurationVar(&cfg.loadFor, "load-duration", 60*time.Second, "duration of the mixed load run")
	fs.IntVar(&cfg.loadClients, "load-clients", 64, "concurrent clients of the mixed load run")
	fs.BoolVar(&cfg.reuse, "reuse", false, "skip the imports when the stores already hold this graph (imports are then not measured)")
	fs.StringVar(&cfg.results, "results", "", "file the measured results are saved to as JSON, after each measurement (default: <work>/results.json)")
	fs.StringVar(&cfg.render, "render", "", "render -out again from results saved by an earlier run (-results), measuring nothing; "+
		"the analysis sections already in -out are kept")
	fs.StringVar(&cfg.workload, "workload", "", "take the inputs (hubs, ordinary entities, paths, ...) from results saved by an earlier run of the same -entities and -seed "+
		"instead of generating the graph in memory again (minutes at 1M entities); for repeated runs with -reuse")
	fs.StringVar(&skip, "skip", "", "comma list of backends and parts to leave out: embedded,neo4j,cypher,peer,load,gobench,ops "+
		"(a store left out is not imported either; neo4j leaves out Neo4j altogether, so raw Cypher and the peer too, and NEO4J_URI is not needed; "+
		"ops leaves out the per-operation measurements, so that the mixed load can run alone)")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	if cfg.render != "" {
		return cfg, nil // nothing runs: no mode, stores or Neo4j
	}
	if cfg.results == "" {
		cfg.results = filepath.Join(cfg.work, "results.json")
	}
	switch cfg.mode {
	case "quick":
		cfg.entities = cmpOr(cfg.entities, quickEntities)
		cfg.budget.Duration = cmpOr(cfg.budget.Duration, 3*time.Second)
		cfg.budget.Requests = cmpOr(cfg.budget.Requests, 1000)
		cfg.budget.Warmup = 10
		cfg.batchTimeout = cmpOr(cfg.batchTimeout, 2*time.Minute)
	case "full":
		cfg.entities = cmpOr(cfg.entities, 1_000_000)
		// About 120 measurements: 5 s each keeps them within ~15 minutes
		// of the hour a full run may take.
		cfg.budget.Duration = cmpOr(cfg.budget.Duration, 5*time.Second)
		cfg.budget.Requests = cmpOr(cfg.budget.Requests, 5000)
		cfg.budget.Warmup = 20
		cfg.batchTimeout = cmpOr(cfg.batchTimeout, 10*time.Minute)
	default:
		return cfg, fmt.Errorf("unknown mode %q", cfg.mode)
	}
	cfg.skip = map[string]bool{}
	for _, s := range strings.Split(skip, ",") {
		if s = strings.TrimSpace(s); s != "" {
			if !skippable[s] {
				return cfg, fmt.Errorf("-skip %s: not a backend or part (want some of %s)", s, strings.Join(slices.Sorted(maps.Keys(skippable)), ","))
			}
			cfg.skip[s] = true
		}
	}
	if cfg.skip["neo4j"] {
		// Raw Cypher and the peer run on the Neo4j that Skein's import
		// fills: without it they have no graph to query.
		cfg.skip["cypher"], cfg.skip["peer"] = true, true
		return cfg, nil
	}
	cfg.neo4j = neo4j.Config{URI: os.Getenv("NEO4J_URI"), Username: os.Getenv("NEO4J_USERNAME"),
		Password: os.Getenv("NEO4J_PASSWORD"), Database: os.Getenv("NEO4J_DATABASE")}
	if cfg.neo4j.URI == "" {
		return cfg, errors.New("NEO4J_URI is not set (scripts/bench.sh starts a Neo4j and sets it; -skip neo4j leaves Neo4j out)")
	}
	return cfg, nil
}

// skippable are the names -skip takes. An unknown one is refused rather
// than ignored: a misspelt part would otherwise be measured, for up to an
// hour, unasked.
var skippable = map[string]bool{"embedded": true, "neo4j": true, "cypher": true, "peer": true, "load": true, "gobench": true, "ops": true}

// quickEntities is the quick mode's graph, the one the report's reasons
// for missed targets were written from.
const quickEntities = 100_000

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

func run(ctx context.Context, cfg config, log *slog.Logger) error {
	started := time.Now()
	// The commit measured is the one at the start, which scripts/bench.sh
	// has just built: read later (the machine's other facts are probed after
	// the imports), it named a commit made in the worktree while a dry run
	// was importing.
	commit := gitDescribe(ctx)
	logDir := filepath.Join(cfg.work, "logs")
	if err := os.MkdirAll(logDir, 0o755); err != nil {
		return err
	}
	rep := &report{Mode: cfg.mode, Seed: cfg.seed, Budget: cfg.budget, Timeout: cfg.timeout, BatchTimeout: cfg.batchTimeout, Started: started.UTC(),
		Results: map[key]result{}, LoadFor: cfg.loadFor, LoadClients: cfg.loadClients}

	w, err := chooseWorkload(ctx, cfg, rep, log)
	if err != nil {
		return err
	}
	// checkpoint saves what is measured so far: a run that fails late can
	// still be rendered (-render) from it, the report saying where it stopped.
	checkpoint := func() {
		rep.Finished = time.Now().UTC()
		if err := saveResults(cfg.results, rep); err != nil {
			log.Warn("saving the results", "file", cfg.results, "err", err)
		}
	}
	log.Info("workload", "hubs", w.Hubs, "hubDegrees", w.HubDegree, "ordinaryDegree", w.OrdDegree)

	neoEnv := []string{"NEO4J_URI=" + cfg.neo4j.URI, "NEO4J_USERNAME=" + cfg.neo4j.Username,
		"NEO4J_PASSWORD=" + cfg.neo4j.Password, "NEO4J_DATABASE=" + cfg.neo4j.Database}
	embDir := filepath.Join(cfg.work, "embedded")
	neoDir := filepath.Join(cfg.work, "neo4j-serve")
	if err := os.MkdirAll(neoDir, 0o755); err != nil {
		return err
	}

	// Imports, of the stores measured.
	if !cfg.skip["embedded"] {
		ir, err := importEmbedded(ctx, cfg, embDir, logDir, log)
		if err != nil {
			return err
		}
		rep.Imports = append(rep.Imports, ir)
		checkpoint()
	}
	if !cfg.skip["neo4j"] {
		ir, err := importNeo4j(ctx, cfg, [2]int{rep.Entities, rep.Links}, neoEnv, logDir, log)
		if err != nil {
			return err
		}
		rep.Imports = append(rep.Imports, ir)
		checkpoint()
	}

	rep.Machine = probeMachine(ctx, cfg)
	rep.Machine.Commit = commit
	rep.LoadBefore = loadAvg()

	// The Go benchmark of GraphQL execution, before any server competes
	// for the CPU.
	if !cfg.skip["gobench"] {
		log.Info("running BenchmarkHubAnswer (schema)")
		h := runHubBench(ctx, 3, logDir)
		rep.Hub = &h
		log.Info("BenchmarkHubAnswer done", "executionRatio", h.executionRatio(), "err", h.Err)
		checkpoint()
	}

	// Servers and clients.
	var servers []*server
	defer func() {
		for _, s := range servers {
			s.stop()
		}
	}()
	clients := map[string]map[string]op{}
	procs := map[string]int{}
	if !cfg.skip["embedded"] {
		log.Info("starting skein serve on the embedded store")
		started := time.Now()
		s, err := startSkein(ctx, cfg.skein, "embedded", embDir, nil, cfg.batchTimeout, logDir)
		if err != nil {
			return err
		}
		servers = append(servers, s)
		o := measureOpen(ctx, s, time.Since(started), cfg.batchTimeout)
		rep.Open = &o
		log.Info("embedded store opened", "took", o.Elapsed, "rss", o.RSSOpen, "rssAfterCentrality", o.RSSAfterCentral,
			"centralityErr", o.CentralityErr)
		checkpoint()
		clients[beEmbedded] = skeinOps(newGQLClient(s.url), w)
		procs["skein serve (embedded)"] = s.cmd.Process.Pid
	}
	if !cfg.skip["neo4j"] {
		log.Info("starting skein serve on Neo4j")
		s, err := startSkein(ctx, cfg.skein, "neo4j", neoDir, neoEnv, cfg.batchTimeout, logDir)
		if err != nil {
			return err
		}
		servers = append(servers, s)
		clients[beNeo4j] = skeinOps(newGQLClient(s.url), w)
		procs["skein serve (Neo4j)"] = s.cmd.Process.Pid
	}
	if !cfg.skip["peer"] {
		log.Info("starting the @neo4j/graphql peer")
		s, err := startPeer(ctx, cfg.peerDir, neoEnv, logDir)
		if err != nil {
			return err
		}
		servers = append(servers, s)
		clients[bePeer] = peerOps(newGQLClient(s.url), w)
		procs["@neo4j/graphql peer (node)"] = s.cmd.Process.Pid
	}
	if !cfg.skip["cypher"] {
		drv, err := neo4jdrv.NewDriverWithContext(cfg.neo4j.URI, neo4jdrv.BasicAuth(cfg.neo4j.Username, cfg.neo4j.Password, ""),
			func(c *neo4jconfig.Config) { c.MaxConnectionPoolSize = 100 })
		if err != nil {
			return err
		}
		defer drv.Close(context.Background())
		clients[beCypher] = cypherOps(&cypherClient{driver: drv}, w)
	}

	// Measurements: per operation and concurrency, every backend in turn.
	// In full mode the whole-graph sanctions ownership is a batch too: at
	// 1M entities one request takes seconds of CPU, so 32 at once on the
	// machine's cores outlast any ordinary request timeout (seen: 32 of 32
	// timed out at 30 s).
	single := maps.Clone(singleClient)
	if cfg.mode == "full" {
		single[opOwnership] = true
	}
	for _, name := range opOrder {
		if cfg.skip["ops"] {
			break
		}
		for _, conc := range concurrency {
			for _, be := range backendOrder {
				f, ok := clients[be][name]
				if !ok || conc > 1 && single[name] {
					continue
				}
				if err := ctx.Err(); err != nil {
					return err
				}
				timeout := cfg.timeout
				if single[name] {
					timeout = cfg.batchTimeout
				}
				r := measure(ctx, conc, cfg.budget, timeout, f)
				rep.Results[key{name, be, conc}] = r
				checkpoint()
				log.Info("measured", "op", name, "backend", be, "conc", conc, "n", r.Requests, "errors", r.Errors,
					"p50", r.P50, "p99", r.P99, "perSec", math.Round(r.Throughput), "firstError", r.FirstError)
			}
		}
	}

	// The mixed load run (issue 9): many clients, read queries only.
	if !cfg.skip["load"] {
		for _, be := range []string{beEmbedded, beNeo4j} {
			ops, ok := clients[be]
			if !ok {
				continue
			}
			mix := []op{ops[opSearch], ops[nbrOp("ordinary", 1)], ops[nbrOp("ordinary", 2)], ops[nbrOp("hub", 1)],
				ops[opPaths], ops[opShared], ops[nbrOp("hub", 2)], ops[nbrOp("ordinary", 3)]}
			log.Info("mixed load run", "backend", be, "clients", cfg.loadClients, "for", cfg.loadFor)
			r := measure(ctx, cfg.loadClients, budget{Duration: cfg.loadFor, Requests: math.MaxInt32}, cfg.timeout,
				func(ctx context.Context, i int) (outcome, error) { return mix[i%len(mix)](ctx, i/len(mix)) })
			rep.Load = append(rep.Load, loadResult{Backend: be, result: r})
			checkpoint()
			log.Info("load run done", "backend", be, "n", r.Requests, "errors", r.Errors, "p50", r.P50, "p99", r.P99,
				"perSec", math.Round(r.Throughput), "firstByteP50", r.FirstByteP50, "firstByteP99", r.FirstByteP99, "firstError", r.FirstError)
		}
	}

	// Peak memory of every serving process, before they stop.
	for name, pid := range procs {
		rep.Memory = append(rep.Memory, memRow{name, peakRSS(pid)})
	}
	if pid := readPID(cfg.neo4jPID); pid > 0 && !cfg.skip["neo4j"] {
		rep.Memory = append(rep.Memory, memRow{"Neo4j server (JVM)", peakRSS(pid)})
	}
	for _, ir := range rep.Imports {
		if !ir.Reused {
			rep.Memory = append(rep.Memory, memRow{"skein gen (" + ir.Store + " import)", ir.PeakRSS})
		}
	}
	rep.LoadAfter = loadAvg()
	rep.Complete = true
	checkpoint()
	if err := os.WriteFile(cfg.out, []byte(rep.markdown()), 0o644); err != nil {
		return err
	}
	log.Info("report written", "file", cfg.out, "results", cfg.results, "took", time.Since(started).Round(time.Second))
	return nil
}

// importEmbedded times `skein gen` into a new embedded store, or, with
// -reuse, keeps the one a previous run made of this graph (its marker
// file says so).
func importEmbedded(ctx context.Context, cfg config, dir, logDir string, log *slog.Logger) (importResult, error) {
	marker := filepath.Join(dir, fmt.Sprintf(".bench-%d-%d", cfg.entities, cfg.seed))
	if _, err := os.Stat(marker); cfg.reuse && err == nil {
		return importResult{Store: "embedded", Reused: true}, nil
	}
	if err := os.RemoveAll(dir); err != nil {
		return importResult{}, err
	}
	log.Info("importing into the embedded store")
	ir, err := runGen(ctx, cfg.skein, "embedded", dir, cfg.entities, cfg.seed, nil, logDir)
	if err != nil {
		return ir, err
	}
	log.Info("embedded import done", "records", ir.Records, "elapsed", ir.Elapsed, "perSec", int(ir.rate()))
	return ir, os.WriteFile(marker, nil, 0o644)
}

// warmupEntities is the size of the graph that warms a fresh Neo4j up
// before its import is measured (importNeo4j).
const warmupEntities = 20000

// importNeo4j empties Neo4j and times `skein gen` into it, or, with
// -reuse, keeps a database that already holds the graph.
func importNeo4j(ctx context.Context, cfg config, want [2]int, env []string, logDir string, log *slog.Logger) (importResult, error) {
	st, err := neo4j.Open(ctx, cfg.neo4j)
	if err != nil {
		return importResult{}, err
	}
	defer st.Close()
	stats, err := st.Stats(ctx)
	if err != nil {
		return importResult{}, err
	}
	if cfg.reuse && stats.Entities == want[0] && stats.Links == want[1] {
		return importResult{Store: "neo4j", Reused: true}, nil
	}
	// A freshly started Neo4j runs the write queries interpreted until its
	// JIT has compiled them: the first import after a start cost 110.7 Neo4j
	// CPU-ms per 1,000 records at 100k, 68-82 once warm (notes of the import
	// work). A server in use is warm, so a small graph of another seed is
	// imported first when the database is empty; it is deleted again, and the
	// measured import always follows a DeleteAll, the case the target names.
	if stats.Entities == 0 {
		n := min(warmupEntities, cfg.entities)
		log.Info("warming Neo4j up with a smaller import, deleted before the measured one", "entities", n)
		if _, err := runGen(ctx, cfg.skein, "neo4j", filepath.Join(cfg.work, "neo4j-serve"), n, cfg.seed+1, env, logDir); err != nil {
			return importResult{}, fmt.Errorf("warm-up import: %w", err)
		}
		if stats, err = st.Stats(ctx); err != nil {
			return importResult{}, err
		}
	}
	log.Info("emptying Neo4j", "entities", stats.Entities)
	if err := st.DeleteAll(ctx); err != nil {
		return importResult{}, err
	}
	log.Info("importing into Neo4j")
	ir, err := runGen(ctx, cfg.skein, "neo4j", filepath.Join(cfg.work, "neo4j-serve"), cfg.entities, cfg.seed, env, logDir)
	if err != nil {
		return ir, err
	}
	ir.Emptied = stats.Entities
	log.Info("Neo4j import done", "records", ir.Records, "elapsed", ir.Elapsed, "perSec", int(ir.rate()))
	return ir, nil
}

// chooseWorkload generates the graph in memory and picks the inputs from
// it, or takes them from -workload, and records the graph's size in rep.
func chooseWorkload(ctx context.Context, cfg config, rep *report, log *slog.Logger) (*workload, error) {
	if cfg.workload != "" {
		saved, err := loadResults(cfg.workload)
		if err != nil {
			return nil, err
		}
		if saved.Workload == nil || saved.Entities != cfg.entities || saved.Seed != cfg.seed {
			return nil, fmt.Errorf("-workload %s: holds no inputs of %d entities, seed %d (it has %d entities, seed %d)",
				cfg.workload, cfg.entities, cfg.seed, saved.Entities, saved.Seed)
		}
		log.Info("inputs taken from saved results", "file", cfg.workload, "entities", saved.Entities)
		rep.Entities, rep.Links, rep.Workload = saved.Entities, saved.Links, saved.Workload
		return saved.Workload, nil
	}
	log.Info("generating the graph in memory to choose inputs", "entities", cfg.entities, "seed", cfg.seed)
	m, err := buildModel(ctx, cfg.entities, cfg.seed)
	if err != nil {
		return nil, err
	}
	rep.Entities, rep.Links = m.entities, m.links
	w, err := m.workload(5, 8)
	if err != nil {
		return nil, err
	}
	rep.Workload = w
	return w, nil // the in-memory graph goes with m, before the servers start
}

func readPID(file string) int {
	if file == "" {
		return 0
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return 0
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	return pid
}
