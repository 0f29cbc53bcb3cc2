// Package knowledge is what leaklint knows of the APIs it has no source
// for in its own rules: which calls wait for another party and how, how
// that wait is bounded (a timeout setting, a context variant, nothing),
// and which types carry their own timeouts. lockblock reads it to find
// waits under a lock; iotimeout reads it to find network waits without a
// bound.
//
// Teaching leaklint a library is one row in APIs (and, for a client type
// whose values carry their timeouts, one row in Types).
package knowledge

import (
	"go/types"

	"github.com/leaklint/leaklint/internal/callee"
)

// A Wait says how a call waits for another party, as lockblock sees it:
// a call that waits, made while a lock is held, stalls everyone who
// wants the lock for as long as the other party takes.
type Wait int

const (
	// NoWait: lockblock does not count the call as a wait (it may still
	// learn from the callee's own body, through its mayBlock fact).
	NoWait Wait = iota
	WaitGroup
	Sleep
	HTTPRequest
	ConnRead
	ConnWrite
	TLSHandshake
	Dial
	Accept
	Database
)

// String returns the wait in lockblock's words, the verb phrase of its
// messages and of its mayBlock fact ("wg.Wait() waits for a WaitGroup").
func (w Wait) String() string {
	switch w {
	case WaitGroup:
		return "waits for a WaitGroup"
	case Sleep:
		return "sleeps"
	case HTTPRequest:
		return "makes an HTTP request"
	case ConnRead:
		return "reads from a network connection"
	case ConnWrite:
		return "writes to a network connection"
	case TLSHandshake:
		return "performs a TLS handshake"
	case Dial:
		return "dials the network"
	case Accept:
		return "waits for a connection"
	case Database:
		return "queries the database"
	}
	return ""
}

// OnReceiver reports whether the wait is I/O on the call's receiver (a
// connection, a database handle): a lock of the same receiver held
// around such a call may serialize that I/O on purpose, and lockblock
// treats it so.
func (w Wait) OnReceiver() bool {
	switch w {
	case ConnRead, ConnWrite, TLSHandshake, Database:
		return true
	}
	return false
}

// A Timeout says how the call's wait is bounded, as iotimeout sees it.
type Timeout int

const (
	// Unchecked: iotimeout says nothing of calls of the API.
	Unchecked Timeout = iota
	// DefaultClient: the call sends a request through
	// http.DefaultClient, which has no Timeout. iotimeout reports it
	// wherever it appears.
	DefaultClient
	// ServerDefaults: the call serves HTTP with an http.Server that has
	// no read timeouts. iotimeout reports it wherever it appears.
	ServerDefaults
	// NoTimeout: the call waits on the network with no bound of its
	// own; Safer names the API to use instead. iotimeout reports it
	// wherever it appears.
	NoTimeout
	// ContextVariant: the call has a variant that takes a context,
	// named by Safer, with the arguments Args after ctx when the call
	// has none. iotimeout reports it when a context.Context variable is
	// in scope, with a fix that calls the variant with it.
	ContextVariant
	// ReceiverTimeout: the wait is bounded by the timeout fields of the
	// receiver, a value of one of Types (http.Client.Do and
	// Client.Timeout). iotimeout checks the value the method is called
	// on, not the call.
	ReceiverTimeout
	// OwnBound: the call takes its own timeout or context
	// (net.DialTimeout, QueryContext). Nothing to report; recorded so
	// that a reader of the table sees the API was considered.
	OwnBound
)

// ReportsCalls reports whether iotimeout reports calls of an API with
// this timeout by themselves: the rules of its table of calls.
func (t Timeout) ReportsCalls() bool {
	switch t {
	case DefaultClient, ServerDefaults, NoTimeout, ContextVariant:
		return true
	}
	return false
}

// An API is a function or method and what leaklint knows of it.
type API struct {
	Spec callee.Spec
	// Wait is how a call waits, for lockblock; NoWait if lockblock does
	// not count it.
	Wait Wait
	// Timeout is how the wait is bounded, for iotimeout; Unchecked if
	// iotimeout says nothing of it.
	Timeout Timeout
	// Safer names the safer API in iotimeout's messages. For
	// ContextVariant it is the name of the context variant, which
	// iotimeout's fix writes in place of the called name.
	Safer string
	// Args are the arguments the context variant needs after ctx when
	// the original call has none (BeginTx's nil options).
	Args string
}

// row is one line of APIs as written, with the spec in the notation of
// callee.Spec.
type row struct {
	spec    string
	wait    Wait
	timeout Timeout
	safer   string
	args    string
}

