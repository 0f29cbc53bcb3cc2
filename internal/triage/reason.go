package triage

import "strings"

// InferReason returns the wait reason a stack shows, for formats that do
// not print one (debug=1 and protobuf profiles). It reads the innermost
// runtime, sync, time and poll frames; "" when none says (a debug=1
// profile hides the runtime's frames, so a channel operation is not
// visible there).
func InferReason(stack []Frame) string {
	for _, f := range stack {
		switch f.Func {
		case "runtime.chansend", "runtime.chansend1":
			return "chan send"
		case "runtime.chanrecv", "runtime.chanrecv1", "runtime.chanrecv2":
			return "chan receive"
		case "runtime.selectgo":
			return "select"
		case "runtime.block":
			return "select (no cases)"
		case "sync.(*Mutex).Lock", "internal/sync.(*Mutex).Lock", "sync.runtime_SemacquireMutex", "internal/sync.runtime_SemacquireMutex":
			return "sync.Mutex.Lock"
		case "sync.(*RWMutex).RLock", "sync.runtime_SemacquireRWMutexR":
			return "sync.RWMutex.RLock"
		case "sync.(*RWMutex).Lock", "sync.runtime_SemacquireRWMutex":
			return "sync.RWMutex.Lock"
		case "sync.(*WaitGroup).Wait", "sync.runtime_SemacquireWaitGroup":
			return "sync.WaitGroup.Wait"
		case "sync.(*Cond).Wait", "sync.runtime_notifyListWait":
			return "sync.Cond.Wait"
		case "internal/poll.runtime_pollWait", "internal/poll.(*pollDesc).wait":
			return "IO wait"
		case "time.Sleep":
			return "sleep"
		case "runtime/pprof.writeRuntimeProfile", "runtime/pprof.writeGoroutineStacks", "runtime.Stack", "runtime.goroutineProfileWithLabels":
			return "running" // the goroutine writing the profile
		case "runtime.gopark", "runtime.goparkunlock":
			continue
		}
	}
	return ""
}

// Blocked reports whether a goroutine in this state waits on something
// (rather than running, runnable or in a system call).
func Blocked(reason string) bool {
	switch reason {
	case "running", "runnable", "syscall", "idle", "dead", "copystack", "preempted":
		return false
	}
	return true
}

// Passes returns the leaklint passes that look for causes of a wait of
// this kind, most likely first: the rule map of the design notes, from
// the dump's side. A stack in net/http, net or database/sql code adds
// iotimeout whatever the wait.
func Passes(reason string, stack []Frame) []string {
	var out []string
	switch {
	case strings.HasPrefix(reason, "chan send"), strings.HasPrefix(reason, "chan receive"):
		out = []string{"chanleak", "ctxdone", "lockblock"}
	case strings.HasPrefix(reason, "select"):
		out = []string{"ctxdone", "chanleak", "timeafter"}
	case strings.HasPrefix(reason, "sync.Mutex"), strings.HasPrefix(reason, "sync.RWMutex"), reason == "semacquire":
		out = []string{"unlock", "lockorder", "lockblock"}
	case reason == "sync.WaitGroup.Wait":
		out = []string{"waitgroup"}
	case reason == "sync.Cond.Wait":
		out = []string{"lockblock"}
	case reason == "IO wait":
		out = []string{"iotimeout"}
	case reason == "sleep":
		out = []string{"ctxdone"}
	case reason == "":
		// Unknown (a debug=1 profile): every pass about waits.
		out = []string{"chanleak", "ctxdone", "lockblock", "unlock", "lockorder", "waitgroup", "timeafter", "iotimeout"}
	}
	if reason != "IO wait" && inIO(stack) {
		out = append(out, "iotimeout")
	}
	return out
}

// inIO reports whether the stack runs through network or database code.
func inIO(stack []Frame) bool {
	for _, f := range stack {
		switch f.Package() {
		case "net", "net/http", "database/sql", "crypto/tls", "internal/poll":
			return true
		}
	}
	return false
}
