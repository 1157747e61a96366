package embedded

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"syscall"

	bolt "go.etcd.io/bbolt"

	"github.com/skein-project/skein/graph"
)

// write runs one write: plan reads the graph (no other writer can change it
// meanwhile) and returns the bbolt changes and the memory changes; the
// changes are committed with fsync before memory is touched, so a failed
// or interrupted commit leaves both as they were.
func (s *Store) write(ctx context.Context, plan func(g *memGraph) (persist func(tx *bolt.Tx) error, apply func(g *memGraph), err error)) error {
	if err := ctxErr(ctx); err != nil {
		return err
	}
	s.writeMu.Lock()
	defer s.writeMu.Unlock()
	if s.closed {
		return errClosed
	}
	persist, apply, err := plan(s.g)
	if err != nil {
		return err
	}
	if persist == nil {
		return nil
	}
	if err := ctxErr(ctx); err != nil {
		return err
	}
	if err := s.db.Update(persist); err != nil {
		if noSpace(err) {
			return fmt.Errorf("embedded: commit: %w: %w", graph.ErrStorageFull, err)
		}
		return fmt.Errorf("embedded: commit: %w", err)
	}
	s.mu.Lock()
	apply(s.g)
	s.mu.Unlock()
	return nil
}

// Upsert writes a batch in one transaction (see graph.Store).
func (s *Store) Upsert(ctx context.Context, b graph.Batch) error {
	if err := b.Normalize(); err != nil {
		return fmt.Errorf("upsert: %w", err)
	}
	if b.Empty() {
		return ctxErr(ctx)
	}
	return s.write(ctx, func(g *memGraph) (func(*bolt.Tx) error, func(*memGraph), error) {
		inBatch := make(map[string]bool, len(b.Entities))
		for _, e := range b.Entities {
			inBatch[e.ID] = true
		}
		for _, l := range b.Links {
			for _, end := range []string{l.Source, l.Target} {
				if _, ok := g.lookup(end); !ok && !inBatch[end] {
					return nil, nil, fmt.Errorf("upsert: link %q: entity %q does not exist: %w", l.ID, end, graph.ErrInvalid)
				}
			}
		}
		// Encode once: the bytes go to bbolt, which keeps them until
		// commit, and the entity records then stay in memory as they are.
		docRecs := make([][]byte, len(b.Documents))
		for i := range b.Documents {
			docRecs[i] = encodeDocument(nil, &b.Documents[i])
		}
		entRecs := make([][]byte, len(b.Entities))
		for i := range b.Entities {
			entRecs[i] = encodeEntity(nil, &b.Entities[i])
		}
		linkRecs := make([][]byte, len(b.Links))
		for i := range b.Links {
			linkRecs[i] = encodeLink(nil, &b.Links[i])
		}
		persist := func(tx *bolt.Tx) error {
			if err := putSorted(tx.Bucket(bucketDocuments), len(b.Documents), func(i int) string { return b.Documents[i].ID }, docRecs); err != nil {
				return err
			}
			if err := putSorted(tx.Bucket(bucketEntities), len(b.Entities), func(i int) string { return b.Entities[i].ID }, entRecs); err != nil {
				return err
			}
			return putSorted(tx.Bucket(bucketLinks), len(b.Links), func(i int) string { return b.Links[i].ID }, linkRecs)
		}
		apply := func(g *memGraph) {
			for _, d := range b.Documents {
				g.docs[d.ID] = d
			}
			for i := range b.Entities {
				g.putEntity(&b.Entities[i], string(entRecs[i]))
			}
			g.putLinks(b.Links)
		}
		return persist, apply, nil
	})
}

// DeleteEntity deletes an entity and its links.
func (s *Store) DeleteEntity(ctx context.Context, id string) error {
	return s.write(ctx, func(g *memGraph) (func(*bolt.Tx) error, func(*memGraph), error) {
		ni, ok := g.lookup(id)
		if !ok {
			return nil, nil, fmt.Errorf("deleteEntity %q: %w", id, graph.ErrNotFound)
		}
		adj := slices.Clone(g.nodes[ni].adj)
		persist := func(tx *bolt.Tx) error {
			lb := tx.Bucket(bucketLinks)
			for _, li := range adj {
				if err := lb.Delete([]byte(g.linkID(li))); err != nil {
					return err
				}
			}
			return tx.Bucket(bucketEntities).Delete([]byte(id))
		}
		apply := func(g *memGraph) {
			for _, li := range adj {
				g.removeLink(li)
			}
			g.removeEntity(ni)
		}
		return persist, apply, nil
	})
}

