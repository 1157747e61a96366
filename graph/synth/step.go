package synth

import "github.com/skein-project/skein/graph"

// step collects the links of one step of the generator (one person's
// associates, one company's owners and employees, one address's parties,
// one account's payments) and emits each derived link id once. The draws
// of a step can repeat a link (the same associate or payee drawn twice, a
// previous owner who is also the second owner), and the stores upsert by
// id, so such a repeat was a count the stores never held.
//
// A step fixes the source or the target of the links it draws, and no
// other step draws a link of the same type with that end (the back stake
// of a company in its owner is drawn by the later company, whose owners
// are earlier ones), so a repeat is always within one step: a few links to
// compare, where a set of every link id would take hundreds of MB at a
// million entities. TestGenerateDistinct checks it at several sizes.
//
// Of two draws of one id the later is kept, in the place of the first: what
// graph.Batch.Normalize and an upsert did with them, so the stores hold
// the same graph as before the generator deduplicated.
type step struct {
	links []graph.Link
	emit  func(graph.Link) error
}

// add records l, derives its id and replaces an earlier draw of that id.
func (s *step) add(l graph.Link) {
	l.ID = graph.LinkID(l.Type, l.Source, l.Target, l.Role)
	for i := range s.links {
		if s.links[i].ID == l.ID {
			s.links[i] = l
			return
		}
	}
	s.links = append(s.links, l)
}

// end emits the step's links and starts the next step.
func (s *step) end() error {
	for _, l := range s.links {
		if err := s.emit(l); err != nil {
			return err
		}
	}
	clear(s.links)
	s.links = s.links[:0]
	return nil
}