// rows is the table. The two passes read different columns; where one
// of them ignores an API the other knows, the row says so with NoWait
// or Unchecked, and a comment says why when it is not obvious. Pointer
// and value receivers are not told apart (see callee.Spec).
var rows = []row{
	{"(sync.WaitGroup).Wait", WaitGroup, Unchecked, "", ""},
	{"time.Sleep", Sleep, Unchecked, "", ""},

	// net/http: the package-level functions use http.DefaultClient, which
	// has no Timeout; a Client's are bounded by its Timeout.
	{"net/http.Get", HTTPRequest, DefaultClient, "", ""},
	{"net/http.Head", HTTPRequest, DefaultClient, "", ""},
	{"net/http.Post", HTTPRequest, DefaultClient, "", ""},
	{"net/http.PostForm", HTTPRequest, DefaultClient, "", ""},
	{"(net/http.Client).Do", HTTPRequest, ReceiverTimeout, "", ""},
	{"(net/http.Client).Get", HTTPRequest, ReceiverTimeout, "", ""},
	{"(net/http.Client).Head", HTTPRequest, ReceiverTimeout, "", ""},
	{"(net/http.Client).Post", HTTPRequest, ReceiverTimeout, "", ""},
	{"(net/http.Client).PostForm", HTTPRequest, ReceiverTimeout, "", ""},
	// Serving runs until the server stops: lockblock does not count it
	// as a wait (nobody serves under a lock by mistake). The
	// package-level servers have no read timeouts.
	{"net/http.ListenAndServe", NoWait, ServerDefaults, "", ""},
	{"net/http.ListenAndServeTLS", NoWait, ServerDefaults, "", ""},
	{"net/http.Serve", NoWait, ServerDefaults, "", ""},
	{"net/http.ServeTLS", NoWait, ServerDefaults, "", ""},
	{"(net/http.Server).ListenAndServe", NoWait, ReceiverTimeout, "", ""},
	{"(net/http.Server).ListenAndServeTLS", NoWait, ReceiverTimeout, "", ""},
	{"(net/http.Server).Serve", NoWait, ReceiverTimeout, "", ""},
	{"(net/http.Server).ServeTLS", NoWait, ReceiverTimeout, "", ""},

	// net: dialing with no timeout waits as long as the OS keeps trying.
	{"net.Dial", Dial, NoTimeout, "net.DialTimeout or a net.Dialer with Timeout", ""},
	{"net.DialTimeout", Dial, OwnBound, "", ""},
	{"(net.Dialer).Dial", Dial, ReceiverTimeout, "", ""},
	{"(net.Dialer).DialContext", Dial, OwnBound, "", ""},
	{"(net.Listener).Accept", Accept, Unchecked, "", ""},
	{"(net.TCPListener).Accept", Accept, Unchecked, "", ""},
	// Connections: I/O on the receiver. Deadlines are set on the
	// connection (SetDeadline), which iotimeout does not follow.
	{"(net.Conn).Read", ConnRead, Unchecked, "", ""},
	{"(net.Conn).Write", ConnWrite, Unchecked, "", ""},
	{"(net.TCPConn).Read", ConnRead, Unchecked, "", ""},
	{"(net.TCPConn).Write", ConnWrite, Unchecked, "", ""},
	{"(net.UDPConn).Read", ConnRead, Unchecked, "", ""},
	{"(net.UDPConn).Write", ConnWrite, Unchecked, "", ""},
	{"(net.UnixConn).Read", ConnRead, Unchecked, "", ""},
	{"(net.UnixConn).Write", ConnWrite, Unchecked, "", ""},
	{"(crypto/tls.Conn).Read", ConnRead, Unchecked, "", ""},
	{"(crypto/tls.Conn).Write", ConnWrite, Unchecked, "", ""},
	{"(crypto/tls.Conn).Handshake", TLSHandshake, Unchecked, "", ""},

	// database/sql: every call that talks to the database waits on it;
	// the ones without a context have a variant with one. (*sql.Conn)
	// has context methods only.
	{"(database/sql.DB).Query", Database, ContextVariant, "QueryContext", ""},
	{"(database/sql.DB).QueryContext", Database, OwnBound, "", ""},
	{"(database/sql.DB).QueryRow", Database, ContextVariant, "QueryRowContext", ""},
	{"(database/sql.DB).QueryRowContext", Database, OwnBound, "", ""},
	{"(database/sql.DB).Exec", Database, ContextVariant, "ExecContext", ""},
	{"(database/sql.DB).ExecContext", Database, OwnBound, "", ""},
	{"(database/sql.DB).Prepare", Database, ContextVariant, "PrepareContext", ""},
	{"(database/sql.DB).PrepareContext", Database, OwnBound, "", ""},
	{"(database/sql.DB).Begin", Database, ContextVariant, "BeginTx", "nil"},
	{"(database/sql.DB).BeginTx", Database, OwnBound, "", ""},
	{"(database/sql.DB).Ping", Database, ContextVariant, "PingContext", ""},
	{"(database/sql.DB).PingContext", Database, OwnBound, "", ""},
	{"(database/sql.Tx).Query", Database, ContextVariant, "QueryContext", ""},
	{"(database/sql.Tx).QueryContext", Database, OwnBound, "", ""},
	{"(database/sql.Tx).QueryRow", Database, ContextVariant, "QueryRowContext", ""},
	{"(database/sql.Tx).QueryRowContext", Database, OwnBound, "", ""},
	{"(database/sql.Tx).Exec", Database, ContextVariant, "ExecContext", ""},
	{"(database/sql.Tx).ExecContext", Database, OwnBound, "", ""},
	{"(database/sql.Tx).Prepare", Database, ContextVariant, "PrepareContext", ""},
	{"(database/sql.Tx).PrepareContext", Database, OwnBound, "", ""},
	// Tx.Stmt prepares on the transaction's connection: iotimeout asks
	// for StmtContext, lockblock has never counted it as a wait.
	{"(database/sql.Tx).Stmt", NoWait, ContextVariant, "StmtContext", ""},
	{"(database/sql.Stmt).Query", Database, ContextVariant, "QueryContext", ""},
	{"(database/sql.Stmt).QueryContext", Database, OwnBound, "", ""},
	{"(database/sql.Stmt).QueryRow", Database, ContextVariant, "QueryRowContext", ""},
	{"(database/sql.Stmt).QueryRowContext", Database, OwnBound, "", ""},
	{"(database/sql.Stmt).Exec", Database, ContextVariant, "ExecContext", ""},
	{"(database/sql.Stmt).ExecContext", Database, OwnBound, "", ""},
	{"(database/sql.Conn).QueryContext", Database, OwnBound, "", ""},
	{"(database/sql.Conn).QueryRowContext", Database, OwnBound, "", ""},
	{"(database/sql.Conn).ExecContext", Database, OwnBound, "", ""},
	{"(database/sql.Conn).PrepareContext", Database, OwnBound, "", ""},
	{"(database/sql.Conn).BeginTx", Database, OwnBound, "", ""},
	{"(database/sql.Conn).PingContext", Database, OwnBound, "", ""},
}

