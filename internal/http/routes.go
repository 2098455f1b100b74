package http

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/teamshape/teamshape/internal/careers"
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
		return []string{mimeJSON}
	}
	return []string{mimeForm, mimeMultipart}
}

// Routes lists every route of the server with the roles it admits: the one route table.
// Feature by feature, the JSON API first, then the pages; Fiber matches in this order, so a
// fixed path comes before a parameter in the same place (/sops/due before /sops/:id). The
// route×role table test walks this list.
func (s *Server) Routes() []Route {
	return []Route{
		// Health, sign-in and the landing page.
		{Method: get, Path: "/healthz", Roles: public, Handler: s.handleHealthz},
		{Method: get, Path: "/readyz", Roles: public, Handler: s.handleReadyz},
		{Method: post, Path: "/api/v1/auth/login", Roles: public, Handler: s.handleAPILogin, SameOrigin: true},
		{Method: post, Path: "/api/v1/auth/logout", Roles: anyone, Handler: s.handleAPILogout, Enrol: true},
		{Method: get, Path: "/api/v1/me", Roles: anyone, Handler: s.handleMe, Enrol: true},
		{Method: get, Path: "/login", Roles: public, Handler: s.pageLogin},
		{Method: post, Path: "/login", Roles: public, Handler: s.pageLoginPost, SameOrigin: true},
		{Method: post, Path: "/logout", Roles: anyone, Handler: s.pageLogout, Enrol: true},
		{Method: get, Path: "/", Roles: anyone, Handler: s.pageHome},

		// Accounts: invitations (admins; leaders invite PMs into their teams, and manage
		// their own: the service answers 404 for others'), password change and reset,
		// sessions. The pages reached from e-mailed links are public, like sign-in.
		{Method: post, Path: "/api/v1/invitations", Roles: leaders, Handler: s.handleInvite},
		{Method: get, Path: "/api/v1/invitations", Roles: leaders, Handler: s.handleListInvitations},
		{Method: del, Path: "/api/v1/invitations/:id", Roles: leaders, Handler: s.handleRevokeInvitation},
		{Method: post, Path: "/api/v1/invitations/:id/resend", Roles: leaders, Handler: s.handleResendInvitation},
		{Method: post, Path: "/api/v1/auth/accept-invitation", Roles: public, Handler: s.handleAcceptInvitation, SameOrigin: true},
		{Method: post, Path: "/api/v1/me/password", Roles: anyone, Handler: s.handleChangePassword},
		{Method: post, Path: "/api/v1/auth/password-reset", Roles: public, Handler: s.handlePasswordReset, SameOrigin: true},
		{Method: post, Path: "/api/v1/auth/password-reset/confirm", Roles: public, Handler: s.handlePasswordResetConfirm, SameOrigin: true},
		{Method: get, Path: "/api/v1/me/sessions", Roles: anyone, Handler: s.handleListSessions},
		{Method: del, Path: "/api/v1/me/sessions/:id", Roles: anyone, Handler: s.handleEndSession},
		{Method: get, Path: "/invitations", Roles: leaders, Handler: s.pageInvitations},
		{Method: post, Path: "/invitations", Roles: leaders, Handler: s.pageInvitePost},
		{Method: post, Path: "/invitations/:id/resend", Roles: leaders, Handler: s.pageInvitationResend},
		{Method: post, Path: "/invitations/:id/revoke", Roles: leaders, Handler: s.pageInvitationRevoke},
		{Method: get, Path: "/invitations/accept", Roles: public, Handler: s.pageAcceptInvitation},
		{Method: post, Path: "/invitations/accept", Roles: public, Handler: s.pageAcceptInvitationPost, SameOrigin: true},
		{Method: get, Path: "/password-reset", Roles: public, Handler: s.pagePasswordReset},
		{Method: post, Path: "/password-reset", Roles: public, Handler: s.pagePasswordResetPost, SameOrigin: true},
		{Method: get, Path: "/password-reset/confirm", Roles: public, Handler: s.pagePasswordResetConfirm},
		{Method: post, Path: "/password-reset/confirm", Roles: public, Handler: s.pagePasswordResetConfirmPost, SameOrigin: true},
		{Method: get, Path: "/me/security", Roles: anyone, Handler: s.pageSecurity, Enrol: true},
		{Method: post, Path: "/me/security/password", Roles: anyone, Handler: s.pageSecurityPassword},
		{Method: post, Path: "/me/security/sessions/:id/end", Roles: anyone, Handler: s.pageSecurityEndSession},
		{Method: post, Path: "/me/security/sessions/end-others", Roles: anyone, Handler: s.pageSecurityEndOthers},
		// Single sign-on, the second factor and the admins' sign-in settings (Enrol: open to an
		// admin who must still turn on the second factor the organisation requires).
		{Method: post, Path: "/api/v1/auth/login/second-factor", Roles: public, Handler: s.handleAPISecondFactor, SameOrigin: true},
		{Method: post, Path: "/login/second-factor", Roles: public, Handler: s.pageSecondFactorPost, SameOrigin: true},
		{Method: get, Path: "/sso/start", Roles: public, Handler: s.pageSSOStart},
		{Method: get, Path: "/sso/callback", Roles: public, Handler: s.pageSSOCallback},
		{Method: get, Path: "/api/v1/me/totp", Roles: anyone, Handler: s.handleTOTPStatus, Enrol: true},
		{Method: post, Path: "/api/v1/me/totp", Roles: anyone, Handler: s.handleTOTPBegin, Enrol: true},
		{Method: post, Path: "/api/v1/me/totp/confirm", Roles: anyone, Handler: s.handleTOTPConfirm, Enrol: true},
		{Method: post, Path: "/api/v1/me/totp/disable", Roles: anyone, Handler: s.handleTOTPDisable, Enrol: true},
		{Method: post, Path: "/api/v1/me/totp/recovery-codes", Roles: anyone, Handler: s.handleRecoveryCodes, Enrol: true},
		{Method: post, Path: "/me/security/totp", Roles: anyone, Handler: s.pageTOTPBegin, Enrol: true},
		{Method: post, Path: "/me/security/totp/confirm", Roles: anyone, Handler: s.pageTOTPConfirm, Enrol: true},
		{Method: post, Path: "/me/security/totp/disable", Roles: anyone, Handler: s.pageTOTPDisable, Enrol: true},
		{Method: post, Path: "/me/security/totp/recovery-codes", Roles: anyone, Handler: s.pageRecoveryCodes, Enrol: true},
		{Method: get, Path: "/api/v1/org/sso", Roles: adminOnly, Handler: s.handleGetSSO},
		{Method: put, Path: "/api/v1/org/sso", Roles: adminOnly, Handler: s.handlePutSSO},
		{Method: get, Path: "/api/v1/org/security", Roles: adminOnly, Handler: s.handleGetOrgSecurity},
		{Method: put, Path: "/api/v1/org/security", Roles: adminOnly, Handler: s.handlePutOrgSecurity},
		{Method: get, Path: "/admin/sign-in", Roles: adminOnly, Handler: s.pageAdminSignIn},
		{Method: post, Path: "/admin/sign-in/sso", Roles: adminOnly, Handler: s.pageAdminSSOPost},
		{Method: post, Path: "/admin/sign-in/second-factor", Roles: adminOnly, Handler: s.pageAdminSecondFactorPost},

		// People and teams (admins manage; everyone reads their teams).
		{Method: get, Path: "/api/v1/users", Roles: adminOnly, Handler: s.handleListUsers},
		{Method: post, Path: "/api/v1/users", Roles: adminOnly, Handler: s.handleCreateUser},
		{Method: patch, Path: "/api/v1/users/:id", Roles: adminOnly, Handler: s.handleUpdateUser},
		{Method: get, Path: "/api/v1/teams", Roles: anyone, Handler: s.handleListTeams},
		{Method: post, Path: "/api/v1/teams", Roles: adminOnly, Handler: s.handleCreateTeam},
		{Method: get, Path: "/api/v1/teams/:id", Roles: anyone, Handler: s.handleGetTeam},
		{Method: post, Path: "/api/v1/teams/:id/members", Roles: adminOnly, Handler: s.handleSetTeamMember},
		{Method: del, Path: "/api/v1/teams/:id/members/:user_id", Roles: adminOnly, Handler: s.handleRemoveTeamMember},
		{Method: get, Path: "/teams", Roles: anyone, Handler: s.pageTeams},
		{Method: get, Path: "/teams/:id", Roles: anyone, Handler: s.pageTeam},

		// Profiles: the competency framework and career ladder, people's skill profiles,
		// ratings and peer requests, and the admin pages for the framework, people and teams.
		//
		// HR partners have no skill profile: they neither rate nor are rated, so every profile,
		// rating and peer-request route admits admin, leader and pm only.
		{Method: get, Path: "/api/v1/competencies", Roles: anyone, Handler: s.handleGetFramework},
		{Method: post, Path: "/api/v1/areas", Roles: adminOnly, Handler: s.handleCreateArea},
		{Method: patch, Path: "/api/v1/areas/:key", Roles: adminOnly, Handler: s.handleUpdateArea},
		{Method: post, Path: "/api/v1/competencies", Roles: adminOnly, Handler: s.handleCreateCompetency},
		{Method: patch, Path: "/api/v1/competencies/:key", Roles: adminOnly, Handler: s.handleUpdateCompetency},
		{Method: del, Path: "/api/v1/competencies/:key", Roles: adminOnly, Handler: s.handleDeleteCompetency},
		{Method: put, Path: "/api/v1/ladder", Roles: adminOnly, Handler: s.handleSetLadder},
		{Method: get, Path: "/api/v1/me/profile", Roles: leadersPM, Handler: s.handleGetMyProfile},
		{Method: put, Path: "/api/v1/me/profile", Roles: leadersPM, Handler: s.handlePutMyProfile},
		{Method: put, Path: "/api/v1/me/ratings", Roles: leadersPM, Handler: s.handlePutMyRatings},
		{Method: get, Path: "/api/v1/people/:id/ratings", Roles: leadersPM, Handler: s.handleGetPersonRatings},
		{Method: put, Path: "/api/v1/people/:id/ratings", Roles: leaders, Handler: s.handlePutPersonRatings},
		{Method: post, Path: "/api/v1/people/:id/peer-requests", Roles: leadersPM, Handler: s.handleCreatePeerRequest},
		{Method: get, Path: "/api/v1/peer-requests", Roles: leadersPM, Handler: s.handleListPeerRequests},
		{Method: post, Path: "/api/v1/peer-requests/:id/answer", Roles: leadersPM, Handler: s.handleAnswerPeerRequest},
		{Method: post, Path: "/api/v1/peer-requests/:id/decline", Roles: leadersPM, Handler: s.handleDeclinePeerRequest},

		{Method: get, Path: "/me/profile", Roles: leadersPM, Handler: s.pageMyProfile},
		{Method: post, Path: "/me/profile", Roles: leadersPM, Handler: s.pageMyProfilePost},
		{Method: post, Path: "/me/ratings", Roles: leadersPM, Handler: s.pageMyRatingsPost},
		{Method: get, Path: "/people/:id", Roles: leadersPM, Handler: s.pagePerson},
		{Method: post, Path: "/people/:id/ratings", Roles: leaders, Handler: s.pagePersonRatingsPost},
		{Method: post, Path: "/people/:id/peer-requests", Roles: leadersPM, Handler: s.pagePeerRequestPost},
		{Method: get, Path: "/peer-requests/:id", Roles: leadersPM, Handler: s.pagePeerRequest},
		{Method: post, Path: "/peer-requests/:id/answer", Roles: leadersPM, Handler: s.pagePeerAnswerPost},
		{Method: post, Path: "/peer-requests/:id/decline", Roles: leadersPM, Handler: s.pagePeerDeclinePost},

		{Method: get, Path: "/admin/framework", Roles: adminOnly, Handler: s.pageFramework},
		{Method: post, Path: "/admin/framework/areas", Roles: adminOnly, Handler: s.pageAreaCreatePost},
		{Method: post, Path: "/admin/framework/areas/:key", Roles: adminOnly, Handler: s.pageAreaUpdatePost},
		{Method: post, Path: "/admin/framework/competencies", Roles: adminOnly, Handler: s.pageCompetencyCreatePost},
		{Method: post, Path: "/admin/framework/competencies/:key", Roles: adminOnly, Handler: s.pageCompetencyUpdatePost},
		{Method: post, Path: "/admin/framework/competencies/:key/delete", Roles: adminOnly, Handler: s.pageCompetencyDeletePost},
		{Method: post, Path: "/admin/framework/ladder", Roles: adminOnly, Handler: s.pageLadderPost},
		{Method: get, Path: "/admin/people", Roles: adminOnly, Handler: s.pageAdminPeople},
		{Method: post, Path: "/admin/people/users", Roles: adminOnly, Handler: s.pageUserCreatePost},
		{Method: post, Path: "/admin/people/users/:id", Roles: adminOnly, Handler: s.pageUserUpdatePost},
		{Method: post, Path: "/admin/people/teams", Roles: adminOnly, Handler: s.pageTeamCreatePost},
		{Method: post, Path: "/admin/people/teams/:id/members", Roles: adminOnly, Handler: s.pageTeamMemberPost},
		{Method: post, Path: "/admin/people/teams/:id/members/:user_id/remove", Roles: adminOnly, Handler: s.pageTeamMemberRemovePost},

		// SOPs: leaders of the team and admins do everything; the team's PMs read; its HR
		// partners see the board summary and the handshakes with HR. Outside the team: 404.
		{Method: get, Path: "/api/v1/teams/:id/sops", Roles: anyone, Handler: s.handleSOPBoard},
		{Method: post, Path: "/api/v1/teams/:id/sops", Roles: leaders, Handler: s.handleCreateSOP},
		{Method: get, Path: "/api/v1/sops/due", Roles: leadersPM, Handler: s.handleSOPsDue},
		{Method: get, Path: "/api/v1/sops/:id", Roles: leadersPM, Handler: s.handleGetSOP},
		{Method: put, Path: "/api/v1/sops/:id", Roles: leaders, Handler: s.handleUpdateSOP},
		{Method: get, Path: "/api/v1/sops/:id/revisions", Roles: leadersPM, Handler: s.handleSOPRevisions},
		{Method: get, Path: "/api/v1/sops/:id/revisions/:rev", Roles: leadersPM, Handler: s.handleSOPRevision},
		{Method: post, Path: "/api/v1/sops/:id/revisions/:rev/restore", Roles: leaders, Handler: s.handleRestoreSOP},
		{Method: post, Path: "/api/v1/sops/:id/review", Roles: leaders, Handler: s.handleReviewSOP},
		{Method: get, Path: "/teams/:id/sops", Roles: anyone, Handler: s.pageSOPBoard},
		{Method: get, Path: "/teams/:id/sops/new", Roles: leaders, Handler: s.pageNewSOP},
		{Method: post, Path: "/teams/:id/sops", Roles: leaders, Handler: s.pageCreateSOP},
		{Method: get, Path: "/sops/:id", Roles: leadersPM, Handler: s.pageSOP},
		{Method: get, Path: "/sops/:id/edit", Roles: leaders, Handler: s.pageEditSOP},
		{Method: post, Path: "/sops/:id/edit", Roles: leaders, Handler: s.pageUpdateSOP},
		{Method: get, Path: "/sops/:id/revisions/:rev", Roles: leadersPM, Handler: s.pageSOPRevision},
		{Method: post, Path: "/sops/:id/revisions/:rev/restore", Roles: leaders, Handler: s.pageRestoreSOP},
		{Method: post, Path: "/sops/:id/review", Roles: leaders, Handler: s.pageReviewSOP},

		// Coaching: leaders (of a team the PM is in) and admins do everything; the PM reads
		// their own plans, sets the status of actions they own and writes reflections; HR has no
		// route here, and other PMs get 404 from the service.
		{Method: get, Path: "/api/v1/people/:id/coaching-plans", Roles: leadersPM, Handler: s.handleListCoachingPlans},
		{Method: post, Path: "/api/v1/people/:id/coaching-plans", Roles: leaders, Handler: s.handleCreateCoachingPlan},
		{Method: get, Path: "/api/v1/people/:id/coaching-suggestions", Roles: leaders, Handler: s.handleCoachingSuggestions},
		{Method: get, Path: "/api/v1/coaching-plans/:id", Roles: leadersPM, Handler: s.handleGetCoachingPlan},
		{Method: put, Path: "/api/v1/coaching-plans/:id", Roles: leaders, Handler: s.handleUpdateCoachingPlan},
		{Method: post, Path: "/api/v1/coaching-plans/:id/check-ins", Roles: leaders, Handler: s.handleCreateCheckIn},
		{Method: post, Path: "/api/v1/coaching-plans/:id/carry-over", Roles: leaders, Handler: s.handleCarryOver},
		{Method: patch, Path: "/api/v1/coaching-actions/:id", Roles: leadersPM, Handler: s.handleSetActionStatus},
		{Method: put, Path: "/api/v1/check-ins/:id/reflection", Roles: leadersPM, Handler: s.handleSetReflection},

		{Method: get, Path: "/me/coaching", Roles: leadersPM, Handler: s.pageMyCoaching},
		{Method: get, Path: "/people/:id/coaching", Roles: leaders, Handler: s.pagePersonCoaching},
		{Method: post, Path: "/people/:id/coaching", Roles: leaders, Handler: s.pageCreateCoachingPlan},
		{Method: post, Path: "/coaching/plans/:id", Roles: leaders, Handler: s.pageUpdateCoachingPlan},
		{Method: post, Path: "/coaching/plans/:id/check-ins", Roles: leaders, Handler: s.pageCreateCheckIn},
		{Method: post, Path: "/coaching/plans/:id/carry-over", Roles: leaders, Handler: s.pageCarryOver},
		{Method: post, Path: "/coaching/actions/:id", Roles: leadersPM, Handler: s.pageSetActionStatus},
		{Method: post, Path: "/coaching/check-ins/:id/reflection", Roles: leadersPM, Handler: s.pageSetReflection},
		{Method: get, Path: "/teams/:id/coaching", Roles: leaders, Handler: s.pageTeamCoaching},

		// Hiring gaps (leaders, HR partners, admins), what-if (leaders, admins) and
		// requisitions (HR partners and admins open and move them; leaders read them).
		{Method: get, Path: "/api/v1/teams/:id/hiring-gaps", Roles: leadersHR, Handler: s.handleHiringGaps("")},
		{Method: get, Path: "/api/v1/teams/:id/hiring-gaps.csv", Roles: leadersHR, Handler: s.handleHiringGaps("csv")},
		{Method: get, Path: "/api/v1/teams/:id/hiring-gaps.md", Roles: leadersHR, Handler: s.handleHiringGaps("md")},
		{Method: post, Path: "/api/v1/teams/:id/what-if", Roles: leaders, Handler: s.handleWhatIf},
		{Method: post, Path: "/api/v1/teams/:id/hiring-brief", Roles: leaders, Handler: s.handleShareHiringBrief},
		{Method: get, Path: "/api/v1/requisitions", Roles: leadersHR, Handler: s.handleListRequisitions},
		{Method: post, Path: "/api/v1/requisitions", Roles: adminHR, Handler: s.handleCreateRequisition},
		{Method: patch, Path: "/api/v1/requisitions/:id", Roles: adminHR, Handler: s.handleUpdateRequisition},
		{Method: get, Path: "/teams/:id/hiring", Roles: leadersHR, Handler: s.pageHiring},
		{Method: get, Path: "/teams/:id/what-if", Roles: leaders, Handler: s.pageWhatIf},
		{Method: post, Path: "/teams/:id/hiring/share", Roles: leaders, Handler: s.pageShareHiringBrief},
		{Method: get, Path: "/requisitions", Roles: leadersHR, Handler: s.pageRequisitions},
		{Method: post, Path: "/requisitions", Roles: adminHR, Handler: s.pageOpenRequisition},
		{Method: post, Path: "/requisitions/:id/status", Roles: adminHR, Handler: s.pageMoveRequisition},

		// Dashboards: a team's shape for anyone who sees the team (disclosed figures for
		// viewers who may not see individuals), the heatmap and targets for its leaders, the
		// organisation view for admins and the partner view for HR.
		{Method: get, Path: "/api/v1/teams/:id/shape", Roles: anyone, Handler: s.handleTeamShape},
		{Method: get, Path: "/api/v1/teams/:id/heatmap", Roles: leaders, Handler: s.handleTeamHeatmap},
		{Method: put, Path: "/api/v1/teams/:id/targets", Roles: leaders, Handler: s.handleSetTeamTargets},
		{Method: get, Path: "/api/v1/org/shape", Roles: adminOnly, Handler: s.handleOrgShape},
		{Method: get, Path: "/teams/:id/targets", Roles: leaders, Handler: s.pageTeamTargets},
		{Method: post, Path: "/teams/:id/targets", Roles: leaders, Handler: s.pageTeamTargetsPost},
		{Method: get, Path: "/org", Roles: adminOnly, Handler: s.pageOrg},
		{Method: get, Path: "/hr", Roles: adminHR, Handler: s.pageHR},

		// Careers: a person keeps their own career portfolio, their leaders and admins read
		// it; everyone but HR reads hit-lists, leaders and admins curate them; people ask suggested
		// mentors, who answer. HR has no route here: nothing individual.
		{Method: get, Path: "/api/v1/me/career/roles", Roles: leadersPM, Handler: s.handleListMyCareerRoles},
		{Method: post, Path: "/api/v1/me/career/roles", Roles: leadersPM, Handler: s.handleCreateCareerRole},
		{Method: put, Path: "/api/v1/me/career/roles/:id", Roles: leadersPM, Handler: s.handleUpdateCareerRole},
		{Method: del, Path: "/api/v1/me/career/roles/:id", Roles: leadersPM, Handler: s.handleDeleteCareerRole},
		{Method: get, Path: "/api/v1/people/:id/career", Roles: leadersPM, Handler: s.handleGetCareer},
		{Method: get, Path: "/api/v1/resources", Roles: leadersPM, Handler: s.handleListResources},
		{Method: post, Path: "/api/v1/resources", Roles: leaders, Handler: s.handleCreateResource},
		{Method: get, Path: "/api/v1/resources/recommended", Roles: leadersPM, Handler: s.handleRecommendedResources},
		{Method: put, Path: "/api/v1/resources/:id", Roles: leaders, Handler: s.handleUpdateResource},
		{Method: del, Path: "/api/v1/resources/:id", Roles: leaders, Handler: s.handleDeleteResource},
		{Method: post, Path: "/api/v1/resources/:id/add-to-plan", Roles: leadersPM, Handler: s.handleAddResourceToPlan},
		{Method: get, Path: "/api/v1/mentors", Roles: leadersPM, Handler: s.handleMentors},
		{Method: get, Path: "/api/v1/mentorships", Roles: leadersPM, Handler: s.handleListMentorships},
		{Method: post, Path: "/api/v1/mentorships", Roles: leadersPM, Handler: s.handleAskMentor},
		{Method: post, Path: "/api/v1/mentorships/:id/accept", Roles: leadersPM, Handler: s.handleMentorship(careers.MentorshipAccept)},
		{Method: post, Path: "/api/v1/mentorships/:id/decline", Roles: leadersPM, Handler: s.handleMentorship(careers.MentorshipDecline)},
		{Method: post, Path: "/api/v1/mentorships/:id/end", Roles: leadersPM, Handler: s.handleMentorship(careers.MentorshipEnd)},
		{Method: get, Path: "/api/v1/me/mentoring", Roles: leadersPM, Handler: s.handleGetMentoring},
		{Method: put, Path: "/api/v1/me/mentoring", Roles: leadersPM, Handler: s.handleSetMentoring},

		{Method: get, Path: "/me/career", Roles: leadersPM, Handler: s.pageMyCareer},
		{Method: post, Path: "/me/career/roles", Roles: leadersPM, Handler: s.pageSaveCareerRole},
		{Method: post, Path: "/me/career/roles/:id", Roles: leadersPM, Handler: s.pageSaveCareerRole},
		{Method: post, Path: "/me/career/roles/:id/delete", Roles: leadersPM, Handler: s.pageDeleteCareerRole},
		{Method: get, Path: "/people/:id/career", Roles: leadersPM, Handler: s.pagePersonCareer},
		{Method: get, Path: "/learn", Roles: leadersPM, Handler: s.pageLearn},
		{Method: post, Path: "/learn/add", Roles: leadersPM, Handler: s.pageAddResourceToPlan},
		{Method: get, Path: "/learn/manage", Roles: leaders, Handler: s.pageManageResources},
		{Method: post, Path: "/learn/manage", Roles: leaders, Handler: s.pageSaveResource},
		{Method: post, Path: "/learn/manage/:id", Roles: leaders, Handler: s.pageSaveResource},
		{Method: post, Path: "/learn/manage/:id/delete", Roles: leaders, Handler: s.pageDeleteResource},
		{Method: get, Path: "/me/mentoring", Roles: leadersPM, Handler: s.pageMentoring},
		{Method: post, Path: "/me/mentoring", Roles: leadersPM, Handler: s.pageSetMentoring},
		{Method: post, Path: "/me/mentoring/requests", Roles: leadersPM, Handler: s.pageAskMentor},
		{Method: post, Path: "/mentorships/:id/accept", Roles: leadersPM, Handler: s.pageMentorship(careers.MentorshipAccept)},
		{Method: post, Path: "/mentorships/:id/decline", Roles: leadersPM, Handler: s.pageMentorship(careers.MentorshipDecline)},
		{Method: post, Path: "/mentorships/:id/end", Roles: leadersPM, Handler: s.pageMentorship(careers.MentorshipEnd)},

		// CSV import and export of skill matrices, the organisation backup, the audit
		// log and the OpenAPI description.
		{Method: get, Path: "/api/openapi.json", Roles: public, Handler: s.handleOpenAPI},
		{Method: post, Path: "/api/v1/imports/preview", Roles: leaders, Handler: s.handleImportPreview, Accepts: csvUpload},
		{Method: post, Path: "/api/v1/imports", Roles: leaders, Handler: s.handleImport, Accepts: csvUpload},
		{Method: get, Path: "/api/v1/teams/:id/matrix.csv", Roles: leaders, Handler: s.handleMatrixCSV},
		{Method: get, Path: "/api/v1/org/export", Roles: adminOnly, Handler: s.handleOrgExport},
		{Method: get, Path: "/api/v1/audit", Roles: adminOnly, Handler: s.handleAudit},
		{Method: get, Path: "/api/v1/teams/:id/audit", Roles: leaders, Handler: s.handleTeamAudit},

		{Method: get, Path: "/admin/import", Roles: adminOnly, Handler: s.pageImport},
		{Method: post, Path: "/admin/import/preview", Roles: adminOnly, Handler: s.pageImportPreview},
		{Method: post, Path: "/admin/import", Roles: adminOnly, Handler: s.pageImportPost},
		{Method: get, Path: "/teams/:id/import", Roles: leaders, Handler: s.pageImport},
		{Method: post, Path: "/teams/:id/import/preview", Roles: leaders, Handler: s.pageImportPreview},
		{Method: post, Path: "/teams/:id/import", Roles: leaders, Handler: s.pageImportPost},
		{Method: get, Path: "/admin/audit", Roles: adminOnly, Handler: s.pageAudit},
		{Method: get, Path: "/teams/:id/audit", Roles: leaders, Handler: s.pageAudit},

		// assessment cycles (issue 18). A team's leaders and admins open, read and
		// close its cycles, run the 1:1 (agreements, coaching goals) and see the team's flagged
		// differences; its PMs read their cycle and their own compare view. HR has no route:
		// nothing here is an aggregate. The service answers 404 outside the team.
		{Method: get, Path: "/api/v1/teams/:id/cycles", Roles: leaders, Handler: s.handleTeamCycles},
		{Method: post, Path: "/api/v1/teams/:id/cycles", Roles: leaders, Handler: s.handleOpenCycle},
		{Method: get, Path: "/api/v1/teams/:id/flags", Roles: leaders, Handler: s.handleTeamFlags},
		{Method: post, Path: "/api/v1/cycles", Roles: leaders, Handler: s.handleOpenCycles},
		{Method: get, Path: "/api/v1/cycles/:id", Roles: leadersPM, Handler: s.handleGetCycle},
		{Method: post, Path: "/api/v1/cycles/:id/close", Roles: leaders, Handler: s.handleCloseCycle},
		{Method: get, Path: "/api/v1/people/:id/compare", Roles: leadersPM, Handler: s.handleCompare},
		{Method: put, Path: "/api/v1/cycles/:id/people/:person_id/agreements", Roles: leaders, Handler: s.handleAgree},
		{Method: post, Path: "/api/v1/cycles/:id/people/:person_id/coaching-plan", Roles: leaders, Handler: s.handleStartCoaching},
		{Method: get, Path: "/api/v1/me/cycles", Roles: leadersPM, Handler: s.handleMyCycles},

		{Method: get, Path: "/teams/:id/cycles", Roles: leaders, Handler: s.pageTeamCycles},
		{Method: post, Path: "/teams/:id/cycles", Roles: leaders, Handler: s.pageOpenCycle},
		{Method: get, Path: "/cycles/:id", Roles: leadersPM, Handler: s.pageCycle},
		{Method: post, Path: "/cycles/:id/close", Roles: leaders, Handler: s.pageCloseCycle},
		{Method: get, Path: "/people/:id/compare", Roles: leadersPM, Handler: s.pageCompare},
		{Method: post, Path: "/cycles/:id/people/:person_id/agreements", Roles: leaders, Handler: s.pageAgree},
		{Method: post, Path: "/cycles/:id/people/:person_id/coaching-plan", Roles: leaders, Handler: s.pageStartCoaching},

		// rhythmRoutes are the quarterly rhythm's routes of issue 18 part B: trends, calibration,
		// notifications.
		{Method: get, Path: "/api/v1/teams/:id/trends", Roles: anyone, Handler: s.handleTeamTrends},
		{Method: get, Path: "/api/v1/org/calibration", Roles: adminOnly, Handler: s.handleCalibration},
		{Method: get, Path: "/org/calibration", Roles: adminOnly, Handler: s.pageCalibration},
		{Method: get, Path: "/api/v1/notifications", Roles: anyone, Handler: s.handleNotifications},
		{Method: post, Path: "/api/v1/notifications/read", Roles: anyone, Handler: s.handleNotificationsRead},
		{Method: get, Path: "/api/v1/me/notification-settings", Roles: anyone, Handler: s.handleNotificationPrefs},
		{Method: put, Path: "/api/v1/me/notification-settings", Roles: anyone, Handler: s.handleSetNotificationPrefs},
		{Method: get, Path: "/me/notifications", Roles: anyone, Handler: s.pageNotifications},
		{Method: post, Path: "/me/notifications/read", Roles: anyone, Handler: s.pageNotificationsRead},
		{Method: post, Path: "/me/notifications/settings", Roles: anyone, Handler: s.pageNotificationPrefs},
	}
}

const get, post, put, patch, del = fiber.MethodGet, fiber.MethodPost, fiber.MethodPut, fiber.MethodPatch, fiber.MethodDelete
