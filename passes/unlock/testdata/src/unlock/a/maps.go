package a

import "sync"

// Mutexes kept in a map are not judged: l.m[a] and l.m[b] may be one
// lock or two, and a lock table hands its locks from one call to the
// next (lockorder still orders them as a class).

type urlLocks struct {
	sync.RWMutex
	m map[string]*sync.Mutex
}

// ok: returns holding the URL's mutex, on purpose.
func (l *urlLocks) URLLock(url string) {
	l.Lock()
	if _, ok := l.m[url]; !ok {
		l.m[url] = &sync.Mutex{}
	}
	l.m[url].Lock()
	l.Unlock()
}

// ok: releases it if it is there.
func (l *urlLocks) URLUnlock(url string) {
	l.RLock()
	defer l.RUnlock()
	if um, ok := l.m[url]; ok {
		um.Unlock()
	}
}

// ok: the release is conditional on the key being there, which it is.
func fetch(l *urlLocks, url string) {
	l.URLLock(url)
	defer l.URLUnlock(url)
}

// ok: two keys, nested: not "locked again while still held".
func (l *urlLocks) both(a, b string) {
	l.m[a].Lock()
	l.m[b].Lock()
	l.m[b].Unlock()
	l.m[a].Unlock()
}

// ok: one key per round: not "locked again on the next iteration".
func (l *urlLocks) all(keys []string) {
	for _, k := range keys {
		l.m[k].Lock()
	}
	for _, k := range keys {
		l.m[k].Unlock()
	}
}

// ok: stripes of an array, all locked then all unlocked: one Path for
// every index, not judged.
type stripes struct {
	locks [8]sync.Mutex
}

func (s *stripes) lockAll() {
	for i := range s.locks {
		s.locks[i].Lock()
	}
	for i := range s.locks {
		s.locks[i].Unlock()
	}
}

func (s *stripes) lockTwo(i, j int) {
	s.locks[i].Lock()
	s.locks[j].Lock()
	s.locks[j].Unlock()
	s.locks[i].Unlock()
}
