package accounts

import (
	"context"
	"strings"
	"time"

	"github.com/teamshape/teamshape/internal/app"
)

// Sessions lists the actor's live sessions, last seen first, the current one marked.
func (s *Service) Sessions(ctx context.Context, a *app.Actor) ([]app.SessionInfo, error) {
	list, err := s.store.FindUserSessions(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].Current = list[i].ID == a.SessionID
		list[i].Device = Device(list[i].UserAgent)
	}
	return list, nil
}

// EndSession ends one of the actor's own sessions (another person's is ENOTFOUND). Ending
// the current one signs the actor out.
func (s *Service) EndSession(ctx context.Context, a *app.Actor, id string) error {
	return s.store.EndSession(ctx, a.OrgID, a.UserID, id)
}

// EndOtherSessions ends every session of the actor but the current one; it returns how many.
func (s *Service) EndOtherSessions(ctx context.Context, a *app.Actor) (int, error) {
	return s.store.EndOtherSessions(ctx, a.OrgID, a.UserID, a.SessionID)
}

// SignOut ends the session the actor signed in with (the API's and the page's sign-out).
func (s *Service) SignOut(ctx context.Context, a *app.Actor) error {
	return s.store.RevokeSession(ctx, a.SessionID)
}

// Me is the signed-in person: their account (with their role) and teams.
type Me struct {
	User  *app.User
	Teams []app.Team
}

// Me is the actor's own account and the teams they are in (lead, belong to or partner).
func (s *Service) Me(ctx context.Context, a *app.Actor) (*Me, error) {
	u, err := s.store.FindUserByID(ctx, a.OrgID, a.UserID)
	if err != nil {
		return nil, err
	}
	teams, err := s.store.FindTeams(ctx, a)
	if err != nil {
		return nil, err
	}
	return &Me{User: u, Teams: teams}, nil
}

// readyWait is the longest the readiness probe waits for the database.
const readyWait = 2 * time.Second

// Ready reports whether the database answers within readyWait: the readiness probe, which
// a load balancer asks before sending sign-ins and everything else here.
func (s *Service) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyWait)
	defer cancel()
	if err := s.store.Ready(ctx); err != nil {
		return app.Errorf(app.EUNAVAILABLE, "The database is not reachable.")
	}
	return nil
}

// Device names a browser and system from a User-Agent header, roughly ("Firefox on
// Linux"); what it does not recognise it leaves out.
func Device(ua string) string {
	browser := firstMatch(ua, [][2]string{
		{"Edg/", "Edge"}, {"OPR/", "Opera"}, {"Firefox/", "Firefox"}, {"HeadlessChrome/", "Headless Chrome"},
		{"Chromium/", "Chromium"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"}, {"curl/", "curl"},
		{"Go-http-client/", "Go program"},
	})
	system := firstMatch(ua, [][2]string{
		{"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Android", "Android"}, {"Windows", "Windows"},
		{"Mac OS X", "macOS"}, {"CrOS", "ChromeOS"}, {"Linux", "Linux"},
	})
	switch {
	case browser != "" && system != "":
		return browser + " on " + system
	case browser != "":
		return browser
	case system != "":
		return system
	}
	return "Unknown device"
}

func firstMatch(s string, table [][2]string) string {
	for _, t := range table {
		if strings.Contains(s, t[0]) {
			return t[1]
		}
	}
	return ""
}
