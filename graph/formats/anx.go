package formats

import (
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/skein-project/skein/graph"
)

// i2 Analyst's Notebook exchange XML (ANX), export only. Entities are chart
// items with an icon by kind (Person, Organisation, Company) whose
// EntityId and Identity are the Skein id; links are chart items joining
// End1Id to End2Id with the type and role as label, dated when the link has
// a full start date; its start and end dates, at the source's precision,
// are the text attributes "Start date" and "End date". Positions come from the entity's "x" and "y"
// properties when both are numbers (a layout saved by the UI), otherwise
// entities are laid out on a grid. Aliases, countries, sanctions, sources
// and the registry's typed fields travel as text attributes.

const anxGridColumns = 12

const anxSpacing = 150

// anxIcons names the icon files of the kinds with an i2 standard icon;
// other kinds name their label, which Analyst's Notebook shows with its
// default icon until the chart's user maps it.
var anxIcons = map[graph.Kind]string{
	graph.KindPerson:       "Person",
	graph.KindOrganization: "Organisation",
	graph.KindCompany:      "Company",
}

func anxIcon(k graph.Kind) string {
	if icon, ok := anxIcons[k]; ok {
		return icon
	}
	return k.Label()
}

// anxAttributeClasses: Skein's own, then one per typed field of the
// registry, named by its FtM property (birthDate, percentage, amount...).
var anxAttributeClasses = func() []string {
	classes := []string{"Skein id", "Kind", "Aliases", "Countries", "Sanctions", "Sources", "Link type", "Role", "Start date", "End date"}
	for _, f := range append(slices.Clone(nodeFields), edgeFields...) {
		if !slices.Contains(classes, f.Property) {
			classes = append(classes, f.Property)
		}
	}
	return classes
}()

// anxTyped are the typed fields' attribute pairs, by property.
func anxTyped(fs []graph.Field, props map[string]string) []string {
	typed, _ := splitTyped(fs, props)
	keys := make([]string, 0, len(typed))
	for k := range typed {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var pairs []string
	for _, k := range keys {
		pairs = append(pairs, k, typed[k])
	}
	return pairs
}

type anxEncoder struct {
	x       *xmlWriter
	started bool
	n       int // entities written, for the grid layout
}

func newANXEncoder(w io.Writer) *anxEncoder { return &anxEncoder{x: newXMLWriter(w)} }

func (e *anxEncoder) start() {
	if e.started {
		return
	}
	e.started = true
	x := e.x
	x.raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	x.raw(`<Chart IdReferenceLinking="false" Rigorous="true" LabelRule="LabelRuleMerge">` + "\n")
	x.raw("  <EntityTypeCollection>\n")
	for _, k := range graph.Kinds {
		x.raw("    <EntityType")
		x.attr("Name", k.Label())
		x.attr("IconFile", anxIcon(k))
		x.attr("PreferredRepresentation", "RepresentAsIcon")
		x.raw("/>\n")
	}
	x.raw("  </EntityTypeCollection>\n")
	x.raw("  <LinkTypeCollection>\n")
	for _, t := range graph.LinkTypes {
		x.raw("    <LinkType")
		x.attr("Name", string(t))
		x.attr("Colour", "0")
		x.raw("/>\n")
	}
	x.raw("  </LinkTypeCollection>\n")
	x.raw("  <AttributeClassCollection>\n")
	for _, a := range anxAttributeClasses {
		x.raw("    <AttributeClass")
		x.attr("Name", a)
		x.attr("Type", "AttText")
		x.attr("ShowValue", "true")
		x.raw("/>\n")
	}
	x.raw("  </AttributeClassCollection>\n")
	x.raw("  <ChartItemCollection>\n")
}

func (e *anxEncoder) document(*graph.Document) error { return nil }

func (e *anxEncoder) attributes(pairs ...string) {
	e.x.raw("      <AttributeCollection>\n")
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "" {
			continue
		}
		e.x.raw("        <Attribute")
		e.x.attr("AttributeClass", pairs[i])
		e.x.attr("Value", pairs[i+1])
		e.x.raw("/>\n")
	}
	e.x.raw("      </AttributeCollection>\n")
}

// position is the entity's saved chart position, or the next grid cell.
func (e *anxEncoder) position(n *graph.Entity) (string, string) {
	xs, ys := n.Properties["x"], n.Properties["y"]
	if _, err := strconv.ParseFloat(xs, 64); err == nil {
		if _, err := strconv.ParseFloat(ys, 64); err == nil {
			return xs, ys
		}
	}
	i := e.n
	return strconv.Itoa(i % anxGridColumns * anxSpacing), strconv.Itoa(i / anxGridColumns * anxSpacing)
}

func anxSanctions(ds []graph.Designation) string {
	var parts []string
	for _, d := range ds {
		s := d.Authority + ": " + d.Regime
		if d.ListedOn != "" {
			s += " (" + d.ListedOn + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

func anxSources(refs []graph.SourceRef) string {
	var parts []string
	for _, r := range refs {
		parts = append(parts, r.Document+": \""+r.Quote+"\"")
	}
	return strings.Join(parts, "\n")
}

func (e *anxEncoder) entity(n *graph.Entity) error {
	e.start()
	px, py := e.position(n)
	e.n++
	x := e.x
	x.raw("    <ChartItem")
	x.attr("Label", n.Name)
	x.attr("Description", n.Description)
	x.attr("XPosition", px)
	x.raw(">\n")
	x.raw("      <End")
	x.attr("X", px)
	x.attr("Y", py)
	x.raw(">\n        <Entity")
	x.attr("EntityId", n.ID)
	x.attr("Identity", n.ID)
	x.attr("LabelIsIdentity", "false")
	x.raw(">\n          <Icon>\n            <IconStyle")
	x.attr("Type", n.Kind.Label())
	x.raw("/>\n          </Icon>\n        </Entity>\n      </End>\n")
	spec, _ := n.Kind.Spec()
	e.attributes(append([]string{
		"Skein id", n.ID, "Kind", string(n.Kind), "Aliases", strings.Join(n.Aliases, "; "),
		"Countries", strings.Join(n.Countries, "; "), "Sanctions", anxSanctions(n.Designations),
		"Sources", anxSources(n.Sources),
	}, anxTyped(spec.Fields, n.Properties)...)...)
	x.raw("    </ChartItem>\n")
	return x.err
}

func (e *anxEncoder) link(l *graph.Link) error {
	e.start()
	x := e.x
	x.raw("    <ChartItem")
	x.attr("Label", linkLabel(l))
	x.attr("Description", l.Description)
	if len(l.StartDate) == 10 {
		x.attr("DateSet", "true")
		x.attr("DateTime", l.StartDate+"T00:00:00.000")
	}
	x.raw(">\n      <Link")
	x.attr("End1Id", l.Source)
	x.attr("End2Id", l.Target)
	x.raw(">\n        <LinkStyle")
	x.attr("ArrowStyle", "ArrowOnHead")
	x.attr("Type", string(l.Type))
	x.raw("/>\n      </Link>\n")
	spec, _ := l.Type.Spec()
	e.attributes(append([]string{"Skein id", l.ID, "Link type", string(l.Type), "Role", l.Role,
		"Start date", l.StartDate, "End date", l.EndDate, "Sources", anxSources(l.Sources)},
		anxTyped(spec.Fields, l.Properties)...)...)
	x.raw("    </ChartItem>\n")
	return x.err
}

func (e *anxEncoder) close() error {
	e.start()
	e.x.raw("  </ChartItemCollection>\n</Chart>\n")
	return e.x.flush()
}
