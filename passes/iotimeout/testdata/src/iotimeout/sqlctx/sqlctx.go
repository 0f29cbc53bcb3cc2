// Package sqlctx holds database/sql calls made without the context at
// hand. The suggested fixes are checked against sqlctx.go.golden.
package sqlctx

import (
	"context"
	"database/sql"
	"time"
)

var background = context.Background()

// ---- reported, with a fix ----

func query(ctx context.Context, db *sql.DB, id int) error {
	rows, err := db.Query("SELECT name FROM users WHERE id = ?", id) // want `db.Query cannot be cancelled and has no deadline, though the context ctx is in scope: use db.QueryContext\(ctx, ...\)`
	if err != nil {
		return err
	}
	return rows.Close()
}

func all(ctx context.Context, db *sql.DB) error {
	db.QueryRow("SELECT 1")    // want `db.QueryRow cannot be cancelled.*use db.QueryRowContext\(ctx, ...\)`
	db.Exec("DELETE FROM t")   // want `db.Exec cannot be cancelled`
	stmt, _ := db.Prepare("q") // want `db.Prepare cannot be cancelled`
	stmt.Exec(1)               // want `stmt.Exec cannot be cancelled.*use stmt.ExecContext\(ctx, ...\)`
	stmt.Query()               // want `stmt.Query cannot be cancelled`
	stmt.QueryRow()            // want `stmt.QueryRow cannot be cancelled`
	db.Ping()                  // want `db.Ping cannot be cancelled.*use db.PingContext\(ctx, ...\)`
	tx, err := db.Begin()      // want `db.Begin cannot be cancelled.*use db.BeginTx\(ctx, ...\)`
	if err != nil {
		return err
	}
	tx.Exec("UPDATE t SET x = 1") // want `tx.Exec cannot be cancelled`
	tx.Query("q")                 // want `tx.Query cannot be cancelled`
	tx.QueryRow("q")              // want `tx.QueryRow cannot be cancelled`
	tx.Prepare("q")               // want `tx.Prepare cannot be cancelled`
	tx.Stmt(stmt)                 // want `tx.Stmt cannot be cancelled.*use tx.StmtContext\(ctx, ...\)`
	return tx.Commit()
}

// derived: the context declared last is the one named.
func derived(parent context.Context, db *sql.DB) {
	ctx, cancel := context.WithTimeout(parent, time.Second)
	defer cancel()
	_ = ctx.Err()
	db.Exec("q") // want `though the context ctx is in scope: use db.ExecContext\(ctx, ...\)`
}

// captured: a function literal sees the context of its enclosing
// function.
func captured(ctx context.Context, db *sql.DB) {
	withTx := func(f func()) { f() }
	withTx(func() {
		db.Exec("q") // want `though the context ctx is in scope`
	})
}

// literalParam: the literal's own context parameter.
var literalParam = func(c context.Context, db *sql.DB) {
	db.Ping() // want `though the context c is in scope: use db.PingContext\(c, ...\)`
}

type store struct{ db *sql.DB }

func (s *store) field(ctx context.Context) {
	s.db.Exec("q", 1, 2) // want `s.db.Exec cannot be cancelled.*use s.db.ExecContext\(ctx, ...\)`
}

type embedded struct{ *sql.DB }

func (e embedded) promoted(ctx context.Context) {
	e.Exec("q") // want `e.Exec cannot be cancelled`
}

func variadic(ctx context.Context, db *sql.DB, args []any) {
	db.Query("q", args...) // want `db.Query cannot be cancelled`
}

// methodValue: reported, with no fix (there is no call to rewrite).
func methodValue(ctx context.Context, db *sql.DB) func(string, ...any) (sql.Result, error) {
	return db.Exec // want `db.Exec cannot be cancelled`
}

// ---- silent ----

func noContext(db *sql.DB) {
	db.Exec("q") // ok: no context in scope; the package-level one does not count
}

// declaredLater: only the context declared before the call counts.
func declaredLater(parent context.Context, db *sql.DB) {
	_ = parent
	db.Exec("q") // want `though the context parent is in scope`
	ctx := context.Background()
	_ = ctx
}

func shadowed(ctx context.Context, db *sql.DB) {
	{
		ctx := 1 // ok: shadows the context
		_ = ctx
		db.Exec("q") // ok: the context is shadowed here
	}
}

func withContext(ctx context.Context, db *sql.DB) {
	db.ExecContext(ctx, "q") // ok
}

type querier interface {
	Exec(string, ...any) (sql.Result, error)
}

func throughInterface(ctx context.Context, q querier) {
	q.Exec("q") // ok: an interface, maybe not database/sql
}

func suppressed(ctx context.Context, db *sql.DB) {
	db.Exec("q") //leaklint:ignore iotimeout must finish even when the request is cancelled
}

// emptyContext: a context.Background() variable is no better than none
// (regression: golang-migrate's mysql and postgres WithInstance).
func emptyContext(db *sql.DB) {
	ctx := context.Background()
	db.Ping() // ok: ctx is context.Background()
	db.Conn(ctx)
}