// A Type is a type whose values carry their own timeouts: a value built
// without them waits with no bound in the methods whose row in APIs
// says ReceiverTimeout.
type Type struct {
	Pkg, Name string
	// Timeouts are the fields any one of which, set, bounds the wait.
	Timeouts []string
}

// Types is the table of types with timeout fields.
var Types = []Type{
	{"net/http", "Client", []string{"Timeout"}},
	{"net/http", "Server", []string{"ReadHeaderTimeout", "ReadTimeout"}},
	{"net", "Dialer", []string{"Timeout", "Deadline"}},
}

// APIs is the table, parsed, in the order it is written.
var APIs = parse(rows)

func parse(rows []row) []API {
	apis := make([]API, len(rows))
	for i, r := range rows {
		apis[i] = API{Spec: callee.ParseSpec(r.spec), Wait: r.wait, Timeout: r.timeout, Safer: r.safer, Args: r.args}
	}
	return apis
}

// std is APIs indexed for Lookup.
var std = NewTable(APIs)

// Lookup returns the row of APIs for the function or method fn.
func Lookup(fn *types.Func) (API, bool) {
	return std.Lookup(fn)
}

// Waits returns the names of the methods of the type pkg.name whose wait
// is bounded by the receiver's timeout fields, in table order.
func Waits(pkg, name string) []string {
	var names []string
	for _, a := range APIs {
		if a.Timeout == ReceiverTimeout && a.Spec.Pkg == pkg && a.Spec.Recv == name {
			names = append(names, a.Spec.Name)
		}
	}
	return names
}

// A Table is a list of APIs indexed by function name for a cheap first
// test.
type Table struct {
	byName map[string][]API
}

// NewTable returns a table of apis. When two rows name the same function,
// Lookup returns the first.
func NewTable(apis []API) *Table {
	t := &Table{byName: make(map[string][]API)}
	for _, a := range apis {
		t.byName[a.Spec.Name] = append(t.byName[a.Spec.Name], a)
	}
	return t
}

// Lookup returns the first row of t for the function or method fn. A
// generic function or a method of a generic type matches through its
// origin: the rows name uninstantiated functions.
func (t *Table) Lookup(fn *types.Func) (API, bool) {
	if fn == nil {
		return API{}, false
	}
	fn = fn.Origin()
	for _, a := range t.byName[fn.Name()] {
		if a.Spec.Match(fn) {
			return a, true
		}
	}
	return API{}, false
}
