// Package mailer turns a delivery into a mail (text, HTML and, for
// meetings, an ICS attachment) in the recipient's language, and sends it
// over SMTP, or into the dev mailbox when no SMTP server is configured.
package mailer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"net/url"
	"slices"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"

	mail "github.com/wneessen/go-mail"

	"crossmentor/app/i18n"
	"crossmentor/models"
)

// Message is a rendered mail.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
	ICS     []byte
	Method  string // of the ICS: REQUEST or CANCEL
	Key     string // the delivery key, sent as Message-ID so a resend is recognisable
}

// Sender sends one message.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Mailbox is the sender without SMTP: it accepts every message; admins
// read the deliveries on the mailbox page.
type Mailbox struct{}

// Send implements Sender.
func (Mailbox) Send(context.Context, Message) error { return nil }

// SMTP sends through an SMTP server.
type SMTP struct {
	From string
	// Installation returns this installation's random id, the domain part
	// of Message-IDs, so that they differ between installations; unset or
	// failing, the id is left out.
	Installation func(context.Context) (string, error)
	client       *mail.Client
}

// MessageID is the Message-ID of a delivery: its key (so a resend is
// recognisable) at the installation's own domain.
func MessageID(key, installation string) string {
	domain := "crossmentor"
	if installation != "" {
		domain = installation + ".crossmentor"
	}
	return strings.NewReplacer(":", ".", "@", ".").Replace(key) + "@" + domain
}

// ParseSMTP reads CROSSMENTOR_SMTP_URL: smtp://user:pass@host:587 (STARTTLS
// required), smtp+insecure://host:25 (no TLS, for a local relay) or
// smtps://user:pass@host:465. from is the sender address.
func ParseSMTP(raw, from string) (*SMTP, error) {
	return ParseSMTPTimeout(raw, from, DefaultTimeout)
}

// DefaultTimeout bounds each step of talking to the mail server (connect,
// greeting and sign-in, one message).
const DefaultTimeout = 20 * time.Second

// ParseSMTPTimeout is ParseSMTP with another bound per step than
// DefaultTimeout; the mail job's claims last several times that bound.
func ParseSMTPTimeout(raw, from string, timeout time.Duration) (*SMTP, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("SMTP_URL: want smtp://user:password@host:587, got %q", redact(raw))
	}
	port, _ := strconv.Atoi(u.Port())
	opts := []mail.Option{mail.WithTimeout(timeout)}
	switch u.Scheme {
	case "smtp":
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
		if port == 0 {
			port = 587
		}
	case "smtp+insecure":
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
		if port == 0 {
			port = 25
		}
	case "smtps":
		opts = append(opts, mail.WithSSL())
		if port == 0 {
			port = 465
		}
	default:
		return nil, fmt.Errorf("SMTP_URL: scheme %q: want smtp, smtps or smtp+insecure", u.Scheme)
	}
	opts = append(opts, mail.WithPort(port))
	if u.User != nil {
		pass, _ := u.User.Password()
		opts = append(opts, mail.WithSMTPAuth(mail.SMTPAuthPlain), mail.WithUsername(u.User.Username()), mail.WithPassword(pass))
	}
	c, err := mail.NewClient(u.Hostname(), opts...)
	if err != nil {
		return nil, fmt.Errorf("SMTP_URL: %w", err)
	}
	if from == "" {
		return nil, errors.New("MAIL_FROM: an SMTP server needs a sender address")
	}
	return &SMTP{From: from, client: c}, nil
}

// redact hides a password in an SMTP URL for messages.
func redact(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.User != nil {
		u.User = url.User(u.User.Username())
		return u.String()
	}
	return raw
}

