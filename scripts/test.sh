#!/usr/bin/env bash
# make test: lint, Go tests on both stores against a local Neo4j started
# here, short fuzz runs, and the UI end-to-end tests in headless Chromium
# against a real `skein serve`.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/test-deps.sh
bash scripts/lint.sh

eval "$(bash scripts/neo4j.sh start)"
export NEO4J_URI NEO4J_USERNAME NEO4J_PASSWORD
tmp=$(mktemp -d)
server_pid=""
cleanup() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
	bash scripts/neo4j.sh stop >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

# The UI is built first so the embedded-assets tests see a real build.
make --no-print-directory build

echo "== go test (embedded and Neo4j at $NEO4J_URI)"
go test -p 1 -count=1 -timeout 30m ./...

echo "== fuzz (short runs)"
bash scripts/fuzz.sh 10s

if [ -f ui/package.json ]; then
	echo "== UI end-to-end (headless Chromium)"
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	bin/skein serve --addr "127.0.0.1:$port" --data "$tmp/data" >"$tmp/serve.log" 2>&1 &
	server_pid=$!
	for _ in $(seq 1 100); do
		curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && break
		sleep 0.2
	done
	SKEIN_URL="http://127.0.0.1:$port" npm --prefix ui run e2e || { cat "$tmp/serve.log" >&2; exit 1; }
fi
