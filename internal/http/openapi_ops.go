package http

import (
	"mime/multipart"
	"net/http"

	"github.com/swaggest/jsonschema-go"

	"github.com/teamshape/teamshape/internal/accounts"
	"github.com/teamshape/teamshape/internal/app"
	"github.com/teamshape/teamshape/internal/audit"
	"github.com/teamshape/teamshape/internal/calibration"
	"github.com/teamshape/teamshape/internal/careers"
	"github.com/teamshape/teamshape/internal/coaching"
	"github.com/teamshape/teamshape/internal/cycles"
	"github.com/teamshape/teamshape/internal/dashboards"
	"github.com/teamshape/teamshape/internal/framework"
	"github.com/teamshape/teamshape/internal/hiring"
	"github.com/teamshape/teamshape/internal/http/api"
	"github.com/teamshape/teamshape/internal/http/kit"
	"github.com/teamshape/teamshape/internal/invitations"
	"github.com/teamshape/teamshape/internal/mfa"
	"github.com/teamshape/teamshape/internal/notify"
	"github.com/teamshape/teamshape/internal/people"
	"github.com/teamshape/teamshape/internal/profiles"
	"github.com/teamshape/teamshape/internal/sops"
	"github.com/teamshape/teamshape/internal/sso"
	"github.com/teamshape/teamshape/internal/trends"
)

// This file is the prose and the Go types of the API's OpenAPI description, one entry per
// operation of the route table under /api/ (openapi.go derives the rest). A new API route
// needs an entry here: the server does not start without one.

// apiDescription introduces the API.
const apiDescription = `Team capability dashboard for PM leaders. Success: {"data": …}; failure: {"error": {"code", "message", "field"}}. ` +
	`Authenticate with POST /api/v1/auth/login, then send Authorization: Bearer <token>. ` +
	`A request body has one of the media types its operation lists (415 otherwise); a JSON body is an object of UTF-8 text ` +
	`(422 naming the field otherwise: "body" for null, a list or a scalar). Answers carry Cache-Control: no-store; this description alone may be cached.`

// apiTags are the operations' groups, in the order the description lists them.
var apiTags = [][2]string{
	{"auth", "Signing in and out, and who the caller is."},
	{"people", "The organisation's people and their accounts (admins)."},
	{"invitations", "Invitations to join the organisation: sending, resending and withdrawing them, and accepting one from its e-mailed link."},
	{"security", "The caller's password, sessions and second factor (TOTP), password reset by e-mail, and the organisation's sign-in rules: single sign-on (OpenID Connect) and the second factor for admins."},
	{"teams", "Teams and their members: leaders, members and HR partners."},
	{"framework", "The competency framework (areas and competencies), the proficiency scale, titles and the career ladder."},
	{"profiles", "The caller's own skill profile: title, background, specialisms and career spikes."},
	{"ratings", "Self, leader and peer ratings with evidence, and peer rating requests."},
	{"sops", "The team's standard operating procedures: the board, revisions and reviews."},
	{"coaching", "Quarterly coaching plans: focus goals, actions, check-ins and reflections."},
	{"hiring", "Hiring gaps, what-if scenarios, hiring briefs shared with HR, and requisitions."},
	{"dashboard", "The team's combined T-shape, heatmap and targets, and the organisation's roll-up."},
	{"career", "Career portfolios, learning resources and mentoring."},
	{"import", "Skill-matrix import and export as CSV, and the organisation's backup."},
	{"audit", "The log of every write: who changed what, when."},
	{"cycles", "Assessment cycles: deadlines and progress, the 1:1's compare view, agreed levels and flagged differences."},
	{"notifications", "The caller's notifications and which kinds are e-mailed."},
	{"meta", "This description."},
}

// ---- types that exist only to describe: query strings, forms, unions ----

type asOfQuery struct {
	AsOf string `query:"as_of" format:"date" description:"Count ratings made up to the end of this day (YYYY-MM-DD); default now."`
}

type dashboardQuery struct {
	asOfQuery
	View string `query:"view" enum:"effective,self,leader" description:"Which ratings: effective (default), self or leader."`
}

type hiringGapsQuery struct {
	Format string `query:"format" enum:"json,csv,md" description:"json (default), csv or md."`
}

type ratingsQuery struct {
	History bool `query:"history" description:"true: include the rating history."`
}

type requisitionsQuery struct {
	TeamID int64  `query:"team_id" description:"One team."`
	Status string `query:"status" enum:"open,interviewing,offer,filled,cancelled" description:"One status."`
}

type resourcesQuery struct {
	Competency string `query:"competency" description:"Only this competency's."`
}

type recommendedQuery struct {
	PersonID   int64  `query:"person_id" description:"Whose (default: the caller)."`
	Competency string `query:"competency" description:"Only this competency."`
}

type mentorsQuery struct {
	PersonID   int64  `query:"person_id" description:"For whom (default: the caller)."`
	Competency string `query:"competency" description:"In this competency."`
}

type importQuery struct {
	TeamID        int64 `query:"team_id" description:"The team to import into: everyone in the file becomes its member. Leaders must give a team they lead; admins may leave it out (the team column names each row's team)."`
	InviteUnknown bool  `query:"invite_unknown" description:"true: people without an account are invited by e-mail (role pm, into the row's team) in the import's transaction, instead of being refused (leaders) or created with one-time passwords (admins); their rows must leave title, background and levels empty."`
}

type importHashQuery struct {
	importQuery
	Hash string `query:"hash" description:"The hash the preview returned; a different file is 409."`
}

// importForm is the multipart upload of an import.
type importForm struct {
	File          *multipart.FileHeader `formData:"file" required:"true"`
	TeamID        int64                 `formData:"team_id"`
	Hash          string                `formData:"hash"`
	InviteUnknown bool                  `formData:"invite_unknown"`
}

