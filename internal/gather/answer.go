package gather

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// probeOperations are the first answers of each endpoint and set of
// credentials: the caller's account and the buckets' whereabouts. They
// must prove they come from AWS with a request ID, which every AWS answer
// carries: a plain web server answers a HEAD with 404 and no body, which
// the SDK reads as "no such bucket".
var probeOperations = map[string]bool{
	"sts:GetCallerIdentity": true,
	"s3:ListBuckets":        true,
	"s3:HeadBucket":         true,
}

// checkAnswer is the middleware, on replcheck's own clients, that turns an
// answer that did not come from AWS into a *notAWSAnswer before the SDK's
// reading of it can become a fact. It runs once per attempt, outside the
// SDK's deserializer, and keeps the SDK's error inside, so that retries
// (of a 5xx) happen as before.
func checkAnswer(stack *middleware.Stack) error {
	return stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("replcheckAnswerFromAWS",
		func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
			out, md, err := next.HandleDeserialize(ctx, in)
			resp, ok := out.RawResponse.(*smithyhttp.Response)
			req, isHTTP := in.Request.(*smithyhttp.Request)
			if !ok || resp == nil || resp.Response == nil || resp.StatusCode == 0 || !isHTTP {
				return out, md, err // no answer at all: a transport error
			}
			if why := unlikeAWS(operationName(ctx, stack.ID()), req.Method, resp, err); why != "" {
				return out, md, &notAWSAnswer{endpoint: endpointOfRequest(req.Request), status: resp.StatusCode,
					contentType: resp.Header.Get("Content-Type"), why: why, err: err}
			}
			return out, md, err
		}), middleware.Before)
}

// unlikeAWS says why an answer to op did not come from AWS, or "" when it
// may have: its body must parse; an error must carry a request ID or an
// AWS error document; a probe must carry a request ID. A HEAD error has no
// body to judge, and is taken on the word of the probes (a sampled object
// deleted meanwhile answers 404).
func unlikeAWS(op, method string, resp *smithyhttp.Response, err error) string {
	var de *smithy.DeserializationError
	switch {
	case errors.As(err, &de):
		return fmt.Sprintf("whose body does not parse as an AWS answer (%v)", de.Err)
	case probeOperations[op] && !hasRequestID(resp):
		return "without the request ID that every AWS answer carries"
	case err != nil && !hasRequestID(resp) && !hasErrorDocument(resp, err) && method != http.MethodHead:
		return "without an AWS error code or request ID"
	}
	return ""
}

// hasRequestID reports whether an answer carries an AWS request ID header
// (x-amz-request-id for S3, x-amzn-RequestId for the other services).
func hasRequestID(resp *smithyhttp.Response) bool {
	return resp.Header.Get("X-Amz-Request-Id") != "" || resp.Header.Get("X-Amzn-Requestid") != ""
}

// hasErrorDocument reports whether an error answer's body named an AWS
// error code. The SDK makes one up from the HTTP status for S3 answers
// whose body has none (404 → NotFound); that does not count.
func hasErrorDocument(resp *smithyhttp.Response, err error) bool {
	code := errorCode(err)
	if code == "" {
		return false
	}
	var ae smithy.APIError
	text := http.StatusText(resp.StatusCode)
	made := errors.As(err, &ae) && code == strings.ReplaceAll(text, " ", "") && ae.ErrorMessage() == text
	return !made
}

// notAWSAnswer is an answer that did not come from AWS or an endpoint that
// answers as AWS does.
type notAWSAnswer struct {
	endpoint    string // scheme://host
	status      int
	contentType string
	why         string
	err         error // the SDK's reading of the answer, if it failed
}

// Error says what was answered, and why it is not AWS's.
func (e *notAWSAnswer) Error() string {
	ct := ""
	if e.contentType != "" {
		ct = " (" + e.contentType + ")"
	}
	msg := fmt.Sprintf("the endpoint answered HTTP %d%s %s", e.status, ct, e.why)
	if body := bodyExcerpt(e.err); body != "" {
		msg += ": " + body
	}
	return msg
}

// Unwrap returns the SDK's error, so that its status code still drives
// retries.
func (e *notAWSAnswer) Unwrap() error { return e.err }

// endpointOfRequest is scheme://host of a request.
func endpointOfRequest(r *http.Request) string {
	if r == nil || r.URL == nil {
		return ""
	}
	return r.URL.Scheme + "://" + r.URL.Host
}
