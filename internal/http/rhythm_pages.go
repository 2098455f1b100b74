package http

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/notify"
)

func (s *Server) pageCalibration(c *fiber.Ctx) error {
	r, err := s.calibration.Org(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	return s.render(c, "calibration.html", page{Title: "Calibration", Nav: "org", Data: r})
}

func (s *Server) pageNotifications(c *fiber.Ctx) error {
	ctx, a := c.UserContext(), actor(c)
	centre, err := s.notify.List(ctx, a)
	if err != nil {
		return err
	}
	prefs, err := s.notify.Prefs(ctx, a)
	if err != nil {
		return err
	}
	flash := map[string]string{"read": "Marked as read.", "settings": "E-mail settings saved."}[c.Query("done")]
	return s.render(c, "notifications.html", page{Title: "Notifications", Nav: "notifications", Flash: flash,
		Data: notificationsPage{Centre: centre, Prefs: prefs}})
}

func (s *Server) pageNotificationsRead(c *fiber.Ctx) error {
	in := notify.ReadInput{All: c.FormValue("all") != ""}
	if id := c.FormValue("id"); id != "" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return app.Invalid("id", "id is a notification's number.")
		}
		in.IDs = []int64{n}
	}
	if _, err := s.notify.MarkRead(c.UserContext(), actor(c), in); err != nil {
		return err
	}
	return c.Redirect("/me/notifications?done=read", fiber.StatusSeeOther)
}

func (s *Server) pageNotificationPrefs(c *fiber.Ctx) error {
	email := map[string]bool{}
	for _, k := range app.NotificationKinds {
		email[k.Key] = c.FormValue("email_"+k.Key) != ""
	}
	if _, err := s.notify.SetPrefs(c.UserContext(), actor(c), email); err != nil {
		return err
	}
	return c.Redirect("/me/notifications?done=settings", fiber.StatusSeeOther)
}

// notificationsPage is the notification centre with the e-mail settings.
type notificationsPage struct {
	Centre *notify.Centre
	Prefs  []notify.Pref
}
