package sops

import (
	"context"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/insight"
	"github.com/teamshape/teamshape/internal/shape"
)

// Staffing statuses of an SOP and of each competency it needs: the analytic core's, and
// withheld for a requirement (or an SOP all of whose requirements are) withheld by the
// disclosure rule.
const (
	StatusStaffed   = shape.Staffed
	StatusFragile   = shape.Fragile
	StatusUnstaffed = shape.Unstaffed
	StatusUnlinked  = shape.Unlinked
	StatusWithheld  = "withheld"
)

// Doc is an SOP as the API returns it: GET gives it, PUT takes it back whole (the
// read-only fields, staffing included, are ignored).
type Doc struct {
	*app.SOP
	Staffing *Staffing `json:"staffing,omitempty"`
}

// Staffing is the staffing check of one SOP; names only for leaders and admins.
type Staffing struct {
	Status       string        `json:"status"` // staffed, fragile, unstaffed, unlinked
	Competencies []StaffingRow `json:"competencies"`
	SinglePoints []SinglePoint `json:"single_points_of_failure,omitempty"`
}

// StaffingRow is one competency an SOP needs and who on the team holds it at the level.
type StaffingRow struct {
	Competency string   `json:"competency"`
	Name       string   `json:"name"`
	Level      int      `json:"level"`
	Count      int      `json:"count"` // members at the level or above
	Status     string   `json:"status"`
	People     []string `json:"people,omitempty"`
	// Withheld: fewer than three team members are rated in the competency, so this viewer
	// gets no count (the disclosure rule); Count is 0 and Status "withheld".
	Withheld bool `json:"withheld,omitempty"`
}

// SinglePoint is a person who alone holds some competencies an SOP needs.
type SinglePoint struct {
	Name         string   `json:"name"`
	Competencies []string `json:"competencies"`
}

// staff runs the staffing check of each SOP against the team's members and their
// effective ratings today. Names are only for those who may see individuals.
func (s *Service) staff(ctx context.Context, a *app.Actor, acc app.TeamAccess, teamID int64, docs []Doc) error {
	if len(docs) == 0 {
		return nil
	}
	t, err := insight.LoadTeam(ctx, s.store, a.OrgID, teamID, s.now())
	if err != nil {
		return err
	}
	withNames := acc.CanSeeIndividuals()
	// Viewers who may not see individuals are checked against the disclosed part of the
	// team only: a competency fewer than three are rated in is shown as withheld.
	view := t.For(withNames)
	hidden := view.WithheldKeys()
	names := map[int64]string{}
	for _, m := range t.Members {
		names[m.UserID] = m.Name
	}
	compName := func(key string) string {
		if comp := t.Framework.ByKey(key); comp != nil {
			return comp.Name
		}
		return key
	}
	for i := range docs {
		var reqs []shape.Requirement
		for _, l := range docs[i].Competencies {
			if !hidden[l.Competency] {
				reqs = append(reqs, shape.Requirement{Competency: l.Competency, Level: l.Level})
			}
		}
		st := shape.Staff(view.Input, reqs)
		v := &Staffing{Status: st.Status, Competencies: []StaffingRow{}}
		if len(reqs) == 0 && len(docs[i].Competencies) > 0 {
			v.Status = StatusWithheld
		}
		next := 0
		for _, l := range docs[i].Competencies {
			if hidden[l.Competency] {
				v.Competencies = append(v.Competencies, StaffingRow{Competency: l.Competency, Name: compName(l.Competency),
					Level: l.Level, Status: StatusWithheld, Withheld: true})
				continue
			}
			r := st.Requirements[next]
			next++
			row := StaffingRow{Competency: r.Competency, Name: compName(r.Competency), Level: r.Level, Count: len(r.People), Status: r.Status}
			if withNames {
				row.People = []string{}
				for _, id := range r.People {
					row.People = append(row.People, names[id])
				}
			}
			v.Competencies = append(v.Competencies, row)
		}
		if withNames {
			for _, sp := range st.SinglePoints {
				p := SinglePoint{Name: sp.Name}
				for _, k := range sp.Competencies {
					p.Competencies = append(p.Competencies, compName(k))
				}
				v.SinglePoints = append(v.SinglePoints, p)
			}
		}
		docs[i].Staffing = v
	}
	return nil
}
