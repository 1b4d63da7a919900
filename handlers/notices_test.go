package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"crossmentor/models"
)

// TestNoticesPages: the header shows the unread count, the list shows the
// person's own notices, opening one marks it read and leads to its page,
// another person's notice is 404, and the delivery choices are saved, or
// refused field by field with nothing changed.
func TestNoticesPages(t *testing.T) {
	_, db, srv := demo(t)
	c := as(t, srv, "mentee@demo.test")
	me := personID(t, db, "mentee@demo.test")
	var unread int64
	db.Model(&models.Notice{}).Where("recipient_id = ? AND read_at IS NULL", me).Count(&unread)
	if unread == 0 {
		t.Fatal("the demo mentee has no unread notices")
	}
	home := c.Get("/")
	if !strings.Contains(home.Body, `href="/notices"`) || !strings.Contains(home.Body, `<span class="badge" aria-hidden="true">`+strconv.FormatInt(unread, 10)+`</span>`) {
		t.Fatalf("the header lacks the notices link with %d unread", unread)
	}
	list := c.Get("/notices")
	if list.Status != http.StatusOK || !strings.Contains(list.Body, "Groep Noord") {
		t.Fatalf("notices page: %d", list.Status)
	}
	var mine, other models.Notice
	db.Where("recipient_id = ? AND read_at IS NULL", me).Order("id").First(&mine)
	db.Where("recipient_id <> ?", me).First(&other)
	if r := c.Get("/notices/" + strconv.FormatUint(uint64(other.ID), 10)); r.Status != http.StatusNotFound {
		t.Fatalf("another's notice: %d, want 404", r.Status)
	}
	var after models.Notice
	db.First(&after, other.ID)
	if after.ReadAt != nil {
		t.Fatal("opening another's notice marked it read")
	}
	r := c.Get("/notices/" + strconv.FormatUint(uint64(mine.ID), 10))
	if r.Status != http.StatusSeeOther || r.Location != mine.Path {
		t.Fatalf("open: %d to %q, want 303 to %q", r.Status, r.Location, mine.Path)
	}
	after = models.Notice{}
	db.First(&after, mine.ID)
	if after.ReadAt == nil {
		t.Fatal("an opened notice stays unread")
	}
	// The header's count on the next page already leaves it out (the
	// replica's viewer cache forgets this session when a notice is opened).
	if home := c.Get("/"); !strings.Contains(home.Body, `<span class="badge" aria-hidden="true">`+strconv.FormatInt(unread-1, 10)+`</span>`) {
		t.Fatalf("the header's count after opening one is not %d", unread-1)
	}
	// A choice that does not exist: 422 with the field's message, nothing stored.
	bad := c.PostForm("/account/notices", url.Values{"mode_" + models.NoticeCasePlaced: {"pigeon"}, "mode_" + models.NoticePollOpened: {"app"}})
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.Body, `<p class="field-error" id="err-mode_case_placed">Kies een van de aangeboden mogelijkheden.</p>`) {
		t.Fatalf("a bad choice: %d\n%.3000s", bad.Status, bad.Body)
	}
	modes, err := models.NoticeModesOf(context.Background(), db, models.Viewer{PersonID: me})
	if err != nil || modes[models.NoticePollOpened] != models.NoticeByMail {
		t.Fatalf("a refused form changed the choices: %v %v", modes, err)
	}
	ok := c.PostForm("/account/notices", url.Values{"mode_" + models.NoticeCasePlaced: {"digest"}, "mode_" + models.NoticePollOpened: {"app"}})
	if ok.Status != http.StatusSeeOther {
		t.Fatalf("saving choices: %d", ok.Status)
	}
	modes, _ = models.NoticeModesOf(context.Background(), db, models.Viewer{PersonID: me})
	if modes[models.NoticeCasePlaced] != models.NoticeByDigest || modes[models.NoticePollOpened] != models.NoticeInApp || modes[models.NoticeTextShared] != models.NoticeByMail {
		t.Fatalf("choices after saving: %v", modes)
	}
	if acc := c.Get("/account"); !strings.Contains(acc.Body, `name="mode_case_placed" value="digest" checked> Eén mail per dag`) {
		t.Fatal("the account page does not show the saved choice")
	}
	// Read all: the count goes away.
	c.PostForm("/notices/read", url.Values{})
	if home := c.Get("/"); strings.Contains(home.Body, `<span class="badge" aria-hidden="true">`) {
		t.Fatal("unread count after reading all")
	}
}
