package gaps

import "sync"

// ---- acquisitions in a loop body and behind a guard return ----

// cockroach#10214: the heartbeat sender holds coalescedMu and reports to
// each replica in a loop, which locks the replica's raftMu; tick holds
// raftMu and may coalesce a heartbeat, which locks coalescedMu in every
// case of a switch whose default only returns.

type Sender struct {
	coalescedMu struct {
		sync.Mutex
		pending []int
	}
	replicas []*Replica
}

type Replica struct {
	raftMu sync.Mutex
	sender *Sender
}

func (s *Sender) Flush() { // want Flush:`acquires`
	s.coalescedMu.Lock()
	defer s.coalescedMu.Unlock()
	for i := 0; i < len(s.coalescedMu.pending); i++ {
		s.sendToAll() // want `lock order cycle \(\*Sender\).coalescedMu → \(\*Replica\).raftMu → \(\*Sender\).coalescedMu: Flush acquires \(\*Replica\).raftMu while holding \(\*Sender\).coalescedMu`
	}
}

// A loop that runs at least once when it runs: the call in its body
// counts.
func (s *Sender) sendToAll() { // want sendToAll:`acquires\(\(\*lockorder/gaps.Replica\).raftMu\)`
	for _, r := range s.replicas {
		r.unreachable()
	}
}

func (r *Replica) unreachable() { // want unreachable:`acquires`
	r.raftMu.Lock()
	defer r.raftMu.Unlock()
}

func (r *Replica) Tick() { // want Tick:`acquires`
	r.raftMu.Lock()
	defer r.raftMu.Unlock()
	r.coalesce(len(r.sender.replicas))
}

// The default case only returns: every path that does work locks.
func (r *Replica) coalesce(n int) bool { // want coalesce:`acquires\(\(\*lockorder/gaps.Sender\).coalescedMu\)`
	kind := len(r.sender.replicas) % 3
	switch kind {
	case 0, 1, 2:
		r.sender.coalescedMu.Lock()
	default:
		return false
	}
	r.sender.coalescedMu.pending = append(r.sender.coalescedMu.pending, n)
	r.sender.coalescedMu.Unlock()
	return true
}

// An early return of an if, and a loop with a lock and an unlock in
// each round (the lock is the function's own, taken again each round).
func (r *Replica) drain() { // want drain:`acquires\(\(\*lockorder/gaps.Replica\).raftMu\)`
	if r.sender == nil {
		return
	}
	for range r.sender.replicas {
		r.raftMu.Lock()
		r.raftMu.Unlock()
	}
}

// Silent: the same shapes when the lock is taken in some mode only.

type Journal struct{ mu sync.Mutex }
type Disk struct {
	mu      sync.Mutex
	journal *Journal
	pending []int
}

func (j *Journal) Append(d *Disk) { // want Append:`acquires`
	j.mu.Lock()
	defer j.mu.Unlock()
	d.syncAll(false) // ok: with false, syncAll does not lock
	d.syncSome(false)
	d.syncIf(false)
	d.syncOrWork(0)
	d.syncUnlessEmpty()
}

func (d *Disk) Sync() { // want Sync:`acquires`
	d.mu.Lock()
	defer d.mu.Unlock()
	d.journal.mu.Lock()
	d.journal.mu.Unlock()
}

// A loop whose body locks under a flag parameter's guard.
func (d *Disk) syncAll(lock bool) {
	for range d.pending {
		if lock {
			d.mu.Lock()
			d.mu.Unlock()
		}
	}
}

// A guard return on a parameter: a mode the caller chooses.
func (d *Disk) syncIf(lock bool) {
	if !lock {
		return
	}
	d.mu.Lock()
	d.mu.Unlock()
}

// A guard return on a local computed from a parameter.
func (d *Disk) syncSome(lock bool) {
	skip := !lock
	if skip {
		return
	}
	d.mu.Lock()
	d.mu.Unlock()
}

// A switch whose other branch does work instead of only returning.
func (d *Disk) syncOrWork(kind int) {
	switch len(d.pending) {
	case 0:
		d.mu.Lock()
	default:
		d.pending = d.pending[:0]
		return
	}
	d.mu.Unlock()
}

// A loop that skips the lock with continue: some rounds do not lock.
func (d *Disk) syncUnlessEmpty() {
	for _, p := range d.pending {
		if p == 0 {
			continue
		}
		d.mu.Lock()
		d.mu.Unlock()
	}
}
