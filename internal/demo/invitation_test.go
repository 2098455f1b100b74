package demo_test

import (
	"context"
	"testing"

	"github.com/teamshape/teamshape/internal/demo"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

// The demo organisation shows one pending invitation (the Growth leader's, of a PM), and
// seeding again neither duplicates it nor queues an e-mail for it.
func TestSeedPendingInvitation(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	for range 2 {
		if _, err := demo.Seed(ctx, db, password); err != nil {
			t.Fatal(err)
		}
	}
	org, err := db.FindOrganisationBySlug(ctx, demo.Slug)
	if err != nil {
		t.Fatal(err)
	}
	list, err := db.FindInvitations(ctx, org.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 {
		t.Fatalf("%d pending invitations, want 1: %+v", len(list), list)
	}
	inv := list[0]
	if inv.Email != demo.Invited.Email || inv.Role != "pm" || inv.TeamName == nil || *inv.TeamName != "Growth" ||
		inv.InviterName == nil || *inv.InviterName != "Lena Leader" {
		t.Errorf("the demo invitation: %+v", inv)
	}
	var queued int
	if err := db.GetContext(ctx, &queued, `SELECT count(*) FROM mail_outbox`); err != nil {
		t.Fatal(err)
	}
	if queued != 0 {
		t.Errorf("%d e-mails queued by the seed, want none", queued)
	}
}
