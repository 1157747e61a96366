// Package seed is Skein's seed dataset: the UK Global Irregular Migration
// sanctions network of 22 October 2025 (the Krasniqi forgery network, Nusret
// Seferović's gang and the gangs it supplied, the ALPA finance network), with
// every entity, link and designation citing verbatim text of the shipped
// source document.
//
// The data lives in dataset.json, in the shape of graph.Batch, and the source
// text in sources/ (Open Government Licence v3.0, see sources/NOTICE); both
// are embedded, so `skein seed`, `skein serve` on an empty store and the
// tests need nothing outside the repository. README.md records how the text
// was read where it leaves room for judgement.
package seed
