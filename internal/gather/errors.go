package gather

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// absentCodes are the error codes with which AWS answers "not configured".
// They make a fact Absent, not Unknown.
var absentCodes = map[string]bool{
	"ReplicationConfigurationNotFoundError":          true,
	"NoSuchBucketPolicy":                             true,
	"ObjectLockConfigurationNotFoundError":           true,
	"OwnershipControlsNotFoundError":                 true,
	"ServerSideEncryptionConfigurationNotFoundError": true,
	"NoSuchLifecycleConfiguration":                   true,
}

// notFoundCodes are the error codes that say a resource does not exist.
var notFoundCodes = map[string]bool{
	"NotFound":                  true, // HeadBucket, HeadObject
	"NoSuchBucket":              true,
	"NoSuchKey":                 true,
	"NoSuchVersion":             true,
	"NoSuchEntity":              true,
	"NotFoundException":         true, // KMS
	"NoSuchEntityException":     true,
	"ResourceNotFoundException": true,
}

// deniedCodes are the error codes of an authorization failure.
var deniedCodes = map[string]bool{
	"AccessDenied":          true,
	"AccessDeniedException": true,
	"Forbidden":             true,
	"UnauthorizedOperation": true,
	"AllAccessDisabled":     true,
	"InvalidAccessKeyId":    true,
	"SignatureDoesNotMatch": true,
	"ExpiredToken":          true,
}

// unknownErrorCode is the SDK's placeholder for an error answer that
// carried no AWS error code (an HTML page, an empty body).
const unknownErrorCode = "UnknownError"

// errorCode returns the AWS error code of err, or "" when the answer
// carried none.
func errorCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorCode() != unknownErrorCode {
		return ae.ErrorCode()
	}
	return ""
}

// isAbsent reports whether err means "not configured".
func isAbsent(err error) bool { return absentCodes[errorCode(err)] }

// isNotFound reports whether err means the resource does not exist.
func isNotFound(err error) bool {
	if notFoundCodes[errorCode(err)] {
		return true
	}
	var re *awshttp.ResponseError
	return errors.As(err, &re) && re.HTTPStatusCode() == 404
}

// EndpointError is a failure of an endpoint rather than an answer about
// the user's resources: it cannot be reached, it does not answer as AWS
// does, or it keeps failing after retries. Nothing it said can be a fact,
// so the run stops (except that an audit whose endpoint has proven itself
// survives a 5xx or a timeout: see unanswered.go).
type EndpointError struct {
	// Operation is the operation that failed ("s3:HeadBucket").
	Operation string
	// Endpoint is the endpoint's scheme://host, when known.
	Endpoint string
	// Problem says how it failed.
	Problem EndpointProblem
	// Err is the cause.
	Err error
	// CredentialSource, when set, says that the operation was a credential
	// provider's, fetching credentials from this source ("web identity",
	// "the container credentials endpoint"), not a read of the user's
	// resources.
	CredentialSource string
	// hint, when set, replaces the hint of the problem (a credential
	// source's endpoint names the setting that chose it).
	hint string
}

// EndpointProblem is how an endpoint failed.
type EndpointProblem int

const (
	// Unreachable: no answer at all (connection refused, DNS, timeout, a
	// TLS handshake that failed, http spoken to an https server).
	Unreachable EndpointProblem = iota
	// NotAWS: an answer that did not come from AWS (an HTML page, a body
	// that does not parse, no request ID where AWS always sends one).
	NotAWS
	// ServerError: an HTTP 5xx, still, after the retries.
	ServerError
	// Throttled: AWS throttled the operation through every round of
	// retries.
	Throttled
)

// Error names the operation, the endpoint and the cause.
func (e *EndpointError) Error() string {
	endpoint := e.Endpoint
	if endpoint == "" {
		endpoint = "the endpoint"
	}
	op := e.Operation
	notAWS := "is not an AWS endpoint"
	if e.CredentialSource != "" {
		op += " (fetching credentials from " + e.CredentialSource + ")"
		if e.Operation == "endpoint-credentials:GetCredentials" {
			notAWS = "is not a container credentials endpoint"
		}
	}
	switch e.Problem {
	case NotAWS:
		return fmt.Sprintf("%s: %s %s: %v", op, endpoint, notAWS, e.Err)
	case ServerError:
		return fmt.Sprintf("%s: %s kept failing after retries: HTTP %d %s", op, endpoint, statusCode(e.Err), oneLine(errorMessage(e.Err), 200))
	case Throttled:
		return fmt.Sprintf("%s: %s kept throttling the request: %v", op, endpoint, e.Err)
	}
	return fmt.Sprintf("%s: cannot reach %s: %v", op, endpoint, transportCause(e.Err))
}

// Unwrap returns the cause.
func (e *EndpointError) Unwrap() error { return e.Err }

