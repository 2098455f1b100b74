// Package kit is what the JSON API (internal/http/api) and the pages (internal/http/ui)
// share: the services both call (Deps), the signed-in actor, the error table, strict
// decoding and the request parameters both read, sign-in's token issuing, page rendering
// and the view cache. It knows no route: internal/http's route table wires the handlers.
package kit

import (
	"html/template"
	"log/slog"
	"time"

	"github.com/teamshape/teamshape/internal/accounts"
	"github.com/teamshape/teamshape/internal/assets"
	"github.com/teamshape/teamshape/internal/audit"
	"github.com/teamshape/teamshape/internal/auth"
	"github.com/teamshape/teamshape/internal/calibration"
	"github.com/teamshape/teamshape/internal/careers"
	"github.com/teamshape/teamshape/internal/coaching"
	"github.com/teamshape/teamshape/internal/config"
	"github.com/teamshape/teamshape/internal/cycles"
	"github.com/teamshape/teamshape/internal/dashboards"
	"github.com/teamshape/teamshape/internal/framework"
	"github.com/teamshape/teamshape/internal/hiring"
	"github.com/teamshape/teamshape/internal/invitations"
	"github.com/teamshape/teamshape/internal/mfa"
	"github.com/teamshape/teamshape/internal/notify"
	"github.com/teamshape/teamshape/internal/people"
	"github.com/teamshape/teamshape/internal/profiles"
	"github.com/teamshape/teamshape/internal/sessioncache"
	"github.com/teamshape/teamshape/internal/sops"
	"github.com/teamshape/teamshape/internal/sso"
	"github.com/teamshape/teamshape/internal/transfer"
	"github.com/teamshape/teamshape/internal/trends"
)

// Deps holds the configuration and the services the handlers call, built once by the
// server (internal/http.New); the API's Handlers and the UI's Pages embed it.
type Deps struct {
	Cfg    *config.Config
	Tokens *auth.Tokens
	// Accounts signs people in and looks after their passwords and sessions.
	Accounts    *accounts.Service
	Invitations *invitations.Service
	Log         *slog.Logger
	Templates   map[string]*template.Template
	Layouts     *LayoutCache // the layout around cached contents (layoutcache.go)
	Views       *ViewCache
	// SessionCache answers the session lookup from memory while the change feed keeps it in
	// sync (Server.Sessions; `serve` starts the feed), from PostgreSQL otherwise.
	SessionCache *sessioncache.Cache
	Now          func() time.Time
	Hiring       *hiring.Service
	Careers      *careers.Service
	Sops         *sops.Service
	Profiles     *profiles.Service
	Coaching     *coaching.Service
	Transfers    *transfer.Service
	People       *people.Service
	Framework    *framework.Service
	Audit        *audit.Service
	Dashboards   *dashboards.Service
	Cycles       *cycles.Service
	// Factors is the second factor (TOTP, recovery codes); SSO the OpenID Connect sign-in.
	Factors *mfa.Service
	SSO     *sso.Service
	Trends  *trends.Service
	// Calibration is the head of product's calibration of leader ratings.
	Calibration *calibration.Service
	// Notifications is the notification centre and the reminder sweep (Server.Notify).
	Notifications *notify.Service
	Static        *assets.Set
}
