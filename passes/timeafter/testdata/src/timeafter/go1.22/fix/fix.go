package fix

import "time"

func handle(int) {}

func idle(in <-chan int) {
	for {
		select {
		case v := <-in:
			handle(v)
		case <-time.After(5 * time.Second): // want `time.After\(5 \* time.Second\) in a select`
			return
		}
	}
}

func labeledAndNested(in <-chan int, timeout time.Duration) {
	timer := 1 // the name is taken: the fix picks timer2
	_ = timer
outer:
	for {
		if timeout > 0 {
			select {
			case <-in:
				continue outer
			case <-time.After(timeout): // want `time.After\(timeout\) in a select`
				break outer
			}
		}
	}
}

// No fix: the duration changes inside the loop.
func backoff(in <-chan int) {
	d := time.Second
	for {
		select {
		case <-in:
			d *= 2
		case <-time.After(d): // want `time.After\(d\) in a select`
			return
		}
	}
}

// No fix: the loop is nested in another loop, so a deferred Stop would
// pile up.
func nested(in <-chan int, rounds []int) {
	for range rounds {
		for {
			select {
			case <-in:
			case <-time.After(time.Second): // want `time.After\(time.Second\) in a select`
				return
			}
		}
	}
}
