package kit

import (
	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
)

// Body media types.
const (
	MimeJSON      = fiber.MIMEApplicationJSON // application/json
	MimeForm      = fiber.MIMEApplicationForm // application/x-www-form-urlencoded
	MimeMultipart = fiber.MIMEMultipartForm   // multipart/form-data
	MimeCSV       = "text/csv"
)

// Role sets: the route table's (internal/http/routes.go) and the team navigation's, which
// offers a tab to the roles its route admits (ui/templates.go).
var (
	Public    []string
	Anyone    = []string{app.RoleAdmin, app.RoleLeader, app.RolePM, app.RoleHR}
	AdminOnly = []string{app.RoleAdmin}
	Leaders   = []string{app.RoleAdmin, app.RoleLeader}
	LeadersHR = []string{app.RoleAdmin, app.RoleLeader, app.RoleHR}
	LeadersPM = []string{app.RoleAdmin, app.RoleLeader, app.RolePM}
	AdminHR   = []string{app.RoleAdmin, app.RoleHR}
)
