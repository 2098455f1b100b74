package ui

import (
	"html/template"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/http/kit"
	"github.com/teamshape/teamshape/internal/mfa"
	"github.com/teamshape/teamshape/internal/sso"
)

// PageSSOStart sends the browser to the organisation's provider.
func (s *Pages) PageSSOStart(c *fiber.Ctx) error {
	next := kit.SafeNext(c.Query("next"))
	authURL, state, err := s.SSO.Start(c.UserContext(), c.Query("organisation"), s.ssoRedirectURL(c), next)
	if err != nil {
		return s.ssoRefused(c, err)
	}
	c.Cookie(&fiber.Cookie{Name: SsoStateCookie, Value: state, Path: "/sso/", MaxAge: int(sso.LoginTTL.Seconds()),
		HTTPOnly: true, Secure: s.Cfg.CookieSecure, SameSite: fiber.CookieSameSiteLaxMode})
	return c.Redirect(authURL, fiber.StatusSeeOther)
}

// PageSSOCallback finishes the sign-in the provider sends back.
func (s *Pages) PageSSOCallback(c *fiber.Ctx) error {
	c.Cookie(&fiber.Cookie{Name: SsoStateCookie, Value: "", Path: "/sso/", MaxAge: -1, HTTPOnly: true,
		Secure: s.Cfg.CookieSecure, SameSite: fiber.CookieSameSiteLaxMode})
	res, err := s.SSO.Finish(c.UserContext(), sso.Callback{
		State: c.Query("state"), CookieState: c.Cookies(SsoStateCookie), Code: c.Query("code"), Error: c.Query("error"),
		RedirectURL: s.ssoRedirectURL(c), IP: c.IP(), UserAgent: c.Get(fiber.HeaderUserAgent), TTL: s.Tokens.TTL(),
	})
	if err != nil {
		return s.ssoRefused(c, err)
	}
	lr, err := s.Issue(res.User, res.Session)
	if err != nil {
		return err
	}
	s.setSessionCookie(c, lr)
	return c.Redirect(kit.SafeNext(res.Next), fiber.StatusSeeOther)
}

