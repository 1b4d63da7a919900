package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"crossmentor/app/i18n"
	"crossmentor/app/live"
	"crossmentor/app/mailer"
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
	Mail     jobs.Mail
	Jobs     jobs.Runner // nil when this process runs no jobs
	Imports  jobs.Imports
	Now      func() time.Time
	Live     *live.Hub     // fans out changes of running meetings
	enqueuer *lazyEnqueuer // queues imports when this process runs no jobs
}

// Close lets go of what the app holds besides the database: live
// subscriptions and the connection that listens for other replicas.
func (a *App) Close() { a.Live.Close() }

// New builds the web server and everything it needs around db.
func New(cfg Config, log *slog.Logger, db *gorm.DB, version string) (*App, error) {
	catalog, err := i18n.Load(templates.FS())
	if err != nil {
		return nil, err
	}
	renderer, err := handlers.NewRenderer(templates.FS(), catalog)
	if err != nil {
		return nil, err
	}
	now := func() time.Time { return time.Now().UTC() }
	h := &handlers.Handlers{
		DB: db, Log: log, Catalog: catalog, Renderer: renderer,
		Sessions:      models.SessionPolicy{Idle: cfg.SessionIdle, Absolute: cfg.SessionMax},
		SignInLimits:  models.DefaultSignInLimits,
		PasswordGate:  models.NewPasswordGate(0, 0),
		BaseURL:       cfg.BaseURL,
		SecureCookies: cfg.SecureCookies(),
		Version:       version,
		Now:           now,
		Ready: func(r *http.Request) error {
			if err := ready(r.Context(), db); err != nil {
				return err
			}
			if err := vaultReady(r.Context(), db); err != nil {
				return err
			}
			return diskReady(cfg, freeBytes)
		},
		Files: templates.FS(),
		SSO: &handlers.SSO{Issuer: cfg.OIDCIssuer, ClientID: cfg.OIDCClientID, ClientSecret: cfg.OIDCClientSecret,
			RedirectURL: strings.TrimSuffix(cfg.BaseURL, "/") + "/signin/oidc/callback", EmailClaim: cfg.OIDCEmailClaim,
			SignedOutURL: strings.TrimSuffix(cfg.BaseURL, "/") + "/signin"},
		NoPasswords: !cfg.PasswordSignIn,
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
	zone := func() *time.Location {
		org, err := models.GetOrganisation(context.Background(), db)
		if err != nil {
			return time.UTC
		}
		return org.Location()
	}
	mailRenderer, err := mailer.NewRenderer(templates.FS(), catalog, cfg.BaseURL, zone)
	if err != nil {
		return nil, err
	}
	var sender mailer.Sender = mailer.Mailbox{}
	if cfg.SMTPURL != "" {
		smtp, err := mailer.ParseSMTP(cfg.SMTPURL, cfg.MailFrom)
		if err != nil {
			// Not a crash loop: the app serves, mail waits in the mailbox, and admins see why.
			log.Error("mail is not sent: the SMTP settings are wrong", "error", err)
			h.MailProblem = err.Error()
		} else {
			smtp.Installation = installationID(db)
			sender = smtp
			if cfg.MailFrom == DefaultMailFrom {
				log.Warn("mail leaves from the default sender address; set " + EnvPrefix + "MAIL_FROM to an address of your organisation")
			}
		}
	} else {
		h.MailboxOnly = true
	}
	h.MailRenderer = mailRenderer
	if h.Live, err = newLiveHub(db, log); err != nil {
		return nil, err
	}
	jobRuns, err := metrics(e, db, cfg.MetricsToken)
	if err != nil {
		return nil, err
	}
	h.Routes(e)
	mail := jobs.Mail{DB: db, Log: log, Sender: sender, Renderer: mailRenderer, Now: now}
	imports := jobs.Imports{DB: db, Log: log, Now: now, Progress: h.ImportProgress}
	a := &App{Config: cfg, DB: db, Log: log, Echo: e, Handlers: h, Mail: mail, Imports: imports, Now: now, Live: h.Live}
	if !cfg.Jobs {
		a.enqueuer = &lazyEnqueuer{db: db, log: log}
		h.Imports = a.enqueuer
	}
	if cfg.Jobs {
		cleanup := jobs.Cleanup{DB: db, Log: log, Sessions: h.Sessions, Limits: h.SignInLimits, RetentionMonths: cfg.RetentionMonths, Now: now}
		lifecycle := jobs.Lifecycle{DB: db, Log: log, Now: now}
		work := jobs.Work{Mail: mail.Run, Cleanup: cleanup.Run, Retention: cleanup.Retention, Import: imports.Run, Lifecycle: lifecycle.Run,
			OnRun: func(kind string, ok bool) {
				outcome := "ok"
				if !ok {
					outcome = "failed"
				}
				jobRuns.WithLabelValues(kind, outcome).Inc()
			}}
		runner, err := jobs.NewRunner(context.Background(), db, work, zone().String(), log)
		if err != nil {
			return nil, err
		}
		a.Jobs, h.Jobs, h.Imports = runner, runner, runner
	}
	return a, nil
}

// errNotReady explains a failed readiness check without internal detail.
var (
	errDatabaseDown = errors.New("database unreachable")
	errSchemaBehind = errors.New("migrations pending")
)

// MinFreeBytes is the free space the data folder needs for /readyz: below
// it the embedded database (and the key file) can no longer grow safely.
const MinFreeBytes = 64 << 20

var errDiskFull = errors.New("disk almost full")

// diskReady checks the data folder's free space on the embedded database.
func diskReady(cfg Config, free func(string) (uint64, error)) error {
	if cfg.Postgres() {
		return nil // PostgreSQL's disk is the server's; its errors answer 507
	}
	dir := cfg.DataDir
	n, err := free(dir)
	for err != nil && filepath.Dir(dir) != dir { // not made yet: the disk it will be on
		dir = filepath.Dir(dir)
		n, err = free(dir)
	}
	if err != nil || n < MinFreeBytes {
		return errDiskFull
	}
	return nil
}

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

// HTTPServer is the app's HTTP server, with time limits on every phase of
// a request so that slow or stalled clients cannot hold connections.
func (a *App) HTTPServer() *http.Server {
	return &http.Server{
		Addr:              a.Config.Addr,
		Handler:           a.Echo,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}

// Serve listens until ctx ends, then shuts down gracefully, letting requests
// in flight finish for up to 15 seconds.
func (a *App) Serve(ctx context.Context) error {
	srv := a.HTTPServer()
	ln, err := net.Listen("tcp", a.Config.Addr)
	if err != nil {
		return err
	}
	a.Log.Info("crossmentor is running: open "+a.Config.BaseURL, "addr", ln.Addr().String(), "database", a.DB.Dialector.Name(), "version", a.Handlers.Version)
	defer a.enqueuer.Close()
	if a.Jobs != nil {
		if err := a.Jobs.Start(ctx); err != nil {
			return err
		}
		defer a.Jobs.Stop(context.WithoutCancel(ctx)) //nolint:errcheck // shutting down
	}
	srv.RegisterOnShutdown(a.Live.Close) // live streams end, so shutdown need not wait for them
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

// NewLogger returns the logger at the configured level: JSON lines, or
// text for people when so set or (auto) when w is a terminal.
func NewLogger(cfg Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "text" || cfg.LogFormat == "auto" && isTerminal(w) {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// installationID reads the installation's mail id once and keeps it.
func installationID(db *gorm.DB) func(context.Context) (string, error) {
	var mu sync.Mutex
	var id string
	return func(ctx context.Context) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		if id != "" {
			return id, nil
		}
		got, err := models.InstallationMailID(ctx, db)
		if err != nil {
			return "", err
		}
		id = got
		return id, nil
	}
}
