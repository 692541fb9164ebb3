package s3test

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"
)

// Fault is what the proxy does to a request once it is failing.
type Fault int

// Faults.
const (
	// NoFault forwards the request.
	NoFault Fault = iota
	// Status500 answers 500 InternalError without forwarding.
	Status500
	// Drop closes the connection without forwarding or answering.
	Drop
	// DropAnswer forwards the request, so the server applies it, then
	// closes the connection without the answer: the client cannot know
	// whether its write happened.
	DropAnswer
)

func (f Fault) String() string {
	switch f {
	case NoFault:
		return "no fault"
	case Status500:
		return "500"
	case Drop:
		return "drop"
	case DropAnswer:
		return "drop answer"
	}
	return "fault?"
}

// Request is what the proxy saw of one request.
type Request struct {
	Method string
	Path   string // bucket and key, escaped
	Query  string
	Header http.Header
	Fault  Fault
}

// Proxy is a reverse proxy in front of a server that fails on demand.
type Proxy struct {
	URL string

	target *url.URL
	rp     *httputil.ReverseProxy

	mu       sync.Mutex
	fault    Fault
	after    int // PUTs still let through before failing; <0 = never fail
	limit    int // faults left to inject; <0 = until Heal
	puts     int
	requests []Request
	hookAt   int // run hook once puts reaches it
	hook     func()
}

// AfterPuts runs fn once, after the n-th PUT from now has been forwarded
// and answered (to kill the server in the middle of a publication, say).
func (p *Proxy) AfterPuts(n int, fn func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hookAt, p.hook = p.puts+n, fn
}

func (p *Proxy) afterPut() {
	p.mu.Lock()
	var fn func()
	if p.hook != nil && p.puts >= p.hookAt {
		fn, p.hook = p.hook, nil
	}
	p.mu.Unlock()
	if fn != nil {
		fn()
	}
}

// NewProxy starts a proxy in front of target (an http://host:port URL) and
// closes it at cleanup. It forwards everything until told to fail.
func NewProxy(t testing.TB, target string) *Proxy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	p := &Proxy{target: u, after: -1}
	p.rp = &httputil.ReverseProxy{
		Rewrite: func(r *httputil.ProxyRequest) {
			r.SetURL(u)
			r.Out.Host = r.In.Host // the client signed its Host header
		},
		// A server that is down looks down: the connection is cut, as it
		// would be without the proxy, rather than answered with a 502.
		ErrorHandler: func(w http.ResponseWriter, _ *http.Request, _ error) { hangUp(w) },
		ErrorLog:     log.New(io.Discard, "", 0),
	}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	p.URL = srv.URL
	return p
}

// FailAfterPuts lets n more PUT requests (object and part uploads) through,
// then applies f to every request until Heal.
func (p *Proxy) FailAfterPuts(n int, f Fault) { p.Fail(n, -1, f) }

// FailNext applies f to the next n requests, then forwards again.
func (p *Proxy) FailNext(n int, f Fault) { p.Fail(0, n, f) }

// Fail lets afterPuts more PUT requests through, then applies f to the
// next count requests (every request until Heal when count < 0).
func (p *Proxy) Fail(afterPuts, count int, f Fault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fault, p.after, p.limit = f, afterPuts, count
}

// Heal forwards everything again.
func (p *Proxy) Heal() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fault, p.after = NoFault, -1
}

// Requests returns what the proxy saw so far.
func (p *Proxy) Requests() []Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Request(nil), p.requests...)
}

// Puts counts the PUT requests forwarded so far.
func (p *Proxy) Puts() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.puts
}

func (p *Proxy) decide(r *http.Request) Fault {
	p.mu.Lock()
	defer p.mu.Unlock()
	f := NoFault
	if p.after == 0 && p.fault != NoFault {
		f = p.fault
		if p.limit > 0 {
			p.limit--
			if p.limit == 0 {
				p.fault, p.after = NoFault, -1
			}
		}
	} else if r.Method == http.MethodPut && p.after > 0 {
		p.after--
	}
	if r.Method == http.MethodPut && (f == NoFault || f == DropAnswer) {
		p.puts++
	}
	p.requests = append(p.requests, Request{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, Header: r.Header.Clone(), Fault: f})
	return f
}

// ServeHTTP implements http.Handler.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch p.decide(r) {
	case Status500:
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/xml")
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>injected by s3test.Proxy</Message></Error>`)
	case Drop:
		hangUp(w)
	case DropAnswer:
		out := r.Clone(r.Context())
		out.RequestURI = ""
		out.URL.Scheme, out.URL.Host = p.target.Scheme, p.target.Host
		out.Host = r.Host
		resp, err := http.DefaultTransport.RoundTrip(out)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		hangUp(w)
	default:
		p.rp.ServeHTTP(w, r)
		if r.Method == http.MethodPut {
			p.afterPut()
		}
	}
}

func hangUp(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic("s3test: response writer cannot hijack")
	}
	conn, _, err := hj.Hijack()
	if err == nil {
		conn.Close()
	}
}