// DeleteLink deletes one link.
func (s *Store) DeleteLink(ctx context.Context, id string) error {
	return s.write(ctx, func(g *memGraph) (func(*bolt.Tx) error, func(*memGraph), error) {
		li, ok := g.lookupLink(id)
		if !ok {
			return nil, nil, fmt.Errorf("deleteLink %q: %w", id, graph.ErrNotFound)
		}
		persist := func(tx *bolt.Tx) error {
			return tx.Bucket(bucketLinks).Delete([]byte(id))
		}
		return persist, func(g *memGraph) { g.removeLink(li) }, nil
	})
}

// MergeEntities folds merge into keep as graph.PlanMerge decides.
func (s *Store) MergeEntities(ctx context.Context, keep string, merge []string) (graph.Entity, error) {
	var merged graph.Entity
	err := s.write(ctx, func(g *memGraph) (func(*bolt.Tx) error, func(*memGraph), error) {
		var ids []string
		for _, id := range merge {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			return nil, nil, fmt.Errorf("mergeEntities: nothing to merge: %w", graph.ErrInvalid)
		}
		if slices.Contains(ids, keep) {
			return nil, nil, fmt.Errorf("mergeEntities: %q is both kept and merged: %w", keep, graph.ErrInvalid)
		}
		ki, ok := g.lookup(keep)
		if !ok {
			return nil, nil, fmt.Errorf("mergeEntities: %q: %w", keep, graph.ErrNotFound)
		}
		var others []graph.Entity
		seen := map[int32]bool{}
		var links []graph.Link
		collect := func(ni int32) {
			for _, li := range g.nodes[ni].adj {
				if !seen[li] {
					seen[li] = true
					links = append(links, g.link(li))
				}
			}
		}
		collect(ki)
		for _, id := range ids {
			ni, ok := g.lookup(id)
			if !ok {
				return nil, nil, fmt.Errorf("mergeEntities: %q: %w", id, graph.ErrNotFound)
			}
			others = append(others, g.nodes[ni].entity())
			collect(ni)
		}
		plan := graph.PlanMerge(g.nodes[ki].entity(), others, links)
		merged = plan.Entity
		entRec := encodeEntity(nil, &plan.Entity)
		linkRecs := make([][]byte, len(plan.Upsert))
		for i := range plan.Upsert {
			linkRecs[i] = encodeLink(nil, &plan.Upsert[i])
		}
		persist := func(tx *bolt.Tx) error {
			eb, lb := tx.Bucket(bucketEntities), tx.Bucket(bucketLinks)
			for _, id := range plan.DeleteLinks {
				if err := lb.Delete([]byte(id)); err != nil {
					return err
				}
			}
			for i := range plan.Upsert {
				if err := lb.Put([]byte(plan.Upsert[i].ID), linkRecs[i]); err != nil {
					return err
				}
			}
			for _, id := range plan.Delete {
				if err := eb.Delete([]byte(id)); err != nil {
					return err
				}
			}
			return eb.Put([]byte(plan.Entity.ID), entRec)
		}
		apply := func(g *memGraph) {
			for _, id := range plan.DeleteLinks {
				if li, ok := g.lookupLink(id); ok {
					g.removeLink(li)
				}
			}
			for i := range plan.Upsert {
				g.putLink(&plan.Upsert[i])
			}
			for _, id := range plan.Delete {
				ni := g.nodeIdx[id]
				// Every link of a merged entity was deleted or re-pointed.
				g.removeEntity(ni)
			}
			g.putEntity(&plan.Entity, string(entRec))
		}
		return persist, apply, nil
	})
	if err != nil {
		return graph.Entity{}, err
	}
	return merged, nil
}

// putSorted writes n records in key order, which keeps bbolt's page splits
// and copying low for large batches.
func putSorted(b *bolt.Bucket, n int, key func(int) string, recs [][]byte) error {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(x, y int) int { return strings.Compare(key(x), key(y)) })
	for _, i := range order {
		if err := b.Put([]byte(key(i)), recs[i]); err != nil {
			return err
		}
	}
	return nil
}

// noSpace reports whether a commit failed for want of space: a full disk,
// a quota or a file-size limit. bbolt keeps the cause in the chain for
// writes but only its text when it grows the file.
func noSpace(err error) bool {
	for _, errno := range []syscall.Errno{syscall.ENOSPC, syscall.EDQUOT, syscall.EFBIG} {
		if errors.Is(err, errno) || strings.Contains(err.Error(), errno.Error()) {
			return true
		}
	}
	return false
}
