package http

import (
	"net/http/httptest"
	"testing"
)

// BenchmarkAuthenticatedRequest measures one authenticated API request end to end through
// Fiber: JWT verification plus the session row check in PostgreSQL, plus the handler
// (GET /api/v1/me: one user and one teams query). BenchmarkPublicRequest is the floor.
func BenchmarkAuthenticatedRequest(b *testing.B) {
	f := newFixture(b)
	tok := f.token(b, "leader@demo.test")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		req := httptest.NewRequest("GET", "/api/v1/me", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := f.srv.App().Test(req, -1)
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("%v %v", err, resp)
		}
		resp.Body.Close()
	}
}

// BenchmarkSessionCheck isolates the cost of authentication: token parse and session lookup.
func BenchmarkSessionCheck(b *testing.B) {
	f := newFixture(b)
	tok := f.token(b, "leader@demo.test")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c, err := f.srv.Tokens.Parse(tok)
		if err != nil {
			b.Fatal(err)
		}
		uid, _ := c.UserID()
		if _, err := f.db.FindActiveSession(b.Context(), c.SessionID, uid); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPublicRequest(b *testing.B) {
	f := newFixture(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := f.srv.App().Test(httptest.NewRequest("GET", "/healthz", nil), -1)
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("%v %v", err, resp)
		}
		resp.Body.Close()
	}
}
