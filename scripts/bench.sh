#!/usr/bin/env bash
# Benchmarks (make bench): builds skein, starts a dedicated local Neo4j
# (its own data directory under tmp/bench, so test runs that empty the
# development database cannot interfere), installs the @neo4j/graphql peer,
# runs the Go harness (scripts/bench) and writes BENCHMARKS.md.
#
#   scripts/bench.sh                  # quick: 100k entities, ~25 minutes on 2 cores with ANALYSIS_TIMEOUT=60 and the long pass skipped
#   BENCH_MODE=full scripts/bench.sh  # 1M entities, about 50 minutes on 2 idle cores (see below)
#   BENCH_ARGS="-reuse -skip peer" scripts/bench.sh   # extra harness flags
#   BENCH_ARGS="-skip neo4j" scripts/bench.sh          # embedded only: no Neo4j started
#   BENCH_OUT=/tmp/dry.md scripts/bench.sh              # report elsewhere (default BENCHMARKS.md)
#   ANALYSIS_LONG_ONLY=1 scripts/bench.sh   # only the long link-analysis pass (see below)
#   BENCH_RENDER_ONLY=1 scripts/bench.sh    # the report again from the last run's saved results, measuring nothing
#
# The harness saves what it measures to BENCH_RESULTS ($WORK/results.json),
# after every measurement, so a run that fails late keeps what it measured.
# BENCH_RENDER_ONLY=1 renders BENCH_OUT's harness part again from that file
# (a change to the report's text needs no new run: a full one takes about
# an hour) and keeps the link-analysis sections already in BENCH_OUT, which
# follow the harness's marker line; an analysis section's own text comes
# from its script's output and needs that part run again.
#
# Neo4j gets SKEIN_NEO4J_HEAP / SKEIN_NEO4J_PAGECACHE (BENCH_NEO4J_HEAP,
# BENCH_NEO4J_PAGECACHE): scripts/neo4j.sh's 1g / 512m in quick mode, 4g / 4g
# in full mode, where the store of 1M entities and 4.8M links is a few GB
# and a 1 GiB heap leaves the import and the 32-client runs collecting
# garbage. They apply when this script starts the server.
#
# Neo4j is stopped at the end when this script started it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
MODE="${BENCH_MODE:-quick}"
WORK="${BENCH_WORK:-$ROOT/tmp/bench}"
export SKEIN_NEO4J_HOME="${BENCH_NEO4J_HOME:-$WORK/neo4j}"
OUT="${BENCH_OUT:-BENCHMARKS.md}"
if [[ "$MODE" == full ]]; then
	export SKEIN_NEO4J_HEAP="${BENCH_NEO4J_HEAP:-4g}" SKEIN_NEO4J_PAGECACHE="${BENCH_NEO4J_PAGECACHE:-4g}"
else
	export SKEIN_NEO4J_HEAP="${BENCH_NEO4J_HEAP:-1g}" SKEIN_NEO4J_PAGECACHE="${BENCH_NEO4J_PAGECACHE:-512m}"
fi
RESULTS="${BENCH_RESULTS:-$WORK/results.json}"
mkdir -p "$WORK" "$(dirname "$OUT")"

if [[ "${BENCH_RENDER_ONLY:-}" == 1 ]]; then
	exec go run ./scripts/bench -render "$RESULTS" -out "$OUT"
fi

log() { echo "bench.sh: $(date -u +%H:%M:%S) $*" >&2; }

sizes="${ANALYSIS_SIZES:-10000,100000}"
# networkx, igraph and scipy for the comparisons with analysis_compare.py.
if ! python3 -c "import networkx, igraph, scipy" 2>/dev/null; then
	log "installing networkx, igraph and scipy for the comparison"
	python3 -m pip install --quiet networkx igraph scipy >&2 ||
		python3 -m pip install --quiet --break-system-packages networkx igraph scipy >&2
