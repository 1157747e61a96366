#!/usr/bin/env bash
# Runs every Go fuzz target briefly (default 10s each): go test -fuzz takes
# one target of one package at a time.
set -euo pipefail
cd "$(dirname "$0")/.."
budget=${1:-10s}
for pkg in $(go list ./...); do
	dir=$(go list -f '{{.Dir}}' "$pkg")
	for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u); do
		echo "fuzz $pkg $target ($budget)"
		go test -run='^$' -fuzz="^${target}\$" -fuzztime="$budget" "$pkg"
	done
done
