package api

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/http/kit"
	"github.com/teamshape/teamshape/internal/notify"
	"github.com/teamshape/teamshape/internal/trends"
)

func (s *Handlers) HandleTeamTrends(c *fiber.Ctx) error {
	id, err := kit.ParamID(c, "id")
	if err != nil {
		return err
	}
	q := trends.Query{TeamID: id}
	if raw := c.Query("quarters"); raw != "" {
		if q.Quarters, err = strconv.Atoi(raw); err != nil || q.Quarters == 0 {
			return app.Invalid("quarters", "quarters must be between 1 and %d.", trends.MaxQuarters)
		}
	}
	t, err := s.Trends.Team(c.UserContext(), kit.Actor(c), q)
	if err != nil {
		return err
	}
	return kit.Data(c, t)
}

func (s *Handlers) HandleCalibration(c *fiber.Ctx) error {
	r, err := s.Calibration.Org(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	return kit.Data(c, r)
}

func (s *Handlers) HandleNotifications(c *fiber.Ctx) error {
	n, err := s.Notifications.List(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	return kit.Data(c, n)
}

// NotificationsMarked is the answer of POST /api/v1/notifications/read.
type NotificationsMarked struct {
	Marked int `json:"marked" description:"How many notifications were unread and are now read."`
}

func (s *Handlers) HandleNotificationsRead(c *fiber.Ctx) error {
	var in notify.ReadInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	n, err := s.Notifications.MarkRead(c.UserContext(), kit.Actor(c), in)
	if err != nil {
		return err
	}
	return kit.Data(c, NotificationsMarked{Marked: n})
}

func (s *Handlers) HandleNotificationPrefs(c *fiber.Ctx) error {
	p, err := s.Notifications.Prefs(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	return kit.Data(c, p)
}

// NotificationPrefsInput is the body of PUT /api/v1/me/notification-settings.
type NotificationPrefsInput struct {
	Email map[string]bool `json:"email"`
}

func (s *Handlers) HandleSetNotificationPrefs(c *fiber.Ctx) error {
	var in NotificationPrefsInput
	if err := kit.DecodeJSON(c, &in); err != nil {
		return err
	}
	if in.Email == nil {
		return app.Invalid("email", "email is required: an object of kind → true or false.")
	}
	p, err := s.Notifications.SetPrefs(c.UserContext(), kit.Actor(c), in.Email)
	if err != nil {
		return err
	}
	return kit.Data(c, p)
}
