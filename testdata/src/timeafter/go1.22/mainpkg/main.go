package main

import "time"

func main() {
	tick := time.Tick(time.Second)   // ok: main.main runs once
	t := time.NewTicker(time.Second) // ok: likewise
	<-tick
	<-t.C
}

func helper() {
	_ = time.Tick(time.Second) // want `time.Tick in helper, which returns`
}
