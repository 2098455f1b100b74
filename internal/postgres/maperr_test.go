package postgres

import (
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"

	"github.com/lib/pq"

	"github.com/teamshape/teamshape/internal/app"
)

// Every way the database can be away must become EUNAVAILABLE (503), never a 500; the
// ordinary constraint errors keep their codes.
func TestMapErr(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: &os.SyscallError{Syscall: "connect", Err: syscall.ECONNREFUSED}}
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"no rows", sql.ErrNoRows, app.ENOTFOUND},
		{"unique", &pq.Error{Code: "23505"}, app.ECONFLICT},
		{"check", &pq.Error{Code: "23514"}, app.EINVALID},
		{"foreign key", &pq.Error{Code: "23503"}, app.EINVALID},
		{"NUL in text 22021", &pq.Error{Code: "22021"}, app.EINVALID},
		{"untranslatable 22P05", &pq.Error{Code: "22P05"}, app.EINVALID},
		{"admin shutdown 57P01", &pq.Error{Code: "57P01", Message: "terminating connection due to administrator command"}, app.EUNAVAILABLE},
		{"crash shutdown 57P02", &pq.Error{Code: "57P02"}, app.EUNAVAILABLE},
		{"shutting down 57P03", &pq.Error{Code: "57P03", Message: "the database system is shutting down"}, app.EUNAVAILABLE},
		{"query cancelled 57014", &pq.Error{Code: "57014"}, app.EUNAVAILABLE},
		{"too many connections 53300", &pq.Error{Code: "53300"}, app.EUNAVAILABLE},
		{"connection failure 08006", &pq.Error{Code: "08006"}, app.EUNAVAILABLE},
		{"protocol violation 08P01", &pq.Error{Code: "08P01"}, app.EUNAVAILABLE},
		{"deadlock 40P01", &pq.Error{Code: "40P01"}, app.EUNAVAILABLE},
		{"io error 58030", &pq.Error{Code: "58030"}, app.EUNAVAILABLE},
		{"connection refused", refused, app.EUNAVAILABLE},
		{"wrapped refused", fmt.Errorf("connect: %w", refused), app.EUNAVAILABLE},
		{"bare ECONNREFUSED", fmt.Errorf("dial: %w", syscall.ECONNREFUSED), app.EUNAVAILABLE},
		{"reset", fmt.Errorf("read: %w", syscall.ECONNRESET), app.EUNAVAILABLE},
		{"EOF", io.EOF, app.EUNAVAILABLE},
		{"unexpected EOF", fmt.Errorf("reading: %w", io.ErrUnexpectedEOF), app.EUNAVAILABLE},
		{"bad connection", driver.ErrBadConn, app.EUNAVAILABLE},
		{"connection done", sql.ErrConnDone, app.EUNAVAILABLE},
		{"syntax error stays internal", &pq.Error{Code: "42601"}, app.EINTERNAL},
		{"other stays internal", errors.New("something else"), app.EINTERNAL},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := app.ErrorCode(mapErr(c.err)); got != c.want {
				t.Errorf("mapErr(%v) code = %s, want %s", c.err, got, c.want)
			}
		})
	}
	if mapErr(nil) != nil {
		t.Error("mapErr(nil) != nil")
	}
}
