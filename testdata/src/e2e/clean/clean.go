package clean

import "time"

func Idle(in <-chan int) {
	timer := time.NewTimer(time.Minute)
	defer timer.Stop()
	for {
		select {
		case <-in:
			return
		case <-timer.C:
			return
		}
	}
}
