package http

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// routeRoles is the access table: every route and the roles it admits ("public" for none).
// The test fails when a route is missing here or the server admits other roles.
// Each feature adds its routes.
var routeRoles = map[string]string{
	"GET /healthz":                                         "public",
	"GET /readyz":                                          "public",
	"POST /api/v1/auth/login":                              "public",
	"POST /api/v1/auth/logout":                             "admin leader pm hr",
	"GET /api/v1/me":                                       "admin leader pm hr",
	"GET /api/v1/users":                                    "admin",
	"POST /api/v1/users":                                   "admin",
	"PATCH /api/v1/users/:id":                              "admin",
	"GET /api/v1/teams":                                    "admin leader pm hr",
	"POST /api/v1/teams":                                   "admin",
	"GET /api/v1/teams/:id":                                "admin leader pm hr",
	"POST /api/v1/teams/:id/members":                       "admin",
	"DELETE /api/v1/teams/:id/members/:user_id":            "admin",
	"GET /login":                                           "public",
	"POST /login":                                          "public",
	"POST /logout":                                         "admin leader pm hr",
	"GET /":                                                "admin leader pm hr",
	"GET /teams":                                           "admin leader pm hr",
	"GET /teams/:id":                                       "admin leader pm hr",
	"GET /api/v1/competencies":                             "admin leader pm hr",
	"POST /api/v1/areas":                                   "admin",
	"PATCH /api/v1/areas/:key":                             "admin",
	"POST /api/v1/competencies":                            "admin",
	"PATCH /api/v1/competencies/:key":                      "admin",
	"DELETE /api/v1/competencies/:key":                     "admin",
	"PUT /api/v1/ladder":                                   "admin",
	"GET /api/v1/me/profile":                               "admin leader pm",
	"PUT /api/v1/me/profile":                               "admin leader pm",
	"PUT /api/v1/me/ratings":                               "admin leader pm",
	"GET /api/v1/people/:id/ratings":                       "admin leader pm",
	"PUT /api/v1/people/:id/ratings":                       "admin leader",
	"POST /api/v1/people/:id/peer-requests":                "admin leader pm",
	"GET /api/v1/peer-requests":                            "admin leader pm",
	"POST /api/v1/peer-requests/:id/answer":                "admin leader pm",
	"POST /api/v1/peer-requests/:id/decline":               "admin leader pm",
	"GET /me/profile":                                      "admin leader pm",
	"POST /me/profile":                                     "admin leader pm",
	"POST /me/ratings":                                     "admin leader pm",
	"GET /people/:id":                                      "admin leader pm",
	"POST /people/:id/ratings":                             "admin leader",
	"POST /people/:id/peer-requests":                       "admin leader pm",
	"GET /peer-requests/:id":                               "admin leader pm",
	"POST /peer-requests/:id/answer":                       "admin leader pm",
	"POST /peer-requests/:id/decline":                      "admin leader pm",
	"GET /admin/framework":                                 "admin",
	"POST /admin/framework/areas":                          "admin",
	"POST /admin/framework/areas/:key":                     "admin",
	"POST /admin/framework/competencies":                   "admin",
	"POST /admin/framework/competencies/:key":              "admin",
	"POST /admin/framework/competencies/:key/delete":       "admin",
	"POST /admin/framework/ladder":                         "admin",
	"GET /admin/people":                                    "admin",
	"POST /admin/people/users":                             "admin",
	"POST /admin/people/users/:id":                         "admin",
	"POST /admin/people/teams":                             "admin",
	"POST /admin/people/teams/:id/members":                 "admin",
	"POST /admin/people/teams/:id/members/:user_id/remove": "admin",

	"GET /api/v1/teams/:id/sops":                   "admin leader pm hr",
	"POST /api/v1/teams/:id/sops":                  "admin leader",
	"GET /api/v1/sops/due":                         "admin leader pm",
	"GET /api/v1/sops/:id":                         "admin leader pm",
	"PUT /api/v1/sops/:id":                         "admin leader",
	"GET /api/v1/sops/:id/revisions":               "admin leader pm",
	"GET /api/v1/sops/:id/revisions/:rev":          "admin leader pm",
	"POST /api/v1/sops/:id/revisions/:rev/restore": "admin leader",
	"POST /api/v1/sops/:id/review":                 "admin leader",
	"GET /teams/:id/sops":                          "admin leader pm hr",
	"GET /teams/:id/sops/new":                      "admin leader",
	"POST /teams/:id/sops":                         "admin leader",
	"GET /sops/:id":                                "admin leader pm",
	"GET /sops/:id/edit":                           "admin leader",
	"POST /sops/:id/edit":                          "admin leader",
	"GET /sops/:id/revisions/:rev":                 "admin leader pm",
	"POST /sops/:id/revisions/:rev/restore":        "admin leader",
	"POST /sops/:id/review":                        "admin leader",

	// Coaching plans: HR has no route; other PMs get 404 from the service.
	"GET /api/v1/people/:id/coaching-plans":       "admin leader pm",
	"POST /api/v1/people/:id/coaching-plans":      "admin leader",
	"GET /api/v1/people/:id/coaching-suggestions": "admin leader",
	"GET /api/v1/coaching-plans/:id":              "admin leader pm",
	"PUT /api/v1/coaching-plans/:id":              "admin leader",
	"POST /api/v1/coaching-plans/:id/check-ins":   "admin leader",
	"POST /api/v1/coaching-plans/:id/carry-over":  "admin leader",
	"PATCH /api/v1/coaching-actions/:id":          "admin leader pm",
	"PUT /api/v1/check-ins/:id/reflection":        "admin leader pm",
	"GET /me/coaching":                            "admin leader pm",
	"GET /people/:id/coaching":                    "admin leader",
	"POST /people/:id/coaching":                   "admin leader",
	"POST /coaching/plans/:id":                    "admin leader",
	"POST /coaching/plans/:id/check-ins":          "admin leader",
	"POST /coaching/plans/:id/carry-over":         "admin leader",
	"POST /coaching/actions/:id":                  "admin leader pm",
	"POST /coaching/check-ins/:id/reflection":     "admin leader pm",
	"GET /teams/:id/coaching":                     "admin leader",

	// Hiring gaps, what-if, requisitions: HR reads gaps and manages requisitions; PMs have no route.
	"GET /api/v1/teams/:id/hiring-gaps":     "admin leader hr",
	"GET /api/v1/teams/:id/hiring-gaps.csv": "admin leader hr",
	"GET /api/v1/teams/:id/hiring-gaps.md":  "admin leader hr",
	"POST /api/v1/teams/:id/what-if":        "admin leader",
	"POST /api/v1/teams/:id/hiring-brief":   "admin leader",
	"POST /teams/:id/hiring/share":          "admin leader",
	"GET /api/v1/requisitions":              "admin leader hr",
	"POST /api/v1/requisitions":             "admin hr",
	"PATCH /api/v1/requisitions/:id":        "admin hr",
	"GET /teams/:id/hiring":                 "admin leader hr",
	"GET /teams/:id/what-if":                "admin leader",
	"GET /requisitions":                     "admin leader hr",
	"POST /requisitions":                    "admin hr",
	"POST /requisitions/:id/status":         "admin hr",
	"GET /api/v1/teams/:id/shape":           "admin leader pm hr",
	"GET /api/v1/teams/:id/heatmap":         "admin leader",
	"PUT /api/v1/teams/:id/targets":         "admin leader",
	"GET /api/v1/org/shape":                 "admin",
	"GET /teams/:id/targets":                "admin leader",
	"POST /teams/:id/targets":               "admin leader",
	"GET /org":                              "admin",
	"GET /hr":                               "admin hr",
	// Career: portfolios, hit-lists and mentoring. HR has no route (nothing individual);
	// other PMs' portfolios and mentorships are 404 from the service.
	"GET /api/v1/me/career/roles":            "admin leader pm",
	"POST /api/v1/me/career/roles":           "admin leader pm",
	"PUT /api/v1/me/career/roles/:id":        "admin leader pm",
	"DELETE /api/v1/me/career/roles/:id":     "admin leader pm",
	"GET /api/v1/people/:id/career":          "admin leader pm",
	"GET /api/v1/resources":                  "admin leader pm",
	"POST /api/v1/resources":                 "admin leader",
	"GET /api/v1/resources/recommended":      "admin leader pm",
	"PUT /api/v1/resources/:id":              "admin leader",
	"DELETE /api/v1/resources/:id":           "admin leader",
	"POST /api/v1/resources/:id/add-to-plan": "admin leader pm",
	"GET /api/v1/mentors":                    "admin leader pm",
	"GET /api/v1/mentorships":                "admin leader pm",
	"POST /api/v1/mentorships":               "admin leader pm",
	"POST /api/v1/mentorships/:id/accept":    "admin leader pm",
	"POST /api/v1/mentorships/:id/decline":   "admin leader pm",
	"POST /api/v1/mentorships/:id/end":       "admin leader pm",
	"GET /api/v1/me/mentoring":               "admin leader pm",
	"PUT /api/v1/me/mentoring":               "admin leader pm",
	"GET /me/career":                         "admin leader pm",
	"POST /me/career/roles":                  "admin leader pm",
	"POST /me/career/roles/:id":              "admin leader pm",
	"POST /me/career/roles/:id/delete":       "admin leader pm",
	"GET /people/:id/career":                 "admin leader pm",
	"GET /learn":                             "admin leader pm",
	"POST /learn/add":                        "admin leader pm",
	"GET /learn/manage":                      "admin leader",
	"POST /learn/manage":                     "admin leader",
	"POST /learn/manage/:id":                 "admin leader",
	"POST /learn/manage/:id/delete":          "admin leader",
	"GET /me/mentoring":                      "admin leader pm",
	"POST /me/mentoring":                     "admin leader pm",
	"POST /me/mentoring/requests":            "admin leader pm",
	"POST /mentorships/:id/accept":           "admin leader pm",
	"POST /mentorships/:id/decline":          "admin leader pm",
	"POST /mentorships/:id/end":              "admin leader pm",

	// Import, export, audit log and the OpenAPI description.
	"GET /api/openapi.json":            "public",
	"POST /api/v1/imports/preview":     "admin leader",
	"POST /api/v1/imports":             "admin leader",
	"GET /api/v1/teams/:id/matrix.csv": "admin leader",
	"GET /api/v1/org/export":           "admin",
	"GET /api/v1/audit":                "admin",
	"GET /api/v1/teams/:id/audit":      "admin leader",
	"GET /admin/import":                "admin",
	"POST /admin/import/preview":       "admin",
	"POST /admin/import":               "admin",
	"GET /teams/:id/import":            "admin leader",
	"POST /teams/:id/import/preview":   "admin leader",
	"POST /teams/:id/import":           "admin leader",
	"GET /admin/audit":                 "admin",
	"GET /teams/:id/audit":             "admin leader",

	// Assessment cycles: the team's leaders and admins run them; its PMs read their cycle
	// and their own compare view (other PMs get 404 from the service); HR has no route.
	"GET /api/v1/teams/:id/cycles":                            "admin leader",
	"POST /api/v1/teams/:id/cycles":                           "admin leader",
	"GET /api/v1/teams/:id/flags":                             "admin leader",
	"POST /api/v1/cycles":                                     "admin leader",
	"GET /api/v1/cycles/:id":                                  "admin leader pm",
	"POST /api/v1/cycles/:id/close":                           "admin leader",
	"GET /api/v1/people/:id/compare":                          "admin leader pm",
	"PUT /api/v1/cycles/:id/people/:person_id/agreements":     "admin leader",
	"POST /api/v1/cycles/:id/people/:person_id/coaching-plan": "admin leader",
	"GET /api/v1/me/cycles":                                   "admin leader pm",
	"GET /teams/:id/cycles":                                   "admin leader",
	"POST /teams/:id/cycles":                                  "admin leader",
	"GET /cycles/:id":                                         "admin leader pm",
	"POST /cycles/:id/close":                                  "admin leader",
	"GET /people/:id/compare":                                 "admin leader pm",
	"POST /cycles/:id/people/:person_id/agreements":           "admin leader",
	"POST /cycles/:id/people/:person_id/coaching-plan":        "admin leader",
	// Accounts (issue 17): invitations by admins and leaders (leaders: PMs into their
	// teams, their own invitations only: the service answers 404 for others'); the
	// links' pages and the reset request are public; every role has a Security page.
	"POST /api/v1/invitations":                 "admin leader",
	"GET /api/v1/invitations":                  "admin leader",
	"DELETE /api/v1/invitations/:id":           "admin leader",
	"POST /api/v1/invitations/:id/resend":      "admin leader",
	"POST /api/v1/auth/accept-invitation":      "public",
	"POST /api/v1/me/password":                 "admin leader pm hr",
	"POST /api/v1/auth/password-reset":         "public",
	"POST /api/v1/auth/password-reset/confirm": "public",
	"GET /api/v1/me/sessions":                  "admin leader pm hr",
	"DELETE /api/v1/me/sessions/:id":           "admin leader pm hr",
	"GET /invitations":                         "admin leader",
	"POST /invitations":                        "admin leader",
	"POST /invitations/:id/resend":             "admin leader",
	"POST /invitations/:id/revoke":             "admin leader",
	"GET /invitations/accept":                  "public",
	"POST /invitations/accept":                 "public",
	"GET /password-reset":                      "public",
	"POST /password-reset":                     "public",
	"GET /password-reset/confirm":              "public",
	"POST /password-reset/confirm":             "public",
	"GET /me/security":                         "admin leader pm hr",
	"POST /me/security/password":               "admin leader pm hr",
	"POST /me/security/sessions/:id/end":       "admin leader pm hr",
	"POST /me/security/sessions/end-others":    "admin leader pm hr",
	// Single sign-on, the second factor and the admins' sign-in settings.
	"POST /api/v1/auth/login/second-factor": "public",
	"POST /login/second-factor":             "public",
	"GET /sso/start":                        "public",
	"GET /sso/callback":                     "public",
	"GET /api/v1/me/totp":                   "admin leader pm hr",
	"POST /api/v1/me/totp":                  "admin leader pm hr",
	"POST /api/v1/me/totp/confirm":          "admin leader pm hr",
	"POST /api/v1/me/totp/disable":          "admin leader pm hr",
	"POST /api/v1/me/totp/recovery-codes":   "admin leader pm hr",
	"POST /me/security/totp/recovery-codes": "admin leader pm hr",
	"POST /me/security/totp":                "admin leader pm hr",
	"POST /me/security/totp/confirm":        "admin leader pm hr",
	"POST /me/security/totp/disable":        "admin leader pm hr",
	"GET /api/v1/org/sso":                   "admin",
	"PUT /api/v1/org/sso":                   "admin",
	"GET /api/v1/org/security":              "admin",
	"PUT /api/v1/org/security":              "admin",
	"GET /admin/sign-in":                    "admin",
	"POST /admin/sign-in/sso":               "admin",
	"POST /admin/sign-in/second-factor":     "admin",
	// The quarterly rhythm (issue 18 part B).
	"GET /api/v1/teams/:id/trends":         "admin leader pm hr",
	"GET /api/v1/org/calibration":          "admin",
	"GET /org/calibration":                 "admin",
	"GET /api/v1/notifications":            "admin leader pm hr",
	"POST /api/v1/notifications/read":      "admin leader pm hr",
	"GET /api/v1/me/notification-settings": "admin leader pm hr",
	"PUT /api/v1/me/notification-settings": "admin leader pm hr",
	"GET /me/notifications":                "admin leader pm hr",
	"POST /me/notifications/read":          "admin leader pm hr",
	"POST /me/notifications/settings":      "admin leader pm hr",
}