fi
if [[ "${ANALYSIS_LONG_ONLY:-}" != 1 ]]; then
	log "building skein"
	go build -o "$WORK/skein" ./cmd/skein

	# A -skip list naming neo4j in BENCH_ARGS leaves Neo4j out altogether
	# (the harness then skips raw Cypher and the peer too): no server, no peer.
	skip_neo4j=0
	read -ra bench_args <<<"${BENCH_ARGS:-}"
	for ((i = 0; i < ${#bench_args[@]}; i++)); do
		case "${bench_args[i]}" in
		-skip | --skip) skips="${bench_args[i + 1]:-}" ;;
		-skip=* | --skip=*) skips="${bench_args[i]#*=}" ;;
		*) continue ;;
		esac
		[[ ",${skips// /}," == *,neo4j,* ]] && skip_neo4j=1
	done

	started_neo4j=0
	stop_neo4j() {
		if [[ "$started_neo4j" == 1 ]]; then
			bash scripts/neo4j.sh stop || true
		fi
	}
	if [[ "$skip_neo4j" == 0 ]]; then
		log "installing the @neo4j/graphql peer (npm ci)"
		npm --prefix scripts/bench/peer ci --no-audit --no-fund --loglevel=error >&2

		if ! bash scripts/neo4j.sh status 2>/dev/null; then
			started_neo4j=1
		fi
		trap stop_neo4j EXIT
		eval "$(bash scripts/neo4j.sh start)"
	fi

	log "running the harness ($MODE mode)"
	# shellcheck disable=SC2086 # BENCH_ARGS is a list of flags
	go run ./scripts/bench -mode "$MODE" -skein "$WORK/skein" -work "$WORK" \
		-neo4j-pid-file "$SKEIN_NEO4J_HOME/run/neo4j.pid" -out "$OUT" -results "$RESULTS" ${BENCH_ARGS:-}

	# Link-analysis benchmarks (graph/analysis) on synthetic graphs, the same in
	# both modes: exact betweenness at 100k takes tens of minutes on 2 cores,
	# more than the hour a full run may take (analysis_compare.py below times it
	# beside igraph instead).
	pattern='Betweenness10k|PageRank10k|PageRank100k|SanctionsOwnership'
	log "running the analysis benchmarks ($pattern)"
	go test -run '^$' -bench "$pattern" -benchtime=1x -timeout 3h ./graph/analysis | tee "$WORK/analysis-bench.txt" >&2
	{
		echo
		echo "## Link analysis (go test -bench, graph/analysis)"
		echo
		echo "Exact algorithms on a deterministic random graph with about 5 links per node, one run each (\`-benchtime=1x\`)."
		echo
		echo '```'
		grep -E '^(Benchmark|goos|goarch|cpu)' "$WORK/analysis-bench.txt"
		echo '```'
	} >>"$OUT"

	# The same measures beside networkx and igraph (PyPI igraph, a C core) on
	# the same random graphs; each measure and tool runs in its own process,
	# stopped after ANALYSIS_TIMEOUT seconds (exact betweenness at 100k takes
	# longer than that in every tool).
	# Full mode keeps the analysis sizes (10k, 100k), and takes the timeout
	# today's quick runs used (ANALYSIS_TIMEOUT=60), so its verdicts read the
	# same. Each measure that a tool does not finish costs the timeout: 19 of
	# them in the full-mode dry run of 2026-12-03 under load 8-13, whose
	# comparison took 27 minutes at 60 s (after a harness of 37 minutes, 11 of
	# them the Neo4j import, and 26 s of go test -bench; 65 minutes in all,
	# docs/bench-full-1m-dryrun.md). On 2 idle cores fewer time out (Skein's
	# closeness at 100k takes 11 s), so about 20 minutes here and 45-50 in
	# all; 90 s would add about 7 minutes.
	timeout_s="${ANALYSIS_TIMEOUT:-300}"
	[[ "$MODE" == full ]] && timeout_s="${ANALYSIS_TIMEOUT:-60}"
	log "comparing link analysis with networkx and igraph (timeout ${timeout_s}s per measure)"
	python3 scripts/analysis_compare.py --sizes "$sizes" --timeout "$timeout_s" >>"$OUT"
fi

