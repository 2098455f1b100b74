package coaching_test

import (
	"context"
	"testing"
	"time"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/coaching"
	"github.com/teamshape/teamshape/internal/demo/demotest"
)

// TestEditorAndPlanPerson: the plan editor's choices go to the PM's leaders and admins
// only; whose a plan is goes to whoever may read the plan; everyone else is told the
// person or plan does not exist.
func TestEditorAndPlanPerson(t *testing.T) {
	o := demotest.Seed(t)
	svc, ctx := coaching.New(o.DB, time.Now), context.Background()
	maya := o.Actors["pm@demo.test"].UserID
	plans, _, err := svc.Plans(ctx, o.Actors["leader@demo.test"], maya)
	if err != nil || len(plans) == 0 {
		t.Fatalf("Maya's plans: %d, %v", len(plans), err)
	}
	stranger := o.Outsider(t, "admin@elsewhere.test", app.RoleAdmin)
	for _, c := range []struct {
		who          string
		editor, plan string // error codes, "" when allowed
	}{
		{"leader@demo.test", "", ""},
		{"admin@demo.test", "", ""},
		{"pm@demo.test", app.ENOTFOUND, ""}, // Maya reads her plan but edits nothing
		{"pm2@demo.test", app.ENOTFOUND, app.ENOTFOUND},
		{"hr@demo.test", app.ENOTFOUND, app.ENOTFOUND},
		{"other-leader@demo.test", app.ENOTFOUND, app.ENOTFOUND},
		{"admin@elsewhere.test", app.ENOTFOUND, app.ENOTFOUND},
	} {
		a := o.Actors[c.who]
		if a == nil {
			a = stranger
		}
		e, err := svc.Editor(ctx, a, maya)
		if app.ErrorCode(err) != c.editor {
			t.Errorf("%s opens Maya's plan editor: %v, want %q", c.who, err, c.editor)
		} else if err == nil {
			if e.Person.ID != maya || len(e.Areas) == 0 || len(e.Owners) == 0 || len(e.Mentors) == 0 {
				t.Errorf("%s's editor: %+v", c.who, e)
			}
			for _, m := range e.Mentors {
				if m.ID == maya || !m.Active {
					t.Errorf("%s's editor offers %s as Maya's mentor", c.who, m.Name)
				}
			}
		}
		person, err := svc.PlanPerson(ctx, a, plans[0].ID)
		if app.ErrorCode(err) != c.plan || (err == nil && person != maya) {
			t.Errorf("%s asks whose plan %d is: %d, %v; want Maya, %q", c.who, plans[0].ID, person, err, c.plan)
		}
	}
}
