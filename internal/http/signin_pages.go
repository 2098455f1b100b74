package http

import (
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/mfa"
	"github.com/teamshape/teamshape/internal/sso"
)

// pageSSOStart sends the browser to the organisation's provider.
func (s *Server) pageSSOStart(c *fiber.Ctx) error {
	next := safeNext(c.Query("next"))
	authURL, state, err := s.sso.Start(c.UserContext(), c.Query("organisation"), s.ssoRedirectURL(c), next)
	if err != nil {
		return s.ssoRefused(c, err)
	}
	c.Cookie(&fiber.Cookie{Name: ssoStateCookie, Value: state, Path: "/sso/", MaxAge: int(sso.LoginTTL.Seconds()),
		HTTPOnly: true, Secure: s.cfg.CookieSecure, SameSite: fiber.CookieSameSiteLaxMode})
	return c.Redirect(authURL, fiber.StatusSeeOther)
}

// pageSSOCallback finishes the sign-in the provider sends back.
func (s *Server) pageSSOCallback(c *fiber.Ctx) error {
	c.Cookie(&fiber.Cookie{Name: ssoStateCookie, Value: "", Path: "/sso/", MaxAge: -1, HTTPOnly: true,
		Secure: s.cfg.CookieSecure, SameSite: fiber.CookieSameSiteLaxMode})
	res, err := s.sso.Finish(c.UserContext(), sso.Callback{
		State: c.Query("state"), CookieState: c.Cookies(ssoStateCookie), Code: c.Query("code"), Error: c.Query("error"),
		RedirectURL: s.ssoRedirectURL(c), IP: c.IP(), UserAgent: c.Get(fiber.HeaderUserAgent), TTL: s.tokens.TTL(),
	})
	if err != nil {
		return s.ssoRefused(c, err)
	}
	lr, err := s.issue(res.User, res.Session)
	if err != nil {
		return err
	}
	s.setSessionCookie(c, lr)
	return c.Redirect(safeNext(res.Next), fiber.StatusSeeOther)
}