// roleUsers are the demo accounts that play each role in the walk.
var roleUsers = map[string]string{
	"admin": "admin@demo.test", "leader": "leader@demo.test", "pm": "pm@demo.test", "hr": "hr@demo.test",
}

// fillPath puts real ids of the demo organisation into a route pattern.
func (f *fixture) fillPath(pattern string) string {
	parts := strings.Split(pattern, "/")
	for i, p := range parts {
		if !strings.HasPrefix(p, ":") {
			continue
		}
		var id int64 = 1
		switch {
		case p == ":user_id":
			id = f.ids["pm2@demo.test"]
		case p == ":person_id":
			id = f.ids["pm@demo.test"]
		case i > 0 && parts[i-1] == "teams":
			id = f.ids["team:Growth"]
		case i > 0 && (parts[i-1] == "users" || parts[i-1] == "people"):
			id = f.ids["pm@demo.test"]
		case i > 0 && parts[i-1] == "sops":
			id = f.firstSOP()
		}
		parts[i] = fmt.Sprint(id)
	}
	return strings.Join(parts, "/")
}

func TestRouteRoleTable(t *testing.T) {
	f := newFixture(t)
	seen := map[string]bool{}
	for _, r := range f.srv.Routes() {
		key := r.Method + " " + r.Path
		seen[key] = true
		want, ok := routeRoles[key]
		if !ok {
			t.Errorf("route %s is missing from routeRoles", key)
			continue
		}
		declared := "public"
		if r.Roles != nil {
			declared = strings.Join(r.Roles, " ")
		}
		if declared != want {
			t.Errorf("%s admits %q, table says %q", key, declared, want)
		}
		path := f.fillPath(r.Path)
		t.Run(key, func(t *testing.T) {
			if want == "public" {
				return
			}
			// No token: 401 for the API and for writes, a redirect to sign-in for pages.
			res := f.do(t, r.Method, path, "", "{}")
			if strings.HasPrefix(r.Path, "/api/") || r.Method != http.MethodGet {
				if res.Status != http.StatusUnauthorized {
					t.Errorf("no token: status %d, want 401", res.Status)
				}
			} else if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
				t.Errorf("no token: status %d to %q, want 303 to /login", res.Status, res.Header.Get("Location"))
			}
			for role, email := range roleUsers {
				// A fresh session each time: logout routes revoke the one they are given.
				delete(f.tokens, email)
				res := f.do(t, r.Method, path, f.token(t, email), "{}")
				admitted := strings.Contains(" "+want+" ", " "+role+" ")
				refused := res.Status == http.StatusForbidden && strings.Contains(string(res.Body), "Your role cannot use this")
				switch {
				case res.Status == http.StatusUnauthorized:
					t.Errorf("%s: 401 with a valid token: %s", role, res.Body)
				case res.Status >= 500:
					t.Errorf("%s: server error %d: %s", role, res.Status, res.Body)
				case admitted && refused:
					t.Errorf("%s: refused by role, but the table admits it", role)
				case !admitted && !refused:
					t.Errorf("%s: status %d, want the role refusal (403)", role, res.Status)
				}
			}
		})
	}
	for key := range routeRoles {
		if !seen[key] {
			t.Errorf("routeRoles lists %s, which the server does not have", key)
		}
	}
}