type teamAuditQuery struct {
	ActorID  int64  `query:"actor_id" description:"Who wrote."`
	Action   string `query:"action" description:"e.g. create, update, rate, import."`
	Entity   string `query:"entity" description:"e.g. ratings, sop, coaching_plan, user."`
	EntityID int64  `query:"entity_id" description:"The object's id."`
	From     string `query:"from" format:"date" description:"From this date (YYYY-MM-DD)."`
	To       string `query:"to" format:"date" description:"Up to and including this date."`
	BeforeID int64  `query:"before_id" description:"Entries older than this id (paging)."`
	Limit    int    `query:"limit" minimum:"1" maximum:"500" description:"Page size, 1–500 (default 100)."`
}

type auditQuery struct {
	TeamID int64 `query:"team_id" description:"A team's log: entries of the team and about its members."`
	teamAuditQuery
}

// orgExport is the organisation's backup: one property per table (postgres.ExportOrganisation).
type orgExport map[string]any

// sopBoardAnswer is a team's SOP board: the whole board, or HR partners' summary.
type sopBoardAnswer struct{}

// JSONSchemaOneOf lists the two boards.
func (sopBoardAnswer) JSONSchemaOneOf() []any { return []any{api.SopBoard{}, api.SopBoardForHR{}} }

// loginInvalid is the sign-in's 422: a field at fault, or the organisations to choose from.
type loginInvalid struct{}

// JSONSchemaAnyOf lists the two answers.
func (loginInvalid) JSONSchemaAnyOf() []any { return []any{kit.ApiError{}, api.LoginChoices{}} }

// importInvalid is an import's 422: a field at fault, or the file's problems.
type importInvalid struct{}

// JSONSchemaAnyOf lists the two answers.
func (importInvalid) JSONSchemaAnyOf() []any { return []any{kit.ApiError{}, api.ImportProblems{}} }

var (
	_ jsonschema.OneOfExposer = sopBoardAnswer{}
	_ jsonschema.AnyOfExposer = loginInvalid{}
	_ jsonschema.AnyOfExposer = importInvalid{}
)

