package http

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/trends"
)

// rhythmRoutes are the quarterly rhythm's routes of issue 18 part B: trends, calibration,
// notifications.
func (s *Server) rhythmRoutes() []Route {
	return []Route{
		{Method: get, Path: "/api/v1/teams/:id/trends", Roles: anyone, Handler: s.handleTeamTrends},
		{Method: get, Path: "/api/v1/org/calibration", Roles: adminOnly, Handler: s.handleCalibration},
		{Method: get, Path: "/org/calibration", Roles: adminOnly, Handler: s.pageCalibration},
	}
}

func (s *Server) handleTeamTrends(c *fiber.Ctx) error {
	id, err := paramID(c, "id")
	if err != nil {
		return err
	}
	q := trends.Query{TeamID: id}
	if raw := c.Query("quarters"); raw != "" {
		if q.Quarters, err = strconv.Atoi(raw); err != nil || q.Quarters == 0 {
			return app.Invalid("quarters", "quarters must be between 1 and %d.", trends.MaxQuarters)
		}
	}
	t, err := s.trends.Team(c.UserContext(), actor(c), q)
	if err != nil {
		return err
	}
	return data(c, t)
}

func (s *Server) handleCalibration(c *fiber.Ctx) error {
	r, err := s.calibration.Org(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return data(c, r)
}

func (s *Server) pageCalibration(c *fiber.Ctx) error {
	r, err := s.calibration.Org(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return s.render(c, "calibration.html", page{Title: "Calibration", Nav: "org", Data: r})
}
