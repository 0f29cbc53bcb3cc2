package broken

import "time"

func Broken(in <-chan int) {
	for {
		select {
		case <-in:
		case <-time.After(undefinedDuration):
		}
	}
}