func (s *Server) renderSecurity(c *fiber.Ctx, status int, formErr error, recovery []string) error {
	st, err := s.factors.Status(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	list, err := s.accounts.Sessions(c.UserContext(), actor(c))
	if err != nil {
		return err
	}
	d := securityData{Sessions: list, Factor: st, Recovery: recovery}
	if st.Setup != nil && strings.HasPrefix(st.Setup.QR, "data:image/png;base64,") {
		d.QR = template.URL(st.Setup.QR) //nolint:gosec // our own PNG, base64: no markup can be in it
	}
	p := page{Title: "Security", Nav: "security", Data: d, Flash: securityFlash[c.Query("done")]}
	if formErr != nil {
		p.Error, p.Flash = app.ErrorMessage(formErr), ""
	}
	return s.renderStatus(c, status, "security.html", p)
}

func (s *Server) pageSecurity(c *fiber.Ctx) error {
	return s.renderSecurity(c, fiber.StatusOK, nil, nil)
}

func (s *Server) pageTOTPBegin(c *fiber.Ctx) error {
	if _, err := s.factors.Begin(c.UserContext(), actor(c)); err != nil {
		return formFailed(err, func(st int, err error) error { return s.renderSecurity(c, st, err, nil) })
	}
	return c.Redirect("/me/security#totp", fiber.StatusSeeOther)
}

func (s *Server) pageTOTPConfirm(c *fiber.Ctx) error {
	codes, err := s.factors.Confirm(c.UserContext(), actor(c), c.FormValue("code"))
	if err != nil {
		return formFailed(err, func(st int, err error) error { return s.renderSecurity(c, st, err, nil) })
	}
	// Shown this once: the page answers the post itself rather than redirecting.
	actor(c).MustEnrolTOTP = false
	return s.renderSecurity(c, fiber.StatusOK, nil, codes)
}

func (s *Server) pageRecoveryCodes(c *fiber.Ctx) error {
	codes, err := s.factors.NewRecoveryCodes(c.UserContext(), actor(c), c.FormValue("code"))
	if err != nil {
		return formFailed(err, func(st int, err error) error { return s.renderSecurity(c, st, err, nil) })
	}
	return s.renderSecurity(c, fiber.StatusOK, nil, codes) // shown this once
}

func (s *Server) pageTOTPDisable(c *fiber.Ctx) error {
	if err := s.factors.Disable(c.UserContext(), actor(c), c.FormValue("code")); err != nil {
		return formFailed(err, func(st int, err error) error { return s.renderSecurity(c, st, err, nil) })
	}
	return c.Redirect("/me/security?done=totp_off", fiber.StatusSeeOther)
}

func (s *Server) renderAdminSignIn(c *fiber.Ctx, status int, formErr error, form *sso.SettingsInput) error {
	ctx, a := c.UserContext(), actor(c)
	st, err := s.sso.Settings(ctx, a)
	if err != nil {
		return err
	}
	fs, err := s.factors.Status(ctx, a)
	if err != nil {
		return err
	}
	d := adminSignInData{SSO: st, Form: form, RequireAdmin: fs.RequiredAdmin, Roles: []string{app.RolePM, app.RoleLeader, app.RoleHR},
		RedirectURL: s.ssoRedirectURL(c)}
	if d.Form == nil {
		d.Form = &sso.SettingsInput{Issuer: st.Issuer, ClientID: st.ClientID, Enabled: st.Enabled || st.Issuer == "",
			PasswordSignIn: st.PasswordSignIn, AutoCreate: st.AutoCreate, DefaultRole: st.DefaultRole}
	}
	d.Form.ClientSecret = "" // never written into a page
	p := page{Title: "Sign-in settings", Nav: "signin", Data: d, Flash: adminSignInFlash[c.Query("done")]}
	if formErr != nil {
		p.Error, p.Flash = app.ErrorMessage(formErr), ""
	}
	return s.renderStatus(c, status, "admin_signin.html", p)
}

func (s *Server) pageAdminSignIn(c *fiber.Ctx) error {
	return s.renderAdminSignIn(c, fiber.StatusOK, nil, nil)
}

func (s *Server) pageAdminSSOPost(c *fiber.Ctx) error {
	in := sso.SettingsInput{Issuer: c.FormValue("issuer"), ClientID: c.FormValue("client_id"), ClientSecret: c.FormValue("client_secret"),
		Enabled: c.FormValue("enabled") == "on", PasswordSignIn: c.FormValue("password_sign_in") == "on",
		AutoCreate: c.FormValue("auto_create") == "on", DefaultRole: c.FormValue("default_role")}
	if _, err := s.sso.Save(c.UserContext(), actor(c), in); err != nil {
		return formFailed(err, func(st int, err error) error { return s.renderAdminSignIn(c, st, err, &in) })
	}
	return c.Redirect("/admin/sign-in?done=sso", fiber.StatusSeeOther)
}

func (s *Server) pageAdminSecondFactorPost(c *fiber.Ctx) error {
	if err := s.factors.SetRequireForAdmins(c.UserContext(), actor(c), c.FormValue("require_admin_totp") == "on"); err != nil {
		return err
	}
	return c.Redirect("/admin/sign-in?done=factor", fiber.StatusSeeOther)
}

// ssoStateCookie keeps a sign-in's state in the browser that started it: the callback
// must bring the same state back (no sign-in started in another browser is finished here).
const ssoStateCookie = "teamshape_sso_state"

// ssoRedirectURL is the callback registered with the provider: TEAMSHAPE_BASE_URL's, else
// this request's origin (development, tests).
func (s *Server) ssoRedirectURL(c *fiber.Ctx) string {
	base := s.cfg.BaseURL
	if base == "" {
		base = c.BaseURL()
	}
	return base + "/sso/callback"
}

// ssoRefused shows why a sign-in with SSO did not go through, and the way back.
func (s *Server) ssoRefused(c *fiber.Ctx, err error) error {
	code := app.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok || code == app.EINTERNAL {
		return err
	}
	return s.renderStatus(c, status, "sso_refused.html", page{Title: "Sign-in refused", Error: app.ErrorMessage(err)})
}

// securityData is the Security page: the second factor, and the recovery codes just made.
type securityData struct {
	Sessions []app.SessionInfo // where the person is signed in
	Factor   *mfa.Status
	Recovery []string
	// QR is the set-up's QR code: a data: URL of a PNG the server drew (mfa), no user
	// input in it, marked safe for the img src (html/template refuses data: URLs).
	QR template.URL
}

var securityFlash = map[string]string{
	"password": "Your password changed. Every other session has ended, and an e-mail says so.",
	"ended":    "Session ended.",
	"others":   "Every other session has ended.",
	"totp_off": "The second factor is off. You sign in with your password only.",
}

// formFailed renders a refused form's page with the error, for the errors a person can
// correct; others go to the error handler.
func formFailed(err error, render func(status int, err error) error) error {
	code := app.ErrorCode(err)
	if code != app.EINVALID && code != app.ECONFLICT {
		return err
	}
	return render(statusOf[code], err)
}

// adminSignInData is the admin's sign-in settings page.
type adminSignInData struct {
	SSO          *app.SSOSettings
	Form         *sso.SettingsInput // a refused form's values
	RequireAdmin bool
	Roles        []string
	RedirectURL  string
}

var adminSignInFlash = map[string]string{
	"sso":    "Single sign-on settings saved.",
	"factor": "Second-factor rule saved.",
}
