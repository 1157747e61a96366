package httpapi

import (
	"github.com/gin-gonic/gin"

	"github.com/skein-project/skein/graph"
)

// codedErr is an error reading msg that matches a sentinel of graph's
// error table.
func codedErr(sentinel error, msg string) error { return &explained{msg: msg, sentinel: sentinel} }

type explained struct {
	msg      string
	sentinel error
}

func (e *explained) Error() string { return e.msg }
func (e *explained) Unwrap() error { return e.sentinel }

// writeCoded answers err with the status and code of graph's error table
// (the ones GraphQL uses) and a message that never carries internals;
// GraphQL clients get the GraphQL error shape.
func writeCoded(c *gin.Context, err error) {
	status, code, msg := graph.HTTPStatus(err), graph.Code(err), graph.PublicMessage(err)
	if code == graph.CodeInternal || code == graph.CodeUnavailable || code == graph.CodeAuditUnavailable {
		_ = c.Error(err) // the text goes to the log, not the client
	}
	setCode(c, code)
	if c.Request.URL.Path == "/graphql" {
		c.JSON(status, gin.H{"errors": []gin.H{{"message": msg, "extensions": gin.H{"code": code}}}})
		return
	}
	c.JSON(status, gin.H{"error": msg, "code": code})
}
