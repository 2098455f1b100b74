// Package demotest gives a service's tests the demo organisation on a fresh database: its
// accounts as actors by e-mail, its teams by name, and people of another organisation to
// check that nothing crosses over.
package demotest

import (
	"context"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/demo"
	"github.com/teamshape/teamshape/internal/postgres"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

// Password is every demo account's password in tests.
const Password = "correct-horse-battery"

// Org is the seeded demo organisation.
type Org struct {
	DB     *postgres.DB
	Org    *app.Organisation
	Actors map[string]*app.Actor // the demo accounts (and outsiders) by e-mail
	Teams  map[string]int64      // team ids by name
	other  *app.Organisation
}

// Seed seeds the demo organisation on a fresh migrated database, dropped when the test ends.
func Seed(tb testing.TB) *Org {
	tb.Helper()
	ctx := context.Background()
	db := pgtest.MustOpenDB(tb)
	org, err := demo.Seed(ctx, db, Password)
	if err != nil {
		tb.Fatal(err)
	}
	o := &Org{DB: db, Org: org, Actors: map[string]*app.Actor{}, Teams: map[string]int64{}}
	users, err := db.FindUsers(ctx, org.ID)
	if err != nil {
		tb.Fatal(err)
	}
	for _, u := range users {
		o.Actors[u.Email] = &app.Actor{UserID: u.ID, OrgID: org.ID, Role: u.Role, Name: u.Name, Email: u.Email}
	}
	teams, err := db.FindTeams(ctx, o.Actors["admin@demo.test"])
	if err != nil {
		tb.Fatal(err)
	}
	for _, t := range teams {
		o.Teams[t.Name] = t.ID
	}
	return o
}

// Elsewhere is a second organisation, "elsewhere", created on first use.
func (o *Org) Elsewhere(tb testing.TB) *app.Organisation {
	tb.Helper()
	if o.other == nil {
		other, err := o.DB.CreateOrganisation(context.Background(), "elsewhere", "Elsewhere Ltd")
		if err != nil {
			tb.Fatal(err)
		}
		o.other = other
	}
	return o.other
}

// Outsider adds a person with the role to the other organisation and returns them as an
// actor, also kept in Actors under the e-mail.
func (o *Org) Outsider(tb testing.TB, email, role string) *app.Actor {
	tb.Helper()
	other := o.Elsewhere(tb)
	u := &app.User{OrgID: other.ID, Email: email, Name: "Someone Elsewhere", Role: role}
	if err := o.DB.CreateUser(context.Background(), u); err != nil {
		tb.Fatal(err)
	}
	a := &app.Actor{UserID: u.ID, OrgID: other.ID, Role: role, Name: u.Name, Email: email}
	o.Actors[email] = a
	return a
}
