// Package audit keeps Skein's audit trail: an append-only JSON-lines file
// of every request the server answered (who, what, when, outcome), and the
// paged, filtered reads the auditLog query and GET /api/audit serve.
package audit
