package http

import (
	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
)

// Body media types.
const (
	mimeJSON      = fiber.MIMEApplicationJSON // application/json
	mimeForm      = fiber.MIMEApplicationForm // application/x-www-form-urlencoded
	mimeMultipart = fiber.MIMEMultipartForm   // multipart/form-data
	mimeCSV       = "text/csv"
)

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
