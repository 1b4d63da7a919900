package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"crossmentor/models"
)

// Routes registers every route and the middleware around them; this is the
// one route table of the app.
func (h *Handlers) Routes(e *echo.Echo) {
	e.HTTPErrorHandler = h.ErrorHandler
	e.Renderer = h.Renderer
	e.Validator = NewValidator()

	e.Use(middleware.RequestID())
	e.Use(h.requestLogger())
	e.Use(handleErrors)
	e.Use(middleware.Recover())
	e.Use(h.requestInfo)
	e.Use(h.securityHeaders)
	// HR exports may be large; everything else stays small.
	isImport := func(c echo.Context) bool { return strings.HasPrefix(c.Request().URL.Path, "/people/import") }
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: "1M", Skipper: isImport}))
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: "24M",
		Skipper: func(c echo.Context) bool { return !isImport(c) }}))
	e.Use(rejectUnstorableText)
	e.Use(middleware.CSRFWithConfig(middleware.CSRFConfig{ // #nosec G101 -- names a cookie, holds no credential
		Skipper:        func(c echo.Context) bool { return isAPI(c) || isFeed(c) },
		TokenLookup:    "form:_csrf,header:X-CSRF-Token",
		ContextKey:     keyCSRF,
		CookieName:     h.cookieName("cm_csrf", "/"),
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   h.SecureCookies,
		CookieSameSite: http.SameSiteLaxMode,
	}))

	e.GET("/healthz", h.healthz)
	e.GET("/readyz", h.readyz)
	e.GET("/static/:file", h.static)
	e.GET("/favicon.ico", h.favicon)

	web := e.Group("", h.authenticate, h.chooseLanguage, h.requireSetup)
	web.GET("/setup", h.setupPage)
	web.POST("/setup", h.setup)
	web.GET("/signin", h.signInPage)
	web.POST("/signin", h.signIn)
	web.GET("/signin/oidc", h.ssoStart)
	web.GET("/signin/oidc/callback", h.ssoCallback)
	web.GET("/calendar/:file", h.calendarFeed)
	web.HEAD("/calendar/:file", h.calendarFeed)
	web.GET("/invite/:token", h.linkPage(models.LinkInvite))
	web.POST("/invite/:token", h.useLink(models.LinkInvite))
	web.GET("/reset/:token", h.linkPage(models.LinkReset))
	web.POST("/reset/:token", h.useLink(models.LinkReset))
	web.GET("/password/forgot", h.forgotPage)
	web.POST("/password/forgot", h.forgot)
	web.POST("/language", h.setLanguage)
	web.GET("/words", h.words)

	in := web.Group("", requireSignIn)
	in.GET("/", h.home)
	in.POST("/signout", h.signOut)
	in.GET("/account", h.showAccount)
	in.POST("/account/tokens", h.createToken)
	in.POST("/account/tokens/:id/revoke", h.revokeToken)
	in.GET("/account/export", h.exportOwnData)
	in.POST("/account/calendar", h.renewCalendar)
	in.POST("/account/calendar/revoke", h.revokeCalendar)
	in.POST("/account/reminders", h.saveReminders)
	in.POST("/account/notices", h.saveNoticeModes)
	in.GET("/notices", h.listNotices)
	in.GET("/my-time", h.showMyTime)
	in.GET("/notices/:id", h.openNotice, h.forgetsViewer) // marks it read: the header's count changes
	in.POST("/notices/read", h.readAllNotices)
	in.POST("/account/erase", h.eraseSelf)
	in.POST("/account/password", h.changePassword)
	in.GET("/groups/:id", h.showGroup, h.allow(models.GroupRead, "id"))
	in.POST("/memberships/:id/status", h.changeStatus, h.allow(models.MembershipStaff, "id"))
	in.POST("/groups/:id/close", h.closeGroup, h.allow(models.GroupRead, "id"))
	in.GET("/memberships/:id/intake", h.showIntake, h.allow(models.MembershipMentor, "id"))
	in.POST("/memberships/:id/intake", h.saveIntake, h.allow(models.MembershipMentor, "id"))
	in.POST("/memberships/:id/intake/schedule", h.scheduleIntake, h.allow(models.MembershipMentor, "id"))
	in.POST("/memberships/:id/intake/cancel", h.cancelIntake, h.allow(models.MembershipMentor, "id"))
	in.GET("/groups/:id/calendar", h.showCalendar, h.allow(models.GroupRosterRead, "id"))
	in.GET("/groups/:id/series", h.showSeries, h.allow(models.GroupMentor, "id"))
	in.POST("/groups/:id/series/preview", h.previewSeries, h.allow(models.GroupMentor, "id"))
	in.POST("/groups/:id/series", h.saveSeries, h.allow(models.GroupMentor, "id"))
	in.POST("/groups/:id/series/extend", h.extendSeries, h.allow(models.GroupMentor, "id"))
	in.POST("/groups/:id/series/extend/preview", h.previewExtension, h.allow(models.GroupMentor, "id"))
	in.GET("/groups/:id/poll", h.showPoll, h.allow(models.GroupContent, "id"))
	in.POST("/groups/:id/poll", h.createPoll, h.allow(models.GroupMentor, "id"))
	in.POST("/groups/:id/poll/answers", h.answerPoll, h.allow(models.GroupContent, "id"))
	in.POST("/groups/:id/poll/pick", h.pickPollDate, h.allow(models.GroupMentor, "id"))
	in.GET("/groups/:id/goals", h.groupGoals, h.allow(models.GroupContent, "id"))
	in.POST("/groups/:id/goals", h.createGoal, h.allow(models.GroupMember, "id"))
	in.POST("/groups/:id/one-on-ones", h.createOneOnOne, h.allow(models.GroupMentor, "id"))
	in.POST("/groups/:id/one-on-one-requests", h.askOneOnOne, h.allow(models.GroupMember, "id"))
	in.GET("/one-on-one-requests/:id", h.showRequest, h.allow(models.RequestRead, "id"))
	in.POST("/one-on-one-requests/:id", h.answerRequest, h.allow(models.RequestRead, "id"))
	in.POST("/meetings/:id/apologies", h.sendApology, h.allow(models.MeetingApology, "id"))
	in.POST("/meetings/:id/apologies/withdraw", h.withdrawApology, h.allow(models.MeetingApology, "id"))
	in.GET("/meetings/:id", h.showMeeting, h.allow(models.MeetingRead, "id"))
	in.GET("/meetings/:id/print", h.printMeeting, h.allow(models.MeetingRead, "id"))
	in.POST("/meetings/:id", h.updateMeeting, h.allow(models.MeetingMentor, "id"))
	in.POST("/meetings/:id/page", h.saveMeetingPage, h.allow(models.MeetingRead, "id"))
	in.POST("/meetings/:id/status", meetingChange(h, setMeetingStatus), h.allow(models.MeetingMentor, "id"))
	in.POST("/meetings/:id/agenda", meetingChange(h, models.SaveAgenda), h.allow(models.MeetingMentor, "id"))
	in.POST("/meetings/:id/roles", meetingChange(h, models.SaveRoles), h.allow(models.MeetingMentor, "id"))
	in.POST("/meetings/:id/attendance", h.saveAttendance, h.allow(models.MeetingMentor, "id"))
	in.POST("/meetings/:id/notes", meetingChange(h, models.SaveNotes), h.allow(models.MeetingNotesWrite, "id"))
	in.POST("/meetings/:id/actions", meetingChange(h, addAction), h.allow(models.MeetingActionAdd, "id"))
	in.GET("/meetings/:id/run", h.showRun, h.allow(models.MeetingRead, "id"))
	in.GET("/meetings/:id/run/state", h.runState, h.allow(models.MeetingRead, "id"))
	in.GET("/meetings/:id/run/events", h.runEvents, h.allow(models.MeetingRead, "id"))
	in.POST("/meetings/:id/run", h.applyRun, h.allow(models.MeetingRun, "id"))
	in.POST("/meetings/:id/run/notes", h.saveRunNotes, h.allow(models.MeetingNotesWrite, "id"))
	in.POST("/meetings/:id/run/attendance", h.saveRunAttendance, h.allow(models.MeetingMentor, "id"))
	in.POST("/meetings/:id/run/actions", h.addRunAction, h.allow(models.MeetingActionAdd, "id"))
	in.POST("/meetings/:id/entries/:person", h.saveEntry, h.allow(models.MeetingRead, "id"))
	in.POST("/actions/:id/toggle", h.toggleAction, h.allow(models.ActionToggle, "id"))
	in.GET("/one-on-ones", h.listOneOnOnes)
	in.GET("/one-on-ones/:id", h.showOneOnOne, h.allow(models.OneOnOneRead, "id"))
	in.POST("/one-on-ones/:id", h.updateOneOnOne, h.allow(models.OneOnOneWrite, "id"))
	in.GET("/goals", h.listGoals)
	in.GET("/evaluations", h.listEvaluations)
	in.POST("/groups/:id/evaluations/:round", h.submitEvaluation, h.allow(models.GroupContent, "id"))
	in.GET("/apply", h.showApply)
	in.POST("/apply", h.apply)
	in.POST("/applications/:id/withdraw", h.withdrawApplication)
	in.GET("/groups/:id/cases", h.listCases, h.allow(models.GroupContent, "id"))
	in.POST("/groups/:id/cases", h.submitCase, h.allow(models.GroupMember, "id"))
	in.GET("/cases/:id", h.showCase, h.allow(models.CaseRead, "id"))
	in.POST("/cases/:id/place", h.placeCase, h.allow(models.CaseMentor, "id"))
	in.POST("/cases/:id/status", h.setCaseStatus, h.allow(models.CaseStatusChange, "id"))
	in.POST("/cases/:id/take-aways", h.saveTakeAways, h.allow(models.CaseAuthor, "id"))
	in.GET("/consents", h.listConsents)
	in.POST("/consents", h.grantConsent, h.resolvePeople)
	in.POST("/consents/:id/revoke", h.revokeConsent)
	in.GET("/shared", h.listShared)
	in.GET("/reports/participation", h.showParticipation)
	in.GET("/dashboard", h.showDashboard)
	in.GET("/dashboard/print", h.printDashboard)
	in.GET("/shared/:id", h.showShared)
	in.GET("/shared/input/:id", h.showSharedInput)
	in.GET("/input", h.listInput)
	in.POST("/input", h.askInput, h.resolvePeople)
	in.GET("/input/:id", h.showInput, h.allow(models.InputRead, "id"))
	in.POST("/input/:id/draft", h.draftInput, h.allow(models.InputDraft, "id"))
	in.POST("/input/:id/changes", h.inputStep(models.StepAskChanges, "flash.input_changes"), h.allow(models.InputReview, "id"))
	in.POST("/input/:id/approve", h.inputStep(models.StepApprove, "flash.input_approved"), h.allow(models.InputReview, "id"))
	in.POST("/input/:id/refuse", h.inputStep(models.StepRefuse, "flash.input_refused"), h.allow(models.InputReview, "id"))
	in.POST("/input/:id/withdraw", h.inputStep(models.StepWithdraw, "flash.input_withdrawn"), h.allow(models.InputReview, "id"))
	in.POST("/input/:id/revoke", h.inputStep(models.StepRevoke, "flash.input_revoked"), h.allow(models.InputReview, "id"))
	in.POST("/goals/:id", h.updateGoal, h.allow(models.GoalOwner, "id"))
	in.POST("/goals/:id/progress", h.addProgress, h.allow(models.GoalProgressAdd, "id"))

	admin := in.Group("", requireAdmin, h.resolvePeople)
	admin.GET("/people/search", h.searchPeople)
	admin.GET("/settings", h.showSettings)
	admin.GET("/audit", h.showAudit)
	admin.GET("/mentor-time", h.showMentorTime)
	admin.GET("/mailbox", h.showMailbox)
	admin.GET("/jobs", h.showJobs)
	admin.POST("/jobs/:id/retry", h.retryJob)
	admin.POST("/mailbox/:id/retry", h.retryDelivery)
	admin.POST("/settings", h.saveSettings)
	admin.POST("/settings/blackouts", h.addBlackout)
	admin.POST("/settings/blackouts/:id/delete", h.deleteBlackout)
	admin.GET("/people", h.listPeople)
	admin.GET("/people/new", h.newPerson)
	admin.GET("/people/import", h.showImport)
	admin.POST("/people/import", h.previewImport)
	admin.POST("/people/import/apply", h.applyImport)
	admin.GET("/people/import/runs/:id", h.showImportRun)
	admin.GET("/people/export.csv", h.exportPeople)
	admin.POST("/people", h.createPerson)
	admin.GET("/people/:id", h.showPerson)
	admin.POST("/people/:id", h.updatePerson)
	admin.POST("/people/:id/invite", h.invite)
	admin.POST("/people/:id/reset-access", h.resetAccess)
	admin.POST("/people/:id/assignments", h.addAssignment)
	admin.POST("/people/:id/assignments/:assignment/delete", h.removeAssignment)
	admin.GET("/teams", h.listTeams)
	admin.POST("/teams", h.createTeam)
	admin.GET("/projects", h.listProjects)
	admin.POST("/projects", h.createProject)
	admin.GET("/programmes", h.listProgrammes)
	admin.GET("/programmes/new", h.newProgramme)
	admin.POST("/programmes", h.createProgramme)
	admin.GET("/programmes/:id", h.showProgramme)
	admin.GET("/programmes/:id/edit", h.editProgramme)
	admin.POST("/programmes/:id", h.updateProgramme)
	admin.POST("/programmes/:id/groups", h.createGroup)
	admin.POST("/programmes/:id/series", h.planProgrammeSeries)
	admin.GET("/programmes/:id/pool", h.showPool)
	admin.GET("/programmes/:id/proposal", h.showProposal)
	admin.POST("/programmes/:id/proposal", h.makeProposal)
	admin.POST("/programmes/:id/proposal/move", h.moveInProposal)
	admin.POST("/programmes/:id/proposal/accept", h.acceptProposal)
	admin.POST("/groups/:id", h.updateGroup, h.allow(models.GroupManage, "id"))
	admin.POST("/groups/:id/members", h.addMember, h.allow(models.GroupManage, "id"))
	admin.POST("/groups/:group/members/:id/delete", h.removeMember, h.allow(models.GroupManage, "group"))

	e.GET("/api/v1/openapi.yaml", h.openAPI)
	api := e.Group("/api/v1", requireJSON, h.authenticate, h.chooseLanguage, h.requireSetup)
	api.POST("/session", h.apiSignIn)
	api.POST("/password/forgot", h.apiForgot)
	apiIn := api.Group("", requireSignIn)
	apiIn.DELETE("/session", h.apiSignOut)
	apiIn.GET("/me", h.apiMe)
	apiIn.PUT("/me/password", h.apiChangePassword)
	apiAdmin := apiIn.Group("", requireAdmin)
	apiAdmin.GET("/people", h.apiListPeople)
	apiAdmin.POST("/people", h.apiCreatePerson, h.idempotent)
	apiAdmin.GET("/people/:id", h.apiGetPerson)
	apiAdmin.PUT("/people/:id", h.apiUpdatePerson)
	apiAdmin.POST("/people/:id/invitation", h.apiInvite)
	apiAdmin.POST("/people/:id/reset-access", h.apiResetAccess)
	apiAdmin.GET("/programmes", h.apiListProgrammes)
	apiAdmin.POST("/programmes", h.apiCreateProgramme, h.idempotent)
	apiAdmin.POST("/programmes/:id/groups", h.apiCreateGroup, h.idempotent)
	apiAdmin.PUT("/groups/:id", h.apiUpdateGroup, h.allow(models.GroupManage, "id"))
	apiAdmin.POST("/groups/:id/members", h.apiAddMember, h.allow(models.GroupManage, "id"), h.idempotent)
	apiIn.GET("/groups/:id", h.apiGetGroup, h.allow(models.GroupRead, "id"))
	apiIn.PUT("/memberships/:id/status", h.apiChangeStatus, h.allow(models.MembershipStaff, "id"))
	apiIn.GET("/groups/:id/meetings", h.apiGroupMeetings, h.allow(models.GroupRosterRead, "id"))
	apiIn.POST("/groups/:id/series/preview", h.apiPreviewSeries, h.allow(models.GroupMentor, "id"))
	apiIn.PUT("/groups/:id/series", h.apiSaveSeries, h.allow(models.GroupMentor, "id"))
	apiIn.GET("/groups/:id/poll", h.apiPoll, h.allow(models.GroupContent, "id"))
	apiIn.PUT("/groups/:id/poll/answers", h.apiAnswerPoll, h.allow(models.GroupContent, "id"))
	apiIn.POST("/groups/:id/one-on-ones", h.apiCreateOneOnOne, h.allow(models.GroupMentor, "id"), h.idempotent)
	apiIn.POST("/groups/:id/goals", h.apiCreateGoal, h.allow(models.GroupMember, "id"), h.idempotent)
	apiIn.GET("/meetings/:id", h.apiMeeting, h.allow(models.MeetingRead, "id"))
	apiIn.PUT("/meetings/:id/roles", h.apiSaveRoles, h.allow(models.MeetingMentor, "id"))
	apiIn.PUT("/meetings/:id/attendance", h.apiSaveAttendance, h.allow(models.MeetingMentor, "id"))
	apiIn.GET("/one-on-ones", h.apiOneOnOnes)
	apiIn.GET("/one-on-ones/:id", h.apiOneOnOne, h.allow(models.OneOnOneRead, "id"))
	apiIn.GET("/goals", h.apiGoals)
	apiIn.GET("/reports/participation", h.apiParticipation)
	apiIn.GET("/groups/:id/cases", h.apiGroupCases, h.allow(models.GroupContent, "id"))
	apiIn.POST("/groups/:id/cases", h.apiSubmitCase, h.allow(models.GroupMember, "id"), h.idempotent)
	apiIn.GET("/cases/:id", h.apiCase, h.allow(models.CaseRead, "id"))
	api.Any("/*", func(echo.Context) error { return echo.ErrNotFound })
}

// handleErrors turns a returned error into its response right here, so the
// request log and the metrics around it see the status actually sent (a
// refused request is a 404 there, not a 200 in the log and a 500 in the
// metrics).
func handleErrors(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := next(c); err != nil {
			c.Error(err)
		}
		return nil
	}
}

// requestLogger logs each request by its route pattern, never its URL, so
// tokens in paths (invitations) and search terms stay out of the logs.
// Static files and the health probes (polled every few seconds by load
// balancers) are not logged.
func (h *Handlers) requestLogger() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogMethod: true, LogRoutePath: true, LogRequestID: true, LogLatency: true,
		Skipper: func(c echo.Context) bool {
			p := c.Request().URL.Path
			return strings.HasPrefix(p, "/static/") || p == "/healthz" || p == "/readyz"
		},
		LogValuesFunc: func(_ echo.Context, v middleware.RequestLoggerValues) error {
			h.Log.Info("request", "method", v.Method, "route", v.RoutePath, "status", v.Status,
				"latency_ms", v.Latency.Milliseconds(), "request_id", v.RequestID)
			return nil
		},
	})
}
