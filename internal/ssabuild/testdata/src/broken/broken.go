package broken // want "no SSA: the package has type errors"

func f() int {
	return undefined
}
