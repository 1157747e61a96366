package httpapi

import (
	"encoding/json"
	"html"
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/skein-project/skein/graph"
)

const sessionCookie = "skein_session"

// openPrincipal is everybody when no tokens are configured (loopback only).
var openPrincipal = principal{Role: roleAdmin, ID: "open"}

// authenticator resolves credentials (a bearer token, or the session
// cookie of a browser sign-in) to a principal. Failed attempts are
// limited per client address: past the limit every attempt from there is
// refused with 429, right or wrong, so tokens cannot be guessed.
type authenticator struct {
	tokens   Tokens
	sessions *sessions
	failures *rateLimiter
	secure   bool // cookies only over HTTPS (TLS, or a proxy that terminates it)
}

func (a *authenticator) middleware(c *gin.Context) {
	if len(a.tokens) == 0 {
		c.Request = c.Request.WithContext(withPrincipal(c.Request.Context(), openPrincipal))
		c.Next()
		return
	}
	var (
		who principal
		ok  bool
	)
	header := c.GetHeader("Authorization")
	cookie, _ := c.Cookie(sessionCookie)
	given := header != "" || cookie != ""
	if given && a.limited(c) {
		return
	}
	if header != "" {
		scheme, rest, _ := strings.Cut(header, " ")
		if strings.EqualFold(scheme, "Bearer") {
			who, ok = a.tokens.lookup(strings.TrimSpace(rest))
		}
	} else if cookie != "" {
		who, ok = a.sessions.get(cookie)
	}
	if !ok {
		msg := "a valid bearer token is required"
		if given {
			msg = "the token or session is not valid"
			a.failures.allow(c.ClientIP()) // counts the failure
		}
		unauthenticated(c, msg)
		return
	}
	c.Request = c.Request.WithContext(withPrincipal(c.Request.Context(), who))
	c.Next()
}

// limited answers 429 when the client has used up its failed attempts.
func (a *authenticator) limited(c *gin.Context) bool {
	if wait, ok := a.failures.exhausted(c.ClientIP()); ok {
		retryAfter(c, wait)
		writeCoded(c, codedErr(graph.ErrRateLimited, "too many failed sign-in attempts from this address; wait and try again"))
		c.Abort()
		return true
	}
	return false
}

// require refuses the route to principals without the permission.
func require(p permission) gin.HandlerFunc {
	return func(c *gin.Context) {
		who, ok := principalFrom(c.Request.Context())
		if !ok || !who.Role.can(p) {
			writeCoded(c, codedErr(graph.ErrForbidden, "role "+string(who.Role)+" may not "+string(p)))
			c.Abort()
			return
		}
		c.Next()
	}
}

// unauthenticated answers 401 in the form the client expects: a sign-in
// page for a browser, a GraphQL error for /graphql, JSON otherwise.
func unauthenticated(c *gin.Context, msg string) {
	c.Header("WWW-Authenticate", `Bearer realm="skein"`)
	if c.Request.Method == http.MethodGet && strings.Contains(c.GetHeader("Accept"), "text/html") {
		setCode(c, graph.CodeUnauthenticated)
		c.Data(http.StatusUnauthorized, "text/html; charset=utf-8", []byte(loginPage(msg)))
		c.Abort()
		return
	}
	writeCoded(c, codedErr(graph.ErrUnauthenticated, msg))
	c.Abort()
}

// login checks a token (posted by the sign-in form, or as JSON
// {"token": ...}) and starts a session whose id the HttpOnly, same-site
// cookie carries. The cross-site check has run before.
func (a *authenticator) login(c *gin.Context) {
	if len(a.tokens) == 0 {
		writeCoded(c, codedErr(graph.ErrInvalid, "this server runs open: there is nothing to sign in to"))
		return
	}
	if a.limited(c) {
		return
	}
	var tok string
	mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	form := mt == "application/x-www-form-urlencoded" || mt == "multipart/form-data"
	switch {
	case mt == "application/json":
		var body struct {
			Token string `json:"token"`
		}
		dec := json.NewDecoder(http.MaxBytesReader(c.Writer, c.Request.Body, 4<<10))
		if err := dec.Decode(&body); err != nil {
			writeCoded(c, codedErr(graph.ErrInvalid, `send {"token": "..."}`))
			return
		}
		tok = body.Token
	case form && browserSent(c):
		// A form can be posted from any site: only a browser that says
		// where it came from (checked same-origin already) may use one.
		c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, 4<<10)
		tok = c.PostForm("token")
	default:
		writeCoded(c, codedErr(graph.ErrInvalid, `sign in with the form, or POST application/json {"token": "..."}`))
		return
	}
	who, ok := a.tokens.lookup(strings.TrimSpace(tok))
	if !ok {
		a.failures.allow(c.ClientIP())
		setCode(c, graph.CodeUnauthenticated)
		if form {
			c.Data(http.StatusUnauthorized, "text/html; charset=utf-8", []byte(loginPage("the token is not valid")))
			return
		}
		writeCoded(c, codedErr(graph.ErrUnauthenticated, "the token is not valid"))
		return
	}
	c.Request = c.Request.WithContext(withPrincipal(c.Request.Context(), who))
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: a.sessions.create(who), Path: "/", HttpOnly: true,
		SameSite: http.SameSiteStrictMode, Secure: a.secure || c.Request.TLS != nil,
		MaxAge: int(sessionTTL.Seconds()),
	})
	if form {
		c.Redirect(http.StatusSeeOther, "/")
		return
	}
	c.JSON(http.StatusOK, gin.H{"role": who.Role})
}

// logout ends the session and clears its cookie.
func (a *authenticator) logout(c *gin.Context) {
	if id, err := c.Cookie(sessionCookie); err == nil {
		if who, ok := a.sessions.get(id); ok {
			c.Request = c.Request.WithContext(withPrincipal(c.Request.Context(), who))
		}
		a.sessions.end(id)
	}
	http.SetCookie(c.Writer, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, MaxAge: -1,
		SameSite: http.SameSiteStrictMode, Secure: a.secure || c.Request.TLS != nil,
	})
	mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if mt == "application/x-www-form-urlencoded" {
		c.Redirect(http.StatusSeeOther, "/")
		return
	}
	c.JSON(http.StatusOK, gin.H{"signedOut": true})
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
