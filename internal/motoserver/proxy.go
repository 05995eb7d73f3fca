package motoserver

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
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
	tracing  bool
	spans    []*Span

	// bucketRegion, if set, names each bucket's Region in ListBuckets
	// answers, as S3 does and moto 5.2.1 does not.
	bucketRegion func(bucket string) string
	// replay serves each request that was answered before from the
	// answer recorded then (see Replay).
	replay  bool
	answers map[string]*answer
}

// answer is a recorded answer.
type answer struct {
	status int
	header http.Header
	body   []byte
}

// Span is one request's passage through the proxy, recorded when tracing
// is on (Trace): Start when the request arrived, End when the answer was
// ready to send back (the server's response headers, or an injected
// answer), before any of it reached the client. A request that starts
// after another's End can therefore depend on it; one that starts before
// cannot.
type Span struct {
	// Operation names the request: "iam:GetRole", "kms:DescribeKey", or
	// for S3 (REST) "s3:GET /bucket?versioning".
	Operation  string
	Start, End time.Time
}

type spanKey struct{}

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
	rp.ModifyResponse = func(resp *http.Response) error {
		endSpan(resp.Request.Context())
		return nil
	}
	p := &Proxy{}
	p.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.requests.Add(1)
		if sp := p.startSpan(r); sp != nil {
			r = r.WithContext(context.WithValue(r.Context(), spanKey{}, sp))
			defer endSpan(r.Context()) // failures and injections
		}
		if latency > 0 {
			time.Sleep(latency)
		}
		if h := p.injection(r); h != nil {
			endSpan(r.Context())
			h(w, r)
			return
		}
		p.mu.Lock()
		replay, fill := p.replay, p.bucketRegion
		p.mu.Unlock()
		if !replay && (fill == nil || !isListBuckets(r)) {
			rp.ServeHTTP(w, r)
			return
		}
		key := replayKey(r)
		p.mu.Lock()
		a := p.answers[key]
		p.mu.Unlock()
		if a == nil {
			rec := httptest.NewRecorder()
			rp.ServeHTTP(rec, r)
			a = &answer{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}
			if fill != nil && isListBuckets(r) && a.status == http.StatusOK {
				a.body = withBucketRegions(a.body, fill)
				a.header.Set("Content-Length", strconv.Itoa(len(a.body)))
			}
			if replay && a.status < 500 {
				p.mu.Lock()
				p.answers[key] = a
				p.mu.Unlock()
			}
		}
		endSpan(r.Context())
		for k, v := range a.header {
			w.Header()[k] = v
		}
		w.WriteHeader(a.status)
		_, _ = w.Write(a.body)
	}))
	p.URL = p.srv.URL
	return p, nil
}

// FillBucketRegion makes ListBuckets answers name each bucket's Region,
// as S3 does when the request has a parameter (MaxBuckets) and moto 5.2.1
// does not, from region(bucket); "" leaves a bucket without one.
func (p *Proxy) FillBucketRegion(region func(bucket string) string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.bucketRegion = region
}

// Replay turns on recording and replaying: every request is answered by the
// server once and from then on, by the proxy, with that answer, after the
// same latency. For a read-only client that asks the same questions again,
// it turns a server that serves one request at a time (moto) into one that
// answers in constant time whatever the concurrency, as AWS does, so that
// a benchmark measures the client's scheduling rather than the emulator.
// Requests are told apart by method, path and query, body, and the access
// key that signed them (so each account has its own answers).
func (p *Proxy) Replay(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.replay = on
	if p.answers == nil {
		p.answers = map[string]*answer{}
	}
}

// replayKey identifies a request for Replay.
func replayKey(r *http.Request) string {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	key := ""
	if _, scope, ok := strings.Cut(r.Header.Get("Authorization"), "Credential="); ok {
		key, _, _ = strings.Cut(scope, "/")
	}
	return r.Method + " " + r.URL.RequestURI() + " " + key + " " + string(body)
}

// isListBuckets reports whether r is S3's ListBuckets (GET / of the
// service).
func isListBuckets(r *http.Request) bool {
	return r.Method == http.MethodGet && r.URL.Path == "/" && strings.Contains(r.Header.Get("Authorization"), "/s3/aws4_request")
}

