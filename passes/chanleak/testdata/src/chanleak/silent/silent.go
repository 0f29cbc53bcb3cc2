// Package silent holds correct shapes, and shapes the pass cannot
// prove wrong, that a naive check would report.
package silent

import (
	"context"
	"log"
	"os"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"
)

type Result struct{}

func get(string) *Result   { return nil }
func do(int) error         { return nil }
func validate(int) error   { return nil }
func process(int)          {}
// consume stands for code the pass does not follow; it keeps the channel
// (an empty body would be seen to do nothing with it).
func consume(ch chan int)  { kept = append(kept, ch) }
func helperOf(ch chan int) { consume(ch) }

var kept []chan int

var registry []chan<- int

func register(ch chan<- int) { registry = append(registry, ch) }

// ok: a buffer of one for the one send.
func buffered(ctx context.Context) *Result {
	ch := make(chan *Result, 1)
	go func() { ch <- get("x") }()
	select {
	case r := <-ch:
		return r
	case <-ctx.Done():
		return nil
	}
}

// ok: a buffer sized by the number of goroutines (not a constant).
func sized(xs []int) error {
	errc := make(chan error, len(xs))
	for _, x := range xs {
		go func() { errc <- do(x) }()
	}
	for range xs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// ok: two sends, room for two.
func bufferedTwo(x int) error {
	errc := make(chan error, 2)
	go func() { errc <- do(1) }()
	go func() { errc <- do(2) }()
	if x > 0 {
		return nil
	}
	return <-errc
}

// ok: one send on each path of the goroutine, room for one.
func oneOfTwo(x int) error {
	errc := make(chan error, 1)
	go func() {
		if err := validate(x); err != nil {
			errc <- err
			return
		}
		errc <- do(x)
	}()
	if x > 0 {
		return nil
	}
	return <-errc
}

// ok: every path receives.
func always(x int) (*Result, error) {
	ch := make(chan *Result)
	go func() { ch <- get("x") }()
	r := <-ch
	if err := validate(x); err != nil {
		return nil, err
	}
	return r, nil
}

// ok: both cases of the select receive (the moby#33781 fix).
func drainOnTimeout(ctx context.Context) *Result {
	ch := make(chan *Result)
	go func() { ch <- get("x") }()
	select {
	case r := <-ch:
		return r
	case <-ctx.Done():
		return <-ch
	}
}

// ok: a deferred drain.
func deferredDrain(x int) error {
	ch := make(chan error)
	go func() { ch <- do(x) }()
	defer func() { <-ch }()
	if x > 0 {
		return nil
	}
	return nil
}

// ok: the sender selects on ctx.Done().
func senderSelects(ctx context.Context) *Result {
	ch := make(chan *Result)
	go func() {
		select {
		case ch <- get("x"):
		case <-ctx.Done():
		}
	}()
	select {
	case r := <-ch:
		return r
	case <-ctx.Done():
		return nil
	}
}

// ok: the sender gives up when nobody is there (default).
func senderDefault(servers []string) *Result {
	ch := make(chan *Result)
	for _, s := range servers {
		go func() {
			select {
			case ch <- get(s):
			default:
			}
		}()
	}
	return <-ch
}

// ok: the channel is returned; the caller receives.
func returned() <-chan int {
	ch := make(chan int)
	go func() { ch <- 1 }()
	return ch
}

type server struct{ results chan int }

// ok: the channel is stored in a field; others may receive.
func (s *server) stored(x int) {
	ch := make(chan int)
	s.results = ch
	go func() { ch <- x }()
}

// ok: the channel is handed to code the pass does not follow.
func handed(x int) {
	ch := make(chan int)
	go func() { ch <- x }()
	consume(ch)
}

// ok: the goroutine hands it on.
func handedByGoroutine(x int) error {
	ch := make(chan int)
	go func() {
		register(ch)
		ch <- x
	}()
	if x > 0 {
		return nil
	}
	<-ch
	return nil
}

// ok: a helper of the goroutine hands it on.
func handedByHelper(x int) error {
	ch := make(chan int)
	go helperOf(ch)
	if x > 0 {
		return nil
	}
	<-ch
	return nil
}

// ok: the channel is assigned again: which one is received is not
// followed.
func reassigned(x int) {
	ch := make(chan bool)
	for {
		go func() { ch <- x > 0 }()
		if x > 0 {
			ch = make(chan bool)
			continue
		}
		<-ch
		return
	}
}

// ok: F waits for every sender before returning (or deadlocks, which is
// not this pass's matter).
func waits(xs []int) error {
	ch := make(chan error)
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ch <- do(x)
		}()
	}
	go func() {
		wg.Wait()
		close(ch)
	}()
	var first error
	for err := range ch {
		if err != nil && first == nil {
			first = err
		}
	}
	return first
}

