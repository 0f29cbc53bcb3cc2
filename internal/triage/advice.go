package triage

import "fmt"

// Advice says what to read next for a group no static finding explains;
// at is how to name the blocking line (Blocking.Pos() relative to the
// source, say).
func Advice(g *Group, at string) string {
	if at == "" {
		at = g.Blocking.Func
	}
	switch r := g.Reason; {
	case r == "chan send" || r == "chan send (nil chan)":
		return fmt.Sprintf("find who receives from the channel sent on at %s, and the paths on which it stops receiving (returns early, a select's other case, a cancelled context); a nil channel blocks forever", at)
	case r == "chan receive" || r == "chan receive (nil chan)":
		return fmt.Sprintf("find who sends on or closes the channel received from at %s: a sender that returned on error, or a close that never runs; give the wait a ctx.Done() case", at)
	case r == "select" || r == "select (no cases)":
		return fmt.Sprintf("the select at %s waits for cases none of which fires: check that one is ctx.Done() or a quit channel someone closes, and that timers are stopped", at)
	case r == "sync.Mutex.Lock" || r == "sync.RWMutex.Lock" || r == "sync.RWMutex.RLock" || r == "semacquire":
		return fmt.Sprintf("find the goroutine holding the lock taken at %s (search the dump for the same mutex's other users): a return without Unlock, a wait while holding it, or two locks in opposite orders", at)
	case r == "sync.WaitGroup.Wait":
		return fmt.Sprintf("the Wait at %s needs every Add matched by a Done: look for a goroutine that returns before Done, or an Add counted twice", at)
	case r == "sync.Cond.Wait":
		return fmt.Sprintf("the Cond.Wait at %s needs a Signal or Broadcast after the condition changes: find who changes it", at)
	case r == "IO wait":
		return fmt.Sprintf("the read or write at %s has no deadline: set a client Timeout, a server ReadTimeout, a dial timeout or a context deadline", at)
	case r == "sleep":
		return fmt.Sprintf("the sleep at %s runs in a loop with no way out: wait on ctx.Done() or a ticker in a select instead", at)
	case r == "":
		return fmt.Sprintf("this format has no wait reasons: fetch ?debug=2 to see what %s waits on", at)
	}
	return fmt.Sprintf("read the code at %s", at)
}
