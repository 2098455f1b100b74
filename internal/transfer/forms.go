package transfer

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/teamshape/teamshape/internal/app"
)

// ExportOrganisation returns the whole organisation as one JSON document (a backup);
// admins only.
func (s *Service) ExportOrganisation(ctx context.Context, a *app.Actor) (json.RawMessage, error) {
	if err := app.RequireAdmin(a); err != nil {
		return nil, err
	}
	return s.store.ExportOrganisation(ctx, a.OrgID)
}

// Form is what the import form shows: the team imported into (a leader's), or the teams
// an admin may pick from (organisation-wide), the competency columns and a sample file.
type Form struct {
	Team   *app.Team
	Teams  []app.Team
	Keys   []string
	Sample string // a header and an example row
}

// ImportForm returns the import form of team teamID (0: organisation-wide, admins only).
func (s *Service) ImportForm(ctx context.Context, a *app.Actor, teamID int64) (*Form, error) {
	team, err := s.team(ctx, a, teamID)
	if err != nil {
		return nil, err
	}
	f := &Form{Team: team}
	if team == nil {
		if f.Teams, err = s.store.FindTeams(ctx, a); err != nil {
			return nil, err
		}
	}
	fw, err := s.store.FindFramework(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	header, example := strings.Join(FixedColumns, ","), "maya@example.com,Maya Chen,senior_pm,development,"
	if team != nil {
		example += team.Name
	}
	for _, comp := range fw.Active() {
		f.Keys = append(f.Keys, comp.Key)
		header += "," + comp.Key
		if example += ","; comp.InScopeFor("senior_pm") {
			example += "3"
		}
	}
	f.Sample = header + "\n" + example
	return f, nil
}
