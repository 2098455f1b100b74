package careers

import (
	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/career"
)

// Labels words every key a career answer holds: markets, resource kinds, career spikes,
// mentorship statuses, backgrounds, role windows and career stages (their keys do not
// overlap). The pages read it; nothing writes it.
var Labels = func() map[string]string {
	m := map[string]string{}
	for _, opts := range [][]app.Option{app.Markets, app.ResourceKinds, app.CareerSpikes, app.MentorshipStatuses, app.Backgrounds} {
		for _, o := range opts {
			m[o.Key] = o.Label
		}
	}
	for _, w := range []string{app.WindowEarly, app.WindowIn, app.WindowOverstaying} {
		m[w] = app.RoleWindowLabel(w)
	}
	m[career.StageEarly], m[career.StageLater] = "Early: breadth first", "Later: specialism may accelerate"
	return m
}()
