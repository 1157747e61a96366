package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

const usage = `Skein: criminal-network graph explorer.

Usage:
  skein serve  [--addr 127.0.0.1:8080] [--store embedded|neo4j] [--data DIR] [--no-seed]
  skein seed   [--store ...] [--data DIR]
  skein import [--store ...] [--data DIR] [--format F] FILE...
  skein export [--store ...] [--data DIR] --format F [--ids a,b] [--depth N] [--link-types T,U] [-o FILE]
  skein gen    [--store ...] [--data DIR] --entities N [--seed S] [--force]   (synthetic network, for benchmarks)
  skein judgements export [--store ...] [--data DIR] [-o FILE]   (screening decisions, JSON)
  skein judgements import [--store ...] [--data DIR] FILE

seed, import and export take --server URL [--token T] to work through a running server.

Environment: SKEIN_ADDR, SKEIN_STORE, SKEIN_DATA, NEO4J_URI, NEO4J_USERNAME,
NEO4J_PASSWORD, NEO4J_DATABASE, SKEIN_AUTH_TOKENS.
Run "skein COMMAND -h" for a command's flags.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, logger); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "skein:", err)
		}
		os.Exit(2)
	}
}

// run dispatches a subcommand; tests drive it too.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, logger *slog.Logger) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return flag.ErrHelp
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, rest, stderr, logger)
	case "seed":
		return runSeed(ctx, rest, stdout, stderr, logger)
	case "import":
		return runImport(ctx, rest, stdout, stderr, logger)
	case "export":
		return runExport(ctx, rest, stdout, stderr, logger)
	case "gen":
		return runGen(ctx, rest, stdout, stderr, logger)
	case "judgements":
		return runJudgements(ctx, rest, stdout, stderr, logger)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}
