// Package ui embeds Skein's browser front end: the link-chart application
// and a bundled GraphiQL, both built from the TypeScript sources in this
// directory with npm (Vite) into dist/. The server serves Assets() at /;
// nothing is loaded from the internet at run time.
package ui
