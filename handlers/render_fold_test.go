package handlers_test

import (
	"fmt"
	"net/http"
	"testing"

	"crossmentor/handlers"
	"crossmentor/templates"
)

// TestPreparedPagesWriteAsParsed: the pages prepared per language (fixed
// translations and asset addresses written in) give every signed-in role's
// pages byte for byte as the templates as parsed do, in both languages.
func TestPreparedPagesWriteAsParsed(t *testing.T) {
	a, db, srv := demo(t)
	prepared := a.Echo.Renderer
	parsed, err := handlers.NewRenderer(templates.FS(), nil)
	if err != nil {
		t.Fatal(err)
	}
	noord := groupID(t, db, "Groep Noord")
	meeting := meetingIDs(t, db, noord)[0].ID
	pages := map[string][]string{
		"mentee@demo.test":  {"/", "/goals", "/one-on-ones", "/evaluations", "/account", fmt.Sprintf("/groups/%d", noord), fmt.Sprintf("/meetings/%d", meeting)},
		"mentor@demo.test":  {"/", fmt.Sprintf("/groups/%d", noord), fmt.Sprintf("/meetings/%d", meeting), "/input"},
		"admin@demo.test":   {"/", "/programmes", "/people", "/settings", "/audit", "/teams"},
		"manager@demo.test": {"/", "/dashboard"},
	}
	compared := 0
	for email, paths := range pages {
		c := as(t, srv, email)
		for _, path := range paths {
			for _, lang := range []string{"nl", "en"} {
				url := path + "?lang=" + lang
				a.Echo.Renderer = prepared
				want := c.Get(url)
				a.Echo.Renderer = parsed
				got := c.Get(url)
				if want.Status != http.StatusOK {
					t.Errorf("%s %s: %d", email, url, want.Status)
					continue
				}
				if got.Body != want.Body {
					t.Errorf("%s %s: the prepared page differs from the parsed one", email, url)
				}
				compared++
			}
		}
	}
	a.Echo.Renderer = prepared
	if compared == 0 {
		t.Fatal("no page compared")
	}
}
