package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// JudgementCollection is the record collection judgements are kept in.
const JudgementCollection = "judgements"

// Verdict is what someone decided about a pair of entities.
type Verdict string

// Verdicts.
const (
	VerdictSame      Verdict = "SAME"
	VerdictDifferent Verdict = "DIFFERENT"
	VerdictUnsure    Verdict = "UNSURE"
)

// Valid reports whether v is one of the verdicts.
func (v Verdict) Valid() bool {
	return v == VerdictSame || v == VerdictDifferent || v == VerdictUnsure
}

// Judgement is a decision about a pair: A and B as they were when it was
// taken (after a SAME, B has been merged into A and exists no more), who
// took it and when. It is kept as a Record (JSON) of JudgementCollection,
// one per pair, the latest decision replacing an earlier one.
type Judgement struct {
	A       Entity    `json:"a"`
	B       Entity    `json:"b"`
	Verdict Verdict   `json:"verdict"`
	Actor   string    `json:"actor"`
	At      time.Time `json:"at"`
	Version int64     `json:"-"`
}

// PairKey is the record id of the pair's judgement, the same whichever
// way round the pair is given: "a b" with a < b, or a digest of that when
// it is longer than a record id may be.
func PairKey(a, b string) string {
	if b < a {
		a, b = b, a
	}
	k := a + " " + b
	if len(k) <= MaxRecordIDBytes {
		return k
	}
	sum := sha256.Sum256([]byte(k))
	return "#" + hex.EncodeToString(sum[:])
}

// Record encodes the judgement.
func (j *Judgement) Record() (Record, error) {
	data, err := json.Marshal(j)
	if err != nil {
		return Record{}, fmt.Errorf("judgement: encode: %w", err)
	}
	return Record{Collection: JudgementCollection, ID: PairKey(j.A.ID, j.B.ID), Version: j.Version, Data: data}, nil
}

// JudgementFromRecord decodes a stored judgement.
func JudgementFromRecord(r Record) (Judgement, error) {
	var j Judgement
	if err := json.Unmarshal(r.Data, &j); err != nil {
		return Judgement{}, fmt.Errorf("judgement %s: stored record does not decode: %w", r.ID, err)
	}
	j.Version = r.Version
	return j, nil
}

// Validate checks a judgement's shape.
func (j *Judgement) Validate() error {
	if err := ValidateID(j.A.ID); err != nil {
		return fmt.Errorf("judgement: a: %w", err)
	}
	if err := ValidateID(j.B.ID); err != nil {
		return fmt.Errorf("judgement: b: %w", err)
	}
	if j.A.ID == j.B.ID {
		return fmt.Errorf("judgement: %q against itself: %w", j.A.ID, ErrInvalid)
	}
	if !j.Verdict.Valid() {
		return fmt.Errorf("judgement: unknown verdict %q: %w", j.Verdict, ErrInvalid)
	}
	if err := validateText("actor", j.Actor, MaxNameLength); err != nil {
		return fmt.Errorf("judgement: %w", err)
	}
	return nil
}

// GetJudgement returns the pair's judgement, or ErrNotFound.
func GetJudgement(ctx context.Context, r Records, a, b string) (Judgement, error) {
	rec, err := r.GetRecord(ctx, JudgementCollection, PairKey(a, b))
	if err != nil {
		return Judgement{}, err
	}
	return JudgementFromRecord(rec)
}

// SaveJudgement writes j over whatever the pair had (the latest decision
// wins), retrying once if someone else saved the pair in between.
func SaveJudgement(ctx context.Context, r Records, j Judgement) (Judgement, error) {
	if err := j.Validate(); err != nil {
		return Judgement{}, err
	}
	for try := 0; ; try++ {
		j.Version = 0
		if old, err := GetJudgement(ctx, r, j.A.ID, j.B.ID); err == nil {
			j.Version = old.Version
		} else if !errors.Is(err, ErrNotFound) {
			return Judgement{}, err
		}
		rec, err := j.Record()
		if err != nil {
			return Judgement{}, err
		}
		saved, err := r.PutRecord(ctx, rec)
		if errors.Is(err, ErrConflict) && try == 0 {
			continue
		}
		if err != nil {
			return Judgement{}, fmt.Errorf("judgement: %w", err)
		}
		j.Version = saved.Version
		return j, nil
	}
}

