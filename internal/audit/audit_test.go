package audit_test

import (
	"context"
	"testing"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/audit"
	"github.com/teamshape/teamshape/internal/demo/demotest"
)

// TestScope: an admin reads the organisation's log and any team's; a leader their own
// team's only; PMs and HR partners none; another organisation sees no team of this one.
func TestScope(t *testing.T) {
	o := demotest.Seed(t)
	svc, ctx := audit.New(o.DB), context.Background()
	growth, platform := o.Teams["Growth"], o.Teams["Platform"]
	stranger := o.Outsider(t, "admin@elsewhere.test", app.RoleAdmin)
	f := app.AuditFilter{Limit: 10}

	for _, c := range []struct {
		who  string
		team int64
		want string // error code, "" for allowed
	}{
		{"admin@demo.test", 0, ""},
		{"admin@demo.test", platform, ""},
		{"leader@demo.test", growth, ""},
		{"leader@demo.test", 0, app.EFORBIDDEN},
		{"leader@demo.test", platform, app.ENOTFOUND},
		{"pm@demo.test", growth, app.EFORBIDDEN},
		{"pm@demo.test", 0, app.EFORBIDDEN},
		{"hr@demo.test", growth, app.EFORBIDDEN},
		{"admin@elsewhere.test", growth, app.ENOTFOUND},
	} {
		a := o.Actors[c.who]
		if c.who == "admin@elsewhere.test" {
			a = stranger
		}
		p, err := svc.Find(ctx, a, c.team, f)
		if app.ErrorCode(err) != c.want {
			t.Errorf("%s reads the log of team %d: %v, want %q", c.who, c.team, err, c.want)
			continue
		}
		if err == nil && len(p.Entries) == 0 {
			t.Errorf("%s reads an empty log of team %d; the demo's writes are logged", c.who, c.team)
		}
		if _, err := svc.Choices(ctx, a, c.team); app.ErrorCode(err) != c.want {
			t.Errorf("%s opens the log page of team %d: %v, want %q", c.who, c.team, err, c.want)
		}
	}
}
