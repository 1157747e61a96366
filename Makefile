# Skein. The README's commands: make run, make test, make bench.
GO      ?= go
BIN     := bin/skein
ADDR    ?= 127.0.0.1:8080

.PHONY: all build ui run test test-go bench lint fmt clean

all: build

ui:
	@if [ -f ui/package.json ]; then \
		[ -d ui/node_modules ] || npm --prefix ui ci --no-audit --no-fund; \
		npm --prefix ui run build; \
	fi

build: ui
	$(GO) build -o $(BIN) ./cmd/skein

# Serves the UI, GraphQL and GraphiQL on the embedded store, seeded on first start.
run: build
	$(BIN) serve --addr $(ADDR)

# Everything: lint, Go tests on both stores (a local Neo4j is started and
# stopped), short fuzz runs, UI end-to-end tests in headless Chromium.
test:
	bash scripts/test.sh

# Go tests only, against the Neo4j named by NEO4J_URI (if any).
test-go:
	$(GO) test -p 1 ./...

bench:
	bash scripts/bench.sh

lint:
	bash scripts/lint.sh

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin ui/dist/assets ui/dist/*.html