// Hint says how to fix the failure, for the command line.
func (e *EndpointError) Hint() string {
	if e.hint != "" {
		return e.hint
	}
	endpoint := e.Endpoint
	if endpoint == "" {
		endpoint = "the AWS endpoint"
	}
	switch e.Problem {
	case NotAWS:
		return endpoint + " does not answer as AWS does: point --endpoint-url (or AWS_ENDPOINT_URL) at an endpoint that serves " +
			"S3, IAM, KMS, STS and Organizations, with the scheme (http or https) it speaks, or leave it out to use AWS"
	case ServerError:
		return endpoint + " kept failing: try again later, and if it is an emulator or a proxy, check its log"
	case Throttled:
		return "AWS throttled replcheck for minutes: try again later, or with a lower --concurrency, when other tools use the same account less"
	}
	return "check that " + endpoint + " is reachable from here (network, proxy, --endpoint-url, AWS_ENDPOINT_URL), that its scheme " +
		"(http or https) is the one the server speaks, and, for a private certificate authority, AWS_CA_BUNDLE"
}

// optionalOperations may be missing from an endpoint that otherwise
// answers as AWS does (an emulator without the simulator or
// Organizations): their failures are unknown facts, never endpoint errors,
// unless the endpoint cannot be reached at all.
func optionalOperation(op string) bool {
	return op == "iam:SimulatePrincipalPolicy" || strings.HasPrefix(op, "organizations:")
}

// endpointFailure classifies a failed call to op at the gathering
// boundary: a failure of the endpoint (which stops the run), or nil for an
// answer about the resource (which becomes a fact or an unknown).
func endpointFailure(op string, err error) *EndpointError {
	var na *notAWSAnswer
	var cc *credentialCall
	switch {
	// A credential provider failed under op (it signs op's request): the
	// failure is the credential source's, named by its own operation.
	case errors.As(err, &cc):
		return credentialFailure(cc)
	// An answer that is not AWS's, even one whose body was cut short (a
	// TLS server answering plain HTTP closes the connection under the
	// read), is not an unreachable endpoint.
	case errors.As(err, &na) && !optionalOperation(op):
		return &EndpointError{Operation: op, Endpoint: na.endpoint, Problem: NotAWS, Err: na}
	case unreachable(err):
		return &EndpointError{Operation: op, Endpoint: endpointOf(err), Problem: Unreachable, Err: err}
	case optionalOperation(op):
		return nil
	case statusCode(err) >= 500:
		return &EndpointError{Operation: op, Endpoint: endpointOf(err), Problem: ServerError, Err: err}
	}
	return nil
}

// unreachable reports whether err is a failure to get any answer
// (connection refused, DNS, timeout, TLS) rather than an answer.
func unreachable(err error) bool {
	var ne net.Error
	var oe *net.OpError
	var de *net.DNSError
	var se *smithyhttp.RequestSendError
	return errors.As(err, &se) || errors.As(err, &oe) || errors.As(err, &de) || (errors.As(err, &ne) && ne.Timeout()) ||
		errors.Is(err, context.DeadlineExceeded)
}

// transportCause is the innermost useful message of a transport failure:
// the *url.Error's cause ("dial tcp …: connection refused"), or err.
func transportCause(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// statusCode is the HTTP status of an answer, or 0 without one (the
// container credentials client's errors carry it without the SDK's
// ResponseError).
func statusCode(err error) int {
	var re interface{ HTTPStatusCode() int }
	if errors.As(err, &re) {
		return re.HTTPStatusCode()
	}
	return 0
}

// endpointOf is scheme://host of the request that failed, when err tells.
func endpointOf(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			return u.Scheme + "://" + u.Host
		}
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) && re.Response != nil && re.Response.Response != nil {
		return endpointOfRequest(re.Response.Request)
	}
	return ""
}

// factError describes why op failed, for an Unknown fact. permission is
// the IAM action replcheck needed.
func factError(op, permission string, err error) *snapshot.FactError {
	var uc *unansweredCall
	if errors.As(err, &uc) {
		return uc.factError()
	}
	fe := &snapshot.FactError{Operation: op, Code: errorCode(err), Message: errorMessage(err)}
	var re *awshttp.ResponseError
	switch {
	case deniedCodes[fe.Code]:
		fe.Permission = permission
	case withoutAWSError(err) && errors.As(err, &re):
		fe.Code = "NotImplemented"
		fe.Message = fmt.Sprintf("the endpoint answered HTTP %d without an AWS error: it may not implement %s", re.HTTPStatusCode(), op)
	case fe.Code == "" && errors.As(err, &re) && re.HTTPStatusCode() >= 400:
		fe.Code = "RequestFailed"
		fe.Message = fmt.Sprintf("the endpoint answered HTTP %d without an AWS error", re.HTTPStatusCode())
	case fe.Code == "":
		fe.Code = "RequestFailed"
	}
	return fe
}

// withoutAWSError reports whether err is an HTTP 5xx answer that carries
// no AWS error code: an endpoint (an emulator) that does not implement the
// operation, rather than AWS failing.
func withoutAWSError(err error) bool {
	var re *awshttp.ResponseError
	return errorCode(err) == "" && errors.As(err, &re) && re.HTTPStatusCode() >= 500
}

// errorMessage returns the AWS error message, or the error text.
func errorMessage(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) && ae.ErrorMessage() != "" && ae.ErrorMessage() != unknownErrorCode {
		return ae.ErrorMessage()
	}
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 && len(msg)-i < 200 {
		return msg[i+2:]
	}
	return msg
}
