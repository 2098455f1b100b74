package sessioncache_test

import (
	"context"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/postgres"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

// onePerson is the set-up of these tests: a fresh database (its URL, for listening), an
// organisation called slug and one PM in it. The database is closed when the test ends.
func onePerson(t testing.TB, slug string) (context.Context, string, *postgres.DB, *app.Organisation, *app.User) {
	t.Helper()
	ctx := context.Background()
	url := pgtest.NewDatabase(t)
	db, err := postgres.Open(ctx, url, 4)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	org, err := db.CreateOrganisation(ctx, slug, slug)
	if err != nil {
		t.Fatal(err)
	}
	u := &app.User{OrgID: org.ID, Email: "p@o.test", Name: "P", Role: app.RolePM}
	if err := db.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	return ctx, url, db, org, u
}
