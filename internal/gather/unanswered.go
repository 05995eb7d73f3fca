package gather

import (
	"context"
	"errors"
	"fmt"
	"net"
	"reflect"
	"strings"
	"time"

	"github.com/aws/smithy-go/middleware"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// In an audit, once the endpoint has proven that it answers as AWS does
// (the base credentials' sts:GetCallerIdentity and s3:ListBuckets were
// answered), a call that still answers HTTP 5xx after the retries, or that
// gets no answer within the call timeout, is a failure of that call, not
// of the endpoint: one bucket that errors must not lose the other buckets'
// findings. Its facts are Unknown, with an error that names the operation,
// the resource and the HTTP status, and the audit reads everything else as
// usual. Before that proof, and in a preflight, such a failure stops the
// run as endpointFailure says (issue 8: a wrong endpoint is an error, never
// a finding). Throttling stays what call makes of it: never an unknown.

// unansweredCall is a call whose failure an audit turns into Unknown
// facts. Its Error is the SDK's.
type unansweredCall struct {
	op, endpoint, resource string
	status                 int           // the HTTP status; 0 for a timeout
	timeout                time.Duration // the call timeout
	err                    error
}

// Error is the cause's.
func (e *unansweredCall) Error() string { return e.err.Error() }

// Unwrap returns the cause.
func (e *unansweredCall) Unwrap() error { return e.err }

// factError is the Unknown fact's error: "s3:GetBucketReplication:
// InternalError: http://… answered HTTP 500 for arn:aws:s3:::b, still after
// retries: We encountered an internal error."
func (e *unansweredCall) factError() *snapshot.FactError {
	endpoint := e.endpoint
	if endpoint == "" {
		endpoint = "the endpoint"
	}
	about := ""
	if e.resource != "" {
		about = " for " + e.resource
	}
	if e.status == 0 {
		return &snapshot.FactError{Operation: e.op, Code: "Timeout",
			Message: fmt.Sprintf("%s gave no answer%s within %s, retries included", endpoint, about, e.timeout)}
	}
	fe := &snapshot.FactError{Operation: e.op, Code: errorCode(e.err),
		Message: fmt.Sprintf("%s answered HTTP %d%s, still after retries", endpoint, e.status, about)}
	if fe.Code == "" {
		fe.Code = "ServerError"
	} else if m := errorMessage(e.err); m != "" {
		fe.Message += ": " + m
	}
	return fe
}

// tolerate returns the error call returns for a failure of op that
// endpointFailure judged fatal, when the run survives it: an
// *unansweredCall in an audit whose endpoint has proven itself, for a 5xx
// after retries or a call timeout; else nil, and the run stops.
func (r *run) tolerate(op string, fatal *EndpointError, err error, resource string) error {
	status := httpStatus(err)
	serverError := status >= 500 && (fatal.Problem == ServerError || fatal.Problem == NotAWS)
	timedOut := fatal.Problem == Unreachable && isTimeout(err)
	if !r.audit() || !(serverError || timedOut) || !r.endpointProven(op) {
		return nil
	}
	endpoint := fatal.Endpoint
	if endpoint == "" {
		endpoint = r.access.EndpointURL
	}
	if timedOut {
		status = 0
	}
	return &unansweredCall{op: op, endpoint: endpoint, resource: resource, status: status, timeout: r.timeout, err: err}
}

// endpointProven reports whether the run's first calls (the base
// credentials' account and bucket listing) were answered as AWS answers,
// waiting for them if need be. A failure of one of those operations before
// they were answered may be one of them: it proves nothing.
func (r *run) endpointProven(op string) bool {
	if r.proven == nil {
		return false // a run without the first round (tests of one fact)
	}
	select {
	case <-r.proven:
	default:
		if op == "sts:GetCallerIdentity" || op == "s3:ListBuckets" {
			return false
		}
		select {
		case <-r.proven:
		case <-r.ctx.Done():
			return false
		}
	}
	return r.ctx.Err() == nil
}

// httpStatus is the HTTP status of an answer, including one that did not
// look like AWS's; 0 without an answer.
func httpStatus(err error) int {
	var na *notAWSAnswer
	if errors.As(err, &na) {
		return na.status
	}
	return statusCode(err)
}

// isTimeout reports whether err is a call that got no answer in time.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || (errors.As(err, &ne) && ne.Timeout())
}

// resourceSlot is where nameResource writes the resource a call is about.
type resourceSlot struct{ name string }

type resourceSlotKey struct{}

// withResourceSlot returns ctx carrying a slot for nameResource.
func withResourceSlot(ctx context.Context) (context.Context, *resourceSlot) {
	s := &resourceSlot{}
	return context.WithValue(ctx, resourceSlotKey{}, s), s
}

// nameResource is the middleware, on replcheck's own clients, that tells
// call which resource an operation is about, from its input. The
// operations it leads to (sts:AssumeRole, when signing needs the audit
// role's credentials, perhaps run by another goroutine) get no slot: only
// call's own operation writes it, on call's goroutine.
func nameResource(stack *middleware.Stack) error {
	return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("replcheckNameResource",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			if s, ok := ctx.Value(resourceSlotKey{}).(*resourceSlot); ok && s != nil {
				s.name = resourceOf(in.Parameters)
				ctx = context.WithValue(ctx, resourceSlotKey{}, (*resourceSlot)(nil))
			}
			return next.HandleInitialize(ctx, in)
		}), middleware.After)
}

// resourceOf names the resource an operation's input is about: an S3
// bucket or object ARN, a role, a policy or a key; "" when it names none.
func resourceOf(input any) string {
	v := reflect.ValueOf(input)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return ""
	}
	field := func(name string) string {
		f := v.FieldByName(name)
		if f.IsValid() && f.Kind() == reflect.Pointer && !f.IsNil() && f.Elem().Kind() == reflect.String {
			return f.Elem().String()
		}
		return ""
	}
	if b := field("Bucket"); b != "" {
		if k := field("Key"); k != "" {
			return "arn:aws:s3:::" + b + "/" + k
		}
		return "arn:aws:s3:::" + b
	}
	if n := field("RoleName"); n != "" {
		return "role " + n
	}
	if k := field("KeyId"); k != "" {
		if !strings.HasPrefix(k, "arn:") {
			return "key " + k
		}
		return k
	}
	for _, name := range []string{"PolicyArn", "PolicySourceArn", "PolicyId", "TargetId", "ChildId", "RoleArn"} {
		if s := field(name); s != "" {
			return s
		}
	}
	return ""
}
