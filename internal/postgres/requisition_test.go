package postgres_test

import (
	"context"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/postgres/pgtest"
)

func TestRequisitionStore(t *testing.T) {
	db := pgtest.MustOpenDB(t)
	ctx := context.Background()
	org, ids := people(t, db, 3)
	hr, leader, stranger := ids[0], ids[1], ids[2]
	team, err := db.CreateTeam(ctx, org.ID, "Growth", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.SetTeamMember(ctx, org.ID, team.ID, hr, app.TeamHRPartner); err != nil {
		t.Fatal(err)
	}
	if err := db.SetTeamMember(ctx, org.ID, team.ID, leader, app.TeamLeader); err != nil {
		t.Fatal(err)
	}
	other, err := db.CreateOrganisation(ctx, "other", "Other")
	if err != nil {
		t.Fatal(err)
	}

	snap := app.HireSnapshot{Title: "Data PM", Spike: "analytics", MustHaves: []string{"delivery", "specification"}, Brief: "B", ScoreRemoved: 1.25}
	r := &app.Requisition{OrgID: org.ID, TeamID: team.ID, HireSnapshot: snap, Notes: "n", CreatedBy: &hr}
	if err := db.CreateRequisition(ctx, r); err != nil {
		t.Fatal(err)
	}
	if r.ID == 0 || r.Status != app.RequisitionOpen || r.CreatedAt.IsZero() {
		t.Errorf("created: %+v", r)
	}
	// A team of another organisation is not found, and nothing is stored.
	bad := &app.Requisition{OrgID: other.ID, TeamID: team.ID, HireSnapshot: snap}
	if err := db.CreateRequisition(ctx, bad); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("other organisation's team: %v", err)
	}

	got, err := db.FindRequisitionByID(ctx, org.ID, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.TeamName != "Growth" || got.Title != "Data PM" || len(got.MustHaves) != 2 || got.MustHaves[1] != "specification" ||
		got.ScoreRemoved != 1.25 || got.CreatedByName != "P" || *got.CreatedBy != hr {
		t.Errorf("found: %+v", got)
	}
	if _, err := db.FindRequisitionByID(ctx, other.ID, r.ID); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("found from another organisation: %v", err)
	}

	// Moves are conditional on the status the caller saw.
	moved, err := db.SetRequisitionStatus(ctx, org.ID, r.ID, app.RequisitionOpen, app.RequisitionInterviewing)
	if err != nil || moved.Status != app.RequisitionInterviewing || !moved.UpdatedAt.After(got.UpdatedAt) {
		t.Fatalf("move: %+v, %v", moved, err)
	}
	if _, err := db.SetRequisitionStatus(ctx, org.ID, r.ID, app.RequisitionOpen, app.RequisitionCancelled); app.ErrorCode(err) != app.ECONFLICT {
		t.Errorf("stale move: %v, want conflict", err)
	}
	if _, err := db.SetRequisitionStatus(ctx, other.ID, r.ID, app.RequisitionInterviewing, app.RequisitionOffer); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("move from another organisation: %v, want not found", err)
	}

	// Lists: the team's HR partner and leader see it; someone outside the team does not; an
	// admin of the organisation does.
	for _, tt := range []struct {
		actor *app.Actor
		f     app.RequisitionFilter
		want  int
	}{
		{&app.Actor{UserID: hr, OrgID: org.ID, Role: app.RoleHR}, app.RequisitionFilter{}, 1},
		{&app.Actor{UserID: leader, OrgID: org.ID, Role: app.RoleLeader}, app.RequisitionFilter{}, 1},
		{&app.Actor{UserID: stranger, OrgID: org.ID, Role: app.RoleHR}, app.RequisitionFilter{}, 0},
		{&app.Actor{UserID: stranger, OrgID: org.ID, Role: app.RoleAdmin}, app.RequisitionFilter{}, 1},
		{&app.Actor{UserID: stranger, OrgID: other.ID, Role: app.RoleAdmin}, app.RequisitionFilter{}, 0},
		{&app.Actor{UserID: hr, OrgID: org.ID, Role: app.RoleHR}, app.RequisitionFilter{Status: app.RequisitionOpen}, 0},
		{&app.Actor{UserID: hr, OrgID: org.ID, Role: app.RoleHR}, app.RequisitionFilter{TeamID: team.ID, Status: app.RequisitionInterviewing}, 1},
	} {
		list, err := db.FindRequisitions(ctx, tt.actor, tt.f)
		if err != nil || len(list) != tt.want {
			t.Errorf("%+v %+v: %d requisitions (%v), want %d", tt.actor, tt.f, len(list), err, tt.want)
		}
	}
}