// ok: a deferred Wait.
func deferredWait(x int) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	ch := make(chan error)
	wg.Add(1)
	go func() {
		defer wg.Done()
		ch <- do(x)
	}()
	if x > 0 {
		return nil
	}
	return <-ch
}

// ok: errgroup's Wait on the way out.
func group(ctx context.Context, x int) error {
	results := make(chan int)
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		select {
		case results <- x:
		case <-ctx.Done():
			return ctx.Err()
		}
		return nil
	})
	g.Go(func() error {
		for v := range results {
			process(v)
		}
		return nil
	})
	return g.Wait()
}

// ok: a counted loop receives once per goroutine.
func counted(xs []int) error {
	errc := make(chan error)
	for _, x := range xs {
		go func() { errc <- do(x) }()
	}
	var first error
	for range xs {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// ok: a range over the channel that the producer closes.
func producer(xs []int) int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for _, x := range xs {
			ch <- x
		}
	}()
	sum := 0
	for v := range ch {
		sum += v
	}
	return sum
}

// ok: the only early exits end the program.
func fatal(x int) error {
	ch := make(chan error)
	go func() { ch <- do(x) }()
	if x < 0 {
		log.Fatal("negative")
	}
	if x > 100 {
		os.Exit(2)
	}
	if x > 10 {
		panic("too big")
	}
	return <-ch
}

func fail(msg string) { log.Fatal(msg) }

// ok: a local helper that never returns.
func fatalHelper(x int) error {
	ch := make(chan error)
	go func() { ch <- do(x) }()
	if x < 0 {
		fail("negative")
		return nil
	}
	return <-ch
}

// ok: the goroutine only closes: closing never blocks.
func closes(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		defer close(done)
		process(1)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ok: a pipeline: the goroutines are each other's partners.
func pipeline(xs []int) error {
	ch := make(chan int)
	go func() {
		for _, x := range xs {
			ch <- x
		}
		close(ch)
	}()
	go func() {
		for v := range ch {
			process(v)
		}
	}()
	return nil
}

// ok: F both sends and receives.
func both(x int) int {
	ch := make(chan int)
	go func() { ch <- x }()
	if x > 0 {
		ch <- <-ch
		return 0
	}
	return <-ch
}

// ok: the goroutine is started only where it is received from.
func startedLate(x int) error {
	ch := make(chan error)
	if err := validate(x); err != nil {
		return err
	}
	go func() { ch <- do(x) }()
	return <-ch
}

// ok: a worker ranging over jobs, closed on every path.
func pool(xs []int) error {
	jobs := make(chan int)
	defer close(jobs)
	for i := 0; i < 4; i++ {
		go func() {
			for j := range jobs {
				process(j)
			}
		}()
	}
	for _, x := range xs {
		if err := validate(x); err != nil {
			return err
		}
		jobs <- x
	}
	return nil
}

// ok: single-receive workers, one job each, sent in a counted loop.
func oneJobEach(xs []int) {
	jobs := make(chan int)
	for range xs {
		go func() { process(<-jobs) }()
	}
	for _, x := range xs {
		jobs <- x
	}
}

// ok: the receiver selects on a stop channel too.
func stoppable(stop chan struct{}, x int) error {
	ch := make(chan int)
	go func() {
		select {
		case v := <-ch:
			process(v)
		case <-stop:
		}
	}()
	if x > 0 {
		return nil
	}
	ch <- x
	return nil
}

// ok: the send is on a timer, or received through a time.After select
// on both sides: nothing waits forever.
func timer(d time.Duration) {
	ch := make(chan int)
	go func() {
		select {
		case ch <- 1:
		case <-time.After(d):
		}
	}()
	select {
	case <-ch:
	case <-time.After(d):
	}
}

// ok: the loop counts the goroutines down inside its body, then returns
// (the shape of internal/fuzz's CoordinateFuzzing).
func countdown(ctx context.Context, xs []int) error {
	errc := make(chan error)
	for _, x := range xs {
		go func() { errc <- do(x) }()
	}
	active := len(xs)
	var first error
	for {
		select {
		case err := <-errc:
			if err != nil && first == nil {
				first = err
			}
			active--
			if active == 0 {
				return first
			}
		case <-ctx.Done():
			first = ctx.Err()
		}
	}
}

// ok: counting up to the number of goroutines.
func countUp(xs []int) int {
	ch := make(chan int)
	for _, x := range xs {
		go func() { ch <- x }()
	}
	sum, n := 0, 0
	for v := range ch {
		sum += v
		n++
		if n == len(xs) {
			break
		}
	}
	return sum
}

// ok: the reader's last act is to send its error; once F has received
// it, the reader is gone (the shape of syncthing's relay listener).
func reader(conn func() (int, error)) {
	messages := make(chan int)
	errors := make(chan error, 1)
	go readLoop(conn, messages, errors)
	for {
		select {
		case m := <-messages:
			process(m)
		case err := <-errors:
			_ = err
			return
		}
	}
}

func readLoop(conn func() (int, error), messages chan<- int, errors chan<- error) {
	for {
		m, err := conn()
		if err != nil {
			errors <- err
			return
		}
		messages <- m
	}
}

// ok: the goroutine closes done on its way out.
func doneClosed(ctx context.Context, xs []int) int {
	ch := make(chan int)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, x := range xs {
			ch <- x
		}
	}()
	sum := 0
	for {
		select {
		case v := <-ch:
			sum += v
		case <-done:
			return sum
		}
	}
}

