package handlers_test

import (
	"io/fs"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"testing"

	"crossmentor/app/apptest"
	"crossmentor/templates"
)

// luminance is the relative luminance of a #rrggbb colour (WCAG 2).
func luminance(hex string) float64 {
	var c [3]float64
	for i := range c {
		n, _ := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		v := float64(n) / 255
		if v <= 0.03928 {
			c[i] = v / 12.92
		} else {
			c[i] = math.Pow((v+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*c[0] + 0.7152*c[1] + 0.0722*c[2]
}

func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// TestFocusRingContrast: the focus ring stands out at least 3:1 from the
// page background and the cards it is drawn on.
func TestFocusRingContrast(t *testing.T) {
	css, err := fs.ReadFile(templates.FS(), "static/app.css")
	if err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for _, m := range regexp.MustCompile(`--([a-z-]+):#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b`).FindAllStringSubmatch(string(css), -1) {
		hex := m[2]
		if len(hex) == 3 {
			hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
		}
		vars[m[1]] = "#" + hex
	}
	if vars["focus"] == "" || vars["bg"] == "" || vars["card"] == "" {
		t.Fatalf("colours not found: %v", vars)
	}
	for _, behind := range []string{"bg", "card"} {
		if r := contrast(vars["focus"], vars[behind]); r < 3 {
			t.Errorf("focus ring on --%s: %.2f:1", behind, r)
		}
	}
}

// TestFavicon: pages link an icon, and /favicon.ico answers with it.
func TestFavicon(t *testing.T) {
	_, _, srv := demo(t)
	c := as(t, srv, "mentee@demo.test")
	if r := c.Get("/"); !contains(r.Body, `rel="icon"`) {
		t.Error("the page links no icon")
	}
	if r := c.Get("/favicon.ico"); r.Status != http.StatusOK || !contains(r.Body, "<svg") {
		t.Errorf("/favicon.ico: %d", r.Status)
	}
}

// TestWrongPasswordSaysSo: a wrong password says that the address or the
// password is wrong, not that fields are filled in wrongly.
func TestWrongPasswordSaysSo(t *testing.T) {
	_, _, srv := demo(t)
	c := apptest.NewClient(t, srv)
	c.Get("/signin")
	r := c.PostForm("/signin", url.Values{"email": {"mentee@demo.test"}, "password": {"fout wachtwoord"}})
	if !contains(r.Body, "E-mailadres of wachtwoord klopt niet.") || contains(r.Body, "Niet alles is goed ingevuld") {
		t.Errorf("wrong password: %d", r.Status)
	}
}