# Measures that neither Skein nor igraph finished within that timeout at the
# largest size (the section just written says so) run again beside igraph
# alone (networkx takes hours there), so that the comparison has a verdict
# for them too; when there are none, nothing runs. Skein first, stopped after
# ANALYSIS_LONG_TIMEOUT seconds, then igraph with a timeout of
# ANALYSIS_LONG_FACTOR times Skein's seconds (at least 300 s, at most
# ANALYSIS_LONG_TIMEOUT). igraph stopped there took longer than Skein, by more
# than that factor, so the verdict is sound without waiting for igraph to
# finish, and this pass costs about (1 + factor) times Skein's time (exact
# betweenness at 100k: about half an hour on 2 cores).
#
# The pass is also written to LONG_RECORD (docs/bench-analysis-long.md) with
# the commit it ran on. When nothing it measures (graph/analysis, the two
# comparison scripts, their tests aside) has changed since that commit, the
# pass is not run again and that record is appended instead: a run would
# only repeat it, at about half an hour, which would take a full-mode run
# well past its hour. ANALYSIS_LONG_MEASURES=betweenness runs it anyway;
# ANALYSIS_LONG_MEASURES= never runs it (it appends the record when it is
# current, and says it is stale otherwise).
# ANALYSIS_LONG_ONLY=1 runs only this pass, against the existing $OUT.
LONG_RECORD="${LONG_RECORD:-docs/bench-analysis-long.md}"
# What the long pass measures: the code it runs, tests excluded.
long_inputs=(graph/analysis scripts/analysis-bench scripts/analysis_compare.py ':(glob,exclude)**/*_test.go')
# long_record_commit prints the commit LONG_RECORD was made at.
long_record_commit() {
	[[ -f "$LONG_RECORD" ]] && sed -n 's/^<!-- long-pass-commit: \([0-9a-f]*\) -->$/\1/p' "$LONG_RECORD" | head -1
}
# long_record_current succeeds when LONG_RECORD measured what this tree holds.
long_record_current() {
	local c
	c="$(long_record_commit)" && [[ -n "$c" ]] && git diff --quiet "$c" -- "${long_inputs[@]}" 2>/dev/null
}
if [[ -n "${ANALYSIS_LONG_MEASURES+set}" ]]; then
	long_measures="$ANALYSIS_LONG_MEASURES"
elif [[ "${ANALYSIS_LONG_ONLY:-}" != 1 ]] && long_record_current; then
	long_measures=""
else
	long_measures=betweenness
fi
if [[ -n "$long_measures" ]]; then
	long_timeout="${ANALYSIS_LONG_TIMEOUT:-5400}"
	long_factor="${ANALYSIS_LONG_FACTOR:-1.5}"
	largest="${sizes##*,}"
	log "running what is left unfinished of $long_measures at $largest entities: Skein (timeout ${long_timeout}s), then igraph (timeout ${long_factor}x Skein's time, 300-${long_timeout}s)"
	python3 scripts/analysis_compare.py --sizes "$largest" --measures "$long_measures" --tools igraph \
		--timeout "$long_timeout" --after-skein "$long_factor" --min-timeout 300 --unfinished-in "$OUT" \
		--title "Longer run at $largest entities: $long_measures, Skein then igraph" >"$WORK/analysis-long.md"
	if [[ -s "$WORK/analysis-long.md" ]]; then
		cat "$WORK/analysis-long.md" >>"$OUT"
		commit="$(git rev-parse HEAD)"
		dirty=""
		git diff --quiet HEAD -- "${long_inputs[@]}" || dirty=" (with uncommitted changes to what it measures)"
		{
			echo "<!-- long-pass-commit: $commit -->"
			echo
			echo "Recorded by scripts/bench.sh on $(date -u +%Y-%m-%d) at commit ${commit:0:12}$dirty."
			cat "$WORK/analysis-long.md"
		} >"$LONG_RECORD"
	fi
elif [[ -f "$LONG_RECORD" ]]; then
	commit="$(long_record_commit || true)"
	if long_record_current; then
		log "appending the long pass recorded at ${commit:0:12} ($LONG_RECORD): what it measures is unchanged since"
		{
			echo
			echo "The longer run below was not repeated here. It is the one"
			echo "recorded in $LONG_RECORD at commit ${commit:0:12}; nothing it measures (graph/analysis and the"
			echo "comparison scripts, tests aside) has changed between that commit and this run."
			sed '/^<!-- long-pass-commit/d' "$LONG_RECORD"
		} >>"$OUT"
	else
		log "not appending $LONG_RECORD: what it measures changed since ${commit:-its commit}; run the long pass again"
		{
			echo
			echo "The longer run was skipped (ANALYSIS_LONG_MEASURES=), and the one recorded in $LONG_RECORD is stale"
			echo "(what it measures changed since commit ${commit:0:12}), so it is not shown."
		} >>"$OUT"
	fi
fi
