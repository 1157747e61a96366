package httpapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"os"
	"strings"

	"github.com/skein-project/skein/schema"
)

// role is what a token may do.
type role string

const (
	roleViewer  role = "viewer"  // read queries
	roleAnalyst role = "analyst" // + analysis, export
	roleEditor  role = "editor"  // + mutations, import
	roleAdmin   role = "admin"   // + audit log
)

// permission is one class of operation.
type permission string

const (
	permRead    permission = "read"
	permAnalyze permission = "analyze"
	permExport  permission = "export"
	permWrite   permission = "write"
	permImport  permission = "import"
	permAudit   permission = "audit"
	permAdmin   permission = "admin" // act on what others own (delete their cases)
)

// can is the one access policy, for GraphQL fields and HTTP routes alike.
func (r role) can(p permission) bool {
	rank := map[role]int{roleViewer: 1, roleAnalyst: 2, roleEditor: 3, roleAdmin: 4}[r]
	need := map[permission]int{
		permRead: 1, permAnalyze: 2, permExport: 2, permWrite: 3, permImport: 3, permAudit: 4, permAdmin: 4,
	}[p]
	return rank > 0 && need > 0 && rank >= need
}

// permissionOf maps a GraphQL root field's action onto the policy.
func permissionOf(a schema.Action) permission {
	switch a {
	case schema.ActionAnalyze:
		return permAnalyze
	case schema.ActionWrite:
		return permWrite
	case schema.ActionRead:
		return permRead
	case schema.ActionAudit:
		return permAudit
	case schema.ActionAdmin:
		return permAdmin
	}
	return permission("graphql:" + string(a)) // unknown actions are denied
}

// principal is who makes a request.
type principal struct {
	Role role
	ID   string // role plus a short hash of the token: never the token itself
}

type principalKey struct{}

func withPrincipal(ctx context.Context, p principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

func principalFrom(ctx context.Context) (principal, bool) {
	p, ok := ctx.Value(principalKey{}).(principal)
	return p, ok
}

// tokenEntry is one configured token.
type tokenEntry struct {
	principal principal
	token     []byte
}

// Tokens is the configured set; empty means the server runs open.
type Tokens []tokenEntry

// ParseTokens reads "role:token" entries separated by commas or newlines;
// blank lines and lines starting with # are ignored.
func ParseTokens(spec string) (Tokens, error) {
	var out Tokens
	for _, f := range strings.FieldsFunc(spec, func(r rune) bool { return r == ',' || r == '\n' }) {
		f = strings.TrimSpace(f)
		if f == "" || strings.HasPrefix(f, "#") {
			continue
		}
		name, tok, ok := strings.Cut(f, ":")
		r := role(strings.ToLower(strings.TrimSpace(name)))
		tok = strings.TrimSpace(tok)
		if !ok || !r.can(permRead) {
			return nil, fmt.Errorf("auth token %q: want role:token with a role of viewer, analyst, editor or admin", redact(f))
		}
		if len(tok) < 16 {
			return nil, fmt.Errorf("auth token for %s: at least 16 characters, got %d", r, len(tok))
		}
		sum := sha256.Sum256([]byte(tok))
		out = append(out, tokenEntry{
			principal: principal{Role: r, ID: string(r) + ":" + hex.EncodeToString(sum[:4])},
			token:     []byte(tok),
		})
	}
	return out, nil
}

// LoadTokens combines SKEIN_AUTH_TOKENS-style text and a token file.
func LoadTokens(spec, file string) (Tokens, error) {
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("auth token file: %w", err)
		}
		spec += "\n" + string(b)
	}
	return ParseTokens(spec)
}

// lookup finds the token's principal, comparing in constant time against
// every configured token (no early exit, so timing tells nothing).
func (ts Tokens) lookup(tok string) (principal, bool) {
	var found principal
	ok := 0
	for _, e := range ts {
		if subtle.ConstantTimeCompare(e.token, []byte(tok)) == 1 {
			found = e.principal
			ok = 1
		}
	}
	return found, ok == 1
}

func redact(s string) string {
	if name, _, ok := strings.Cut(s, ":"); ok {
		return name + ":…"
	}
	return "…"
}