func (s *Pages) renderSecurity(c *fiber.Ctx, status int, formErr error, recovery []string) error {
	st, err := s.Factors.Status(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	list, err := s.Accounts.Sessions(c.UserContext(), kit.Actor(c))
	if err != nil {
		return err
	}
	d := securityData{Sessions: list, Factor: st, Recovery: recovery}
	if st.Setup != nil && strings.HasPrefix(st.Setup.QR, "data:image/png;base64,") {
		d.QR = template.URL(st.Setup.QR) //nolint:gosec // our own PNG, base64: no markup can be in it
	}
	p := kit.Page{Title: "Security", Nav: "security", Data: d, Flash: securityFlash[c.Query("done")]}
	if formErr != nil {
		p.Error, p.Flash = app.ErrorMessage(formErr), ""
	}
	return s.RenderStatus(c, status, "security.html", p)
}

func (s *Pages) PageSecurity(c *fiber.Ctx) error {
	return s.renderSecurity(c, fiber.StatusOK, nil, nil)
}

func (s *Pages) PageTOTPBegin(c *fiber.Ctx) error {
	if _, err := s.Factors.Begin(c.UserContext(), kit.Actor(c)); err != nil {
		return formFailed(err, func(st int, err error) error { return s.renderSecurity(c, st, err, nil) })
	}
	return c.Redirect("/me/security#totp", fiber.StatusSeeOther)
}

func (s *Pages) PageTOTPConfirm(c *fiber.Ctx) error {
	codes, err := s.Factors.Confirm(c.UserContext(), kit.Actor(c), c.FormValue("code"))
	if err != nil {
		return formFailed(err, func(st int, err error) error { return s.renderSecurity(c, st, err, nil) })
	}
	// Shown this once: the page answers the post itself rather than redirecting.
	kit.Actor(c).MustEnrolTOTP = false
	return s.renderSecurity(c, fiber.StatusOK, nil, codes)
}

func (s *Pages) PageRecoveryCodes(c *fiber.Ctx) error {
	codes, err := s.Factors.NewRecoveryCodes(c.UserContext(), kit.Actor(c), c.FormValue("code"))
	if err != nil {
		return formFailed(err, func(st int, err error) error { return s.renderSecurity(c, st, err, nil) })
	}
	return s.renderSecurity(c, fiber.StatusOK, nil, codes) // shown this once
}

func (s *Pages) PageTOTPDisable(c *fiber.Ctx) error {
	if err := s.Factors.Disable(c.UserContext(), kit.Actor(c), c.FormValue("code")); err != nil {
		return formFailed(err, func(st int, err error) error { return s.renderSecurity(c, st, err, nil) })
	}
	return c.Redirect("/me/security?done=totp_off", fiber.StatusSeeOther)
}

func (s *Pages) renderAdminSignIn(c *fiber.Ctx, status int, formErr error, form *sso.SettingsInput) error {
	ctx, a := c.UserContext(), kit.Actor(c)
	st, err := s.SSO.Settings(ctx, a)
	if err != nil {
		return err
	}
	fs, err := s.Factors.Status(ctx, a)
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
	p := kit.Page{Title: "Sign-in settings", Nav: "signin", Data: d, Flash: adminSignInFlash[c.Query("done")]}
	if formErr != nil {
		p.Error, p.Flash = app.ErrorMessage(formErr), ""
	}
	return s.RenderStatus(c, status, "admin_signin.html", p)
}

func (s *Pages) PageAdminSignIn(c *fiber.Ctx) error {
	return s.renderAdminSignIn(c, fiber.StatusOK, nil, nil)
}

func (s *Pages) PageAdminSSOPost(c *fiber.Ctx) error {
	in := sso.SettingsInput{Issuer: c.FormValue("issuer"), ClientID: c.FormValue("client_id"), ClientSecret: c.FormValue("client_secret"),
		Enabled: c.FormValue("enabled") == "on", PasswordSignIn: c.FormValue("password_sign_in") == "on",
		AutoCreate: c.FormValue("auto_create") == "on", DefaultRole: c.FormValue("default_role")}
	if _, err := s.SSO.Save(c.UserContext(), kit.Actor(c), in); err != nil {
		return formFailed(err, func(st int, err error) error { return s.renderAdminSignIn(c, st, err, &in) })
	}
	return c.Redirect("/admin/sign-in?done=sso", fiber.StatusSeeOther)
}

func (s *Pages) PageAdminSecondFactorPost(c *fiber.Ctx) error {
	if err := s.Factors.SetRequireForAdmins(c.UserContext(), kit.Actor(c), c.FormValue("require_admin_totp") == "on"); err != nil {
		return err
	}
	return c.Redirect("/admin/sign-in?done=factor", fiber.StatusSeeOther)
}

// SsoStateCookie keeps a sign-in's state in the browser that started it: the callback
// must bring the same state back (no sign-in started in another browser is finished here).
const SsoStateCookie = "teamshape_sso_state"

// ssoRedirectURL is the callback registered with the provider: TEAMSHAPE_BASE_URL's, else
// this request's origin (development, tests).
func (s *Pages) ssoRedirectURL(c *fiber.Ctx) string {
	base := s.Cfg.BaseURL
	if base == "" {
		base = c.BaseURL()
	}
	return base + "/sso/callback"
}

// ssoRefused shows why a sign-in with SSO did not go through, and the way back.
func (s *Pages) ssoRefused(c *fiber.Ctx, err error) error {
	code := app.ErrorCode(err)
	status, ok := kit.StatusOf[code]
	if !ok || code == app.EINTERNAL {
		return err
	}
	return s.RenderStatus(c, status, "sso_refused.html", kit.Page{Title: "Sign-in refused", Error: app.ErrorMessage(err)})
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
	return render(kit.StatusOf[code], err)
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
