package gaps

import "sync"

// ---- mutexes kept in a map, and a lock held across a return ----

// hugo#3251: URLLock holds the table's lock while it locks the URL's
// mutex, and returns holding the URL's mutex; the caller's deferred
// URLUnlock read-locks the table while that mutex is still held. One
// goroutine waits for the URL's mutex under the table's write lock, the
// one holding it waits for the table.

type remoteLock struct {
	sync.RWMutex
	m map[string]*sync.Mutex
}

func (l *remoteLock) URLLock(url string) { // want URLLock:`acquires\(\(\*lockorder/gaps.remoteLock\).RWMutex, \(\*lockorder/gaps.remoteLock\).m\[\]\)`
	l.Lock()
	if _, ok := l.m[url]; !ok {
		l.m[url] = &sync.Mutex{}
	}
	l.m[url].Lock() // want `lock order cycle \(\*remoteLock\).RWMutex → \(\*remoteLock\).m\[\] → \(\*remoteLock\).RWMutex: URLLock acquires \(\*remoteLock\).m\[\] while holding \(\*remoteLock\).RWMutex`
	l.Unlock()
}

func (l *remoteLock) URLUnlock(url string) { // want URLUnlock:`acquires\(\(\*lockorder/gaps.remoteLock\).RWMutex\)`
	l.RLock()
	defer l.RUnlock()
	if um, ok := l.m[url]; ok {
		um.Unlock()
	}
}

func getRemote(l *remoteLock, url string) error { // want getRemote:`acquires`
	l.URLLock(url)
	defer func() { l.URLUnlock(url) }()
	return nil
}

// The same table whose unlock does not take the table's lock: the URL's
// mutex is released without waiting for anything.

type remoteLockOK struct {
	sync.RWMutex
	m map[string]*sync.Mutex
}

func (l *remoteLockOK) URLLock(url string) { // want URLLock:`acquires`
	l.Lock()
	mu, ok := l.m[url]
	if !ok {
		mu = &sync.Mutex{}
		l.m[url] = mu
	}
	l.Unlock()
	mu.Lock()
}

func (l *remoteLockOK) URLLockHeld(url string) { // want URLLockHeld:`acquires`
	l.Lock()
	l.m[url].Lock()
	l.Unlock()
}

func (l *remoteLockOK) URLUnlock(url string) {
	l.m[url].Unlock()
}

func getRemoteOK(l *remoteLockOK, url string) error { // want getRemoteOK:`acquires`
	l.URLLockHeld(url)
	defer func() { l.URLUnlock(url) }()
	return nil
}

// A deferred literal that releases the element before it takes the
// table's lock runs without the element held: no edge.
func getRemoteReleasing(l *remoteLock, url string) { // want getRemoteReleasing:`acquires`
	l.URLLock(url)
	defer func() {
		l.m[url].Unlock()
		l.RLock()
		l.RUnlock()
	}()
}

// A release after the defer statement: the deferred literal runs after
// it, without the element.
func getRemoteEarly(l *remoteLock, url string) { // want getRemoteEarly:`acquires`
	l.URLLock(url)
	defer func() { l.URLUnlock(url) }()
	l.m[url].Unlock()
}

// Two elements of one map, nested: two keys or one, and the order of
// the keys is the caller's business. No same-class report.
type table struct {
	mu    sync.Mutex
	locks map[string]*entry
}

type entry struct {
	sync.Mutex
	n int
}

func (t *table) Move(from, to string) { // want Move:`acquires`
	t.locks[from].Lock()
	defer t.locks[from].Unlock()
	t.locks[to].Lock()
	defer t.locks[to].Unlock()
	t.locks[to].n += t.locks[from].n
}

// An element of a map of a locker interface is any lock, not a class.
type lockers struct {
	mu sync.Mutex
	m  map[string]sync.Locker
}

func (l *lockers) With(k string) { // want With:`acquires\(\(\*lockorder/gaps.lockers\).mu\)`
	l.mu.Lock()
	defer l.mu.Unlock()
	l.m[k].Lock()
	l.m[k].Unlock()
}

// ---- stripes: mutexes in an array or a slice ----

// The stripe's lock, then the series' lock in gc; the series' lock, then
// the stripe's in append: opposite orders.
type stripeSeries struct {
	locks  [16]sync.RWMutex
	series []*memSeries
}

type memSeries struct {
	sync.Mutex
	owner *stripeSeries
	n     int
}

func (s *stripeSeries) gc(i int) { // want gc:`acquires\(\(\*lockorder/gaps.memSeries\).Mutex, \(\*lockorder/gaps.stripeSeries\).locks\[\]\)`
	s.locks[i].Lock()
	defer s.locks[i].Unlock()
	s.series[i].Lock() // want `lock order cycle \(\*stripeSeries\).locks\[\] → \(\*memSeries\).Mutex → \(\*stripeSeries\).locks\[\]: gc acquires \(\*memSeries\).Mutex while holding \(\*stripeSeries\).locks\[\]`
	s.series[i].n = 0
	s.series[i].Unlock()
}

func (m *memSeries) append(i int) { // want append:`acquires`
	m.Lock()
	defer m.Unlock()
	m.owner.locks[i].RLock()
	m.n++
	m.owner.locks[i].RUnlock()
}

// Every stripe in turn, and one order everywhere: no report.
type stripesOK struct {
	locks  []sync.Mutex
	series []*seriesOK
}

type seriesOK struct {
	sync.Mutex
	n int
}

func (s *stripesOK) all() {
	for i := range s.locks {
		s.locks[i].Lock()
	}
	for i := range s.locks {
		s.locks[i].Unlock()
	}
}

func (s *stripesOK) gc(i int) { // want gc:`acquires`
	s.locks[i].Lock()
	defer s.locks[i].Unlock()
	s.series[i].Lock()
	s.series[i].n = 0
	s.series[i].Unlock()
}

// Entries of two tables, nested: the same class on two instances, but
// elements are not instances we can tell apart (the instance rule is for
// fields). No report.
func (t *table) CopyTo(o *table, k string) { // want CopyTo:`acquires`
	t.locks[k].Lock()
	defer t.locks[k].Unlock()
	o.locks[k].Lock()
	defer o.locks[k].Unlock()
	o.locks[k].n = t.locks[k].n
}
