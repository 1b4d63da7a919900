package app

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"crossmentor/app/i18n"
	"crossmentor/app/migrations"
	"crossmentor/handlers"
	"crossmentor/jobs"
	"crossmentor/models"
	"crossmentor/templates"
)

// App is the assembled application.
type App struct {
	Config   Config
	DB       *gorm.DB
	Log      *slog.Logger
	Echo     *echo.Echo
	Handlers *handlers.Handlers
	Now      func() time.Time
}

// New builds the web server and everything it needs around db.
func New(cfg Config, log *slog.Logger, db *gorm.DB, version string) (*App, error) {
	catalog, err := i18n.Load(templates.FS())
	if err != nil {
		return nil, err
	}
	renderer, err := handlers.NewRenderer(templates.FS())
	if err != nil {
		return nil, err
	}
	now := func() time.Time { return time.Now().UTC() }
	h := &handlers.Handlers{
		DB: db, Log: log, Catalog: catalog, Renderer: renderer,
		Sessions:      models.SessionPolicy{Idle: cfg.SessionIdle, Absolute: cfg.SessionMax},
		SignInLimits:  models.DefaultSignInLimits,
		BaseURL:       cfg.BaseURL,
		SecureCookies: cfg.SecureCookies(),
		Version:       version,
		Now:           now,
		Ready:         func(r *http.Request) error { return ready(r.Context(), db) },
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	nets, err := cfg.TrustedProxyNets()
	if err != nil {
		return nil, err
	}
	if len(nets) == 0 {
		e.IPExtractor = echo.ExtractIPDirect()
	} else {
		opts := make([]echo.TrustOption, 0, len(nets)+1)
		opts = append(opts, echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false))
		for _, n := range nets {
			opts = append(opts, echo.TrustIPRange(n))
		}
		e.IPExtractor = echo.ExtractIPFromXFFHeader(opts...)
	}
	h.Routes(e)
	return &App{Config: cfg, DB: db, Log: log, Echo: e, Handlers: h, Now: now}, nil
}

// errNotReady explains a failed readiness check without internal detail.
var (
	errDatabaseDown = errors.New("database unreachable")
	errSchemaBehind = errors.New("migrations pending")
)

func ready(ctx context.Context, db *gorm.DB) error {
	sqlDB, err := db.DB()
	if err != nil {
		return errDatabaseDown
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(ctx); err != nil {
		return errDatabaseDown
	}
	pending, err := migrations.Pending(db.WithContext(ctx))
	if err != nil {
		return errDatabaseDown
	}
	if len(pending) > 0 {
		return errSchemaBehind
	}
	return nil
}

// Serve listens until ctx ends, then shuts down gracefully, letting requests
// in flight finish for up to 15 seconds.
func (a *App) Serve(ctx context.Context) error {
	srv := &http.Server{
		Addr:              a.Config.Addr,
		Handler:           a.Echo,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	ln, err := net.Listen("tcp", a.Config.Addr)
	if err != nil {
		return err
	}
	a.Log.Info("serving", "addr", ln.Addr().String(), "database", a.DB.Dialector.Name())
	cleanup := jobs.Cleanup{DB: a.DB, Log: a.Log, Sessions: a.Handlers.Sessions, Limits: a.Handlers.SignInLimits, Now: a.Now}
	go jobs.Every(ctx, a.Log, "cleanup", 10*time.Minute, cleanup.Run)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	a.Log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// NewLogger returns the JSON logger at the configured level.
func NewLogger(cfg Config, w interface{ Write([]byte) (int, error) }) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}
