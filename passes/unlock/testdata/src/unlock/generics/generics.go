package generics

import "sync"

type Map[K comparable, V any] struct {
	mu sync.RWMutex
	m  map[K]V
}

func (m *Map[K, V]) Get(k K) (V, bool) {
	m.mu.RLock() // want `m.mu.RLock\(\) is not released on every path out of Get`
	v, ok := m.m[k]
	if !ok {
		return v, false
	}
	m.mu.RUnlock()
	return v, true
}

func (m *Map[K, V]) Set(k K, v V) {
	m.mu.Lock() // ok
	defer m.mu.Unlock()
	m.m[k] = v
}

func (m *Map[K, V]) Len() int {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return len(m.m)
}

func (m *Map[K, V]) Grow(k K, v V) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.m[k] = v
	return m.Len() // want `Len read-locks|Len locks m.mu, which is already held here`
}

func Guard[T any](mu *sync.Mutex, f func() T) T {
	mu.Lock() // ok
	defer mu.Unlock()
	return f()
}
