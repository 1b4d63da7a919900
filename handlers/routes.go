package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// Routes registers every route and the middleware around them; this is the
// one route table of the app.
func (h *Handlers) Routes(e *echo.Echo) {
	e.HTTPErrorHandler = h.ErrorHandler
	e.Renderer = h.Renderer
	e.Validator = NewValidator()

	e.Use(middleware.RequestID())
	e.Use(h.requestLogger())
	e.Use(middleware.Recover())
	e.Use(securityHeaders)
	e.Use(middleware.BodyLimit("1M"))
	e.Use(middleware.CSRFWithConfig(middleware.CSRFConfig{
		Skipper:        func(c echo.Context) bool { return isAPI(c) },
		TokenLookup:    "form:_csrf,header:X-CSRF-Token",
		ContextKey:     keyCSRF,
		CookieName:     "cm_csrf",
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSecure:   h.SecureCookies,
		CookieSameSite: http.SameSiteLaxMode,
	}))

	e.GET("/healthz", h.healthz)
	e.GET("/readyz", h.readyz)
	e.GET("/static/:file", h.static)

	web := e.Group("", h.authenticate, h.chooseLanguage, h.requireSetup)
	web.GET("/setup", h.setupPage)
	web.POST("/setup", h.setup)
	web.GET("/signin", h.signInPage)
	web.POST("/signin", h.signIn)
	web.GET("/invite/:token", h.invitePage)
	web.POST("/invite/:token", h.acceptInvite)

	in := web.Group("", requireSignIn)
	in.GET("/", h.home)
	in.POST("/signout", h.signOut)
	in.GET("/account", h.showAccount)
	in.POST("/account/tokens", h.createToken)
	in.POST("/account/tokens/:id/revoke", h.revokeToken)
	in.GET("/groups/:id", h.showGroup)
	in.POST("/memberships/:id/status", h.changeStatus)
	in.GET("/memberships/:id/intake", h.showIntake)
	in.POST("/memberships/:id/intake", h.saveIntake)

	admin := in.Group("", requireAdmin)
	admin.GET("/settings", h.showSettings)
	admin.POST("/settings", h.saveSettings)
	admin.GET("/people", h.listPeople)
	admin.GET("/people/new", h.newPerson)
	admin.POST("/people", h.createPerson)
	admin.GET("/people/:id", h.showPerson)
	admin.POST("/people/:id", h.updatePerson)
	admin.POST("/people/:id/invite", h.invite)
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
	admin.POST("/groups/:id", h.updateGroup)
	admin.POST("/groups/:id/members", h.addMember)
	admin.POST("/groups/:group/members/:id/delete", h.removeMember)

	api := e.Group("/api/v1", requireJSON, h.authenticate, h.chooseLanguage, h.requireSetup)
	api.POST("/session", h.apiSignIn)
	apiIn := api.Group("", requireSignIn)
	apiIn.DELETE("/session", h.apiSignOut)
	apiIn.GET("/me", h.apiMe)
	apiIn.GET("/people", h.apiListPeople)
	apiIn.POST("/people", h.apiCreatePerson)
	apiIn.GET("/people/:id", h.apiGetPerson)
	apiIn.PUT("/people/:id", h.apiUpdatePerson)
	apiIn.GET("/programmes", h.apiListProgrammes)
	apiIn.POST("/programmes", h.apiCreateProgramme)
	apiIn.POST("/programmes/:id/groups", h.apiCreateGroup)
	apiIn.GET("/groups/:id", h.apiGetGroup)
	apiIn.PUT("/groups/:id", h.apiUpdateGroup)
	apiIn.POST("/groups/:id/members", h.apiAddMember)
	apiIn.PUT("/memberships/:id/status", h.apiChangeStatus)
	api.Any("/*", func(echo.Context) error { return echo.ErrNotFound })
}

// requestLogger logs each request by its route pattern, never its URL, so
// tokens in paths (invitations) and search terms stay out of the logs.
func (h *Handlers) requestLogger() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogMethod: true, LogRoutePath: true, LogRequestID: true, LogLatency: true,
		Skipper: func(c echo.Context) bool { return strings.HasPrefix(c.Request().URL.Path, "/static/") },
		LogValuesFunc: func(_ echo.Context, v middleware.RequestLoggerValues) error {
			h.Log.Info("request", "method", v.Method, "route", v.RoutePath, "status", v.Status,
				"latency_ms", v.Latency.Milliseconds(), "request_id", v.RequestID)
			return nil
		},
	})
}
