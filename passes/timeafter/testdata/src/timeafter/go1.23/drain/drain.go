// Package drain holds the timer drain that blocks forever once another
// case of the loop's select has taken the timer's value (reported in
// every Go version), and the drains that cannot block.
package drain

import "time"

type strategy struct {
	timer *time.Timer
	reset chan struct{}
	d     time.Duration
}

// istio18454's shape: the case <-s.timer.C takes the value and leaves
// the timer expired; the reset case then drains a channel nothing fills.
func (s *strategy) loop(done <-chan struct{}) {
	for {
		select {
		case <-s.timer.C:
		case <-s.reset:
			if !s.timer.Stop() {
				<-s.timer.C // want `<-s.timer.C blocks forever once the select's case <-s.timer.C \(line 19\) has taken the value`
			}
			s.timer.Reset(s.d)
		case <-done:
			return
		}
	}
}

// The drain before the select, the pattern many write from memory: the
// second time round, after the case took the value, it blocks.
func drainFirst(t *time.Timer, in <-chan int, d time.Duration) {
	for {
		if !t.Stop() {
			<-t.C // want `<-t.C blocks forever`
		}
		t.Reset(d)
		select {
		case v := <-t.C:
			_ = v
		case <-in:
		}
	}
}

// ok: the case that takes the value restarts the timer, so Stop returns
// true the next time.
func restarted(t *time.Timer, reset <-chan struct{}, d time.Duration) {
	for {
		select {
		case <-t.C:
			t.Reset(d)
		case <-reset:
			if !t.Stop() {
				<-t.C
			}
			t.Reset(d)
		}
	}
}

// ok: the drain cannot block.
func nonBlocking(t *time.Timer, reset <-chan struct{}, d time.Duration) {
	for {
		select {
		case <-t.C:
		case <-reset:
			if !t.Stop() {
				select {
				case <-t.C:
				default:
				}
			}
			t.Reset(d)
		}
	}
}

// ok: the case that takes the value leaves the loop.
func leaves(t *time.Timer, reset <-chan struct{}, d time.Duration) {
	for {
		select {
		case <-t.C:
			return
		case <-reset:
			if !t.Stop() {
				<-t.C
			}
			t.Reset(d)
		}
	}
}

// ok: the case that takes the value ends the program (grpc-go's
// waitWhileTrue calls t.Fatal there).
func fatal(t *time.Timer, reset <-chan struct{}, d time.Duration) {
	for {
		select {
		case <-t.C:
			panic("timed out")
		case <-reset:
			if !t.Stop() {
				<-t.C
			}
			t.Reset(d)
		}
	}
}

// ok: a flag records that the value was taken.
func flagged(t *time.Timer, reset <-chan struct{}, d time.Duration) {
	fired := false
	for {
		select {
		case <-t.C:
			fired = true
		case <-reset:
			if !fired && !t.Stop() {
				<-t.C
			}
			fired = false
			t.Reset(d)
		}
	}
}

// ok: no case of the loop receives from the timer; the drain is the
// usual one before a Reset.
func noCase(t *time.Timer, in <-chan int, d time.Duration) {
	for range in {
		if !t.Stop() {
			<-t.C
		}
		t.Reset(d)
	}
}

// ok: a new timer each time round.
func fresh(in <-chan int, d time.Duration) {
	t := time.NewTimer(d)
	for {
		select {
		case <-t.C:
		case <-in:
			if !t.Stop() {
				<-t.C
			}
		}
		t = time.NewTimer(d)
	}
}

// ok: the timer is restarted before the select each time round, so a
// Stop that returns false means it fired again (go-redis's pubsub).
func resetFirst(t *time.Timer, in <-chan int, out chan<- int, d time.Duration) {
	for v := range in {
		t.Reset(d)
		select {
		case out <- v:
			if !t.Stop() {
				<-t.C
			}
		case <-t.C:
		}
	}
}
