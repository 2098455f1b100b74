package ui

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/http/kit"
	"github.com/teamshape/teamshape/internal/notify"
)

func (s *Pages) PageCalibration(c *fiber.Ctx) error {
	r, err := s.Calibration.Org(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	return s.Render(c, "calibration.html", kit.Page{Title: "Calibration", Nav: "org", Data: r})
}

func (s *Pages) PageNotifications(c *fiber.Ctx) error {
	ctx, a := c.UserContext(), kit.Actor(c)
	centre, err := s.Notifications.List(ctx, a)
	if err != nil {
		return err
	}
	prefs, err := s.Notifications.Prefs(ctx, a)
	if err != nil {
		return err
	}
	flash := map[string]string{"read": "Marked as read.", "settings": "E-mail settings saved."}[c.Query("done")]
	return s.Render(c, "notifications.html", kit.Page{Title: "Notifications", Nav: "notifications", Flash: flash,
		Data: notificationsPage{Centre: centre, Prefs: prefs}})
}

func (s *Pages) PageNotificationsRead(c *fiber.Ctx) error {
	in := notify.ReadInput{All: c.FormValue("all") != ""}
	if id := c.FormValue("id"); id != "" {
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			return app.Invalid("id", "id is a notification's number.")
		}
		in.IDs = []int64{n}
	}
	if _, err := s.Notifications.MarkRead(c.UserContext(), kit.Actor(c), in); err != nil {
		return err
	}
	return c.Redirect("/me/notifications?done=read", fiber.StatusSeeOther)
}

func (s *Pages) PageNotificationPrefs(c *fiber.Ctx) error {
	email := map[string]bool{}
	for _, k := range app.NotificationKinds {
		email[k.Key] = c.FormValue("email_"+k.Key) != ""
	}
	if _, err := s.Notifications.SetPrefs(c.UserContext(), kit.Actor(c), email); err != nil {
		return err
	}
	return c.Redirect("/me/notifications?done=settings", fiber.StatusSeeOther)
}

// notificationsPage is the notification centre with the e-mail settings.
type notificationsPage struct {
	Centre *notify.Centre
	Prefs  []notify.Pref
}
