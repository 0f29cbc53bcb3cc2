package main

import "time"

func main() {
	tick := time.Tick(time.Second)   // ok: main.main runs once
	t := time.NewTicker(time.Second) // ok: likewise
	<-tick
	<-t.C
	d := &discoverer{}
	d.run()
	setup()
	for i := 0; i < 3; i++ {
		perRound()
	}
	go func() { inLiteral() }()
	var r runner = d
	r.Start()
	stored()
}

func helper() {
	_ = time.Tick(time.Second) // want `time.Tick in helper, which returns`
}

type discoverer struct{ stop chan struct{} }

// run is called once, by main: its ticker lives as long as the program.
func (d *discoverer) run() {
	tick := time.Tick(time.Minute) // ok: runs once
	for {
		select {
		case <-tick:
		case <-d.stop:
			return
		}
	}
}

// setup runs once through main, and so does what it calls once.
func setup() { setupTicker() }

func setupTicker() {
	_ = time.Tick(time.Second) // ok: runs once
}

func perRound() {
	_ = time.Tick(time.Second) // want `time.Tick in perRound, which returns`
}

func inLiteral() {
	_ = time.Tick(time.Second) // want `time.Tick in inLiteral, which returns`
}

type runner interface{ Start() }

// Start may be called through the interface, any number of times.
func (d *discoverer) Start() {
	_ = time.Tick(time.Second) // want `time.Tick in Start, which returns`
}

var hook = stored

// stored is also kept in a variable, which may call it again and again.
func stored() {
	_ = time.Tick(time.Second) // want `time.Tick in stored, which returns`
}
