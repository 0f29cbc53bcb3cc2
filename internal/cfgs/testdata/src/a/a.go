package a

import (
	"log"
	"os"
	"testing"
)

func fatal() { // want fatal:"noReturn"
	log.Fatal("x")
}

func exits() { // want exits:"noReturn"
	os.Exit(1)
}

func panics() { // want panics:"noReturn"
	panic("x")
}

func viaHelper() { // want viaHelper:"noReturn"
	fatal()
}

func forever() { // want forever:"noReturn"
	for {
	}
}

func failNow(t *testing.T) { // want failNow:"noReturn"
	t.FailNow()
}

func sometimes(b bool) { // returns on one path: no fact
	if b {
		panic("x")
	}
}

func recursive(n int) { // returns: no fact
	if n > 0 {
		recursive(n - 1)
	}
}

// Cycles in the call graph are cut by assuming the call returns, the
// side that keeps paths: no facts here.
func mutualA() { mutualB() }

func mutualB() { mutualA() }

type T struct{}

func (T) Fail() { // want Fail:"noReturn"
	os.Exit(2)
}

func Generic[X any](x X) { // want Generic:"noReturn"
	panic(x)
}

func fatalTB(tb testing.TB) { // want fatalTB:"noReturn"
	tb.Fatal("x")
}
