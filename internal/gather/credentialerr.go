package gather

import (
	"context"
	"errors"
	"net/http"
	"os"
	"regexp"
	"strings"

	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// credentialSources name, for each credential operation whose endpoint is
// judged, the credential source that calls it. The EC2 instance metadata
// service is left out on purpose: its "no role" answer is an HTML 404, and
// an unreachable IMDS is what "not on EC2" looks like, so both stay "no
// AWS credentials".
var credentialSources = map[string]string{
	"sts:AssumeRoleWithWebIdentity":       "web identity",
	"sts:AssumeRole":                      "a profile's role_arn",
	"endpoint-credentials:GetCredentials": "the container credentials endpoint",
	"sso:GetRoleCredentials":              "IAM Identity Center",
	"sso oidc:CreateToken":                "IAM Identity Center",
	"signin:CreateOAuth2Token":            "aws login",
}

// credentialCall is a credential provider's failed operation, with the
// request's URL, so that a failure of its endpoint can name both.
type credentialCall struct {
	op  string
	url string // the request's URL without its query, when known
	// viaFlag says that --endpoint-url chose the endpoint (it also serves
	// the credential providers' STS and IAM Identity Center requests).
	viaFlag bool
	err     error
}

// Error is the SDK's error, unchanged.
func (e *credentialCall) Error() string { return e.err.Error() }

// Unwrap returns the SDK's error, so that retries and the credential
// providers see it as before.
func (e *credentialCall) Unwrap() error { return e.err }

// checkCredentialAnswer is the middleware, on the credential providers'
// clients, that marks each failed attempt of a judged credential operation
// with the operation and URL, and turns an answer that did not come from
// AWS (or the container agent) into a *notAWSAnswer, as checkAnswer does
// for replcheck's own clients.
func checkCredentialAnswer(viaFlag bool) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("replcheckCredentialAnswer",
			func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
				out, md, err := next.HandleDeserialize(ctx, in)
				op := operationName(ctx, stack.ID())
				if err == nil || credentialSources[op] == "" {
					return out, md, err
				}
				cc := &credentialCall{op: op, viaFlag: viaFlag, err: err}
				req, isHTTP := in.Request.(*smithyhttp.Request)
				if isHTTP && req.Request != nil && req.URL != nil {
					u := *req.URL
					u.RawQuery, u.Fragment = "", ""
					cc.url = u.String()
				}
				resp, ok := out.RawResponse.(*smithyhttp.Response)
				if isHTTP && ok && resp != nil && resp.Response != nil && resp.StatusCode != 0 {
					if why := unlikeAWS(op, req.Method, resp, err); why != "" {
						cc.err = &notAWSAnswer{endpoint: endpointOfRequest(req.Request), status: resp.StatusCode,
							contentType: resp.Header.Get("Content-Type"), why: why, err: err}
					}
				}
				return out, md, cc
			}), middleware.Before)
	}
}

// credentialFailure classifies a failed credential fetch: a failure of
// the credential source's endpoint (not AWS, a 5xx after retries,
// unreachable), or nil when the source answered as AWS does that there are
// no credentials (an invalid token, a role that may not be assumed) or no
// source was found at all.
func credentialFailure(err error) *EndpointError {
	var cc *credentialCall
	if !errors.As(err, &cc) {
		return nil
	}
	ee := endpointFailure(cc.op, cc.err)
	if ee == nil {
		return nil
	}
	ee.CredentialSource = credentialSources[cc.op]
	if cc.op == "endpoint-credentials:GetCredentials" && cc.url != "" {
		ee.Endpoint = cc.url // the container endpoint is a full URL, path included
	}
	ee.hint = credentialHint(cc, ee)
	return ee
}

// credentialHint says which setting sent a credential operation to the
// endpoint that failed, and how to fix it.
func credentialHint(cc *credentialCall, ee *EndpointError) string {
	endpoint := ee.Endpoint
	if endpoint == "" {
		endpoint = "the endpoint"
	}
	problem := "cannot be reached"
	switch ee.Problem {
	case NotAWS:
		problem = "does not answer as AWS does"
	case ServerError:
		problem = "kept failing after retries"
	}
	if cc.op == "endpoint-credentials:GetCredentials" {
		setting := "AWS_CONTAINER_CREDENTIALS_FULL_URI"
		if os.Getenv(setting) == "" && os.Getenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") != "" {
			setting = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
		}
		return endpoint + " (from " + setting + ") " + problem + ": point it at the container credentials endpoint " +
			"(ECS, EKS Pod Identity and CodeBuild set it themselves), or unset it to use another credential source"
	}
	service := "STS"
	if strings.HasPrefix(cc.op, "sso") {
		service = "IAM Identity Center"
	} else if strings.HasPrefix(cc.op, "signin:") {
		service = "sign-in"
	}
	if cc.viaFlag {
		return "--endpoint-url also receives the credential providers' " + service + " requests (" + ee.CredentialSource + "), and " +
			endpoint + " " + problem + ": give an --endpoint-url that serves " + service + " as AWS does, or leave it out and " +
			"send only the other services there with AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_IAM and AWS_ENDPOINT_URL_KMS"
	}
	return "the credential providers send their " + service + " requests (" + ee.CredentialSource + ") to " + endpoint + ", which " +
		problem + ": check AWS_ENDPOINT_URL_" + strings.ToUpper(strings.Fields(service)[0]) + ", AWS_ENDPOINT_URL and the profile's endpoint_url, " +
		"or unset them to use AWS"
}

// bodyExcerpt is the start of an answer's body that the SDK kept as an
// error message (the container credentials client keeps a non-JSON body
// whole), on one short line; "" when it kept none.
func bodyExcerpt(err error) string {
	var ae smithy.APIError
	if err == nil || errorCode(err) != "" || !errors.As(err, &ae) {
		return ""
	}
	msg := ae.ErrorMessage()
	if msg == unknownErrorCode || msg == http.StatusText(statusCode(err)) {
		return "" // no message of the answer's own, only the SDK's text
	}
	return oneLine(htmlTag.ReplaceAllString(msg, " "), 80)
}

// htmlTag matches an HTML or XML tag, to keep an HTML page's text.
var htmlTag = regexp.MustCompile(`<[^<>]*>`)

// oneLine collapses s's whitespace, newlines included, and cuts it to at
// most n runes, marking the cut.
func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
