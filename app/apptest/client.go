package apptest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"crossmentor/app"
)

// Client is a browser-like HTTP client (cookie jar, CSRF token from its
// cookie, no redirect following) against the app served by httptest.
type Client struct {
	t      testing.TB
	Server *httptest.Server
	HTTP   *http.Client
}

// Response is what a request returned, read in full.
type Response struct {
	Status   int
	Body     string
	Header   http.Header
	Location string
}

// Serve starts the app on a loopback port for the length of the test.
func Serve(t testing.TB, a *app.App) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(a.Echo)
	t.Cleanup(srv.Close)
	return srv
}

// NewClient returns a fresh client (no cookies) for srv.
func NewClient(t testing.TB, srv *httptest.Server) *Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	return &Client{t: t, Server: srv, HTTP: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// Do sends a request and reads the whole response.
func (c *Client) Do(req *http.Request) Response {
	c.t.Helper()
	resp, err := c.HTTP.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return Response{Status: resp.StatusCode, Body: string(body), Header: resp.Header, Location: resp.Header.Get("Location")}
}

// Get fetches a path.
func (c *Client) Get(path string) Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.Server.URL+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.Do(req)
}

// Cookie returns the value of a cookie the client holds, or "".
func (c *Client) Cookie(name string) string {
	u, _ := url.Parse(c.Server.URL)
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		if ck.Name == name {
			return ck.Value
		}
	}
	return ""
}

// PostForm submits a form the way the app's pages do, with the CSRF token
// the client received (a GET is made first when it has none).
func (c *Client) PostForm(path string, form url.Values) Response {
	c.t.Helper()
	if c.Cookie("cm_csrf") == "" {
		c.Get("/healthz")
	}
	form.Set("_csrf", c.Cookie("cm_csrf"))
	return c.PostRawForm(path, form)
}

// PostRawForm submits form exactly as given, without adding a CSRF token.
func (c *Client) PostRawForm(path string, form url.Values) Response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.Server.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.Do(req)
}

// SignIn signs in with a password and fails the test if that does not work.
func (c *Client) SignIn(email, password string) {
	c.t.Helper()
	r := c.PostForm("/signin", url.Values{"email": {email}, "password": {password}})
	if r.Status != http.StatusSeeOther {
		c.t.Fatalf("sign in as %s: status %d\n%s", email, r.Status, r.Body)
	}
}

// JSON sends an API request; body is encoded unless it is a string or
// []byte, which are sent as they are. token, when set, is sent as Bearer.
func (c *Client) JSON(method, path, token string, body any) Response {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, c.Server.URL+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return c.Do(req)
}

// JSONWith is JSON with extra request headers.
func (c *Client) JSONWith(method, path string, headers map[string]string, body any) Response {
	c.t.Helper()
	data, err := json.Marshal(body)
	if err != nil {
		c.t.Fatal(err)
	}
	req, err := http.NewRequest(method, c.Server.URL+path, bytes.NewReader(data))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return c.Do(req)
}

// Decode parses a JSON response body into v.
func (r Response) Decode(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("decode %q: %v", r.Body, err)
	}
}
