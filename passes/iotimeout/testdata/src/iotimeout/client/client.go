// want package:"hasUntimedCtors"

// Package client holds the http.Client shapes iotimeout reports, and the
// correct shapes a naive check would report.
package client

import (
	"flag"
	"net/http"
	"time"
)

// ---- reported ----

func literal(url string) error {
	c := &http.Client{} // want `http.Client c has no Timeout, so c.Get can wait forever for a server that stops answering: set Timeout`
	resp, err := c.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

func valueLiteral(url string) {
	c := http.Client{Jar: nil} // want `http.Client c has no Timeout, so c.Head can wait`
	c.Head(url)
}

func newClient(url string) {
	c := new(http.Client) // want `http.Client c has no Timeout, so c.Post can wait`
	c.Post(url, "text/plain", nil)
}

func zeroValue(url string) {
	var c http.Client // want `http.Client c has no Timeout, so c.PostForm can wait`
	c.PostForm(url, nil)
}

func declaredThenAssigned(url string) {
	var c *http.Client
	c = &http.Client{} // want `http.Client c has no Timeout`
	c.Get(url)
}

func varWithValue(url string) {
	var c = &http.Client{} // want `http.Client c has no Timeout`
	c.Get(url)
}

func constantZero(url string) {
	c := &http.Client{Timeout: 0} // want `http.Client c has no Timeout`
	c.Get(url)
}

// doWithoutContext: the request is made by http.NewRequest, so it carries
// no deadline either.
func doWithoutContext(url string) error {
	c := &http.Client{} // want `http.Client c has no Timeout, so c.Do can wait`
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		return err
	}
	_, err = c.Do(req)
	return err
}

// methodValue: get := client.Get; get(url) waits through the client.
func methodValue(url string) {
	client := &http.Client{} // want `http.Client client has no Timeout, so client.Get can wait`
	get := client.Get
	get(url)
}

func inPlace(url string) {
	(&http.Client{}).Get(url) // want `this http.Client has no Timeout, so Get can wait`
}

// conditional: the timeout is set on one path only.
func conditional(url string, d time.Duration) {
	c := &http.Client{} // want `http.Client c has no Timeout`
	if d > 0 {
		c.Timeout = d
	}
	c.Get(url)
}

// setAfterUse: set too late for the first request.
func setAfterUse(url string) {
	c := &http.Client{} // want `http.Client c has no Timeout`
	c.Get(url)
	c.Timeout = time.Second
	c.Get(url)
}

// inGoroutine: a function literal that only uses the client is
// followed.
func inGoroutine(urls []string) {
	c := &http.Client{} // want `http.Client c has no Timeout`
	for _, u := range urls {
		go func() {
			c.Get(u)
		}()
	}
}

// defaultTransport: an explicit default transport bounds nothing.
func defaultTransport(url string) {
	c := &http.Client{Transport: http.DefaultTransport} // want `http.Client c has no Timeout`
	c.Get(url)
}

// transportLiteral: a transport without ResponseHeaderTimeout bounds
// nothing either.
func transportLiteral(url string) {
	tr := &http.Transport{MaxIdleConns: 10}
	c := &http.Client{Transport: tr} // want `http.Client c has no Timeout`
	defer c.CloseIdleConnections()
	c.Get(url)
}

// ---- silent ----

func withTimeout(url string) {
	c := &http.Client{Timeout: 10 * time.Second} // ok: timeout in the literal
	c.Get(url)
}

func variableTimeout(url string, d time.Duration) {
	c := &http.Client{Timeout: d} // ok: a non-constant duration is a setting
	c.Get(url)
}

func assignedBeforeUse(url string) {
	c := &http.Client{} // ok: Timeout assigned on every path before use
	c.Timeout = 5 * time.Second
	c.Get(url)
}

func assignedOnEveryBranch(url string, slow bool) {
	c := new(http.Client) // ok: both branches set it
	if slow {
		c.Timeout = time.Minute
	} else {
		c.Timeout = time.Second
	}
	c.Get(url)
}

func flagTimeout(url string) {
	var c http.Client // ok: its Timeout is set through the flag
	flag.DurationVar(&c.Timeout, "timeout", time.Second, "")
	flag.Parse()
	c.Get(url)
}

func returned() *http.Client { // want returned:"untimed http.Client"
	c := &http.Client{} // ok: returned, the caller may set Timeout (a constructor fact)
	return c
}

type service struct{ client *http.Client }

func storedInField(s *service, url string) {
	c := &http.Client{} // ok: stored in a field
	s.client = c
	c.Get(url)
}

func storedInLiteral(url string) *service {
	return &service{client: &http.Client{}} // ok: stored in a composite
}

func configure(c *http.Client) { c.Timeout = time.Second }

func passed(url string) {
	c := &http.Client{} // ok: passed to a function, which may set Timeout
	configure(c)
	c.Get(url)
}

func reassigned(url string, other *http.Client) {
	c := &http.Client{} // ok: reassigned, the pass follows one value
	if other != nil {
		c = other
	}
	c.Get(url)
}

func setInLiteral(url string) {
	c := &http.Client{} // ok: a function literal sets Timeout; when it runs is unknown
	setup := func() { c.Timeout = time.Second }
	setup()
	c.Get(url)
}

func doWithContext(url string, req *http.Request) {
	c := &http.Client{} // ok: the request is a parameter, it may carry a deadline
	c.Do(req)
}

func doWithContextReq(url string) {
	c := &http.Client{} // ok: the request carries a context
	req, _ := http.NewRequest("GET", url, nil)
	req = req.WithContext(nil)
	c.Do(req)
}

func customTransport(url string, rt http.RoundTripper) {
	c := &http.Client{Transport: rt} // ok: an unknown RoundTripper may set deadlines
	c.Get(url)
}

func headerTimeout(url string) {
	c := &http.Client{Transport: &http.Transport{ResponseHeaderTimeout: time.Second}} // ok: the wait for a response is bounded
	c.Get(url)
}

func notUsed() {
	c := &http.Client{} // ok: never used for a request
	c.CloseIdleConnections()
}

func unkeyed(url string) {
	c := &http.Client{nil, nil, nil, 3 * time.Second} // ok: unkeyed fields are not read
	c.Get(url)
}

// suppressed: the finding is silenced with a reason.
func suppressed(url string) {
	c := &http.Client{} //leaklint:ignore iotimeout the server is in-process and always answers
	c.Get(url)
}