// ok: a producer counting to a constant that the buffer holds.
func fits(ctx context.Context) bool {
	ch := make(chan bool, 8)
	go func() {
		defer close(ch)
		for i := 0; i < 8; i++ {
			ch <- i != 0
		}
	}()
	for v := range ch {
		if ctx.Err() != nil {
			return v
		}
	}
	return true
}

// ok: a range over an array of three, into a buffer of three.
func array(x int) error {
	errc := make(chan error, 3)
	go func() {
		for _, v := range [3]int{1, 2, 3} {
			errc <- do(v + x)
		}
	}()
	if x > 0 {
		return nil
	}
	return <-errc
}

// ok: each goroutine of the loop is received from before the next one
// starts.
func sequential(xs []int) error {
	ch := make(chan error)
	for _, x := range xs {
		go func() { ch <- do(x) }()
		if err := <-ch; err != nil {
			return err
		}
	}
	return nil
}

// ok: goroutines started in a loop with a buffer: their number is not
// known, so the buffer cannot be proved too small.
func loopBuffered(xs []int) error {
	errc := make(chan error, 1)
	for _, x := range xs {
		go func() { errc <- do(x) }()
	}
	return <-errc
}

// ok: the worker either sends an error and stops, or closes done as its
// last act; a watcher only receives from done (the shape of
// golang-migrate's TestLockAndUnlock, without its timeout).
func lockTest(steps []func() error) error {
	done := make(chan struct{})
	errs := make(chan error)
	go func() {
		<-done
	}()
	go func() {
		for _, step := range steps {
			if err := step(); err != nil {
				errs <- err
				return
			}
		}
		close(done)
	}()
	for {
		select {
		case <-done:
			return nil
		case err := <-errs:
			return err
		}
	}
}

// ok: the worker stops on the value it receives; F sends it once (the
// shape of runtime's generateMutexWaitTime).
func stopOnValue(x int) {
	done := make(chan bool)
	go func() {
		for {
			process(x)
			if <-done {
				return
			}
		}
	}()
	process(x)
	done <- true
}

// ok: two goroutines from a loop counting to two, two receives (the
// shape of runtime's TestPreemption).
func constantLoop() {
	c := make(chan bool)
	for g := 0; g < 2; g++ {
		go func() {
			process(g)
			c <- true
		}()
	}
	<-c
	<-c
}

// ok: the governor closes out after its last receive from start, and F
// ranges over out to its end (the shape of go/token's
// TestRemoveFileRace).
func governor(xs []int) {
	out := make(chan int)
	start := make(chan struct{})
	go func() {
		for _, x := range xs {
			<-start
			out <- x
		}
		<-start
		close(out)
	}()
	start <- struct{}{}
	for v := range out {
		process(v)
		start <- struct{}{}
	}
}

// ok: another goroutine closes the channel the worker waits on (the
// shape of moby's awslogs.New in non-blocking mode).
func closedElsewhere(async bool, create func() error) error {
	created := make(chan bool)
	if async {
		go func() {
			for create() != nil {
			}
			close(created)
		}()
	} else {
		if err := create(); err != nil {
			return err
		}
		close(created)
	}
	go func() {
		<-created
		process(1)
	}()
	return nil
}

// ok: a deferred call stops the worker and waits for it to finish (the
// shape of syncthing's watch tests).
func stopAndWait(ctx context.Context, xs []int) int {
	ctx, cancel := context.WithCancel(ctx)
	out := make(chan int)
	done := make(chan struct{})
	defer func() {
		cancel()
		<-done
	}()
	go func() {
		watch(ctx, xs, out)
		close(done)
	}()
	select {
	case v := <-out:
		return v
	case <-time.After(time.Second):
		return 0
	}
}

func watch(ctx context.Context, xs []int, out chan<- int) {
	for _, x := range xs {
		out <- x
	}
}
