package fixme

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
