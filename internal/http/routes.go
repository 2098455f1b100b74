package http

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
)

// Route is one endpoint and the roles it admits: the one place access by role is declared.
// Services then check ownership (own profile, own team).
type Route struct {
	Method  string
	Path    string
	Roles   []string // nil: public
	Handler fiber.Handler
	// SameOrigin: a public form post that must come from this site (sign-in).
	SameOrigin bool
	// Accepts lists the media types a request body may have (415 otherwise); nil: JSON
	// under /api/, a form on a page. openapi.json documents the same for the API.
	Accepts []string
}

// Body media types.
const (
	mimeJSON      = fiber.MIMEApplicationJSON // application/json
	mimeForm      = fiber.MIMEApplicationForm // application/x-www-form-urlencoded
	mimeMultipart = fiber.MIMEMultipartForm   // multipart/form-data
	mimeCSV       = "text/csv"
)

// accepts is the media types the route's body may have.
func (r Route) accepts() []string {
	switch {
	case r.Accepts != nil:
		return r.Accepts
	case strings.HasPrefix(r.Path, "/api/"):
		return []string{mimeJSON}
	}
	return []string{mimeForm, mimeMultipart}
}

// Role sets used by the route table.
var (
	public    []string
	anyone    = []string{app.RoleAdmin, app.RoleLeader, app.RolePM, app.RoleHR}
	adminOnly = []string{app.RoleAdmin}
	leaders   = []string{app.RoleAdmin, app.RoleLeader}
	leadersHR = []string{app.RoleAdmin, app.RoleLeader, app.RoleHR}
	leadersPM = []string{app.RoleAdmin, app.RoleLeader, app.RolePM}
	adminHR   = []string{app.RoleAdmin, app.RoleHR}
)

// The sets are the route table's vocabulary; features use them as they land.
var _ = [][]string{leaders, leadersHR, leadersPM, adminHR}

// Routes lists every route of the server with its roles, feature by feature. The
// route×role table test walks this list.
func (s *Server) Routes() []Route {
	var routes []Route
	for _, feature := range [][]Route{
		s.authRoutes(),
		s.peopleRoutes(),
		s.profileRoutes(),
		s.sopRoutes(),
		s.coachingRoutes(),
		s.hiringRoutes(),
		s.dashboardRoutes(),
		s.careerRoutes(),
		s.ioRoutes(),
		s.rhythmRoutes(),
	} {
		routes = append(routes, feature...)
	}
	return routes
}

const get, post, put, patch, del = fiber.MethodGet, fiber.MethodPost, fiber.MethodPut, fiber.MethodPatch, fiber.MethodDelete

func (s *Server) authRoutes() []Route {
	return []Route{
		{Method: get, Path: "/healthz", Roles: public, Handler: s.handleHealthz},
		{Method: get, Path: "/readyz", Roles: public, Handler: s.handleReadyz},
		{Method: post, Path: "/api/v1/auth/login", Roles: public, Handler: s.handleAPILogin, SameOrigin: true},
		{Method: post, Path: "/api/v1/auth/logout", Roles: anyone, Handler: s.handleAPILogout},
		{Method: get, Path: "/api/v1/me", Roles: anyone, Handler: s.handleMe},
		{Method: get, Path: "/login", Roles: public, Handler: s.pageLogin},
		{Method: post, Path: "/login", Roles: public, Handler: s.pageLoginPost, SameOrigin: true},
		{Method: post, Path: "/logout", Roles: anyone, Handler: s.pageLogout},
		{Method: get, Path: "/", Roles: anyone, Handler: s.pageHome},
	}
}

func (s *Server) peopleRoutes() []Route {
	return []Route{
		{Method: get, Path: "/api/v1/users", Roles: adminOnly, Handler: s.handleListUsers},
		{Method: post, Path: "/api/v1/users", Roles: adminOnly, Handler: s.handleCreateUser},
		{Method: patch, Path: "/api/v1/users/:id", Roles: adminOnly, Handler: s.handleUpdateUser},
		{Method: get, Path: "/api/v1/teams", Roles: anyone, Handler: s.handleListTeams},
		{Method: post, Path: "/api/v1/teams", Roles: adminOnly, Handler: s.handleCreateTeam},
		{Method: get, Path: "/api/v1/teams/:id", Roles: anyone, Handler: s.handleGetTeam},
		{Method: post, Path: "/api/v1/teams/:id/members", Roles: adminOnly, Handler: s.handleSetTeamMember},
		{Method: del, Path: "/api/v1/teams/:id/members/:user_id", Roles: adminOnly, Handler: s.handleRemoveTeamMember},
		{Method: get, Path: "/teams", Roles: anyone, Handler: s.pageTeams},
		{Method: get, Path: "/teams/:id", Roles: anyone, Handler: s.pageTeam},
	}
}