// Judge records a verdict on the pair a, b taken by actor at now. SAME
// first merges b into a (Store.MergeEntities: b's names become aliases,
// its sources, designations and links go to a), so the judgement keeps b
// as it was. Both entities must exist.
func Judge(ctx context.Context, s Store, r Records, a, b string, v Verdict, actor string, now time.Time) (Judgement, error) {
	j := Judgement{A: Entity{ID: a}, B: Entity{ID: b}, Verdict: v, Actor: actor, At: now.UTC()}
	if err := j.Validate(); err != nil {
		return Judgement{}, err
	}
	es, err := s.Entities(ctx, []string{a, b})
	if err != nil {
		return Judgement{}, fmt.Errorf("judge: %w", err)
	}
	if len(es) != 2 {
		return Judgement{}, fmt.Errorf("judge: %q or %q does not exist: %w", a, b, ErrNotFound)
	}
	j.A, j.B = es[0], es[1]
	if v == VerdictSame {
		merged, err := s.MergeEntities(ctx, a, []string{b})
		if err != nil {
			return Judgement{}, fmt.Errorf("judge: merge: %w", err)
		}
		j.A = merged
	}
	return SaveJudgement(ctx, r, j)
}

// Judgements returns a page of judgements, ordered by pair key.
func Judgements(ctx context.Context, r Records, first int, after string) ([]Judgement, RecordPage, error) {
	if err := inRange(&first, DefaultJudgementFirst, 1, MaxJudgementFirst, "judgements: first"); err != nil {
		return nil, RecordPage{}, err
	}
	page, err := r.ListRecords(ctx, RecordQuery{Collection: JudgementCollection, After: after, First: first})
	if err != nil {
		return nil, RecordPage{}, err
	}
	out := make([]Judgement, 0, len(page.Records))
	for _, rec := range page.Records {
		j, err := JudgementFromRecord(rec)
		if err != nil {
			return nil, RecordPage{}, err
		}
		out = append(out, j)
	}
	return out, page, nil
}

// AllJudgements reads every judgement, for export and for xref.
func AllJudgements(ctx context.Context, r Records) ([]Judgement, error) {
	var out []Judgement
	after := ""
	for {
		js, page, err := Judgements(ctx, r, MaxJudgementFirst, after)
		if err != nil {
			return nil, err
		}
		out = append(out, js...)
		if !page.HasNextPage || len(page.Records) == 0 {
			return out, nil
		}
		after = page.Records[len(page.Records)-1].ID
	}
}

// JudgementFile is the JSON file judgements travel in between
// installations.
type JudgementFile struct {
	Format     string      `json:"format"` // JudgementFormat
	Judgements []Judgement `json:"judgements"`
}

// JudgementFormat names the file format, so a reader can refuse another
// file.
const JudgementFormat = "skein-judgements/1"

// ImportStats counts what an import did.
type ImportStats struct {
	Saved   int `json:"saved"`   // new or newer than the one kept
	Skipped int `json:"skipped"` // the installation's own decision is as recent or newer
	Merged  int `json:"merged"`  // SAME pairs whose entities both exist here, merged
}

// ImportJudgements applies a judgement file: each decision is kept unless
// this installation has a decision on the pair at least as recent; a SAME
// whose two entities both exist here merges them as Judge does.
func ImportJudgements(ctx context.Context, s Store, r Records, f JudgementFile) (ImportStats, error) {
	var st ImportStats
	if f.Format != JudgementFormat {
		return st, fmt.Errorf("judgements: file format %q, want %q: %w", f.Format, JudgementFormat, ErrInvalid)
	}
	for i := range f.Judgements {
		if err := f.Judgements[i].Validate(); err != nil {
			return st, fmt.Errorf("judgement %d: %w", i, err)
		}
	}
	for _, j := range f.Judgements {
		old, err := GetJudgement(ctx, r, j.A.ID, j.B.ID)
		if err == nil && !old.At.Before(j.At) {
			st.Skipped++
			continue
		}
		if err != nil && !errors.Is(err, ErrNotFound) {
			return st, err
		}
		if j.Verdict == VerdictSame {
			es, err := s.Entities(ctx, []string{j.A.ID, j.B.ID})
			if err != nil {
				return st, fmt.Errorf("judgements: %w", err)
			}
			if len(es) == 2 {
				if _, err := s.MergeEntities(ctx, j.A.ID, []string{j.B.ID}); err != nil {
					return st, fmt.Errorf("judgements: merge %s into %s: %w", j.B.ID, j.A.ID, err)
				}
				st.Merged++
			}
		}
		if _, err := SaveJudgement(ctx, r, j); err != nil {
			return st, err
		}
		st.Saved++
	}
	return st, nil
}
