package motoserver

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// Proxy is a loopback reverse proxy in front of a server. It adds a fixed
// latency to every request (to stand in for a real network round trip),
// counts requests, and lets tests answer chosen requests themselves (to
// inject AccessDenied or throttling, which moto cannot produce).
type Proxy struct {
	// URL is the proxy's base URL.
	URL string
	srv *httptest.Server

	requests atomic.Int64
	mu       sync.Mutex
	inject   []Injection
}

// Injection answers the requests it matches instead of the server.
type Injection struct {
	// Match selects requests.
	Match func(*http.Request) bool
	// Times limits how many requests it answers (0: all).
	Times int
	// Respond writes the answer.
	Respond http.HandlerFunc
	used    int
}

// NewProxy starts a proxy in front of target with the given latency per
// request.
func NewProxy(target string, latency time.Duration) (*Proxy, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	p := &Proxy{}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.requests.Add(1)
		if latency > 0 {
			time.Sleep(latency)
		}
		if h := p.injection(r); h != nil {
			h(w, r)
			return
		}
		rp.ServeHTTP(w, r)
	}))
	p.URL = p.srv.URL
	return p, nil
}

// Inject adds an injection; the first matching one answers.
func (p *Proxy) Inject(in Injection) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.inject = append(p.inject, in)
}

func (p *Proxy) injection(r *http.Request) http.HandlerFunc {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := range p.inject {
		in := &p.inject[i]
		if (in.Times == 0 || in.used < in.Times) && in.Match(r) {
			in.used++
			return in.Respond
		}
	}
	return nil
}

// Requests returns how many requests the proxy received.
func (p *Proxy) Requests() int64 { return p.requests.Load() }

// Close stops the proxy.
func (p *Proxy) Close() { p.srv.Close() }
