package httpapi

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/skein-project/skein/graph"
)

// iconFill is drawn over the kind's colour: dark and translucent, so the
// icon reads on every fill and the shape stays the kind's colour.
const iconFill = `fill="#0d1b2a" fill-opacity="0.6"`

// kindIcon serves a kind's icon, from graph's registry, as an SVG image
// (GET /api/icons/PERSON.svg). The chart draws icons from URLs, and the
// CSP allows images only from the server itself (no data: URIs).
func kindIcon(c *gin.Context) {
	name, ok := strings.CutSuffix(c.Param("file"), ".svg")
	k, err := graph.ParseKind(name)
	if !ok || err != nil {
		c.String(http.StatusNotFound, "no icon %q: the kinds are in the registry query", c.Param("file"))
		return
	}
	spec, _ := k.Spec()
	var d strings.Builder
	_ = xml.EscapeText(&d, []byte(spec.Style.Icon)) // writes to a strings.Builder never fail
	c.Header("Cache-Control", "public, max-age=300")
	c.Data(http.StatusOK, "image/svg+xml", fmt.Appendf(nil,
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="48" height="48"><path %s d="%s"/></svg>`, iconFill, d.String()))
}
