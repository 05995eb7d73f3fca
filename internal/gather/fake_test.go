package gather

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// The tests in this package talk to fakeAWS, an httptest server that
// answers S3 (REST-XML), IAM and STS (query-XML), KMS and Organizations
// (JSON 1.1) with the wire shapes AWS uses, so that the SDK's own
// deserializers run. No emulator is needed.

// testAccount is the account of the test credentials (GetCallerIdentity).
const testAccount = "111122223333"

// otherAccount is an account the test credentials do not belong to.
const otherAccount = "444455556666"

// TestMain pins the SDK's environment: static credentials, no shared
// files, no IMDS, no endpoint or retry settings from the developer's
// shell.
func TestMain(m *testing.M) {
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "AWS_") {
			os.Unsetenv(k)
		}
	}
	dir, err := os.MkdirTemp("", "gather-test")
	if err != nil {
		panic(err)
	}
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID":           "AKIDGATHERTEST",
		"AWS_SECRET_ACCESS_KEY":       "gather-test-secret",
		"AWS_REGION":                  "us-east-1",
		"AWS_CONFIG_FILE":             dir + "/config",
		"AWS_SHARED_CREDENTIALS_FILE": dir + "/credentials",
		"AWS_EC2_METADATA_DISABLED":   "true",
	} {
		os.Setenv(k, v)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// fakeAWS is one endpoint for every service. Handlers are registered per
// operation ("s3:GetBucketReplication"); an operation without a handler
// fails the test.
type fakeAWS struct {
	t   testing.TB
	srv *httptest.Server

	mu       sync.Mutex
	handlers map[string]func(*fakeReq)
	counts   map[string]int
}

// fakeReq is one request as the fake understood it.
type fakeReq struct {
	w       http.ResponseWriter
	r       *http.Request
	service string // signing name: s3, iam, sts, kms, organizations
	op      string // "s3:GetBucketVersioning"
	region  string // signing Region
	bucket  string // S3 only
	key     string // S3 only
	form    url.Values
	json    map[string]any
}

func newFake(t testing.TB) *fakeAWS {
	t.Helper()
	f := &fakeAWS{t: t, handlers: map[string]func(*fakeReq){}, counts: map[string]int{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// on sets the handler of an operation.
func (f *fakeAWS) on(op string, h func(*fakeReq)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.handlers[op] = h
}

// count returns how many requests (attempts included) reached op.
func (f *fakeAWS) count(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.counts[op]
}

// total returns how many requests reached the server.
func (f *fakeAWS) total() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, c := range f.counts {
		n += c
	}
	return n
}

// access reaches the fake with tiny back-offs.
func (f *fakeAWS) access() Access {
	return Access{EndpointURL: f.srv.URL, MaxBackoff: time.Millisecond}
}

func (f *fakeAWS) serve(w http.ResponseWriter, r *http.Request) {
	req := &fakeReq{w: w, r: r}
	req.service, req.region = signingScope(r.Header.Get("Authorization"))
	switch req.service {
	case "s3":
		req.op = "s3:" + s3Operation(r, req)
	case "iam", "sts":
		if err := r.ParseForm(); err != nil {
			if !errors.Is(err, io.ErrUnexpectedEOF) { // not a client that gave up mid-request (a cancelled run)
				f.t.Errorf("fake %s: bad form: %v", req.service, err)
			}
			return
		}
		req.form = r.PostForm
		req.op = req.service + ":" + req.form.Get("Action")
	case "kms", "organizations":
		target := r.Header.Get("X-Amz-Target")
		req.op = req.service + ":" + target[strings.LastIndexByte(target, '.')+1:]
		body, _ := io.ReadAll(r.Body)
		if int64(len(body)) < r.ContentLength {
			return // a client that gave up mid-request (a cancelled run)
		}
		if err := json.Unmarshal(body, &req.json); err != nil {
			f.t.Errorf("fake %s: bad JSON body %q: %v", req.op, body, err)
		}
	default:
		f.t.Errorf("fake: unsigned or unknown request %s %s (Authorization %q)", r.Method, r.URL, r.Header.Get("Authorization"))
		http.Error(w, "unknown service", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.counts[req.op]++
	h := f.handlers[req.op]
	f.mu.Unlock()
	if h == nil {
		f.t.Errorf("fake: unexpected operation %s (%s %s)", req.op, r.Method, r.URL)
		req.fail(http.StatusNotImplemented, "NotImplemented", "the fake does not answer "+req.op)
		return
	}
	// Every AWS answer carries a request ID; a handler that plays another
	// server deletes it.
	w.Header().Set("x-amzn-RequestId", "fake-request")
	h(req)
}

// signingScope reads the service and Region from a SigV4 Authorization
// header: Credential=AKID/DATE/REGION/SERVICE/aws4_request.
func signingScope(auth string) (service, region string) {
	_, cred, ok := strings.Cut(auth, "Credential=")
	if !ok {
		return "", ""
	}
	cred, _, _ = strings.Cut(cred, ",")
	parts := strings.Split(cred, "/")
	if len(parts) != 5 {
		return "", ""
	}
	return parts[3], parts[2]
}

// s3Operation names a path-style S3 request by method and sub-resource.
func s3Operation(r *http.Request, req *fakeReq) string {
	path := strings.TrimPrefix(r.URL.Path, "/")
	req.bucket, req.key, _ = strings.Cut(path, "/")
	q := r.URL.Query()
	sub := ""
	for _, s := range []string{"replication", "versioning", "object-lock", "encryption", "policy", "ownershipControls",
		"requestPayment", "lifecycle", "versions", "tagging", "acl"} {
		if q.Has(s) {
			sub = s
			break
		}
	}
	names := map[string]string{"replication": "BucketReplication", "versioning": "BucketVersioning",
		"object-lock": "ObjectLockConfiguration", "encryption": "BucketEncryption", "policy": "BucketPolicy",
		"ownershipControls": "BucketOwnershipControls", "requestPayment": "BucketRequestPayment",
		"lifecycle": "BucketLifecycleConfiguration", "tagging": "BucketTagging", "acl": "BucketAcl"}
	if req.key != "" {
		names["tagging"], names["acl"] = "ObjectTagging", "ObjectAcl"
	}
	switch {
	case r.Method == http.MethodGet && req.bucket == "":
		return "ListBuckets"
	case r.Method == http.MethodHead && req.key == "":
		return "HeadBucket"
	case r.Method == http.MethodHead:
		return "HeadObject"
	case r.Method == http.MethodGet && sub == "versions":
		return "ListObjectVersions"
	case r.Method == http.MethodGet && sub != "":
		return "Get" + names[sub]
	case r.Method == http.MethodPut && sub != "":
		return "Put" + names[sub]
	case r.Method == http.MethodDelete && sub != "":
		return "Delete" + names[sub]
	}
	return r.Method + "?" + r.URL.RawQuery
}

// xmlBody writes an XML document.
func (q *fakeReq) xmlBody(status int, body string) {
	q.w.Header().Set("Content-Type", "application/xml")
	q.w.Header().Set("x-amz-request-id", "FAKEREQUESTID")
	doc := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + body
	q.w.Header().Set("Content-Length", fmt.Sprint(len(doc)))
	q.w.WriteHeader(status)
	io.WriteString(q.w, doc)
}

// s3 writes an S3 REST-XML result element with S3's namespace.
func (q *fakeReq) s3(element, inner string) {
	q.xmlBody(http.StatusOK, fmt.Sprintf(`<%s xmlns="http://s3.amazonaws.com/doc/2006-03-01/">%s</%s>`, element, inner, element))
}

// query writes an IAM or STS query-protocol result.
func (q *fakeReq) query(inner string) {
	action := q.form.Get("Action")
	ns := "https://iam.amazonaws.com/doc/2010-05-08/"
	if q.service == "sts" {
		ns = "https://sts.amazonaws.com/doc/2011-06-15/"
	}
	q.xmlBody(http.StatusOK, fmt.Sprintf(`<%sResponse xmlns="%s"><%sResult>%s</%sResult><ResponseMetadata><RequestId>fake-1</RequestId></ResponseMetadata></%sResponse>`,
		action, ns, action, inner, action, action))
}

// jsonBody writes a JSON 1.1 result.
func (q *fakeReq) jsonBody(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	q.w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	q.w.Header().Set("x-amzn-RequestId", "fake-1")
	q.w.WriteHeader(http.StatusOK)
	q.w.Write(b)
}

// fail writes an error in the protocol of the request's service.
func (q *fakeReq) fail(status int, code, message string) {
	switch q.service {
	case "s3":
		if q.r.Method == http.MethodHead {
			q.w.Header().Set("x-amz-request-id", "FAKEREQUESTID")
			q.w.WriteHeader(status) // HEAD answers carry no body
			return
		}
		q.xmlBody(status, fmt.Sprintf(`<Error><Code>%s</Code><Message>%s</Message><RequestId>FAKEREQUESTID</RequestId><HostId>fakehost</HostId></Error>`, code, xmlText(message)))
	case "iam", "sts":
		ns := "https://iam.amazonaws.com/doc/2010-05-08/"
		if q.service == "sts" {
			ns = "https://sts.amazonaws.com/doc/2011-06-15/"
		}
		q.xmlBody(status, fmt.Sprintf(`<ErrorResponse xmlns="%s"><Error><Type>Sender</Type><Code>%s</Code><Message>%s</Message></Error><RequestId>fake-1</RequestId></ErrorResponse>`, ns, code, xmlText(message)))
	default:
		q.w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		q.w.Header().Set("x-amzn-RequestId", "fake-1")
		q.w.WriteHeader(status)
		b, _ := json.Marshal(map[string]string{"__type": code, "message": message})
		q.w.Write(b)
	}
}

// denied answers 403 AccessDenied as the service would.
func (q *fakeReq) denied() {
	code := "AccessDenied"
	if q.service == "kms" || q.service == "organizations" {
		code = "AccessDeniedException"
	}
	q.fail(http.StatusForbidden, code, "User: arn:aws:iam::"+testAccount+":user/test is not authorized to perform: "+q.op)
}

// str returns a JSON request field as a string.
func (q *fakeReq) str(field string) string {
	s, _ := q.json[field].(string)
	return s
}

// members returns a query-protocol list parameter (Name.member.N).
func (q *fakeReq) members(name string) []string {
	var out []string
	for i := 1; ; i++ {
		v, ok := q.form[fmt.Sprintf("%s.member.%d", name, i)]
		if !ok {
			return out
		}
		out = append(out, v[0])
	}
}

// xmlText escapes s for XML character data.
func xmlText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// iamEncode encodes a policy document as IAM returns it: RFC 3986
// percent-encoding of everything but the unreserved characters.
func iamEncode(doc string) string {
	var b strings.Builder
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// callerIdentity answers sts:GetCallerIdentity for account.
func callerIdentity(account string) func(*fakeReq) {
	return func(q *fakeReq) {
		q.query(fmt.Sprintf(`<Arn>arn:aws:iam::%s:user/test</Arn><UserId>AIDATEST</UserId><Account>%s</Account>`, account, account))
	}
}

// newTestRun builds a run against the fake as Gather does, without its
// first round, for tests of one fact at a time. It answers
// GetCallerIdentity with testAccount.
func newTestRun(t *testing.T, f *fakeAWS, a Access, rec *Recorder) *run {
	t.Helper()
	f.on("sts:GetCallerIdentity", callerIdentity(testAccount))
	r, err := buildRun(context.Background(), runOptions{Access: a, Recorder: rec, Concurrency: 16, CallTimeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.cancel)
	return r
}

// testDoc is a valid policy document.
const testDoc = `{"Version":"2012-10-17","Statement":[{"Sid":"All","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"StringEquals":{"aws:SourceAccount":"111122223333"}}}]}`