// bucketName matches a bucket's name element in a ListBuckets answer.
var bucketName = regexp.MustCompile(`<Name>([^<]+)</Name>`)

// withBucketRegions adds a BucketRegion element after each bucket's name.
func withBucketRegions(body []byte, region func(string) string) []byte {
	return bucketName.ReplaceAllFunc(body, func(m []byte) []byte {
		name := string(bucketName.FindSubmatch(m)[1])
		if r := region(name); r != "" {
			return append(append([]byte{}, m...), []byte("<BucketRegion>"+r+"</BucketRegion>")...)
		}
		return m
	})
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

// Trace turns the recording of spans on or off. Turning it on discards the
// spans recorded so far.
func (p *Proxy) Trace(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.tracing, p.spans = on, nil
}

// Spans returns the spans recorded since tracing was turned on, in arrival
// order, and starts a new recording. A span whose request is still in
// flight has a zero End.
func (p *Proxy) Spans() []Span {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Span, len(p.spans))
	for i, sp := range p.spans {
		spanMu.Lock()
		out[i] = *sp
		spanMu.Unlock()
	}
	p.spans = nil
	return out
}

func (p *Proxy) startSpan(r *http.Request) *Span {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.tracing {
		return nil
	}
	sp := &Span{Operation: operation(r), Start: time.Now()}
	p.spans = append(p.spans, sp)
	return sp
}

// operation names a request from its signature's credential scope (the
// service) and its X-Amz-Target header, form Action, or method and path.
func operation(r *http.Request) string {
	service := "?"
	if a := r.Header.Get("Authorization"); a != "" {
		if _, scope, ok := strings.Cut(a, "Credential="); ok {
			if parts := strings.Split(scope, "/"); len(parts) >= 4 {
				service = parts[3]
			}
		}
	}
	if t := r.Header.Get("X-Amz-Target"); t != "" {
		return service + ":" + t[strings.LastIndexByte(t, '.')+1:]
	}
	if r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") && r.Body != nil {
		body, err := io.ReadAll(r.Body)
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
		if err == nil {
			if v, err := url.ParseQuery(string(body)); err == nil && v.Get("Action") != "" {
				return service + ":" + v.Get("Action")
			}
		}
	}
	op := service + ":" + r.Method + " " + r.URL.Path
	if r.URL.RawQuery != "" {
		op += "?" + r.URL.RawQuery
	}
	return op
}

// spanMu guards the End of every span (ends are written from the handler
// and from the reverse proxy's response hook).
var spanMu sync.Mutex

// endSpan sets the End of the request's span, once.
func endSpan(ctx context.Context) {
	sp, _ := ctx.Value(spanKey{}).(*Span)
	if sp == nil {
		return
	}
	spanMu.Lock()
	defer spanMu.Unlock()
	if sp.End.IsZero() {
		sp.End = time.Now()
	}
}

// Requests returns how many requests the proxy received.
func (p *Proxy) Requests() int64 { return p.requests.Load() }

// Close stops the proxy.
func (p *Proxy) Close() { p.srv.Close() }

// Depth is the longest chain of requests r1 → r2 → … in which each
// starts after the previous one ended, and that chain's operations. It is
// an upper bound of the dependency depth: a request that waited for
// another (a fact it needs, or a needless barrier) starts after it; two
// independent requests may happen to chain too, but with every request
// taking the same added latency and independent ones sent together, they rarely do.
func Depth(spans []Span) (int, []Span) {
	sort.Slice(spans, func(i, j int) bool { return spans[i].Start.Before(spans[j].Start) })
	depth := make([]int, len(spans))
	prev := make([]int, len(spans))
	best := -1
	for i, s := range spans {
		depth[i], prev[i] = 1, -1
		for j := 0; j < i; j++ {
			if e := spans[j].End; !e.IsZero() && e.Before(s.Start) && depth[j]+1 > depth[i] {
				depth[i], prev[i] = depth[j]+1, j
			}
		}
		if best < 0 || depth[i] > depth[best] {
			best = i
		}
	}
	if best < 0 {
		return 0, nil
	}
	var path []Span
	for i := best; i >= 0; i = prev[i] {
		path = append([]Span{spans[i]}, path...)
	}
	return depth[best], path
}
