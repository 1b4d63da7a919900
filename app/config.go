// Package app is the composition root: it reads the configuration, opens the
// database, runs migrations and builds the web server with everything the
// handlers and jobs need.
package app

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	"crossmentor/app/vault"
)

// EnvPrefix starts the name of every configuration variable.
const EnvPrefix = "CROSSMENTOR_"

// Config is the whole configuration, read from CROSSMENTOR_* variables.
// Each field's tags give its variable, default and description.
type Config struct {
	Addr             string        `env:"ADDR" default:":8080" desc:"address the web server listens on"`
	BaseURL          string        `env:"BASE_URL" default:"http://localhost:8080" desc:"public URL of the app, used in links (invitations)"`
	DataDir          string        `env:"DATA_DIR" default:"./data" desc:"folder for the embedded SQLite database"`
	DatabaseURL      string        `env:"DATABASE_URL" default:"" desc:"PostgreSQL URL; empty uses the embedded SQLite database in DATA_DIR"`
	DataKeys         string        `env:"DATA_KEYS" default:"" desc:"key ring for confidential text: id:base64 of 32 random bytes, comma-separated, newest last; empty uses the key file DATA_DIR/keys (made at first start, mode 0600)"`
	AutoMigrate      bool          `env:"AUTO_MIGRATE" default:"false" desc:"on PostgreSQL, apply pending migrations at start (always done on the embedded database)"`
	SessionIdle      time.Duration `env:"SESSION_IDLE" default:"2h" desc:"a session ends after this long without use"`
	SessionMax       time.Duration `env:"SESSION_MAX" default:"12h" desc:"a session ends this long after sign-in, used or not"`
	OIDCIssuer       string        `env:"OIDC_ISSUER" default:"" desc:"OpenID Connect issuer URL for single sign-on (Entra ID, Google, Keycloak); empty: no single sign-on"`
	OIDCClientID     string        `env:"OIDC_CLIENT_ID" default:"" desc:"client id registered at the OpenID Connect provider"`
	OIDCClientSecret string        `env:"OIDC_CLIENT_SECRET" default:"" desc:"client secret registered at the OpenID Connect provider"`
	OIDCEmailClaim   string        `env:"OIDC_EMAIL_CLAIM" default:"email" desc:"claim that carries the trusted address at the first single sign-on: email (needs email_verified), preferred_username or upn (providers such as Entra ID vouch for these of work accounts)"`
	PasswordSignIn   bool          `env:"PASSWORD_SIGNIN" default:"true" desc:"allow signing in with a password; false leaves single sign-on only"`
	SMTPURL          string        `env:"SMTP_URL" default:"" desc:"mail server: smtp://user:password@host:587 (STARTTLS), smtps://…:465 or smtp+insecure://host:25; empty keeps mail in the admins' mailbox page"`
	MailFrom         string        `env:"MAIL_FROM" default:"crossmentor <noreply@localhost>" desc:"sender address of mails; set it whenever SMTP_URL is set (the app warns at start when it is the default)"`
	Jobs             bool          `env:"JOBS" default:"true" desc:"run reminders, mail delivery and cleanup in this process; false for web-only replicas"`
	RetentionMonths  int           `env:"RETENTION_MONTHS" default:"3" desc:"months after a group closes that its confidential text is deleted"`
	TrustedProxies   string        `env:"TRUSTED_PROXIES" default:"" desc:"comma-separated CIDRs of reverse proxies whose X-Forwarded-For is trusted"`
	LogLevel         string        `env:"LOG_LEVEL" default:"info" desc:"debug, info, warn or error"`
	LogFormat        string        `env:"LOG_FORMAT" default:"auto" desc:"log lines as json, or text for people; auto: text on a terminal, json otherwise"`
	GCPercent        int           `env:"GC_PERCENT" default:"200" desc:"garbage collection target of serve (Go's GOGC): a larger value collects less often, for less CPU per request, and holds more memory; 0 keeps Go's 100; GOGC, when set, wins"`
	MemoryLimitMB    int           `env:"MEMORY_LIMIT_MB" default:"120" desc:"soft memory limit of serve in MiB (Go's GOMEMLIMIT): near it the garbage collector collects more often, whatever GC_PERCENT says; raise it with the memory the host or container gives the app (about three quarters of it); 0: no limit; GOMEMLIMIT, when set, wins"`
	MetricsToken     string        `env:"METRICS_TOKEN" default:"" desc:"bearer token a Prometheus scraper sends to /metrics (Authorization: Bearer …); empty: /metrics is off"`
}

// Field describes one configuration variable.
type Field struct {
	Env, Default, Description string
}

// Fields lists every configuration variable with its default and description.
func Fields() []Field {
	t := reflect.TypeOf(Config{})
	out := make([]Field, t.NumField())
	for i := range out {
		f := t.Field(i)
		out[i] = Field{Env: EnvPrefix + f.Tag.Get("env"), Default: f.Tag.Get("default"), Description: f.Tag.Get("desc")}
	}
	return out
}

