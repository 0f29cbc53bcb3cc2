// Package iotimeout defines an Analyzer that reports network and
// database calls that can block a goroutine with no timeout.
//
// # Analyzer iotimeout
//
// iotimeout: report network and database calls with no timeout
//
// Go's network I/O blocks until the other side answers. With no timeout,
// deadline or context, a slow or dead peer parks the calling goroutine in
// "IO wait" for good, and under load such goroutines pile up: the
// goroutine count climbs, each one holding a connection, its buffers and
// whatever the caller keeps alive. The analyzer reports the standard
// library's usual ways into that state; each message names the safer API
// or the field to set.
//
// 1. An http.Client without Timeout used for requests. A composite
// literal, new(http.Client) or a zero value kept in a local variable is
// reported when Do, Get, Head, Post or PostForm is called on it (a call
// or a method value, as in get := client.Get; get(url)) on some path
// before Timeout is assigned.
//
//	// WRONG
//	client := &http.Client{}
//	resp, err := client.Get(url) // waits forever for a server that stops answering
//
//	// RIGHT
//	client := &http.Client{Timeout: 30 * time.Second}
//	resp, err := client.Get(url)
//
// 2. Requests through http.DefaultClient, which has no Timeout:
// http.Get, http.Head, http.Post, http.PostForm and the methods of
// http.DefaultClient. Do(req) is reported only when req is known to carry
// no context (a local variable made by http.NewRequest): a request made
// with http.NewRequestWithContext, req.WithContext or req.Clone(ctx) can
// carry a deadline.
//
//	// WRONG
//	resp, err := http.Get(url)
//
//	// RIGHT
//	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
//	defer cancel()
//	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
//	...
//	resp, err := http.DefaultClient.Do(req)
//
// 3. Servers that accept connections with no read deadline: a client
// that opens a connection and never finishes its request headers holds
// the connection and its goroutine forever (the "slowloris" attack, or
// just a broken client). Reported: http.ListenAndServe,
// http.ListenAndServeTLS, http.Serve and http.ServeTLS, and an
// http.Server with neither ReadHeaderTimeout nor ReadTimeout on which
// ListenAndServe, ListenAndServeTLS, Serve or ServeTLS is called.
//
//	// WRONG
//	log.Fatal(http.ListenAndServe(":8080", mux))
//
//	// RIGHT
//	srv := &http.Server{Addr: ":8080", Handler: mux, ReadHeaderTimeout: 10 * time.Second}
//	log.Fatal(srv.ListenAndServe())
//
// 4. Dials with no timeout: net.Dial, and a net.Dialer with neither
// Timeout nor Deadline used through Dial (DialContext takes its deadline
// from the context). Such a dial waits for as long as the operating
// system keeps trying to connect, minutes on Linux. No fix is suggested:
// net.DialTimeout needs a duration only the author can choose.
//
// 5. database/sql calls without a context (Query, QueryRow, Exec,
// Prepare, Begin, Ping on *sql.DB; Query, QueryRow, Exec, Prepare, Stmt
// on *sql.Tx; Query, QueryRow, Exec on *sql.Stmt) when a
// context.Context variable is in scope at the call: a parameter or local
// of the enclosing function, or of a function a function literal is
// nested in. The message names the variable (the one declared last, when
// there are several); a suggested fix rewrites db.Query(q, args...) into
// db.QueryContext(ctx, q, args...) (db.Begin() into db.BeginTx(ctx,
// nil)). Without a context in scope there is nothing better to pass, and
// the call is not reported.
//
//	// WRONG
//	func load(ctx context.Context, db *sql.DB) error {
//		rows, err := db.Query("SELECT ...") // ignores ctx's deadline and cancellation
//
//	// RIGHT
//	func load(ctx context.Context, db *sql.DB) error {
//		rows, err := db.QueryContext(ctx, "SELECT ...")
//
// A function of the package that returns a fresh client, server or
// dialer with no timeout (or http.DefaultClient), and sets none on it,
// is recorded as a fact, across packages: the value it returns is
// checked at its callers like a composite literal.
//
// # Adding APIs
//
// The calls of rules 2 to 5 are a table in the code, shared with
// lockblock (internal/knowledge): adding an API there is one line.
// Users add their own with the -extra flag (-iotimeout.extra;
// Config.Extra for programs that build the analyzer with New), a
// comma-separated list of entries in one of three forms:
//
//	SPEC            report every call of SPEC: it has no timeout
//	SPEC=SAFER      the same, naming SAFER as the API to use instead
//	ctx:SPEC=NAME   report calls of SPEC where a context.Context variable
//	                is in scope, and offer to call NAME(ctx, ...) instead
//
// SPEC names a function as pkg/path.Func or a method as
// (*pkg/path.Type).Method. For example:
//
//	leaklint -iotimeout.extra='crypto/tls.Dial=tls.DialWithDialer with a net.Dialer that has a Timeout' ./...
//	leaklint -iotimeout.extra='ctx:(*github.com/jmoiron/sqlx.DB).Select=SelectContext,ctx:(*github.com/jmoiron/sqlx.DB).Get=GetContext' ./...
//
// # When it stays silent
//
//   - a timeout the pass can see: the field in the literal (with any
//     value but a constant zero), an assignment before the use on every
//     path (client.Timeout = d), its address taken
//     (flag.DurationVar(&client.Timeout, ...)), a constructor of the
//     package that sets it;
//   - a value that escapes, as it may be configured elsewhere: returned,
//     stored in a field, a global or a composite, passed to a function
//     (except golang.org/x/net/http2.ConfigureServer, known to set no
//     timeout), assigned to another variable, reassigned, its address
//     taken;
//     also a value that a function literal configures, since when the
//     literal runs is unknown (a literal that only uses the value is
//     followed: its uses count when nothing sets a timeout anywhere);
//   - a client whose Transport the pass can't see into (anything but
//     nil, http.DefaultTransport, or an http.Transport literal without
//     ResponseHeaderTimeout): a custom RoundTripper may put a deadline
//     on every request;
//   - Client.Do(req) unless req is a local variable made by
//     http.NewRequest only; a method value of Do (its requests are
//     unknown);
//   - http.DefaultClient and http.Get and friends in a package that
//     assigns to http.DefaultClient or its fields (it may set Timeout);
//   - http.Get and friends on the URL of an httptest.Server;
//   - servers on the loopback interface only (http.ListenAndServe or a
//     server's Addr starting with localhost:, 127. or [::1]:, as a
//     constant, a concatenation, fmt.Sprintf or net.JoinHostPort): only
//     local processes can connect;
//   - dials on the udp, unix and ip networks (a constant network
//     argument, a local variable ranging over constants, or an
//     unexported field that the package only ever sets to constants):
//     nothing waits for a remote peer to answer; net.Dial to a
//     loopback address (as for servers above) or to the program's own
//     listener (l.Addr().String());
//   - a call without a timeout in the branch of if d == 0 (or d <= 0)
//     whose other branch, or the code after it, uses the time.Duration
//     d: a configured zero means "no timeout", by the convention of
//     net.DialTimeout itself;
//   - database/sql calls with no context.Context variable in scope
//     (a package-level context does not count, nor a variable assigned
//     only context.Background() or context.TODO(), which would change
//     nothing), and calls through interfaces;
//   - the bodies of the listed APIs themselves (http.Get is
//     DefaultClient.Get; net.Dial uses a Dialer without Timeout): the
//     finding belongs at their callers;
//   - everything in test code, that is _test.go files and files that
//     import "testing" (test helpers outside _test.go files): a test
//     binary runs under go test's own deadline (-timeout, ten minutes by
//     default) and tears down its servers and clients, httptest's above
//     all, so nothing piles up;
//   - generated files, and lines with a //leaklint:ignore iotimeout
//     <reason> comment.
//
// Values stored in struct fields (a client built in a constructor and
// kept in a service struct) are not followed: the pass reports only
// what it sees from creation to use within one function, or through a
// constructor's fact.
package iotimeout
