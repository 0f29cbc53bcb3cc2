// want package:"hasUntimedCtors"

// Package defaultclient holds the uses of http.DefaultClient.
package defaultclient

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"time"
)

// ---- reported ----

func get(u string) {
	http.Get(u) // want `http.Get uses http.DefaultClient, which has no Timeout, so it can wait forever for a server that stops answering: use an http.Client with Timeout, or http.NewRequestWithContext with a deadline`
}

func others(u string) {
	http.Head(u)                        // want `http.Head uses http.DefaultClient`
	http.Post(u, "text/plain", nil)     // want `http.Post uses http.DefaultClient`
	http.PostForm(u, url.Values{})      // want `http.PostForm uses http.DefaultClient`
	http.DefaultClient.Get(u)           // want `http.DefaultClient has no Timeout, so http.DefaultClient.Get can wait forever for a server that stops answering: use an http.Client with Timeout, or requests made with http.NewRequestWithContext and a deadline`
	http.DefaultClient.PostForm(u, nil) // want `http.DefaultClient has no Timeout, so http.DefaultClient.PostForm can wait`
}

// functionValue: get := http.Get; get(u) still uses the default client.
func functionValue(u string) {
	fetch := http.Get // want `http.Get uses http.DefaultClient`
	fetch(u)
}

// methodValue through the default client.
func methodValue(u string) {
	get := http.DefaultClient.Get // want `http.DefaultClient has no Timeout, so http.DefaultClient.Get can wait`
	get(u)
}

func doWithoutContext(u string) error {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	_, err = http.DefaultClient.Do(req) // want `http.DefaultClient has no Timeout, so http.DefaultClient.Do can wait`
	return err
}

func alias(u string) {
	c := http.DefaultClient // want `http.DefaultClient \(as c\) has no Timeout, so c.Get can wait`
	c.Get(u)
}

// ---- silent ----

func doWithContext(ctx context.Context, u string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	_, err = http.DefaultClient.Do(req) // ok: the request carries a context, which can carry a deadline
	return err
}

func doWithContextLater(ctx context.Context, u string) error {
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req = req.WithContext(ctx)
	_, err = http.DefaultClient.Do(req) // ok: WithContext
	return err
}

func doClone(ctx context.Context, r *http.Request) {
	http.DefaultClient.Do(r.Clone(ctx)) // ok: Clone(ctx)
}

func doParam(req *http.Request) {
	http.DefaultClient.Do(req) // ok: the request may carry a context
}

func doMethodValue() func(*http.Request) (*http.Response, error) {
	return http.DefaultClient.Do // ok: its requests are unknown
}

// handedOn returns the default client: its callers' uses are checked
// through the fact.
func handedOn() *http.Client { // want handedOn:"untimed http.Client"
	return http.DefaultClient // ok: handed on
}

func callsHandedOn(u string) {
	handedOn().Get(u) // want `the http.Client from handedOn has no Timeout, so handedOn\(\).Get can wait`
}

func aliasSetsTimeout(u string) {
	c := http.DefaultClient // ok: c.Timeout is set before use (changing the default client, but bounded)
	c.Timeout = time.Second
	c.Get(u)
}

func httptestServer(ts *httptest.Server) {
	http.Get(ts.URL + "/healthz") // ok: a test server, torn down by its test
}