// Send implements Sender.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg := mail.NewMsg()
	if err := msg.From(s.From); err != nil {
		return err
	}
	if err := msg.To(m.To); err != nil {
		return err
	}
	msg.Subject(m.Subject)
	installation := ""
	if s.Installation != nil {
		id, err := s.Installation(ctx)
		if err != nil {
			return err // the database is away: the delivery is tried again
		}
		installation = id
	}
	msg.SetMessageIDWithValue(MessageID(m.Key, installation))
	msg.SetGenHeader(mail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBodyString(mail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(mail.TypeTextHTML, m.HTML)
	if len(m.ICS) > 0 {
		if err := msg.AttachReader("invite.ics", bytes.NewReader(m.ICS), mail.WithFileContentType(mail.ContentType("text/calendar; method="+m.Method+"; charset=utf-8"))); err != nil {
			return err
		}
	}
	err := s.client.DialAndSendWithContext(ctx, msg)
	if err != nil && msg.IsDelivered() {
		// The server accepted the message (250 after DATA); what failed is
		// the reset or goodbye after it. Reporting that as a failure would
		// make the mail go out again.
		return nil
	}
	return err
}

// Renderer makes messages from deliveries.
type Renderer struct {
	Catalog *i18n.Catalog
	BaseURL string
	Zone    func() *time.Location
	text    *texttemplate.Template
	html    *htmltemplate.Template
}

// NewRenderer parses the mail templates.
func NewRenderer(fsys fs.FS, catalog *i18n.Catalog, baseURL string, zone func() *time.Location) (*Renderer, error) {
	text, err := texttemplate.ParseFS(fsys, "mail/*.txt")
	if err != nil {
		return nil, err
	}
	html, err := htmltemplate.ParseFS(fsys, "mail/*.html")
	if err != nil {
		return nil, err
	}
	return &Renderer{Catalog: catalog, BaseURL: strings.TrimSuffix(baseURL, "/"), Zone: zone, text: text, html: html}, nil
}

// mailData is what the mail templates see.
type mailData struct {
	Lang, Subject                                       string
	Greeting, Lead, When, Where, LinkText, Link, Footer string
	Items                                               []itemLine // the notices of a digest
	DatesIntro                                          string
	Dates                                               []string // every meeting of a series
}

// itemLine is one notice in a digest.
type itemLine struct{ Text, Link string }

// Render makes the message of a delivery.
func (r *Renderer) Render(out models.OutgoingMail, key string) (Message, error) {
	lang := out.Language
	t := func(id string, kv ...any) string {
		data := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			data[kv[i].(string)] = kv[i+1]
		}
		return r.Catalog.T(lang, id, data)
	}
	zone := r.Zone()
	kind, sub, _ := strings.Cut(out.Kind, ":")
	what := t("meeting.kind." + sub)
	if kind == models.MailOneOnOne1d || kind == models.MailOneOnOneToday {
		what = t("oneonone.title")
	}
	when := ""
	if !out.StartsAt.IsZero() {
		local := out.StartsAt.In(zone)
		when = t("mail.when", "Date", longDate(lang, local), "Start", local.Format("15:04"), "End", out.EndsAt.In(zone).Format("15:04"))
	}
	d := mailData{Greeting: t("mail.greeting", "Name", out.Name), When: when, Link: r.BaseURL + out.Path,
		LinkText: t("mail.open"), Footer: t("mail.footer")}
	if out.Location != "" {
		d.Where = t("mail.where", "Place", out.Location)
	}
	if strings.HasPrefix(kind, "account_") {
		// About the account itself: no reminder footer; a link only its addressee sees.
		d.LinkText, d.Footer = t("mail.account.open_"+kind), t("mail.account.footer")
		if !out.Expires.IsZero() {
			local := out.Expires.In(zone)
			d.When = t("mail.account.expires", "Date", longDate(lang, local), "Time", local.Format("15:04"))
		}
		if out.Path == "" {
			d.Link = t("mail.account.link_withheld")
		}
	}
	if slices.Contains(models.NoticeKinds, kind) || kind == models.NoticeDigest {
		d.Footer = t("mail.notice_footer")
	}
	for _, n := range out.Items {
		d.Items = append(d.Items, itemLine{Text: t("notice."+n.Kind, "Group", n.GroupName, "With", n.OtherName),
			Link: r.BaseURL + "/notices/" + strconv.FormatUint(uint64(n.ID), 10)})
	}
	if out.Series != nil {
		d.DatesIntro = t("mail.series.dates")
		if out.Series.Withdrawn {
			d.DatesIntro = t("mail.calendar_withdrawn.dates")
		}
		for _, m := range out.Series.Dates {
			local := m.StartsAt.In(zone)
			d.Dates = append(d.Dates, t("mail.series.date", "Date", longDate(lang, local), "Start", local.Format("15:04"),
				"End", m.EndsAt.In(zone).Format("15:04"), "What", t("meeting.kind."+string(m.Kind))))
		}
	}
	subject := t("mail."+kind+".subject", "What", what, "Group", out.GroupName, "With", out.With)
	d.Lead = t("mail."+kind+".lead", "What", what, "Group", out.GroupName, "With", out.With)
	d.Lang, d.Subject = lang, subject
	var tb, hb bytes.Buffer
	if err := r.text.ExecuteTemplate(&tb, "mail.txt", d); err != nil {
		return Message{}, err
	}
	if err := r.html.ExecuteTemplate(&hb, "mail.html", d); err != nil {
		return Message{}, err
	}
	msg := Message{To: out.To, Subject: subject, Text: tb.String(), HTML: hb.String(), Key: key}
	if out.Series != nil {
		events := FeedEvents(r.Catalog, lang, out.Series.Events)
		for i := range events {
			events[i].Organizer = Person{Name: out.OrganizerName, Email: out.OrganizerEmail}
			events[i].Attendees = []Person{{Name: out.Name, Email: out.To}}
		}
		msg.Method = MethodRequest
		if out.Series.Withdrawn {
			msg.Method = MethodCancel
		}
		msg.ICS = ICS(events, zone, Host(r.BaseURL), "", msg.Method, time.Now())
		return msg, nil
	}
	if out.UID != "" && !out.StartsAt.IsZero() {
		summary := Summary(r.Catalog, lang, sub, out.GroupName, out.With)
		if kind == models.MailOneOnOne1d || kind == models.MailOneOnOneToday {
			summary = Summary(r.Catalog, lang, "one_on_one", "", out.With)
		}
		msg.Method = MethodRequest
		if out.Cancelled {
			msg.Method = MethodCancel
		}
		msg.ICS = r.invite(out, summary, msg.Method)
	}
	return msg, nil
}

