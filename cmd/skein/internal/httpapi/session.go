package httpapi

import (
	"crypto/rand"
	"encoding/base64"
	"sync"
	"time"
)

// sessionTTL is how long a browser sign-in lasts.
const sessionTTL = 12 * time.Hour

// sessions maps the random ids that sign-in cookies carry to principals,
// in memory: the cookie never holds the token, and signing out (or a
// restart) ends the session on the server.
type sessions struct {
	mu sync.Mutex
	m  map[string]session
}

type session struct {
	who     principal
	expires time.Time
}

func newSessions() *sessions { return &sessions{m: map[string]session{}} }

// create starts a session for who and returns its id.
func (s *sessions) create(who principal) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	id := base64.RawURLEncoding.EncodeToString(b)
	now := time.Now()
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range s.m { // drop expired sessions as new ones come
		if now.After(v.expires) {
			delete(s.m, k)
		}
	}
	s.m[id] = session{who: who, expires: now.Add(sessionTTL)}
	return id
}

func (s *sessions) get(id string) (principal, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.m[id]
	if !ok || time.Now().After(v.expires) {
		delete(s.m, id)
		return principal{}, false
	}
	return v.who, true
}

func (s *sessions) end(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
}
