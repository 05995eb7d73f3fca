package gather

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
)

// Two guards stand between replcheck and the network, each a middleware
// that refuses an operation before anything is sent:
//
//   - the read-only guard, on every client replcheck builds to read the
//     user's resources (S3, IAM, KMS, Organizations, and STS for the
//     caller's account and --destination-role): only ReadOnly operations;
//   - the credential guard, on the clients that the SDK's credential
//     providers build while the configuration loads (IMDS, the container
//     endpoint, STS for web identity and profile roles, IAM Identity
//     Center, aws login): only CredentialOperation operations, which fetch
//     credentials for replcheck and change nothing in any account.
//
// No other client exists: TestOperationsLeavingTheProcess lists every
// operation that replcheck's code calls.

// readOnlyPrefixes are the operation-name prefixes that only read.
var readOnlyPrefixes = []string{"Get", "List", "Head", "Describe", "Simulate"}

// stsAllowed are the only STS operations replcheck itself may call:
// AssumeRole (to read the destination account) and GetCallerIdentity. STS
// "Get" operations such as GetSessionToken and GetFederationToken mint
// credentials, so the read prefixes do not apply to STS.
var stsAllowed = map[string]bool{"sts:AssumeRole": true, "sts:GetCallerIdentity": true}

// ReadOnly reports whether an operation ("s3:GetBucketPolicy") is on the
// allowlist of operations replcheck may call on the user's resources.
func ReadOnly(op string) bool {
	service, name, ok := strings.Cut(op, ":")
	if !ok {
		return false
	}
	switch service {
	case "sts":
		return stsAllowed[op]
	case "s3", "iam", "kms", "organizations":
	default:
		return false
	}
	for _, p := range readOnlyPrefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// credentialOperations are the operations the SDK's credential providers
// call: each returns credentials (or a token that leads to them) for the
// identity replcheck runs as, and none changes a resource.
var credentialOperations = map[string]bool{
	"ec2imds:GetToken":                    true, // IMDSv2 session token (PUT /latest/api/token)
	"ec2imds:GetMetadata":                 true, // the instance role and its credentials
	"endpoint-credentials:GetCredentials": true, // ECS, Fargate, CodeBuild, EKS Pod Identity
	"sts:AssumeRoleWithWebIdentity":       true, // EKS IRSA, GitHub Actions OIDC
	"sts:AssumeRole":                      true, // a profile's role_arn, from source_profile or credential_source
	"sso:GetRoleCredentials":              true, // IAM Identity Center
	"sso oidc:CreateToken":                true, // refreshes an IAM Identity Center token
	"signin:CreateOAuth2Token":            true, // aws login
}

// CredentialOperation reports whether op ("sts:AssumeRoleWithWebIdentity")
// is one the SDK's credential providers may call.
func CredentialOperation(op string) bool { return credentialOperations[op] }

// CredentialOperations lists the operations CredentialOperation allows.
func CredentialOperations() []string {
	out := make([]string, 0, len(credentialOperations))
	for op := range credentialOperations {
		out = append(out, op)
	}
	return out
}

// unnamedOperations names the operations of the two clients that register
// no service name: the EC2 instance metadata client and the container
// credentials client. The key is the operation's stack ID.
var unnamedOperations = map[string]string{
	"getToken":       "ec2imds:GetToken",
	"GetMetadata":    "ec2imds:GetMetadata",
	"GetCredentials": "endpoint-credentials:GetCredentials",
}

// Recorder counts the operations a run invokes. It is safe for concurrent
// use.
type Recorder struct {
	mu          sync.Mutex
	calls       map[string]int
	total       int
	distinct    map[string]int // call key → times invoked
	credentials map[string]int
}

// Calls returns how many times each operation on the user's resources was
// invoked.
func (r *Recorder) Calls() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int, len(r.calls))
	for k, v := range r.calls {
		out[k] = v
	}
	return out
}

// CredentialCalls returns how many times each credential-provider
// operation was invoked.
func (r *Recorder) CredentialCalls() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int, len(r.credentials))
	for k, v := range r.credentials {
		out[k] = v
	}
	return out
}

// Total returns the number of operations on the user's resources invoked.
func (r *Recorder) Total() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.total
}

// Distinct returns the number of distinct calls: operations that differ in
// operation, input or credentials. Total minus Distinct is the number of
// calls that asked again what was already asked (throttled calls sent again
// count too).
func (r *Recorder) Distinct() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.distinct)
}

// Duplicates returns, for each call made more than once, how many times it
// was made: "s3:ListBuckets base {...}" → 2.
func (r *Recorder) Duplicates() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for k, n := range r.distinct {
		if n > 1 {
			out[k] = n
		}
	}
	return out
}

func (r *Recorder) record(op, credentials string, input any) {
	key := op + " " + credentials + " " + inputKey(input)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.calls == nil {
		r.calls, r.distinct = map[string]int{}, map[string]int{}
	}
	r.calls[op]++
	r.total++
	r.distinct[key]++
}

// inputKey renders an operation's input for distinct-call keys: its JSON
// (the SDK's input structs hold only values, pointers, slices and maps).
func inputKey(input any) string {
	data, err := json.Marshal(input)
	if err != nil {
		return fmt.Sprintf("%T", input)
	}
	return string(data)
}

func (r *Recorder) recordCredential(op string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.credentials == nil {
		r.credentials = map[string]int{}
	}
	r.credentials[op]++
}

// middleware returns the read-only guard: the SDK middleware that records
// each operation (with the credentials it is made with, named by label)
// and refuses any that is not read-only, before anything is sent.
func (r *Recorder) middleware(label string) func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("replcheckReadOnly",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				op := operationName(ctx, stack.ID())
				if !ReadOnly(op) {
					return middleware.InitializeOutput{}, middleware.Metadata{}, fmt.Errorf("replcheck refuses to call %s: it is not a read-only operation", op)
				}
				r.record(op, label, in.Parameters)
				return next.HandleInitialize(ctx, in)
			}), middleware.After) // after the SDK records the service and operation names
	}
}

// credentialMiddleware returns the credential guard: it records each
// credential-provider operation and refuses any other, before anything is
// sent.
func (r *Recorder) credentialMiddleware() func(*middleware.Stack) error {
	return func(stack *middleware.Stack) error {
		return stack.Initialize.Add(middleware.InitializeMiddlewareFunc("replcheckCredentialsOnly",
			func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
				op := operationName(ctx, stack.ID())
				if !CredentialOperation(op) {
					return middleware.InitializeOutput{}, middleware.Metadata{}, fmt.Errorf("replcheck refuses to call %s: it does not fetch credentials", op)
				}
				r.recordCredential(op)
				return next.HandleInitialize(ctx, in)
			}), middleware.After)
	}
}

// operationName is "service:Operation" as IAM spells the service
// ("s3:GetBucketPolicy"). Clients that register no service name (IMDS, the
// container endpoint) are named from the operation's stack ID.
func operationName(ctx context.Context, stackID string) string {
	service := strings.ToLower(awsmiddleware.GetServiceID(ctx))
	if service == "" {
		if op, ok := unnamedOperations[stackID]; ok {
			return op
		}
		return "unnamed:" + stackID
	}
	return service + ":" + awsmiddleware.GetOperationName(ctx)
}
