package http

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/careers"
	"github.com/teamshape/teamshape/internal/http/api"
	"github.com/teamshape/teamshape/internal/http/kit"
)

// Route is one endpoint and the roles it admits: the one place access by role is declared.
// Services then check ownership (own profile, own team).
type Route struct {
	Method  string
	Path    string
	Roles   []string // nil: public
	Handler fiber.Handler
	// SameOrigin: a public form post that must come from this site (sign-in).
	SameOrigin bool
	// Enrol: open to an admin who must turn on a second factor before anything else
	// (the organisation requires one of admins): the Security page, signing out.
	Enrol bool
	// Accepts lists the media types a request body may have (415 otherwise); nil: JSON
	// under /api/, a form on a page. The OpenAPI description (openapi.go) documents the same.
	Accepts []string
}

// accepts is the media types the route's body may have.
func (r Route) accepts() []string {
	switch {
	case r.Accepts != nil:
		return r.Accepts
	case strings.HasPrefix(r.Path, "/api/"):
		return []string{kit.MimeJSON}
	}
	return []string{kit.MimeForm, kit.MimeMultipart}
}

// Routes lists every route of the server with the roles it admits: the one route table.
// Feature by feature, the JSON API first, then the pages; Fiber matches in this order, so a
// fixed path comes before a parameter in the same place (/sops/due before /sops/:id). The
// route×role table test walks this list.
func (s *Server) Routes() []Route {
	return []Route{
		// Health, sign-in and the landing page.
		{Method: get, Path: "/healthz", Roles: kit.Public, Handler: s.api.HandleHealthz},
		{Method: get, Path: "/readyz", Roles: kit.Public, Handler: s.api.HandleReadyz},
		{Method: post, Path: "/api/v1/auth/login", Roles: kit.Public, Handler: s.api.HandleAPILogin, SameOrigin: true},
		{Method: post, Path: "/api/v1/auth/logout", Roles: kit.Anyone, Handler: s.api.HandleAPILogout, Enrol: true},
		{Method: get, Path: "/api/v1/me", Roles: kit.Anyone, Handler: s.api.HandleMe, Enrol: true},
		{Method: get, Path: "/login", Roles: kit.Public, Handler: s.ui.PageLogin},
		{Method: post, Path: "/login", Roles: kit.Public, Handler: s.ui.PageLoginPost, SameOrigin: true},
		{Method: post, Path: "/logout", Roles: kit.Anyone, Handler: s.ui.PageLogout, Enrol: true},
		{Method: get, Path: "/", Roles: kit.Anyone, Handler: s.ui.PageHome},

		// Accounts: invitations (admins; leaders invite PMs into their teams, and manage
		// their own: the service answers 404 for others'), password change and reset,
		// sessions. The pages reached from e-mailed links are public, like sign-in.
		{Method: post, Path: "/api/v1/invitations", Roles: kit.Leaders, Handler: s.api.HandleInvite},
		{Method: get, Path: "/api/v1/invitations", Roles: kit.Leaders, Handler: s.api.HandleListInvitations},
		{Method: del, Path: "/api/v1/invitations/:id", Roles: kit.Leaders, Handler: s.api.HandleRevokeInvitation},
		{Method: post, Path: "/api/v1/invitations/:id/resend", Roles: kit.Leaders, Handler: s.api.HandleResendInvitation},
		{Method: post, Path: "/api/v1/auth/accept-invitation", Roles: kit.Public, Handler: s.api.HandleAcceptInvitation, SameOrigin: true},
		{Method: post, Path: "/api/v1/me/password", Roles: kit.Anyone, Handler: s.api.HandleChangePassword},
		{Method: post, Path: "/api/v1/auth/password-reset", Roles: kit.Public, Handler: s.api.HandlePasswordReset, SameOrigin: true},
		{Method: post, Path: "/api/v1/auth/password-reset/confirm", Roles: kit.Public, Handler: s.api.HandlePasswordResetConfirm, SameOrigin: true},
		{Method: get, Path: "/api/v1/me/sessions", Roles: kit.Anyone, Handler: s.api.HandleListSessions},
		{Method: del, Path: "/api/v1/me/sessions/:id", Roles: kit.Anyone, Handler: s.api.HandleEndSession},
		{Method: get, Path: "/invitations", Roles: kit.Leaders, Handler: s.ui.PageInvitations},
		{Method: post, Path: "/invitations", Roles: kit.Leaders, Handler: s.ui.PageInvitePost},
		{Method: post, Path: "/invitations/:id/resend", Roles: kit.Leaders, Handler: s.ui.PageInvitationResend},
		{Method: post, Path: "/invitations/:id/revoke", Roles: kit.Leaders, Handler: s.ui.PageInvitationRevoke},
		{Method: get, Path: "/invitations/accept", Roles: kit.Public, Handler: s.ui.PageAcceptInvitation},
		{Method: post, Path: "/invitations/accept", Roles: kit.Public, Handler: s.ui.PageAcceptInvitationPost, SameOrigin: true},
		{Method: get, Path: "/password-reset", Roles: kit.Public, Handler: s.ui.PagePasswordReset},
		{Method: post, Path: "/password-reset", Roles: kit.Public, Handler: s.ui.PagePasswordResetPost, SameOrigin: true},
		{Method: get, Path: "/password-reset/confirm", Roles: kit.Public, Handler: s.ui.PagePasswordResetConfirm},
		{Method: post, Path: "/password-reset/confirm", Roles: kit.Public, Handler: s.ui.PagePasswordResetConfirmPost, SameOrigin: true},
		{Method: get, Path: "/me/security", Roles: kit.Anyone, Handler: s.ui.PageSecurity, Enrol: true},
		{Method: post, Path: "/me/security/password", Roles: kit.Anyone, Handler: s.ui.PageSecurityPassword},
		{Method: post, Path: "/me/security/sessions/:id/end", Roles: kit.Anyone, Handler: s.ui.PageSecurityEndSession},
		{Method: post, Path: "/me/security/sessions/end-others", Roles: kit.Anyone, Handler: s.ui.PageSecurityEndOthers},
		// Single sign-on, the second factor and the admins' sign-in settings (Enrol: open to an
		// admin who must still turn on the second factor the organisation requires).
		{Method: post, Path: "/api/v1/auth/login/second-factor", Roles: kit.Public, Handler: s.api.HandleAPISecondFactor, SameOrigin: true},
		{Method: post, Path: "/login/second-factor", Roles: kit.Public, Handler: s.ui.PageSecondFactorPost, SameOrigin: true},
		{Method: get, Path: "/sso/start", Roles: kit.Public, Handler: s.ui.PageSSOStart},
		{Method: get, Path: "/sso/callback", Roles: kit.Public, Handler: s.ui.PageSSOCallback},
		{Method: get, Path: "/api/v1/me/totp", Roles: kit.Anyone, Handler: s.api.HandleTOTPStatus, Enrol: true},
		{Method: post, Path: "/api/v1/me/totp", Roles: kit.Anyone, Handler: s.api.HandleTOTPBegin, Enrol: true},
		{Method: post, Path: "/api/v1/me/totp/confirm", Roles: kit.Anyone, Handler: s.api.HandleTOTPConfirm, Enrol: true},
		{Method: post, Path: "/api/v1/me/totp/disable", Roles: kit.Anyone, Handler: s.api.HandleTOTPDisable, Enrol: true},
		{Method: post, Path: "/api/v1/me/totp/recovery-codes", Roles: kit.Anyone, Handler: s.api.HandleRecoveryCodes, Enrol: true},
		{Method: post, Path: "/me/security/totp", Roles: kit.Anyone, Handler: s.ui.PageTOTPBegin, Enrol: true},
		{Method: post, Path: "/me/security/totp/confirm", Roles: kit.Anyone, Handler: s.ui.PageTOTPConfirm, Enrol: true},
		{Method: post, Path: "/me/security/totp/disable", Roles: kit.Anyone, Handler: s.ui.PageTOTPDisable, Enrol: true},
		{Method: post, Path: "/me/security/totp/recovery-codes", Roles: kit.Anyone, Handler: s.ui.PageRecoveryCodes, Enrol: true},
		{Method: get, Path: "/api/v1/org/sso", Roles: kit.AdminOnly, Handler: s.api.HandleGetSSO},
		{Method: put, Path: "/api/v1/org/sso", Roles: kit.AdminOnly, Handler: s.api.HandlePutSSO},
		{Method: get, Path: "/api/v1/org/security", Roles: kit.AdminOnly, Handler: s.api.HandleGetOrgSecurity},
		{Method: put, Path: "/api/v1/org/security", Roles: kit.AdminOnly, Handler: s.api.HandlePutOrgSecurity},
		{Method: get, Path: "/admin/sign-in", Roles: kit.AdminOnly, Handler: s.ui.PageAdminSignIn},
		{Method: post, Path: "/admin/sign-in/sso", Roles: kit.AdminOnly, Handler: s.ui.PageAdminSSOPost},
		{Method: post, Path: "/admin/sign-in/second-factor", Roles: kit.AdminOnly, Handler: s.ui.PageAdminSecondFactorPost},

		// People and teams (admins manage; everyone reads their teams).
		{Method: get, Path: "/api/v1/users", Roles: kit.AdminOnly, Handler: s.api.HandleListUsers},
		{Method: post, Path: "/api/v1/users", Roles: kit.AdminOnly, Handler: s.api.HandleCreateUser},
		{Method: patch, Path: "/api/v1/users/:id", Roles: kit.AdminOnly, Handler: s.api.HandleUpdateUser},
		{Method: get, Path: "/api/v1/teams", Roles: kit.Anyone, Handler: s.api.HandleListTeams},
		{Method: post, Path: "/api/v1/teams", Roles: kit.AdminOnly, Handler: s.api.HandleCreateTeam},
		{Method: get, Path: "/api/v1/teams/:id", Roles: kit.Anyone, Handler: s.api.HandleGetTeam},
		{Method: post, Path: "/api/v1/teams/:id/members", Roles: kit.AdminOnly, Handler: s.api.HandleSetTeamMember},
		{Method: del, Path: "/api/v1/teams/:id/members/:user_id", Roles: kit.AdminOnly, Handler: s.api.HandleRemoveTeamMember},
		{Method: get, Path: "/teams", Roles: kit.Anyone, Handler: s.ui.PageTeams},
		{Method: get, Path: "/teams/:id", Roles: kit.Anyone, Handler: s.ui.PageTeam},

		// Profiles: the competency framework and career ladder, people's skill profiles,
		// ratings and peer requests, and the admin pages for the framework, people and teams.
		//
		// HR partners have no skill profile: they neither rate nor are rated, so every profile,
		// rating and peer-request route admits admin, leader and pm only.
		{Method: get, Path: "/api/v1/competencies", Roles: kit.Anyone, Handler: s.api.HandleGetFramework},
		{Method: post, Path: "/api/v1/areas", Roles: kit.AdminOnly, Handler: s.api.HandleCreateArea},
		{Method: patch, Path: "/api/v1/areas/:key", Roles: kit.AdminOnly, Handler: s.api.HandleUpdateArea},
		{Method: post, Path: "/api/v1/competencies", Roles: kit.AdminOnly, Handler: s.api.HandleCreateCompetency},
		{Method: patch, Path: "/api/v1/competencies/:key", Roles: kit.AdminOnly, Handler: s.api.HandleUpdateCompetency},
		{Method: del, Path: "/api/v1/competencies/:key", Roles: kit.AdminOnly, Handler: s.api.HandleDeleteCompetency},
		{Method: put, Path: "/api/v1/ladder", Roles: kit.AdminOnly, Handler: s.api.HandleSetLadder},
		{Method: get, Path: "/api/v1/me/profile", Roles: kit.LeadersPM, Handler: s.api.HandleGetMyProfile},
		{Method: put, Path: "/api/v1/me/profile", Roles: kit.LeadersPM, Handler: s.api.HandlePutMyProfile},
		{Method: put, Path: "/api/v1/me/ratings", Roles: kit.LeadersPM, Handler: s.api.HandlePutMyRatings},
		{Method: get, Path: "/api/v1/people/:id/ratings", Roles: kit.LeadersPM, Handler: s.api.HandleGetPersonRatings},
		{Method: put, Path: "/api/v1/people/:id/ratings", Roles: kit.Leaders, Handler: s.api.HandlePutPersonRatings},
		{Method: post, Path: "/api/v1/people/:id/peer-requests", Roles: kit.LeadersPM, Handler: s.api.HandleCreatePeerRequest},
		{Method: get, Path: "/api/v1/peer-requests", Roles: kit.LeadersPM, Handler: s.api.HandleListPeerRequests},
		{Method: post, Path: "/api/v1/peer-requests/:id/answer", Roles: kit.LeadersPM, Handler: s.api.HandleAnswerPeerRequest},
		{Method: post, Path: "/api/v1/peer-requests/:id/decline", Roles: kit.LeadersPM, Handler: s.api.HandleDeclinePeerRequest},

		{Method: get, Path: "/me/profile", Roles: kit.LeadersPM, Handler: s.ui.PageMyProfile},
		{Method: post, Path: "/me/profile", Roles: kit.LeadersPM, Handler: s.ui.PageMyProfilePost},
		{Method: post, Path: "/me/ratings", Roles: kit.LeadersPM, Handler: s.ui.PageMyRatingsPost},
		{Method: get, Path: "/people/:id", Roles: kit.LeadersPM, Handler: s.ui.PagePerson},
		{Method: post, Path: "/people/:id/ratings", Roles: kit.Leaders, Handler: s.ui.PagePersonRatingsPost},
		{Method: post, Path: "/people/:id/peer-requests", Roles: kit.LeadersPM, Handler: s.ui.PagePeerRequestPost},
		{Method: get, Path: "/peer-requests/:id", Roles: kit.LeadersPM, Handler: s.ui.PagePeerRequest},
		{Method: post, Path: "/peer-requests/:id/answer", Roles: kit.LeadersPM, Handler: s.ui.PagePeerAnswerPost},
		{Method: post, Path: "/peer-requests/:id/decline", Roles: kit.LeadersPM, Handler: s.ui.PagePeerDeclinePost},

		{Method: get, Path: "/admin/framework", Roles: kit.AdminOnly, Handler: s.ui.PageFramework},
		{Method: post, Path: "/admin/framework/areas", Roles: kit.AdminOnly, Handler: s.ui.PageAreaCreatePost},
		{Method: post, Path: "/admin/framework/areas/:key", Roles: kit.AdminOnly, Handler: s.ui.PageAreaUpdatePost},
		{Method: post, Path: "/admin/framework/competencies", Roles: kit.AdminOnly, Handler: s.ui.PageCompetencyCreatePost},
		{Method: post, Path: "/admin/framework/competencies/:key", Roles: kit.AdminOnly, Handler: s.ui.PageCompetencyUpdatePost},
		{Method: post, Path: "/admin/framework/competencies/:key/delete", Roles: kit.AdminOnly, Handler: s.ui.PageCompetencyDeletePost},
		{Method: post, Path: "/admin/framework/ladder", Roles: kit.AdminOnly, Handler: s.ui.PageLadderPost},
		{Method: get, Path: "/admin/people", Roles: kit.AdminOnly, Handler: s.ui.PageAdminPeople},
		{Method: post, Path: "/admin/people/users", Roles: kit.AdminOnly, Handler: s.ui.PageUserCreatePost},
		{Method: post, Path: "/admin/people/users/:id", Roles: kit.AdminOnly, Handler: s.ui.PageUserUpdatePost},
		{Method: post, Path: "/admin/people/teams", Roles: kit.AdminOnly, Handler: s.ui.PageTeamCreatePost},
		{Method: post, Path: "/admin/people/teams/:id/members", Roles: kit.AdminOnly, Handler: s.ui.PageTeamMemberPost},
		{Method: post, Path: "/admin/people/teams/:id/members/:user_id/remove", Roles: kit.AdminOnly, Handler: s.ui.PageTeamMemberRemovePost},

		// SOPs: leaders of the team and admins do everything; the team's PMs read; its HR
		// partners see the board summary and the handshakes with HR. Outside the team: 404.
		{Method: get, Path: "/api/v1/teams/:id/sops", Roles: kit.Anyone, Handler: s.api.HandleSOPBoard},
		{Method: post, Path: "/api/v1/teams/:id/sops", Roles: kit.Leaders, Handler: s.api.HandleCreateSOP},
		{Method: get, Path: "/api/v1/sops/due", Roles: kit.LeadersPM, Handler: s.api.HandleSOPsDue},
		{Method: get, Path: "/api/v1/sops/:id", Roles: kit.LeadersPM, Handler: s.api.HandleGetSOP},
		{Method: put, Path: "/api/v1/sops/:id", Roles: kit.Leaders, Handler: s.api.HandleUpdateSOP},
		{Method: get, Path: "/api/v1/sops/:id/revisions", Roles: kit.LeadersPM, Handler: s.api.HandleSOPRevisions},
		{Method: get, Path: "/api/v1/sops/:id/revisions/:rev", Roles: kit.LeadersPM, Handler: s.api.HandleSOPRevision},
		{Method: post, Path: "/api/v1/sops/:id/revisions/:rev/restore", Roles: kit.Leaders, Handler: s.api.HandleRestoreSOP},
		{Method: post, Path: "/api/v1/sops/:id/review", Roles: kit.Leaders, Handler: s.api.HandleReviewSOP},
		{Method: get, Path: "/teams/:id/sops", Roles: kit.Anyone, Handler: s.ui.PageSOPBoard},
		{Method: get, Path: "/teams/:id/sops/new", Roles: kit.Leaders, Handler: s.ui.PageNewSOP},
		{Method: post, Path: "/teams/:id/sops", Roles: kit.Leaders, Handler: s.ui.PageCreateSOP},
		{Method: get, Path: "/sops/:id", Roles: kit.LeadersPM, Handler: s.ui.PageSOP},
		{Method: get, Path: "/sops/:id/edit", Roles: kit.Leaders, Handler: s.ui.PageEditSOP},
		{Method: post, Path: "/sops/:id/edit", Roles: kit.Leaders, Handler: s.ui.PageUpdateSOP},
		{Method: get, Path: "/sops/:id/revisions/:rev", Roles: kit.LeadersPM, Handler: s.ui.PageSOPRevision},
		{Method: post, Path: "/sops/:id/revisions/:rev/restore", Roles: kit.Leaders, Handler: s.ui.PageRestoreSOP},
		{Method: post, Path: "/sops/:id/review", Roles: kit.Leaders, Handler: s.ui.PageReviewSOP},

		// Coaching: leaders (of a team the PM is in) and admins do everything; the PM reads
		// their own plans, sets the status of actions they own and writes reflections; HR has no
		// route here, and other PMs get 404 from the service.
		{Method: get, Path: "/api/v1/people/:id/coaching-plans", Roles: kit.LeadersPM, Handler: s.api.HandleListCoachingPlans},
		{Method: post, Path: "/api/v1/people/:id/coaching-plans", Roles: kit.Leaders, Handler: s.api.HandleCreateCoachingPlan},
		{Method: get, Path: "/api/v1/people/:id/coaching-suggestions", Roles: kit.Leaders, Handler: s.api.HandleCoachingSuggestions},
		{Method: get, Path: "/api/v1/coaching-plans/:id", Roles: kit.LeadersPM, Handler: s.api.HandleGetCoachingPlan},
		{Method: put, Path: "/api/v1/coaching-plans/:id", Roles: kit.Leaders, Handler: s.api.HandleUpdateCoachingPlan},
		{Method: post, Path: "/api/v1/coaching-plans/:id/check-ins", Roles: kit.Leaders, Handler: s.api.HandleCreateCheckIn},
		{Method: post, Path: "/api/v1/coaching-plans/:id/carry-over", Roles: kit.Leaders, Handler: s.api.HandleCarryOver},
		{Method: patch, Path: "/api/v1/coaching-actions/:id", Roles: kit.LeadersPM, Handler: s.api.HandleSetActionStatus},
		{Method: put, Path: "/api/v1/check-ins/:id/reflection", Roles: kit.LeadersPM, Handler: s.api.HandleSetReflection},

		{Method: get, Path: "/me/coaching", Roles: kit.LeadersPM, Handler: s.ui.PageMyCoaching},
		{Method: get, Path: "/people/:id/coaching", Roles: kit.Leaders, Handler: s.ui.PagePersonCoaching},
		{Method: post, Path: "/people/:id/coaching", Roles: kit.Leaders, Handler: s.ui.PageCreateCoachingPlan},
		{Method: post, Path: "/coaching/plans/:id", Roles: kit.Leaders, Handler: s.ui.PageUpdateCoachingPlan},
		{Method: post, Path: "/coaching/plans/:id/check-ins", Roles: kit.Leaders, Handler: s.ui.PageCreateCheckIn},
		{Method: post, Path: "/coaching/plans/:id/carry-over", Roles: kit.Leaders, Handler: s.ui.PageCarryOver},
		{Method: post, Path: "/coaching/actions/:id", Roles: kit.LeadersPM, Handler: s.ui.PageSetActionStatus},
		{Method: post, Path: "/coaching/check-ins/:id/reflection", Roles: kit.LeadersPM, Handler: s.ui.PageSetReflection},
		{Method: get, Path: "/teams/:id/coaching", Roles: kit.Leaders, Handler: s.ui.PageTeamCoaching},

		// Hiring gaps (leaders, HR partners, admins), what-if (leaders, admins) and
		// requisitions (HR partners and admins open and move them; leaders read them).
		{Method: get, Path: "/api/v1/teams/:id/hiring-gaps", Roles: kit.LeadersHR, Handler: s.api.HandleHiringGaps("")},
		{Method: get, Path: "/api/v1/teams/:id/hiring-gaps.csv", Roles: kit.LeadersHR, Handler: s.api.HandleHiringGaps("csv")},
		{Method: get, Path: "/api/v1/teams/:id/hiring-gaps.md", Roles: kit.LeadersHR, Handler: s.api.HandleHiringGaps("md")},
		{Method: post, Path: "/api/v1/teams/:id/what-if", Roles: kit.Leaders, Handler: s.api.HandleWhatIf},
		{Method: post, Path: "/api/v1/teams/:id/hiring-brief", Roles: kit.Leaders, Handler: s.api.HandleShareHiringBrief},
		{Method: get, Path: "/api/v1/requisitions", Roles: kit.LeadersHR, Handler: s.api.HandleListRequisitions},
		{Method: post, Path: "/api/v1/requisitions", Roles: kit.AdminHR, Handler: s.api.HandleCreateRequisition},
		{Method: patch, Path: "/api/v1/requisitions/:id", Roles: kit.AdminHR, Handler: s.api.HandleUpdateRequisition},
		{Method: get, Path: "/teams/:id/hiring", Roles: kit.LeadersHR, Handler: s.ui.PageHiring},
		{Method: get, Path: "/teams/:id/what-if", Roles: kit.Leaders, Handler: s.ui.PageWhatIf},
		{Method: post, Path: "/teams/:id/hiring/share", Roles: kit.Leaders, Handler: s.ui.PageShareHiringBrief},
		{Method: get, Path: "/requisitions", Roles: kit.LeadersHR, Handler: s.ui.PageRequisitions},
		{Method: post, Path: "/requisitions", Roles: kit.AdminHR, Handler: s.ui.PageOpenRequisition},
		{Method: post, Path: "/requisitions/:id/status", Roles: kit.AdminHR, Handler: s.ui.PageMoveRequisition},

		// Dashboards: a team's shape for anyone who sees the team (disclosed figures for
		// viewers who may not see individuals), the heatmap and targets for its leaders, the
		// organisation view for admins and the partner view for HR.
		{Method: get, Path: "/api/v1/teams/:id/shape", Roles: kit.Anyone, Handler: s.api.HandleTeamShape},
		{Method: get, Path: "/api/v1/teams/:id/heatmap", Roles: kit.Leaders, Handler: s.api.HandleTeamHeatmap},
		{Method: put, Path: "/api/v1/teams/:id/targets", Roles: kit.Leaders, Handler: s.api.HandleSetTeamTargets},
		{Method: get, Path: "/api/v1/org/shape", Roles: kit.AdminOnly, Handler: s.api.HandleOrgShape},
		{Method: get, Path: "/teams/:id/targets", Roles: kit.Leaders, Handler: s.ui.PageTeamTargets},
		{Method: post, Path: "/teams/:id/targets", Roles: kit.Leaders, Handler: s.ui.PageTeamTargetsPost},
		{Method: get, Path: "/org", Roles: kit.AdminOnly, Handler: s.ui.PageOrg},
		{Method: get, Path: "/hr", Roles: kit.AdminHR, Handler: s.ui.PageHR},

		// Careers: a person keeps their own career portfolio, their leaders and admins read
		// it; everyone but HR reads hit-lists, leaders and admins curate them; people ask suggested
		// mentors, who answer. HR has no route here: nothing individual.
		{Method: get, Path: "/api/v1/me/career/roles", Roles: kit.LeadersPM, Handler: s.api.HandleListMyCareerRoles},
		{Method: post, Path: "/api/v1/me/career/roles", Roles: kit.LeadersPM, Handler: s.api.HandleCreateCareerRole},
		{Method: put, Path: "/api/v1/me/career/roles/:id", Roles: kit.LeadersPM, Handler: s.api.HandleUpdateCareerRole},
		{Method: del, Path: "/api/v1/me/career/roles/:id", Roles: kit.LeadersPM, Handler: s.api.HandleDeleteCareerRole},
		{Method: get, Path: "/api/v1/people/:id/career", Roles: kit.LeadersPM, Handler: s.api.HandleGetCareer},
		{Method: get, Path: "/api/v1/resources", Roles: kit.LeadersPM, Handler: s.api.HandleListResources},
		{Method: post, Path: "/api/v1/resources", Roles: kit.Leaders, Handler: s.api.HandleCreateResource},
		{Method: get, Path: "/api/v1/resources/recommended", Roles: kit.LeadersPM, Handler: s.api.HandleRecommendedResources},
		{Method: put, Path: "/api/v1/resources/:id", Roles: kit.Leaders, Handler: s.api.HandleUpdateResource},
		{Method: del, Path: "/api/v1/resources/:id", Roles: kit.Leaders, Handler: s.api.HandleDeleteResource},
		{Method: post, Path: "/api/v1/resources/:id/add-to-plan", Roles: kit.LeadersPM, Handler: s.api.HandleAddResourceToPlan},
		{Method: get, Path: "/api/v1/mentors", Roles: kit.LeadersPM, Handler: s.api.HandleMentors},
		{Method: get, Path: "/api/v1/mentorships", Roles: kit.LeadersPM, Handler: s.api.HandleListMentorships},
		{Method: post, Path: "/api/v1/mentorships", Roles: kit.LeadersPM, Handler: s.api.HandleAskMentor},
		{Method: post, Path: "/api/v1/mentorships/:id/accept", Roles: kit.LeadersPM, Handler: s.api.HandleMentorship(careers.MentorshipAccept)},
		{Method: post, Path: "/api/v1/mentorships/:id/decline", Roles: kit.LeadersPM, Handler: s.api.HandleMentorship(careers.MentorshipDecline)},
		{Method: post, Path: "/api/v1/mentorships/:id/end", Roles: kit.LeadersPM, Handler: s.api.HandleMentorship(careers.MentorshipEnd)},
		{Method: get, Path: "/api/v1/me/mentoring", Roles: kit.LeadersPM, Handler: s.api.HandleGetMentoring},
		{Method: put, Path: "/api/v1/me/mentoring", Roles: kit.LeadersPM, Handler: s.api.HandleSetMentoring},

		{Method: get, Path: "/me/career", Roles: kit.LeadersPM, Handler: s.ui.PageMyCareer},
		{Method: post, Path: "/me/career/roles", Roles: kit.LeadersPM, Handler: s.ui.PageSaveCareerRole},
		{Method: post, Path: "/me/career/roles/:id", Roles: kit.LeadersPM, Handler: s.ui.PageSaveCareerRole},
		{Method: post, Path: "/me/career/roles/:id/delete", Roles: kit.LeadersPM, Handler: s.ui.PageDeleteCareerRole},
		{Method: get, Path: "/people/:id/career", Roles: kit.LeadersPM, Handler: s.ui.PagePersonCareer},
		{Method: get, Path: "/learn", Roles: kit.LeadersPM, Handler: s.ui.PageLearn},
		{Method: post, Path: "/learn/add", Roles: kit.LeadersPM, Handler: s.ui.PageAddResourceToPlan},
		{Method: get, Path: "/learn/manage", Roles: kit.Leaders, Handler: s.ui.PageManageResources},
		{Method: post, Path: "/learn/manage", Roles: kit.Leaders, Handler: s.ui.PageSaveResource},
		{Method: post, Path: "/learn/manage/:id", Roles: kit.Leaders, Handler: s.ui.PageSaveResource},
		{Method: post, Path: "/learn/manage/:id/delete", Roles: kit.Leaders, Handler: s.ui.PageDeleteResource},
		{Method: get, Path: "/me/mentoring", Roles: kit.LeadersPM, Handler: s.ui.PageMentoring},
		{Method: post, Path: "/me/mentoring", Roles: kit.LeadersPM, Handler: s.ui.PageSetMentoring},
		{Method: post, Path: "/me/mentoring/requests", Roles: kit.LeadersPM, Handler: s.ui.PageAskMentor},
		{Method: post, Path: "/mentorships/:id/accept", Roles: kit.LeadersPM, Handler: s.ui.PageMentorship(careers.MentorshipAccept)},
		{Method: post, Path: "/mentorships/:id/decline", Roles: kit.LeadersPM, Handler: s.ui.PageMentorship(careers.MentorshipDecline)},
		{Method: post, Path: "/mentorships/:id/end", Roles: kit.LeadersPM, Handler: s.ui.PageMentorship(careers.MentorshipEnd)},

		// CSV import and export of skill matrices, the organisation backup, the audit
		// log and the OpenAPI description.
		{Method: get, Path: "/api/openapi.json", Roles: kit.Public, Handler: s.handleOpenAPI},
		{Method: post, Path: "/api/v1/imports/preview", Roles: kit.Leaders, Handler: s.api.HandleImportPreview, Accepts: api.CsvUpload},
		{Method: post, Path: "/api/v1/imports", Roles: kit.Leaders, Handler: s.api.HandleImport, Accepts: api.CsvUpload},
		{Method: get, Path: "/api/v1/teams/:id/matrix.csv", Roles: kit.Leaders, Handler: s.api.HandleMatrixCSV},
		{Method: get, Path: "/api/v1/org/export", Roles: kit.AdminOnly, Handler: s.api.HandleOrgExport},
		{Method: get, Path: "/api/v1/audit", Roles: kit.AdminOnly, Handler: s.api.HandleAudit},
		{Method: get, Path: "/api/v1/teams/:id/audit", Roles: kit.Leaders, Handler: s.api.HandleTeamAudit},

		{Method: get, Path: "/admin/import", Roles: kit.AdminOnly, Handler: s.ui.PageImport},
		{Method: post, Path: "/admin/import/preview", Roles: kit.AdminOnly, Handler: s.ui.PageImportPreview},
		{Method: post, Path: "/admin/import", Roles: kit.AdminOnly, Handler: s.ui.PageImportPost},
		{Method: get, Path: "/teams/:id/import", Roles: kit.Leaders, Handler: s.ui.PageImport},
		{Method: post, Path: "/teams/:id/import/preview", Roles: kit.Leaders, Handler: s.ui.PageImportPreview},
		{Method: post, Path: "/teams/:id/import", Roles: kit.Leaders, Handler: s.ui.PageImportPost},
		{Method: get, Path: "/admin/audit", Roles: kit.AdminOnly, Handler: s.ui.PageAudit},
		{Method: get, Path: "/teams/:id/audit", Roles: kit.Leaders, Handler: s.ui.PageAudit},

		// assessment cycles (issue 18). A team's leaders and admins open, read and
		// close its cycles, run the 1:1 (agreements, coaching goals) and see the team's flagged
		// differences; its PMs read their cycle and their own compare view. HR has no route:
		// nothing here is an aggregate. The service answers 404 outside the team.
		{Method: get, Path: "/api/v1/teams/:id/cycles", Roles: kit.Leaders, Handler: s.api.HandleTeamCycles},
		{Method: post, Path: "/api/v1/teams/:id/cycles", Roles: kit.Leaders, Handler: s.api.HandleOpenCycle},
		{Method: get, Path: "/api/v1/teams/:id/flags", Roles: kit.Leaders, Handler: s.api.HandleTeamFlags},
		{Method: post, Path: "/api/v1/cycles", Roles: kit.Leaders, Handler: s.api.HandleOpenCycles},
		{Method: get, Path: "/api/v1/cycles/:id", Roles: kit.LeadersPM, Handler: s.api.HandleGetCycle},
		{Method: post, Path: "/api/v1/cycles/:id/close", Roles: kit.Leaders, Handler: s.api.HandleCloseCycle},
		{Method: get, Path: "/api/v1/people/:id/compare", Roles: kit.LeadersPM, Handler: s.api.HandleCompare},
		{Method: put, Path: "/api/v1/cycles/:id/people/:person_id/agreements", Roles: kit.Leaders, Handler: s.api.HandleAgree},
		{Method: post, Path: "/api/v1/cycles/:id/people/:person_id/coaching-plan", Roles: kit.Leaders, Handler: s.api.HandleStartCoaching},
		{Method: get, Path: "/api/v1/me/cycles", Roles: kit.LeadersPM, Handler: s.api.HandleMyCycles},

		{Method: get, Path: "/teams/:id/cycles", Roles: kit.Leaders, Handler: s.ui.PageTeamCycles},
		{Method: post, Path: "/teams/:id/cycles", Roles: kit.Leaders, Handler: s.ui.PageOpenCycle},
		{Method: get, Path: "/cycles/:id", Roles: kit.LeadersPM, Handler: s.ui.PageCycle},
		{Method: post, Path: "/cycles/:id/close", Roles: kit.Leaders, Handler: s.ui.PageCloseCycle},
		{Method: get, Path: "/people/:id/compare", Roles: kit.LeadersPM, Handler: s.ui.PageCompare},
		{Method: post, Path: "/cycles/:id/people/:person_id/agreements", Roles: kit.Leaders, Handler: s.ui.PageAgree},
		{Method: post, Path: "/cycles/:id/people/:person_id/coaching-plan", Roles: kit.Leaders, Handler: s.ui.PageStartCoaching},

		// rhythmRoutes are the quarterly rhythm's routes of issue 18 part B: trends, calibration,
		// notifications.
		{Method: get, Path: "/api/v1/teams/:id/trends", Roles: kit.Anyone, Handler: s.api.HandleTeamTrends},
		{Method: get, Path: "/api/v1/org/calibration", Roles: kit.AdminOnly, Handler: s.api.HandleCalibration},
		{Method: get, Path: "/org/calibration", Roles: kit.AdminOnly, Handler: s.ui.PageCalibration},
		{Method: get, Path: "/api/v1/notifications", Roles: kit.Anyone, Handler: s.api.HandleNotifications},
		{Method: post, Path: "/api/v1/notifications/read", Roles: kit.Anyone, Handler: s.api.HandleNotificationsRead},
		{Method: get, Path: "/api/v1/me/notification-settings", Roles: kit.Anyone, Handler: s.api.HandleNotificationPrefs},
		{Method: put, Path: "/api/v1/me/notification-settings", Roles: kit.Anyone, Handler: s.api.HandleSetNotificationPrefs},
		{Method: get, Path: "/me/notifications", Roles: kit.Anyone, Handler: s.ui.PageNotifications},
		{Method: post, Path: "/me/notifications/read", Roles: kit.Anyone, Handler: s.ui.PageNotificationsRead},
		{Method: post, Path: "/me/notifications/settings", Roles: kit.Anyone, Handler: s.ui.PageNotificationPrefs},
	}
}

const get, post, put, patch, del = fiber.MethodGet, fiber.MethodPost, fiber.MethodPut, fiber.MethodPatch, fiber.MethodDelete