// LoadConfig reads the configuration from lookup (os.LookupEnv in main),
// falling back to each field's default, and validates it.
func LoadConfig(lookup func(string) (string, bool)) (Config, error) {
	var cfg Config
	v := reflect.ValueOf(&cfg).Elem()
	t := v.Type()
	var errs []error
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name := EnvPrefix + f.Tag.Get("env")
		raw, ok := lookup(name)
		if !ok {
			raw = f.Tag.Get("default")
		}
		if err := setField(v.Field(i), strings.TrimSpace(raw)); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return cfg, err
	}
	return cfg, cfg.Validate()
}

func setField(f reflect.Value, raw string) error {
	switch f.Interface().(type) {
	case string:
		f.SetString(raw)
	case bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return fmt.Errorf("want true or false, got %q", raw)
		}
		f.SetBool(b)
	case int:
		n, err := strconv.Atoi(raw)
		if err != nil {
			return fmt.Errorf("want a whole number, got %q", raw)
		}
		f.SetInt(int64(n))
	case time.Duration:
		d, err := time.ParseDuration(raw)
		if err != nil {
			return fmt.Errorf("want a duration such as 30m or 2h, got %q", raw)
		}
		f.SetInt(int64(d))
	default:
		return fmt.Errorf("unsupported type %s", f.Type())
	}
	return nil
}

// Validate checks that the values make sense together.
func (c Config) Validate() error {
	var errs []error
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("%sBASE_URL: want an http(s) URL, got %q", EnvPrefix, c.BaseURL))
	}
	if c.SessionIdle <= 0 || c.SessionMax < c.SessionIdle {
		errs = append(errs, fmt.Errorf("%sSESSION_IDLE must be positive and at most %sSESSION_MAX", EnvPrefix, EnvPrefix))
	}
	if _, err := c.TrustedProxyNets(); err != nil {
		errs = append(errs, err)
	}
	if !c.PasswordSignIn && c.OIDCIssuer == "" {
		errs = append(errs, fmt.Errorf("%sPASSWORD_SIGNIN=false needs single sign-on (%sOIDC_ISSUER)", EnvPrefix, EnvPrefix))
	}
	if c.OIDCIssuer != "" && c.OIDCClientID == "" {
		errs = append(errs, fmt.Errorf("%sOIDC_CLIENT_ID is needed with %sOIDC_ISSUER", EnvPrefix, EnvPrefix))
	}
	switch c.OIDCEmailClaim {
	case "email", "preferred_username", "upn":
	default:
		errs = append(errs, fmt.Errorf("%sOIDC_EMAIL_CLAIM: want email, preferred_username or upn, got %q", EnvPrefix, c.OIDCEmailClaim))
	}
	if c.RetentionMonths < 1 || c.RetentionMonths > 120 {
		errs = append(errs, fmt.Errorf("%sRETENTION_MONTHS: want 1 to 120, got %d", EnvPrefix, c.RetentionMonths))
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		errs = append(errs, fmt.Errorf("%sLOG_LEVEL: want debug, info, warn or error, got %q", EnvPrefix, c.LogLevel))
	}
	switch c.LogFormat {
	case "auto", "json", "text":
	default:
		errs = append(errs, fmt.Errorf("%sLOG_FORMAT: want auto, json or text, got %q", EnvPrefix, c.LogFormat))
	}
	return errors.Join(errs...)
}

// TrustedProxyNets parses TrustedProxies.
func (c Config) TrustedProxyNets() ([]*net.IPNet, error) {
	var nets []*net.IPNet
	for _, s := range strings.Split(c.TrustedProxies, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		_, n, err := net.ParseCIDR(s)
		if err != nil {
			return nil, fmt.Errorf("%sTRUSTED_PROXIES: %q is not a CIDR such as 10.0.0.0/8", EnvPrefix, s)
		}
		nets = append(nets, n)
	}
	return nets, nil
}

// KeyRing loads the key ring for confidential text: from DataKeys, or from
// the key file in the data folder (vault.ErrNoKeyFile when there is none:
// OpenDatabase makes one only while nothing is sealed).
func (c Config) KeyRing() (*vault.KeyRing, error) {
	if strings.TrimSpace(c.DataKeys) != "" {
		return vault.ParseKeyRing(c.DataKeys)
	}
	return vault.LoadKeyFile(c.KeyFile())
}

// KeyFile is the path of the embedded default's key file.
func (c Config) KeyFile() string { return filepath.Join(c.DataDir, "keys") }

// SecureCookies reports whether the app is served over TLS.
func (c Config) SecureCookies() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// Postgres reports whether the app uses PostgreSQL.
func (c Config) Postgres() bool { return c.DatabaseURL != "" }

// DefaultMailFrom is the sender address when MAIL_FROM is not set; fine
// for the mailbox page, not for mail that leaves the building.
const DefaultMailFrom = "crossmentor <noreply@localhost>"
