// Package lazy is analysed by a pass that does not ask for SSA.
package lazy

func f() int { return 1 }

func g() func() { return func() {} }