// apiOps describes every operation under /api/, by "METHOD /fiber/path".
var apiOps = map[string]apiOp{
	"POST /api/v1/auth/login": {
		Tag: "auth", Summary: "Sign in",
		Description: "An e-mail may have accounts in several organisations. Without organisation, the password is checked against the address's active accounts: exactly one opening signs in to it; several opening answer 422 with field organisation and the organisations those accounts are in, to sign in again naming one. Every failure (no account, wrong password, deactivated, unknown organisation) is the same 401. Too many failures answer 429 with Retry-After: per e-mail from one address (that address only), per e-mail from all addresses, per address. A right password for an organisation that signs in with single sign-on only answers 403.",
		Body:        kit.LoginInput{},
		Data:        kit.LoginResult{},
		Answer:      "A token for the Authorization header.",
		Errors:      []int{http.StatusUnauthorized, http.StatusForbidden, http.StatusTooManyRequests},
		Invalid:     loginInvalid{},
		InvalidText: "A field is not acceptable (field names it). With field organisation and organisations: the e-mail and password open accounts in these organisations; sign in again naming one.",
	},
	"POST /api/v1/auth/logout": {
		Tag: "auth", Summary: "Sign out (revokes the token at once)",
		Data:   api.SignedOut{},
		Answer: "Signed out.",
	},
	"GET /api/v1/me": {
		Tag: "auth", Summary: "The caller, their role and teams",
		Data:   api.MeView{},
		Answer: "The caller.",
	},
	"POST /api/v1/invitations": {
		Tag: "invitations", Summary: "Invite a person by e-mail",
		Description: "Creates an invitation and e-mails its link (it works once, until expires_at). An admin invites anyone, into any team of the organisation or none; a leader invites PMs only, into a team they lead (team_id is then required). An address with an account in the organisation, or a pending invitation, is 409.",
		Body:        invitations.Input{},
		Data:        app.Invitation{},
		Status:      http.StatusCreated,
		Answer:      "Invited; the e-mail is on its way.",
		Errors:      []int{http.StatusConflict},
	},
	"GET /api/v1/invitations": {
		Tag: "invitations", Summary: "The pending invitations the caller manages",
		Description: "An admin's: every pending invitation of the organisation; a leader's: those they sent.",
		Data:        []app.Invitation{},
		Answer:      "Pending invitations.",
	},
	"DELETE /api/v1/invitations/:id": {
		Tag: "invitations", Summary: "Withdraw a pending invitation",
		Description: "Its link stops working at once. A leader manages only the invitations they sent (404 for others').",
		Status:      http.StatusNoContent,
		Answer:      "Withdrawn.",
	},
	"POST /api/v1/invitations/:id/resend": {
		Tag: "invitations", Summary: "Send a pending invitation again, with a new link",
		Description: "The old link stops working; the new one works until the new expires_at. A leader manages only the invitations they sent (404 for others').",
		Data:        app.Invitation{},
		Answer:      "Sent again.",
	},
	"POST /api/v1/auth/accept-invitation": {
		Tag: "invitations", Summary: "Accept an invitation: create the account and sign in",
		Description: "token is the one in the invitation's link; the password must follow the password rules (422 names the rule). The account joins the invitation's team, and the answer is a sign-in's. A link that has expired, was used or was withdrawn is 404; an address that has an account in the organisation by now is 409.",
		Body:        invitations.AcceptInput{},
		Data:        kit.LoginResult{},
		Answer:      "The new account and a token for the Authorization header.",
		Errors:      []int{http.StatusNotFound, http.StatusConflict},
	},
	"POST /api/v1/me/password": {
		Tag: "security", Summary: "Change the caller's password",
		Description: "A wrong current password counts as a failed sign-in (so is throttled like one: 429 with Retry-After); the new one must follow the password rules (422 names the rule). Every other session of the caller ends, and they get an e-mail saying so.",
		Body:        accounts.ChangeInput{},
		Status:      http.StatusNoContent,
		Answer:      "Changed.",
		Errors:      []int{http.StatusTooManyRequests},
	},
	"POST /api/v1/auth/password-reset": {
		Tag: "security", Summary: "E-mail a link to reset a password",
		Description: "Each active account of the address (one per organisation) gets a link that works once, within 30 minutes. The answer, and the time it takes, are the same whether or not the address has an account; only a client address making too many requests is told to wait (429 with Retry-After).",
		Body:        accounts.ResetRequest{},
		Data:        api.ResetSent{},
		Status:      http.StatusAccepted,
		Answer:      "Accepted: a link is on its way if the address has an account.",
		Errors:      []int{http.StatusTooManyRequests},
	},
	"POST /api/v1/auth/password-reset/confirm": {
		Tag: "security", Summary: "Set a new password from a reset link",
		Description: "token is the one in the e-mailed link, which works once; a link that has expired or was used is 404. The new password must follow the password rules (422 names the rule). Every session of the account ends, and the person gets an e-mail saying so.",
		Body:        accounts.ConfirmInput{},
		Status:      http.StatusNoContent,
		Answer:      "Changed; sign in with the new password.",
		Errors:      []int{http.StatusNotFound},
	},
	"GET /api/v1/me/sessions": {
		Tag: "security", Summary: "Where the caller is signed in",
		Description: "The caller's active sessions; current marks the one of this request.",
		Data:        []app.SessionInfo{},
		Answer:      "Sessions.",
	},
	"DELETE /api/v1/me/sessions/:id": {
		Tag: "security", Summary: "End one of the caller's sessions",
		Description: "Its token stops working at once; ending the current session signs the caller out. Another person's session is 404.",
		TextParams:  []string{"id"},
		Status:      http.StatusNoContent,
		Answer:      "Ended.",
	},
	"POST /api/v1/auth/login/second-factor": {
		Tag: "auth", Summary: "Finish a sign-in with the second factor",
		Description: "After a sign-in answered second_factor_required, send its challenge (before its expires_at) with a six-digit code from the authenticator app or an unused recovery code. A wrong code is 422 and counts as a failed sign-in (429 with Retry-After when too many); a forged or expired challenge is 401: sign in with the password again.",
		Body:        kit.SecondFactorInput{},
		Data:        kit.LoginResult{},
		Answer:      "A token for the Authorization header.",
		Errors:      []int{http.StatusUnauthorized, http.StatusTooManyRequests},
	},
	"GET /api/v1/me/totp": {
		Tag: "security", Summary: "The caller's second factor",
		Description: "Whether it is on, the recovery codes left, whether the organisation requires it of admins, and whether the caller must set it up before anything else.",
		Data:        mfa.Status{},
		Answer:      "The second factor.",
	},
	"POST /api/v1/me/totp": {
		Tag: "security", Summary: "Start setting up a second factor",
		Description: "Returns a new secret, as an otpauth URL and a QR code (a data: URL of a PNG), shown only here; the factor is on once confirmed with a code from the app. Starting again replaces a set-up under way; while the factor is on, 409 (turn it off first).",
		Data:        mfa.Setup{},
		Status:      http.StatusCreated,
		Answer:      "The set-up: add it to an authenticator app.",
		Errors:      []int{http.StatusConflict},
	},
	"POST /api/v1/me/totp/confirm": {
		Tag: "security", Summary: "Turn the second factor on with a code from the app",
		Description: "Returns the recovery codes, shown only here: each signs in once in place of a code. Without a set-up under way, 409.",
		Body:        api.CodeInput{},
		Data:        api.RecoveryCodes{},
		Answer:      "On; the recovery codes.",
		Errors:      []int{http.StatusConflict},
	},
	"POST /api/v1/me/totp/disable": {
		Tag: "security", Summary: "Turn the second factor off",
		Description: "code is a current code from the app or an unused recovery code (422 otherwise); the recovery codes go with it.",
		Body:        api.CodeInput{},
		Status:      http.StatusNoContent,
		Answer:      "Off.",
	},
	"POST /api/v1/me/totp/recovery-codes": {
		Tag: "security", Summary: "Make new recovery codes",
		Description: "code is a current code from the app or an unused recovery code. The old recovery codes stop working; the new ones are shown only here.",
		Body:        api.CodeInput{},
		Data:        api.RecoveryCodes{},
		Answer:      "The new recovery codes.",
	},
	"GET /api/v1/org/sso": {
		Tag: "security", Summary: "The organisation's single sign-on settings",
		Description: "The client secret is never shown: has_secret says whether one is kept.",
		Data:        app.SSOSettings{},
		Answer:      "The settings (defaults when never saved).",
	},
	"PUT /api/v1/org/sso": {
		Tag: "security", Summary: "Set the organisation's single sign-on (OpenID Connect)",
		Description: "The issuer must answer OpenID discovery (422 otherwise). An empty client_secret keeps the one kept. Password sign-in can be turned off only while single sign-on is on; default_role (pm, leader or hr) is the role of accounts auto_create makes.",
		Body:        sso.SettingsInput{},
		Data:        app.SSOSettings{},
		Answer:      "The settings.",
	},
	"GET /api/v1/org/security": {
		Tag: "security", Summary: "Whether the organisation requires a second factor of admins",
		Data:   api.OrgSecurity{},
		Answer: "The rule.",
	},
	"PUT /api/v1/org/security": {
		Tag: "security", Summary: "Require (or not) a second factor of admins",
		Description: "Admins without one must set it up before anything else.",
		Body:        api.OrgSecurity{},
		Data:        api.OrgSecurity{},
		Answer:      "The rule.",
	},
	"GET /api/v1/users": {
		Tag: "people", Summary: "List the organisation's people",
		Data:   []app.User{},
		Answer: "People by name.",
	},
	"POST /api/v1/users": {
		Tag: "people", Summary: "Create a person with a one-time password",
		Description: "E-mails are unique within the organisation (409 there); an address with an account in another organisation gets a separate account here, and the answer does not tell.",
		Body:        people.NewUser{},
		Data:        api.NewUserView{},
		Status:      http.StatusCreated,
		Answer:      "Created; the one-time password is shown only here.",
		Errors:      []int{http.StatusConflict},
	},
	"PATCH /api/v1/users/:id": {
		Tag: "people", Summary: "Change a person's name, title, role or status",
		Body:   app.UserUpdate{},
		Data:   app.User{},
		Answer: "The person.",
	},
	"GET /api/v1/teams": {
		Tag: "teams", Summary: "The caller's teams (every team for an admin)",
		Data:   []app.Team{},
		Answer: "Teams.",
	},
	"POST /api/v1/teams": {
		Tag: "teams", Summary: "Create a team",
		Body:   api.TeamInput{},
		Data:   app.Team{},
		Status: http.StatusCreated,
		Answer: "Created.",
		Errors: []int{http.StatusConflict},
	},
	"GET /api/v1/teams/:id": {
		Tag: "teams", Summary: "A team with the people the caller may see",
		Data:   people.TeamView{},
		Answer: "The team.",
	},
	"POST /api/v1/teams/:id/members": {
		Tag: "teams", Summary: "Add a person to a team, or change their team role",
		Body:   api.MemberInput{},
		Data:   api.MemberView{},
		Status: http.StatusCreated,
		Answer: "Saved.",
	},
	"DELETE /api/v1/teams/:id/members/:user_id": {
		Tag: "teams", Summary: "Take a person out of a team",
		Data:   api.Removed{},
		Answer: "Removed.",
	},
	"POST /api/v1/areas": {
		Tag: "framework", Summary: "Add a competency area (after the others)",
		Body:   app.NewArea{},
		Data:   app.Area{},
		Status: http.StatusCreated,
		Answer: "Created.",
		Errors: []int{http.StatusConflict},
	},
	"PATCH /api/v1/areas/:key": {
		Tag: "framework", Summary: "Rename or move a competency area",
		Description: "`position` is where the area goes (1 = first); the other areas keep their order around it.",
		Body:        app.AreaUpdate{},
		Data:        app.Area{},
		Answer:      "The area, with its competencies.",
	},
	"GET /api/v1/competencies": {
		Tag: "framework", Summary: "The competency framework, scale, titles and career ladder",
		Data:   framework.View{},
		Answer: "The framework.",
	},
	"POST /api/v1/competencies": {
		Tag: "framework", Summary: "Add a competency",
		Body:   app.NewCompetency{},
		Data:   app.Competency{},
		Status: http.StatusCreated,
		Answer: "Created.",
		Errors: []int{http.StatusConflict},
	},
	"PATCH /api/v1/competencies/:key": {
		Tag: "framework", Summary: "Change a competency",
		Body:   app.CompetencyUpdate{},
		Data:   app.Competency{},
		Answer: "The competency.",
	},
	"DELETE /api/v1/competencies/:key": {
		Tag: "framework", Summary: "Delete a competency nobody has rated",
		Data:   api.Deleted{},
		Answer: "Deleted.",
		Errors: []int{http.StatusConflict},
	},
	"PUT /api/v1/ladder": {
		Tag: "framework", Summary: "Set career ladder levels (all or nothing)",
		Body:   api.LadderInput{},
		Data:   app.Ladder{},
		Answer: "The ladder.",
	},
	"GET /api/v1/me/profile": {
		Tag: "profiles", Summary: "The caller's profile",
		Data:   profiles.ProfileView{},
		Answer: "The profile.",
	},
	"PUT /api/v1/me/profile": {
		Tag: "profiles", Summary: "Update the caller's profile",
		Body:   app.ProfileInput{},
		Data:   profiles.ProfileView{},
		Answer: "The profile.",
	},
	"PUT /api/v1/me/ratings": {
		Tag: "ratings", Summary: "Self-assess (a batch, all or nothing)",
		Body:   api.RatingsInput{},
		Data:   api.Recorded{},
		Answer: "Recorded.",
	},
	"GET /api/v1/people/:id/ratings": {
		Tag: "ratings", Summary: "A person's ratings (the person, their leaders and admins)",
		Query:  ratingsQuery{},
		Data:   api.PersonRatingsView{},
		Answer: "Per competency: self, leader, peers, effective and the discussion flag.",
	},
	"PUT /api/v1/people/:id/ratings": {
		Tag: "ratings", Summary: "Rate a person you lead (a batch, all or nothing)",
		Body:   api.RatingsInput{},
		Data:   api.Recorded{},
		Answer: "Recorded.",
	},
	"POST /api/v1/people/:id/peer-requests": {
		Tag: "ratings", Summary: "Ask a named person for a peer or mentor rating",
		Body:   profiles.PeerRequestInput{},
		Data:   app.PeerRequest{},
		Status: http.StatusCreated,
		Answer: "Created.",
		Errors: []int{http.StatusConflict},
	},
	"GET /api/v1/peer-requests": {
		Tag: "ratings", Summary: "Peer requests to answer and those made",
		Data:   api.PeerRequestsView{},
		Answer: "Requests.",
	},
	"POST /api/v1/peer-requests/:id/answer": {
		Tag: "ratings", Summary: "Answer a peer request with ratings",
		Body:   api.RatingsInput{},
		Data:   api.Answered{},
		Answer: "Recorded.",
		Errors: []int{http.StatusConflict},
	},
	"POST /api/v1/peer-requests/:id/decline": {
		Tag: "ratings", Summary: "Decline a peer request",
		Data:   api.Declined{},
		Answer: "Declined.",
		Errors: []int{http.StatusConflict},
	},
	"GET /api/v1/teams/:id/sops": {
		Tag: "sops", Summary: "A team's SOP board (HR partners: the summary and HR handshakes only)",
		Data:   sopBoardAnswer{},
		Answer: "The board.",
	},
	"POST /api/v1/teams/:id/sops": {
		Tag: "sops", Summary: "Write an SOP for a team you lead",
		Body:   app.SOPFields{},
		Data:   app.SOP{},
		Status: http.StatusCreated,
		Answer: "Created.",
	},
	"GET /api/v1/sops/due": {
		Tag: "sops", Summary: "SOPs due for review in the caller's teams",
		Data:   []app.SOP{},
		Answer: "SOPs.",
	},
	"GET /api/v1/sops/:id": {
		Tag: "sops", Summary: "An SOP with its staffing check",
		Data:   sops.Doc{},
		Answer: "The SOP.",
	},
	"PUT /api/v1/sops/:id": {
		Tag: "sops", Summary: "Save a new revision of an SOP",
		Body:   sops.Doc{},
		Data:   app.SOP{},
		Answer: "The SOP.",
		Errors: []int{http.StatusConflict},
	},
	"GET /api/v1/sops/:id/revisions": {
		Tag: "sops", Summary: "Every revision of an SOP, newest first",
		Data:   []app.SOPRevision{},
		Answer: "Revisions.",
	},
	"GET /api/v1/sops/:id/revisions/:rev": {
		Tag: "sops", Summary: "One revision and its difference to the current one",
		Data:   api.SopRevisionView{},
		Answer: "The revision.",
	},
	"POST /api/v1/sops/:id/revisions/:rev/restore": {
		Tag: "sops", Summary: "Restore a revision as a new revision",
		Body: api.RestoreInput{}, OptionalBody: true,
		Data:   app.SOP{},
		Status: http.StatusCreated,
		Answer: "The SOP.",
		Errors: []int{http.StatusConflict},
	},
	"POST /api/v1/sops/:id/review": {
		Tag: "sops", Summary: "Record a review today",
		Data:   app.SOP{},
		Answer: "The SOP.",
	},
	"GET /api/v1/people/:id/coaching-plans": {
		Tag: "coaching", Summary: "A person's coaching plans (the PM, their leaders and admins)",
		Data:   []app.CoachingPlan{},
		Answer: "Plans.",
	},
	"POST /api/v1/people/:id/coaching-plans": {
		Tag: "coaching", Summary: "Write a coaching plan for a quarter",
		Body:   coaching.PlanInput{},
		Data:   app.CoachingPlan{},
		Status: http.StatusCreated,
		Answer: "Created.",
		Errors: []int{http.StatusConflict},
	},
	"GET /api/v1/people/:id/coaching-suggestions": {
		Tag: "coaching", Summary: "Suggested focus goals and actions for a person",
		Data:   coaching.Suggestions{},
		Answer: "Suggestions.",
	},
	"GET /api/v1/coaching-plans/:id": {
		Tag: "coaching", Summary: "A coaching plan with its check-ins",
		Data:   app.CoachingPlan{},
		Answer: "The plan.",
	},
	"PUT /api/v1/coaching-plans/:id": {
		Tag: "coaching", Summary: "Replace a plan's spikes, mentor, goals and actions",
		Body:   coaching.PlanInput{},
		Data:   app.CoachingPlan{},
		Answer: "The plan.",
	},
	"POST /api/v1/coaching-plans/:id/check-ins": {
		Tag: "coaching", Summary: "Record a check-in with shared or private notes",
		Body:   coaching.CheckInInput{},
		Data:   app.CheckIn{},
		Status: http.StatusCreated,
		Answer: "Created.",
	},
	"POST /api/v1/coaching-plans/:id/carry-over": {
		Tag: "coaching", Summary: "Carry unfinished goals into next quarter's plan",
		Data:   app.CoachingPlan{},
		Status: http.StatusCreated,
		Answer: "Created.",
		Errors: []int{http.StatusConflict, http.StatusUnprocessableEntity},
	},
	"PATCH /api/v1/coaching-actions/:id": {
		Tag: "coaching", Summary: "Set an action's status",
		Body:   api.StatusInput{},
		Data:   app.CoachingAction{},
		Answer: "The action.",
	},
	"PUT /api/v1/check-ins/:id/reflection": {
		Tag: "coaching", Summary: "The PM's reflection on a check-in",
		Body:   api.ReflectionInput{},
		Data:   api.ReflectionView{},
		Answer: "Saved.",
	},
	"GET /api/v1/teams/:id/hiring-gaps": {
		Tag: "hiring", Summary: "A team's gaps: develop or hire, and suggested hire profiles",
		Description: "HR partners see aggregates only: no names. ?format=csv or md answers the file that hiring-gaps.csv or .md does.",
		Query:       hiringGapsQuery{},
		Data:        hiring.View{},
		Exports:     []string{"text/csv", "text/markdown"},
		Answer:      "The plan (JSON), or the file of the format asked for.",
		Errors:      []int{http.StatusUnprocessableEntity},
	},
	"GET /api/v1/teams/:id/hiring-gaps.csv": {
		Tag: "hiring", Summary: "A team's hiring gaps as CSV",
		Description: "HR partners see aggregates only: no names.",
		Media:       "text/csv",
		Answer:      "CSV.",
	},
	"GET /api/v1/teams/:id/hiring-gaps.md": {
		Tag: "hiring", Summary: "A team's hiring gaps as Markdown",
		Description: "HR partners see aggregates only: no names.",
		Media:       "text/markdown",
		Answer:      "Markdown.",
	},
	"POST /api/v1/teams/:id/what-if": {
		Tag: "hiring", Summary: "What if candidates join or members leave",
		Body:   hiring.WhatIfInput{},
		Data:   hiring.WhatIf{},
		Answer: "The team's standing before and after.",
	},
	"POST /api/v1/teams/:id/hiring-brief": {
		Tag: "hiring", Summary: "Share the team's hiring gaps with HR",
		Description: "The team's leaders and admins. Freezes the team's hiring gaps and suggested hires, without names, into a brief the team's HR partners read in the hiring gaps (shared_brief). Audited.",
		Data:        app.HiringBrief{},
		Status:      http.StatusCreated,
		Answer:      "The brief as shared.",
	},
	"GET /api/v1/requisitions": {
		Tag: "hiring", Summary: "Requisitions of the caller's teams, newest first",
		Query:  requisitionsQuery{},
		Data:   []app.Requisition{},
		Answer: "Requisitions.",
		Errors: []int{http.StatusUnprocessableEntity},
	},
	"POST /api/v1/requisitions": {
		Tag: "hiring", Summary: "Open a requisition against a suggested hire (or a profile)",
		Body:   hiring.RequisitionInput{},
		Data:   app.Requisition{},
		Status: http.StatusCreated,
		Answer: "Created.",
		Errors: []int{http.StatusNotFound},
	},
	"PATCH /api/v1/requisitions/:id": {
		Tag: "hiring", Summary: "Move a requisition to another status",
		Body:   api.StatusInput{},
		Data:   app.Requisition{},
		Answer: "The requisition.",
		Errors: []int{http.StatusConflict},
	},
	"GET /api/v1/teams/:id/shape": {
		Tag: "dashboard", Summary: "A team's combined T-shape, gaps and trend",
		Description: "Anyone in the team; HR partners and members get aggregates without names.",
		Query:       dashboardQuery{},
		Data:        dashboards.Figures{},
		Answer:      "The team's figures.",
		Errors:      []int{http.StatusUnprocessableEntity},
	},
	"GET /api/v1/teams/:id/heatmap": {
		Tag: "dashboard", Summary: "The team's people × competencies matrix",
		Query:  dashboardQuery{},
		Data:   dashboards.Heatmap{},
		Answer: "The heatmap.",
		Errors: []int{http.StatusUnprocessableEntity},
	},
	"PUT /api/v1/teams/:id/targets": {
		Tag: "dashboard", Summary: "Replace a team's targets (all or nothing)",
		Body:   api.TargetsInput{},
		Data:   api.TargetsView{},
		Answer: "The stored targets.",
	},
	"GET /api/v1/org/shape": {
		Tag: "dashboard", Summary: "Every team's shape and gaps in the organisation",
		Query:  asOfQuery{},
		Data:   dashboards.Rollup{},
		Answer: "The organisation's rollup.",
		Errors: []int{http.StatusUnprocessableEntity},
	},
	"GET /api/v1/me/career/roles": {
		Tag: "career", Summary: "The caller's career roles, oldest first",
		Data:   []app.CareerRole{},
		Answer: "Roles.",
	},
	"POST /api/v1/me/career/roles": {
		Tag: "career", Summary: "Add a career role (roles never overlap)",
		Body:   app.CareerRoleInput{},
		Data:   app.CareerRole{},
		Status: http.StatusCreated,
		Answer: "Created.",
		Errors: []int{http.StatusConflict},
	},
	"PUT /api/v1/me/career/roles/:id": {
		Tag: "career", Summary: "Change one of the caller's roles",
		Body:   app.CareerRoleInput{},
		Data:   app.CareerRole{},
		Answer: "The role.",
		Errors: []int{http.StatusConflict},
	},
	"DELETE /api/v1/me/career/roles/:id": {
		Tag: "career", Summary: "Delete one of the caller's roles",
		Data:   api.Deleted{},
		Answer: "Deleted.",
	},
	"GET /api/v1/people/:id/career": {
		Tag: "career", Summary: "A person's career portfolio of spikes (the person, their leaders, admins)",
		Data:   careers.Career{},
		Answer: "The portfolio.",
	},
	"GET /api/v1/resources": {
		Tag: "career", Summary: "The organisation's learning resources",
		Query:  resourcesQuery{},
		Data:   []app.LearningResource{},
		Answer: "Resources.",
	},
	"POST /api/v1/resources": {
		Tag: "career", Summary: "Add a learning resource",
		Body:   app.ResourceInput{},
		Data:   app.LearningResource{},
		Status: http.StatusCreated,
		Answer: "Created.",
		Errors: []int{http.StatusConflict},
	},
	"GET /api/v1/resources/recommended": {
		Tag: "career", Summary: "A hit-list of resources for a person's growth areas",
		Query:  recommendedQuery{},
		Data:   careers.HitList{},
		Answer: "The hit-list.",
		Errors: []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	},
	"PUT /api/v1/resources/:id": {
		Tag: "career", Summary: "Change a learning resource",
		Body:   app.ResourceInput{},
		Data:   app.LearningResource{},
		Answer: "The resource.",
		Errors: []int{http.StatusConflict},
	},
	"DELETE /api/v1/resources/:id": {
		Tag: "career", Summary: "Delete a learning resource",
		Data:   api.Deleted{},
		Answer: "Deleted.",
	},
	"POST /api/v1/resources/:id/add-to-plan": {
		Tag: "career", Summary: "Add a resource to a coaching plan as an education action",
		Body:   api.AddToPlanInput{},
		Data:   app.CoachingAction{},
		Status: http.StatusCreated,
		Answer: "The action added.",
		Errors: []int{http.StatusConflict},
	},
	"GET /api/v1/mentors": {
		Tag: "career", Summary: "Suggested mentors and peers to learn with",
		Description: "Mentors are the people who opted in and offer mentoring in the competency, rated 3 or more in it now, with a mentee place free: those with the most in common with the seeker first, then by name. Peers are other PMs who opted in and share a background, specialism tags or career spikes with the seeker.",
		Query:       mentorsQuery{},
		Data:        careers.Matches{},
		Answer:      "Suggestions.",
		Errors:      []int{http.StatusNotFound, http.StatusUnprocessableEntity},
	},
	"GET /api/v1/mentorships": {
		Tag: "career", Summary: "The caller's mentorships, as mentee and as mentor",
		Data:   api.MentorshipsView{},
		Answer: "Mentorships.",
	},
	"POST /api/v1/mentorships": {
		Tag: "career", Summary: "Ask someone to mentor you in a competency",
		Body:   careers.MentorshipInput{},
		Data:   app.Mentorship{},
		Status: http.StatusCreated,
		Answer: "Created.",
		Errors: []int{http.StatusNotFound, http.StatusConflict},
	},
	"POST /api/v1/mentorships/:id/accept": {
		Tag: "career", Summary: "Accept a mentorship request (the mentor)",
		Data:   app.Mentorship{},
		Answer: "The mentorship.",
		Errors: []int{http.StatusConflict},
	},
	"POST /api/v1/mentorships/:id/decline": {
		Tag: "career", Summary: "Decline a mentorship request (the mentor)",
		Data:   app.Mentorship{},
		Answer: "The mentorship.",
		Errors: []int{http.StatusConflict},
	},
	"POST /api/v1/mentorships/:id/end": {
		Tag: "career", Summary: "End a mentorship (either side)",
		Data:   app.Mentorship{},
		Answer: "The mentorship.",
		Errors: []int{http.StatusConflict},
	},
	"GET /api/v1/me/mentoring": {
		Tag: "career", Summary: "The caller's mentoring consent and offers",
		Data:   careers.MentoringState{},
		Answer: "Settings.",
	},
	"PUT /api/v1/me/mentoring": {
		Tag: "career", Summary: "Opt in to (or out of) being suggested, and the competencies offered to mentor in",
		Description: "Send mentor_opt_in (or the earlier mentor_opt_out). offers, only with an opt-in, replaces the competencies offered (absent: unchanged); each must be an active competency the caller is rated 3 or more in (422 naming offers[i]). Opting out withdraws every offer. All or nothing.",
		Body:        careers.MentoringInput{},
		Data:        careers.MentoringState{},
		Answer:      "Settings.",
	},
	"POST /api/v1/imports/preview": {
		Tag: "import", Summary: "Preview a skill-matrix import",
		Description: "A CSV with a header row: email (required), name, title, background, team and one column per competency key; one row per person, levels 0–5 or empty. UTF-8 (a byte-order mark is accepted), at most 10 MB. Send the same file with the returned hash to POST /api/v1/imports.",
		Query:       importQuery{},
		Body:        importForm{},
		BodyText:    "The file itself; team_id and hash go in the query string.",
		Data:        api.PreviewView{},
		Answer:      "What the import will do and every problem by row and column; nothing is written.",
		Errors:      []int{http.StatusNotFound, http.StatusRequestEntityTooLarge},
	},
	"POST /api/v1/imports": {
		Tag: "import", Summary: "Import a previewed skill matrix (all or nothing)",
		Description: "A CSV with a header row: email (required), name, title, background, team and one column per competency key; one row per person, levels 0–5 or empty. UTF-8 (a byte-order mark is accepted), at most 10 MB.",
		Query:       importHashQuery{},
		Body:        importForm{},
		BodyText:    "The file itself; team_id and hash go in the query string.",
		Data:        app.ImportResult{},
		Status:      http.StatusCreated,
		Answer:      "Imported: leader ratings by the caller noted \"imported\"; new people with one-time passwords, shown only here; invitations created (their e-mails leave once the import has committed).",
		Errors:      []int{http.StatusNotFound, http.StatusConflict, http.StatusRequestEntityTooLarge},
		Invalid:     importInvalid{},
		InvalidText: "The file has problems (listed) or a field is invalid; nothing was imported.",
	},
	"GET /api/v1/teams/:id/matrix.csv": {
		Tag: "import", Summary: "Export a team's matrix of effective ratings as CSV (the import format)",
		Description: "Leaders of the team and admins.",
		Media:       "text/csv",
		Answer:      "The CSV (UTF-8 with a byte-order mark); cells a spreadsheet would run as formulas start with a single quote.",
	},
	"GET /api/v1/org/export": {
		Tag: "import", Summary: "Export the whole organisation as JSON (a backup)",
		Data:   orgExport{},
		Answer: "Organisation, settings, users (no password hashes), teams, memberships, framework, ladder, profiles, ratings, peer requests, targets, SOPs and revisions, coaching plans and check-ins (private notes without their text), requisitions, career roles, learning resources, mentorships, audit log.",
	},
	"GET /api/v1/audit": {
		Tag: "audit", Summary: "The organisation's audit log, newest first",
		Query:  auditQuery{},
		Data:   audit.Page{},
		Answer: "A page of entries.",
		Errors: []int{http.StatusUnprocessableEntity},
	},
	"GET /api/v1/teams/:id/audit": {
		Tag: "audit", Summary: "A team's audit log: writes in the team and about its members",
		Description: "Leaders of the team and admins.",
		Query:       teamAuditQuery{},
		Data:        audit.Page{},
		Answer:      "A page of entries.",
		Errors:      []int{http.StatusUnprocessableEntity},
	},
	"GET /api/openapi.json": {
		Tag: "meta", Summary: "This description",
		Media:  kit.MimeJSON,
		Answer: "This OpenAPI 3.0 description, as JSON.",
	},
	// assessment cycles, trends, calibration and notifications (issue 18)
	"GET /api/v1/teams/:id/cycles": {
		Tag: "cycles", Summary: "A team's assessment cycles, newest first",
		Data:   []app.Cycle{},
		Answer: "Cycles.",
	},
	"POST /api/v1/teams/:id/cycles": {
		Tag: "cycles", Summary: "Open an assessment cycle for a team",
		Description: "quarter looks like 2026-Q4; self_due, peer_due, leader_due and review_due (the 1:1) are dates in the quarter or the quarter after it, the 1:1 last. A team has one cycle per quarter and one open at a time (409).",
		Body:        cycles.OpenInput{},
		Data:        app.Cycle{},
		Status:      http.StatusCreated,
		Answer:      "Opened.",
		Errors:      []int{http.StatusConflict},
	},
	"GET /api/v1/teams/:id/flags": {
		Tag: "cycles", Summary: "A team's flagged differences: where a PM's self rating and the others' differ by 2 or more",
		Data:   []cycles.Flag{},
		Answer: "Flags, by PM, largest difference first.",
	},
	"POST /api/v1/cycles": {
		Tag: "cycles", Summary: "Open the same assessment cycle for several teams (all or none)",
		Description: "team_ids are teams the caller leads (any team, for admins), each once; the other fields are those of POST /api/v1/teams/{id}/cycles.",
		Body:        api.OpenCyclesInput{},
		Data:        []app.Cycle{},
		Status:      http.StatusCreated,
		Answer:      "The cycles opened, in the order of team_ids.",
		Errors:      []int{http.StatusNotFound, http.StatusConflict},
	},
	"GET /api/v1/cycles/:id": {
		Tag: "cycles", Summary: "An assessment cycle with its progress board",
		Description: "A PM of the team sees their own progress, and the team's counts only under the disclosure rule. A closed cycle carries the snapshot of the team's shape taken when it closed.",
		Data:        cycles.View{},
		Answer:      "The cycle.",
	},
	"POST /api/v1/cycles/:id/close": {
		Tag: "cycles", Summary: "Close an assessment cycle, freezing a snapshot of the team's shape",
		Data:   cycles.View{},
		Answer: "The closed cycle with its snapshot.",
		Errors: []int{http.StatusConflict},
	},
	"GET /api/v1/people/:id/compare": {
		Tag: "cycles", Summary: "A PM's compare view for a cycle: self, peers and leader per competency",
		Description: "Without cycle, the person's latest cycle the viewer may compare: the open one of their teams, else the latest closed one; 404 with a message saying so when there is none. Flagged rows (self and others differ by 2 or more) come first. A PM sees only their own; in an anonymous cycle peers carry no name, and their ratings are withheld until 3 peers answered (peers_withheld).",
		Query:       compareQuery{},
		Data:        cycles.CompareView{},
		Answer:      "The compare view.",
		Errors:      []int{http.StatusUnprocessableEntity},
	},
	"PUT /api/v1/cycles/:id/people/:person_id/agreements": {
		Tag: "cycles", Summary: "Record the levels agreed at a PM's 1:1 (all or nothing)",
		Description: "At least one agreement; each a competency in the PM's scope, once, with a level 0–5 and an optional decision (422 naming agreements[i].field). A competency agreed again replaces the earlier agreement. Only in an open cycle (409).",
		Body:        api.AgreementsInput{},
		Data:        cycles.CompareView{},
		Answer:      "The compare view with the agreements.",
		Errors:      []int{http.StatusConflict},
	},
	"POST /api/v1/cycles/:id/people/:person_id/coaching-plan": {
		Tag: "coaching", Summary: "Start a PM's coaching plan for the next quarter from the levels agreed at the 1:1",
		Description:  "One goal for each of the largest agreed gaps below what the PM's title expects (422 naming agreements when there is none), one level up, due at the end of the quarter after the cycle's. spikes name the plan's career spikes (default: the PM's profile spikes); the body may be left out.",
		Body:         cycles.StartCoachingInput{},
		OptionalBody: true,
		Data:         app.CoachingPlan{},
		Status:       http.StatusCreated,
		Answer:       "The plan.",
		Errors:       []int{http.StatusConflict},
	},
	"GET /api/v1/me/cycles": {
		Tag: "cycles", Summary: "The caller's to-do in the open cycles of the teams they are a PM of",
		Data:   []cycles.ToDo{},
		Answer: "Per open cycle: what the caller has rated and still owes, and the peer requests to answer.",
	},
	"GET /api/v1/teams/:id/trends": {
		Tag: "dashboard", Summary: "A team's trend over the last quarters",
		Description: "Per point (the end of each quarter, then now) the team's total and its figures per competency, counting the members and targets of that time; and per competency the same figures as a series. individuals says whether the caller may see individuals' figures; when not, figures the disclosure rule withholds are left out.",
		Query:       trendsQuery{},
		Data:        trends.Trend{},
		Answer:      "The trend.",
		Errors:      []int{http.StatusUnprocessableEntity},
	},
	"GET /api/v1/org/calibration": {
		Tag: "dashboard", Summary: "The organisation's rating calibration: how each leader rates, and who moved this quarter",
		Description: "It names every leader and person.",
		Data:        calibration.Calibration{},
		Answer:      "The calibration; movers compare with since, the quarter's start.",
	},
	"GET /api/v1/notifications": {
		Tag: "notifications", Summary: "The caller's notifications, newest first, with the unread count",
		Data:   notify.Centre{},
		Answer: "The notification centre.",
	},
	"POST /api/v1/notifications/read": {
		Tag: "notifications", Summary: "Mark notifications read: the ids given, or all",
		Description: "Give ids (at most 500) or all: true, not both. Others' ids change nothing.",
		Body:        notify.ReadInput{},
		Data:        api.NotificationsMarked{},
		Answer:      "How many were marked read.",
	},
	"GET /api/v1/me/notification-settings": {
		Tag: "notifications", Summary: "The caller's e-mail setting for every kind of notification",
		Data:   []notify.Pref{},
		Answer: "Per kind, in the settings' order: whether it is e-mailed.",
	},
	"PUT /api/v1/me/notification-settings": {
		Tag: "notifications", Summary: "Choose which kinds of notification are e-mailed",
		Description: "email is an object of kind key → true or false (422 naming email.<kind> for an unknown kind); kinds left out keep their setting.",
		Body:        api.NotificationPrefsInput{},
		Data:        []notify.Pref{},
		Answer:      "Every kind with its setting.",
	},
}

// compareQuery is the query string of GET /api/v1/people/:id/compare.
type compareQuery struct {
	Cycle int64 `query:"cycle" minimum:"1" description:"The cycle to compare for (default: the person's latest: open, else the latest closed)."`
}

// trendsQuery is the query string of GET /api/v1/teams/:id/trends.
type trendsQuery struct {
	Quarters int `query:"quarters" minimum:"1" maximum:"20" description:"How many quarters, 1–20 (default 6)."`
}
