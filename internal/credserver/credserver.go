// Package credserver serves credentials the way AWS's credential endpoints
// do, for tests of the SDK's credential providers: the EC2 instance
// metadata service (IMDSv2, or IMDSv1 only), the container credentials
// endpoint (ECS, Fargate, CodeBuild), STS AssumeRoleWithWebIdentity and
// AssumeRole, and the IAM Identity Center portal. One loopback server
// answers all of them and records each request.
package credserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"
)

// Paths and names the server answers on.
const (
	// ContainerPath is the container credentials path
	// (AWS_CONTAINER_CREDENTIALS_FULL_URI = URL + ContainerPath).
	ContainerPath = "/v2/credentials/replcheck"
	// RoleName is the instance profile's role.
	RoleName  = "replcheck-reader"
	imdsToken = "imds-session-token"
	credsPath = "/latest/meta-data/iam/security-credentials/"
)

// Credentials are what the server hands out.
type Credentials struct {
	AccessKeyID, SecretAccessKey, SessionToken string
}

// Options choose how the server behaves.
type Options struct {
	// IMDSv1Only refuses the IMDSv2 token request with 403, as an instance
	// with IMDSv2 off does; the SDK then falls back to IMDSv1.
	IMDSv1Only bool
	// ContainerToken, if set, is the Authorization the container endpoint
	// requires (AWS_CONTAINER_AUTHORIZATION_TOKEN).
	ContainerToken string
	// SSOToken, if set, is the bearer token the portal requires.
	SSOToken string
}

// Request is one request the server received.
type Request struct {
	// What names it: "imds:token", "imds:role", "imds:credentials",
	// "container", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRole",
	// "sso:GetRoleCredentials", or "unknown".
	What string
	// WithIMDSToken says whether an IMDS request carried the session token.
	WithIMDSToken bool
	// Refused says whether the server refused it.
	Refused bool
}

// Server is a running credential server.
type Server struct {
	// URL is the server's base URL.
	URL   string
	srv   *httptest.Server
	opt   Options
	creds Credentials

	mu       sync.Mutex
	requests []Request
}

// Start starts a server handing out creds.
func Start(opt Options, creds Credentials) *Server {
	s := &Server{opt: opt, creds: creds}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	return s
}

// Close stops the server.
func (s *Server) Close() { s.srv.Close() }

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.requests...)
}

// Count returns how many requests named what were answered (not refused).
func (s *Server) Count(what string) int {
	n := 0
	for _, r := range s.Requests() {
		if r.What == what && !r.Refused {
			n++
		}
	}
	return n
}

func (s *Server) record(r Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = append(s.requests, r)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	expires := time.Now().Add(time.Hour).UTC()
	withToken := r.Header.Get("X-Aws-Ec2-Metadata-Token") == imdsToken
	switch {
	case r.Method == http.MethodPut && r.URL.Path == "/latest/api/token":
		if s.opt.IMDSv1Only || r.Header.Get("X-Aws-Ec2-Metadata-Token-Ttl-Seconds") == "" {
			s.record(Request{What: "imds:token", Refused: true})
			http.Error(w, "Forbidden", http.StatusForbidden)
			return
		}
		s.record(Request{What: "imds:token"})
		w.Header().Set("X-Aws-Ec2-Metadata-Token-Ttl-Seconds", r.Header.Get("X-Aws-Ec2-Metadata-Token-Ttl-Seconds"))
		fmt.Fprint(w, imdsToken)
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, credsPath):
		what := "imds:role"
		if r.URL.Path != credsPath {
			what = "imds:credentials"
		}
		// An IMDSv2 instance refuses requests without the token; an
		// IMDSv1 one has none to give.
		if !s.opt.IMDSv1Only && !withToken {
			s.record(Request{What: what, Refused: true})
			http.Error(w, "Unauthorized", http.StatusUnauthorized)
			return
		}
		s.record(Request{What: what, WithIMDSToken: withToken})
		switch strings.TrimPrefix(r.URL.Path, credsPath) {
		case "":
			fmt.Fprint(w, RoleName)
		case RoleName:
			writeJSON(w, http.StatusOK, map[string]string{"Code": "Success", "Type": "AWS-HMAC", "LastUpdated": time.Now().UTC().Format(time.RFC3339),
				"AccessKeyId": s.creds.AccessKeyID, "SecretAccessKey": s.creds.SecretAccessKey, "Token": s.creds.SessionToken,
				"Expiration": expires.Format(time.RFC3339)})
		default:
			http.NotFound(w, r)
		}
	case r.Method == http.MethodGet && r.URL.Path == ContainerPath:
		if s.opt.ContainerToken != "" && r.Header.Get("Authorization") != s.opt.ContainerToken {
			s.record(Request{What: "container", Refused: true})
			writeJSON(w, http.StatusUnauthorized, map[string]string{"code": "AccessDenied", "message": "wrong authorization token"})
			return
		}
		s.record(Request{What: "container"})
		writeJSON(w, http.StatusOK, map[string]string{"AccessKeyId": s.creds.AccessKeyID, "SecretAccessKey": s.creds.SecretAccessKey,
			"Token": s.creds.SessionToken, "Expiration": expires.Format(time.RFC3339)})
	case r.Method == http.MethodGet && r.URL.Path == "/federation/credentials":
		if s.opt.SSOToken != "" && r.Header.Get("X-Amz-Sso_bearer_token") != s.opt.SSOToken {
			s.record(Request{What: "sso:GetRoleCredentials", Refused: true})
			writeJSON(w, http.StatusUnauthorized, map[string]string{"message": "Session token not found or invalid"})
			return
		}
		s.record(Request{What: "sso:GetRoleCredentials"})
		writeJSON(w, http.StatusOK, map[string]any{"roleCredentials": map[string]any{"accessKeyId": s.creds.AccessKeyID,
			"secretAccessKey": s.creds.SecretAccessKey, "sessionToken": s.creds.SessionToken, "expiration": expires.UnixMilli()}})
	case r.Method == http.MethodPost && r.ParseForm() == nil && strings.HasPrefix(r.PostForm.Get("Action"), "AssumeRole"):
		action := r.PostForm.Get("Action")
		s.record(Request{What: "sts:" + action})
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("x-amzn-RequestId", "credserver")
		fmt.Fprintf(w, `<%sResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><%sResult><Credentials>`+
			`<AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey><SessionToken>%s</SessionToken><Expiration>%s</Expiration>`+
			`</Credentials><AssumedRoleUser><Arn>%s/replcheck</Arn><AssumedRoleId>AROACREDSERVER:replcheck</AssumedRoleId></AssumedRoleUser></%sResult>`+
			`<ResponseMetadata><RequestId>credserver</RequestId></ResponseMetadata></%sResponse>`,
			action, action, s.creds.AccessKeyID, s.creds.SecretAccessKey, s.creds.SessionToken, expires.Format(time.RFC3339),
			strings.Replace(r.PostForm.Get("RoleArn"), ":role/", ":assumed-role/", 1), action, action)
	default:
		s.record(Request{What: "unknown"})
		http.NotFound(w, r)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
