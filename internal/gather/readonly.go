package gather

import (
	"context"
	"fmt"
	"strings"
	"sync"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
)

// readOnlyPrefixes are the operation-name prefixes that only read.
var readOnlyPrefixes = []string{"Get", "List", "Head", "Describe", "Simulate"}

// stsAllowed are the only STS operations replcheck may call: AssumeRole
// (to read the destination account) and GetCallerIdentity. STS "Get"
// operations such as GetSessionToken and GetFederationToken mint
// credentials, so the read prefixes do not apply to STS.
var stsAllowed = map[string]bool{"sts:AssumeRole": true, "sts:GetCallerIdentity": true}

// ReadOnly reports whether an operation ("s3:GetBucketPolicy") is on the
// allowlist of operations replcheck may call.
func ReadOnly(op string) bool {
	service, name, ok := strings.Cut(op, ":")
	if !ok {
		return false
	}
	if service == "sts" {
		return stsAllowed[op]
	}
	for _, p := range readOnlyPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// Recorder counts the operations a run invokes. It is safe for concurrent
// use.
type Recorder struct {
	mu    sync.Mutex
	calls map[string]int
	order []string
}

// Calls returns how many times each operation was invoked.
func (r *Recorder) Calls() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int, len(r.calls))
	for k, v := range r.calls {
		out[k] = v
	}
	return out
}

// Total returns the number of operations invoked.
func (r *Recorder) Total() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.order)
}

func (r *Recorder) record(op string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.calls == nil {
		r.calls = map[string]int{}
	}
	r.calls[op]++
	r.order = append(r.order, op)
}

// middleware returns the SDK middleware that records each operation and
// refuses any that is not read-only, before anything is sent.
func (r *Recorder) middleware() func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("replcheckReadOnly",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				op := strings.ToLower(awsmiddleware.GetServiceID(ctx)) + ":" + awsmiddleware.GetOperationName(ctx)
				if !ReadOnly(op) {
					return middleware.InitializeOutput{}, middleware.Metadata{}, fmt.Errorf("replcheck refuses to call %s: it is not a read-only operation", op)
				}
				r.record(op)
				return next.HandleInitialize(ctx, in)
			}), middleware.After) // after the SDK records the service and operation names
	}
}