// Summary is a meeting's own title in a calendar, the same in the feed and
// in invitations: its kind and group, or "one-on-one" and the other person.
func Summary(cat *i18n.Catalog, lang, kind, group, with string) string {
	if kind == "one_on_one" {
		return cat.T(lang, "oneonone.title", nil) + " · " + with
	}
	return cat.T(lang, "meeting.kind."+kind, nil) + " · " + group
}

// FeedEvents turns calendar entries into events with their titles in a
// language (a feed, or a series invitation before it is addressed).
func FeedEvents(cat *i18n.Catalog, lang string, entries []models.CalendarEvent) []Event {
	out := make([]Event, len(entries))
	for i, e := range entries {
		out[i] = Event{UID: e.UID, Summary: Summary(cat, lang, e.Kind, e.GroupName, e.With), Location: e.Location,
			StartsAt: e.StartsAt, EndsAt: e.EndsAt, Updated: e.Updated, Sequence: e.Sequence, Cancelled: e.Cancelled,
			RepeatUntil: e.RepeatUntil, ExDates: e.ExDates, RecurrenceID: e.RecurrenceID}
	}
	return out
}

// Host is the host part of calendar UIDs: the app's host name.
func Host(baseURL string) string {
	if u, err := url.Parse(baseURL); err == nil && u.Hostname() != "" {
		return u.Hostname()
	}
	return "crossmentor"
}

// invite is the iTIP attachment of a meeting mail (RFC 5546): a REQUEST,
// or a CANCEL for a cancelled meeting, from the organiser to the addressee.
func (r *Renderer) invite(out models.OutgoingMail, summary, method string) []byte {
	return ICS([]Event{{UID: out.UID, Summary: summary, Location: out.Location, StartsAt: out.StartsAt, EndsAt: out.EndsAt,
		Updated: out.Updated, Sequence: out.Sequence, Cancelled: out.Cancelled, RecurrenceID: out.RecurrenceID,
		Organizer: Person{Name: out.OrganizerName, Email: out.OrganizerEmail}, Attendees: []Person{{Name: out.Name, Email: out.To}}}},
		r.Zone(), Host(r.BaseURL), "", method, time.Now())
}

// longDate writes "dinsdag 9 februari 2027" or "Tuesday 9 February 2027".
func longDate(lang string, t time.Time) string {
	if lang == "nl" {
		days := [7]string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}
		months := [12]string{"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"}
		return fmt.Sprintf("%s %d %s %d", days[t.Weekday()], t.Day(), months[t.Month()-1], t.Year())
	}
	return t.Format("Monday 2 January 2006")
}
