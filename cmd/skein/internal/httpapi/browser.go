package httpapi

import (
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/skein-project/skein/graph"
)

// sameOrigin refuses state-changing requests that a browser says come from
// another site (Sec-Fetch-Site), or whose Origin is not this server. Safe
// methods pass; clients that are not browsers send neither header.
func sameOrigin(c *gin.Context) {
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		c.Next()
		return
	}
	// A browser that sends Sec-Fetch-Site is judged by it alone (its Origin
	// is "null" under Referrer-Policy: no-referrer); older ones by Origin.
	if site := c.GetHeader("Sec-Fetch-Site"); site != "" {
		if site != "same-origin" && site != "none" {
			refuseCrossSite(c, "a "+site+" request")
			return
		}
	} else if origin := c.GetHeader("Origin"); origin != "" {
		u, err := url.Parse(origin)
		if err != nil || origin == "null" || !strings.EqualFold(u.Host, c.Request.Host) {
			refuseCrossSite(c, "a request from "+origin)
			return
		}
	}
	c.Next()
}

func refuseCrossSite(c *gin.Context, what string) {
	writeCoded(c, codedErr(graph.ErrForbidden, what+" may not change anything here (cross-site requests are refused)"))
	c.Abort()
}

// browserSent reports whether a browser said where the request came from;
// sameOrigin has already refused it if that was another site.
func browserSent(c *gin.Context) bool {
	return c.GetHeader("Origin") != "" || c.GetHeader("Sec-Fetch-Site") != ""
}

// nonSimpleBody refuses the content types a cross-site HTML form can send
// without a CORS preflight (text/plain, urlencoded, multipart).
func nonSimpleBody(c *gin.Context) {
	mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	switch mt {
	case "text/plain", "application/x-www-form-urlencoded", "multipart/form-data":
		writeCoded(c, codedErr(graph.ErrInvalid, "content type "+mt+" is refused here (a form from any site can send it): send the file as application/octet-stream or its own type"))
		c.Abort()
		return
	}
	c.Next()
}

// loopbackHost refuses, in open mode, any Host that is not a loopback
// name: a DNS-rebinding page reaches 127.0.0.1 under its own name.
func loopbackHost(c *gin.Context) {
	if !isLoopbackHost(c.Request.Host) {
		writeCoded(c, codedErr(graph.ErrForbidden, "host "+c.Request.Host+" is refused: a server without access tokens answers only to localhost and loopback addresses"))
		c.Abort()
		return
	}
	c.Next()
}

func isLoopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.ToLower(strings.Trim(host, "[]")), ".")
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
