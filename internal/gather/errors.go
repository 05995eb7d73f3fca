package gather

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"

	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"

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

// EndpointError is a failure to reach an AWS endpoint at all: nothing can
// be gathered, so the run stops.
type EndpointError struct {
	Operation string
	Err       error
}

// Error names the operation and the cause.
func (e *EndpointError) Error() string {
	return fmt.Sprintf("%s: cannot reach the endpoint: %v", e.Operation, e.Err)
}

// Unwrap returns the cause.
func (e *EndpointError) Unwrap() error { return e.Err }

// unreachable reports whether err is a network failure (connection
// refused, DNS, timeout) rather than an answer from AWS.
func unreachable(err error) bool {
	var ne net.Error
	var oe *net.OpError
	var de *net.DNSError
	return errors.As(err, &oe) || errors.As(err, &de) || (errors.As(err, &ne) && ne.Timeout()) ||
		errors.Is(err, context.DeadlineExceeded)
}

// factError describes why op failed, for an Unknown fact. permission is
// the IAM action replcheck needed.
func factError(op, permission string, err error) *snapshot.FactError {
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
