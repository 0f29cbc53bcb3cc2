package bad

import "time"

func Idle(in <-chan int) {
	for {
		select {
		case <-in:
		case <-time.After(time.Minute):
			return
		}
	}
}

func Tick(stop <-chan struct{}) {
	for range time.Tick(time.Second) {
		select {
		case <-stop:
			return
		default:
		}
	}
}

func Suppressed(in <-chan int) {
	for {
		select {
		case <-in:
		//leaklint:ignore timeafter the loop ends within milliseconds in practice
		case <-time.After(time.Millisecond):
		}
	}
}
