// want package:"hasDiscardLeaks"

// Package owned holds goroutines that wait on a context only a stored
// cancel ends (cockroach13755, cockroach13197), and the twins whose
// cancel is called, can be called from elsewhere, or whose parent ends.
package owned

import "context"

// cockroach13755: only close calls the cancel, and only awaitDone calls
// close, after the wait.
type rows struct {
	cancel context.CancelFunc
}

func (rs *rows) initContextClose(ctx context.Context) {
	ctx, rs.cancel = context.WithCancel(ctx)
	go rs.awaitDone(ctx)
}

func (rs *rows) awaitDone(ctx context.Context) {
	<-ctx.Done() // want `nothing calls cancel except rs.awaitDone itself, after this wait, and the context's parent never ends`
	rs.close(ctx.Err())
}

func (rs *rows) close(err error) {
	rs.cancel()
}

func query() {
	rs := &rows{}
	rs.initContextClose(context.Background())
}

// Nothing calls the cancel at all; the goroutine is a literal.
type watcher struct {
	stop context.CancelFunc
	n    int
}

func newWatcher() *watcher {
	ctx, cancel := context.WithCancel(context.Background())
	w := &watcher{stop: cancel}
	go func() {
		<-ctx.Done() // want `nothing calls stop, and the context's parent never ends`
		w.n = 0
	}()
	return w
}

// ok: an exported Close calls the cancel.
type session struct {
	cancel context.CancelFunc
}

func newSession() *session { // want newSession:"discardLeaks\\(watch\\)"
	ctx, cancel := context.WithCancel(context.Background())
	s := &session{cancel: cancel}
	go s.watch(ctx)
	return s
}

func (s *session) watch(ctx context.Context) {
	<-ctx.Done()
}

func (s *session) Close() { s.cancel() }

// ok: the parent is the caller's context, which may end.
type job struct {
	cancel context.CancelFunc
}

func (j *job) start(ctx context.Context) {
	ctx, j.cancel = context.WithCancel(ctx)
	go j.wait(ctx)
}

func (j *job) wait(ctx context.Context) { <-ctx.Done() }

func Run(ctx context.Context) {
	j := &job{}
	j.start(ctx)
}

// ok: the goroutine waits for something else too.
type poller struct {
	cancel context.CancelFunc
	tick   chan int
}

func newPoller() *poller {
	ctx, cancel := context.WithCancel(context.Background())
	p := &poller{cancel: cancel, tick: make(chan int)}
	go func() {
		select {
		case <-ctx.Done():
		case <-p.tick:
		}
	}()
	return p
}

// ok: the cancel is handed out as a method value: anyone may call it.
type handle struct {
	cancel context.CancelFunc
}

func newHandle() (*handle, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	h := &handle{cancel: cancel}
	go func() { <-ctx.Done() }()
	return h, h.stop
}

func (h *handle) stop() { h.cancel() }

// ok: the stopping method satisfies one of the package's interfaces.
type stopper interface{ halt() }

type service struct {
	cancel context.CancelFunc
}

func newService() stopper {
	ctx, cancel := context.WithCancel(context.Background())
	s := &service{cancel: cancel}
	go s.run(ctx)
	return s
}

func (s *service) run(ctx context.Context) { <-ctx.Done() }
func (s *service) halt()                   { s.cancel() }

// cockroach13197: the transaction's goroutine waits until Rollback, and
// the caller throws the transaction away.
type db struct{}

type tx struct {
	cancel context.CancelFunc
	ctx    context.Context
}

func (d *db) begin(ctx context.Context) *tx { // want begin:"discardLeaks\\(awaitDone\\)"
	ctx, cancel := context.WithCancel(ctx)
	t := &tx{cancel: cancel, ctx: ctx}
	go t.awaitDone()
	return t
}

func (t *tx) awaitDone() { <-t.ctx.Done() }

func (t *tx) Rollback() { t.rollback() }
func (t *tx) rollback() { t.close() }
func (t *tx) close()    { t.cancel() }

func thrownAway(d *db) {
	d.begin(context.Background()) // want `begin starts a goroutine \(awaitDone, owned.go:\d+\) that waits until the result's context is cancelled, .*call its Rollback when done`
	_ = d.begin(context.TODO())   // want `begin starts a goroutine`
}

// ok: kept and rolled back; or the parent may end.
func kept(ctx context.Context, d *db) {
	t := d.begin(context.Background())
	defer t.Rollback()
	d.begin(ctx)
}
