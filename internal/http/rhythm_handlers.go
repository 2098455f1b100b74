package http

import (
	"strconv"

	"github.com/teamshape/teamshape/internal/notify"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/trends"
)

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

func (s *Server) handleNotifications(c *fiber.Ctx) error {
	n, err := s.notify.List(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return data(c, n)
}

// notificationsMarked is the answer of POST /api/v1/notifications/read.
type notificationsMarked struct {
	Marked int `json:"marked" description:"How many notifications were unread and are now read."`
}

func (s *Server) handleNotificationsRead(c *fiber.Ctx) error {
	var in notify.ReadInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	n, err := s.notify.MarkRead(c.UserContext(), actor(c), in)
	if err != nil {
		return err
	}
	return data(c, notificationsMarked{Marked: n})
}

func (s *Server) handleNotificationPrefs(c *fiber.Ctx) error {
	p, err := s.notify.Prefs(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return data(c, p)
}

// NotificationPrefsInput is the body of PUT /api/v1/me/notification-settings.
type NotificationPrefsInput struct {
	Email map[string]bool `json:"email"`
}

func (s *Server) handleSetNotificationPrefs(c *fiber.Ctx) error {
	var in NotificationPrefsInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Email == nil {
		return app.Invalid("email", "email is required: an object of kind → true or false.")
	}
	p, err := s.notify.SetPrefs(c.UserContext(), actor(c), in.Email)
	if err != nil {
		return err
	}
	return data(c, p)
}
