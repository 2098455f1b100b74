package framework_test

import (
	"context"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/demo/demotest"
	"github.com/teamshape/teamshape/internal/framework"
)

// TestFramework: everyone reads the framework; only admins change it; a ladder with one
// bad cell changes nothing.
func TestFramework(t *testing.T) {
	o := demotest.Seed(t)
	svc, ctx, admin := framework.New(o.DB), context.Background(), o.Actors["admin@demo.test"]

	for _, email := range []string{"admin@demo.test", "leader@demo.test", "pm@demo.test", "hr@demo.test"} {
		v, err := svc.Get(ctx, o.Actors[email])
		if err != nil || len(v.Areas) == 0 || len(v.Scale) != 6 || len(v.Ladder) == 0 {
			t.Fatalf("%s reads the framework: %+v, %v", email, v, err)
		}
	}
	for _, email := range []string{"leader@demo.test", "pm@demo.test", "hr@demo.test"} {
		a := o.Actors[email]
		if _, err := svc.Editor(ctx, a); app.ErrorCode(err) != app.EFORBIDDEN {
			t.Errorf("%s opens the editor: %v", email, err)
		}
		if _, err := svc.CreateArea(ctx, a, app.NewArea{Key: "ops", Name: "Operations"}); app.ErrorCode(err) != app.EFORBIDDEN {
			t.Errorf("%s adds an area: %v", email, err)
		}
		if err := svc.DeleteCompetency(ctx, a, "analytics"); app.ErrorCode(err) != app.EFORBIDDEN {
			t.Errorf("%s deletes a competency: %v", email, err)
		}
	}

	before, err := svc.Editor(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	comp := before.Framework.Active()[0].Key
	_, err = svc.SetLadder(ctx, admin, []app.LadderLevel{
		{Title: "pm", Competency: comp, Level: 4},
		{Title: "pm", Competency: "no_such_competency", Level: 3},
	})
	if app.ErrorCode(err) != app.EINVALID {
		t.Fatalf("ladder with an unknown competency: %v, want invalid", err)
	}
	after, err := svc.Editor(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	if after.Ladder["pm"][comp] != before.Ladder["pm"][comp] {
		t.Errorf("a refused ladder changed pm/%s from %d to %d", comp, before.Ladder["pm"][comp], after.Ladder["pm"][comp])
	}
	ladder, err := svc.SetLadder(ctx, admin, []app.LadderLevel{{Title: "pm", Competency: comp, Level: 5}})
	if err != nil || ladder["pm"][comp] != 5 {
		t.Errorf("set pm/%s to 5: got %d, %v", comp, ladder["pm"][comp], err)
	}
}
