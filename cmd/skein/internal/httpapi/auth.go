package httpapi

import (
	"html"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

const tokenCookie = "skein_token"

// openPrincipal is everybody when no Tokens are configured (loopback only).
var openPrincipal = principal{Role: roleAdmin, ID: "open"}

// authenticate resolves the bearer token (header, or the cookie the login
// form sets for the browser UI) to a principal, or answers 401. /healthz
// and /readyz are registered before it and stay open.
func authenticate(ts Tokens) gin.HandlerFunc {
	return func(c *gin.Context) {
		if len(ts) == 0 {
			c.Request = c.Request.WithContext(withPrincipal(c.Request.Context(), openPrincipal))
			c.Next()
			return
		}
		tok := ""
		if h := c.GetHeader("Authorization"); h != "" {
			scheme, rest, _ := strings.Cut(h, " ")
			if strings.EqualFold(scheme, "Bearer") {
				tok = strings.TrimSpace(rest)
			}
		} else if ck, err := c.Cookie(tokenCookie); err == nil {
			tok = ck
		}
		p, ok := ts.lookup(tok)
		if !ok {
			msg := "a valid bearer token is required"
			if tok != "" {
				msg = "the token is not valid"
			}
			unauthenticated(c, msg)
			return
		}
		c.Request = c.Request.WithContext(withPrincipal(c.Request.Context(), p))
		c.Next()
	}
}

// require refuses the route to principals without the permission.
func require(p permission) gin.HandlerFunc {
	return func(c *gin.Context) {
		who, ok := principalFrom(c.Request.Context())
		if !ok || !who.Role.can(p) {
			writeCoded(c, http.StatusForbidden, "FORBIDDEN", "role "+string(who.Role)+" may not "+string(p))
			c.Abort()
			return
		}
		c.Next()
	}
}

// unauthenticated answers 401 in the form the client expects: a login
// page for a browser, a GraphQL error for /graphql, JSON otherwise.
func unauthenticated(c *gin.Context, msg string) {
	c.Header("WWW-Authenticate", `Bearer realm="skein"`)
	if c.Request.Method == http.MethodGet && strings.Contains(c.GetHeader("Accept"), "text/html") {
		c.Data(http.StatusUnauthorized, "text/html; charset=utf-8", []byte(loginPage(msg)))
		c.Abort()
		return
	}
	writeCoded(c, http.StatusUnauthorized, "UNAUTHENTICATED", msg)
	c.Abort()
}

// writeCoded writes an error with its code; GraphQL clients get the
// GraphQL error shape.
func writeCoded(c *gin.Context, status int, code, msg string) {
	if c.Request.URL.Path == "/graphql" {
		c.JSON(status, gin.H{"errors": []gin.H{{"message": msg, "extensions": gin.H{"code": code}}}})
		return
	}
	c.JSON(status, gin.H{"error": msg, "code": code})
}

// login checks a token posted by the login form and keeps it in an
// HttpOnly, same-site cookie for the browser UI.
func login(ts Tokens) gin.HandlerFunc {
	return func(c *gin.Context) {
		tok := strings.TrimSpace(c.PostForm("token"))
		if _, ok := ts.lookup(tok); !ok || len(ts) == 0 {
			c.Data(http.StatusUnauthorized, "text/html; charset=utf-8", []byte(loginPage("the token is not valid")))
			return
		}
		http.SetCookie(c.Writer, &http.Cookie{
			Name: tokenCookie, Value: tok, Path: "/", HttpOnly: true,
			SameSite: http.SameSiteStrictMode, Secure: c.Request.TLS != nil,
			Expires: time.Now().Add(12 * time.Hour),
		})
		c.Redirect(http.StatusSeeOther, "/")
	}
}

func loginPage(msg string) string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Skein — sign in</title></head>
<body style="font-family:system-ui,sans-serif;background:#0f172a;color:#e2e8f0;display:grid;place-items:center;height:100vh;margin:0">
<form method="post" action="/auth/login" style="background:#1e293b;padding:2rem;border-radius:8px;min-width:320px">
<h1 style="margin-top:0;font-size:1.3rem">Skein</h1>
<p style="color:#fca5a5">` + html.EscapeString(msg) + `</p>
<label for="token">Access token</label><br>
<input id="token" name="token" type="password" autocomplete="current-password" autofocus required style="width:100%;margin:.5rem 0 1rem;padding:.5rem">
<button type="submit" style="padding:.5rem 1rem">Sign in</button>
</form></body></html>`
}
