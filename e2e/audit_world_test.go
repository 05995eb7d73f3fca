package e2e

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	orgtypes "github.com/aws/aws-sdk-go-v2/service/organizations/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/replcheck/replcheck/internal/motoserver"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// The audit's accounts: the base credentials' own (moto's default), two
// read through --assume-role-name, and one whose role cannot be assumed;
// and an account that is not audited, whose role cannot be assumed
// either, holding a destination of account A.
const (
	auditAccountA  = srcAccount     // 123456789012, the base credentials'
	auditAccountB  = dstAccount     // 222222222222, through the audit role
	auditAccountC  = "333333333333" // the audit role cannot be assumed there
	auditAccountD  = "444444444444" // through the audit role
	auditAccountE  = "555555555555" // not audited; the audit role cannot be assumed there
	auditRoleName  = "replcheck-audit"
	auditReplRole  = "audit-replication"
	auditReplARN   = "arn:aws:iam::" + auditAccountA + ":role/" + auditReplRole
	auditPlainRuns = 30 // buckets without replication in account A
	auditHealthy   = 10 // buckets replicating to one shared destination
)

// auditWorld is what BuildAuditWorld built: the CLI arguments that audit
// it, the buckets with and without replication, and the findings a
// correct audit reports.
type auditWorld struct {
	// Args are the audit's arguments (accounts and role name), without
	// --endpoint-url and --format.
	Args []string
	// Endpoint is the proxy in front of moto that the audit must use: it
	// denies sts:AssumeRole into auditAccountC and auditAccountE, every
	// read of E's bucket, and the base credentials' reads of the bucket
	// of B that a bucket of A replicates to.
	Endpoint string
	// Proxy is that proxy, for more injections.
	Proxy *motoserver.Proxy
	// Plain are the buckets without a replication configuration, by
	// account ("account/bucket").
	Plain []string
	// Buckets, WithReplication and Rules are the audit object's counts.
	Buckets, WithReplication, Rules int
	// RuleCount maps each replicating "account/bucket" to its number of
	// rules; 0 is a bucket whose configuration could not be read, which
	// the audit counts as a bucket but not as one with replication.
	RuleCount map[string]int
	// Want maps "account/bucket" to the fail, warn and unknown findings
	// of its rules, as "Reason status" (sorted, no duplicates); a
	// replicating bucket absent from Want has none.
	Want map[string][]string
}

// BuildAuditWorld builds, in moto, the world of the audit tests: account
// A (the base credentials') with 50 buckets or more, some without
// replication, ten healthy ones sharing a destination and a role, one with
// several rules and destinations, five broken each in its own way, and two
// replicating to other accounts (audited B, and E, which is not audited
// and unreadable); accounts B and D, read through the audit role, each
// with a bucket broken in its own way; and account C, whose audit role the
// proxy refuses to let anyone assume. The HTML report's tests may call it
// to audit a realistic world:
//
//	aw := BuildAuditWorld(t)
//	r := newWorld… // or run the binary: replcheck audit --endpoint-url aw.Endpoint aw.Args...
func BuildAuditWorld(t *testing.T) *auditWorld {
	t.Helper()
	w := newWorld(t)
	return w.buildAuditWorld()
}

func (w *world) buildAuditWorld() *auditWorld {
	w.t.Helper()
	aw := &auditWorld{Want: map[string][]string{}}
	a := func(name string) string { return auditAccountA + "/" + name }

	// Account A: buckets without replication.
	for i := range auditPlainRuns {
		name := fmt.Sprintf("plain-%02d", i)
		w.bucket(name)
		aw.Plain = append(aw.Plain, a(name))
	}
	// The replication role shared by every healthy bucket: it may
	// replicate from any audit bucket to any of the destinations.
	w.role(auditReplRole, inline(policy(
		allow(sourceBucketActions, "arn:aws:s3:::*"),
		allow(sourceObjectActions, "arn:aws:s3:::*/*"),
		allow(destinationActions, "arn:aws:s3:::dr-*/*"),
	)))
	// Destinations (buckets without replication themselves).
	w.bucket("dr-shared")
	w.bucket("dr-two")
	w.bucket("dr-suspended", suspended())
	w.bucket("dr-unlocked")
	w.bucket("dr-deleted")
	aw.Plain = append(aw.Plain, a("dr-shared"), a("dr-two"), a("dr-suspended"), a("dr-unlocked"))
	cfg := func(rules ...snapshot.ReplicationRule) snapshot.ReplicationConfiguration {
		return snapshot.ReplicationConfiguration{Role: auditReplARN, Rules: rules}
	}
	// Healthy buckets, one rule each, to one shared destination.
	for i := range auditHealthy {
		name := fmt.Sprintf("ok-%02d", i)
		w.bucket(name)
		w.replication(name, cfg(rule("to-shared", "dr-shared")))
		aw.Want[a(name)] = nil
	}
	// Several rules and destinations (a V2 configuration).
	w.bucket("multi")
	second := rule("to-two", "dr-two")
	second.Priority = ptr(2)
	second.Filter = &snapshot.ReplicationRuleFilter{Prefix: ptr("logs/")}
	w.replication("multi", cfg(rule("to-shared", "dr-shared"), second))
	aw.Want[a("multi")] = nil
	// Broken, each in its own way.
	w.bucket("broken-suspended-dst")
	w.replication("broken-suspended-dst", cfg(rule("to-suspended", "dr-suspended")))
	aw.Want[a("broken-suspended-dst")] = []string{"DstBucketUnversioned fail"}

	w.bucket("broken-no-role")
	w.replication("broken-no-role", snapshot.ReplicationConfiguration{Role: "arn:aws:iam::" + auditAccountA + ":role/deleted-role",
		Rules: []snapshot.ReplicationRule{rule("to-shared", "dr-shared")}})
	aw.Want[a("broken-no-role")] = []string{"AssumeRoleNotPermitted fail"}

	w.bucket("broken-missing-dst")
	w.replication("broken-missing-dst", cfg(rule("to-deleted", "dr-deleted")))
	_, err := w.s3(auditAccountA, home).DeleteBucket(w.ctx, &s3.DeleteBucketInput{Bucket: aws.String("dr-deleted")})
	w.must("delete dr-deleted", err)
	aw.Want[a("broken-missing-dst")] = []string{"DstBucketNotFound fail"}

	w.bucket("broken-object-lock", objectLocked())
	w.replication("broken-object-lock", cfg(rule("to-unlocked", "dr-unlocked")))
	aw.Want[a("broken-object-lock")] = []string{"DstBucketObjectLockConfigMissing fail"}

	w.bucket("broken-no-put")
	weak := w.role("audit-weak", inline(replicationPolicy("broken-no-put", "dr-shared", "s3:ReplicateObject")))
	w.replication("broken-no-put", snapshot.ReplicationConfiguration{Role: weak, Rules: []snapshot.ReplicationRule{rule("to-shared", "dr-shared")}})
	aw.Want[a("broken-no-put")] = dstWriteFails

	// Account B, read through the audit role: a bucket without
	// replication, and one whose destination is unversioned, with a role
	// of B's own.
	w.bucket("b-plain", in(auditAccountB, home))
	w.bucket("b-dr", in(auditAccountB, home), unversioned())
	w.bucket("b-src", in(auditAccountB, home))
	bRole := w.role("b-replication", func(r *roleSpec) { r.account = auditAccountB }, inline(replicationPolicy("b-src", "b-dr")))
	w.putReplication(auditAccountB, "b-src", bRole, "b-dr")
	aw.Plain = append(aw.Plain, auditAccountB+"/b-plain", auditAccountB+"/b-dr")
	aw.Want[auditAccountB+"/b-src"] = []string{"DstBucketUnversioned fail"}
	// Account C has a bucket nobody will see.
	w.bucket("c-hidden", in(auditAccountC, home))

	// Account D, read through the audit role too: a bucket without
	// replication, a healthy one, and one whose role (D's own) may not
	// read the objects it replicates.
	d := func(name string) string { return auditAccountD + "/" + name }
	w.bucket("d-plain", in(auditAccountD, home))
	w.bucket("d-dr", in(auditAccountD, home))
	w.bucket("d-ok", in(auditAccountD, home))
	w.bucket("d-src", in(auditAccountD, home))
	inD := func(r *roleSpec) { r.account = auditAccountD }
	w.putReplication(auditAccountD, "d-ok", w.role("d-replication", inD, inline(replicationPolicy("d-ok", "d-dr"))), "d-dr")
	w.putReplication(auditAccountD, "d-src", w.role("d-no-read", inD,
		inline(replicationPolicy("d-src", "d-dr", "s3:GetObjectVersionForReplication"))), "d-dr")
	aw.Plain = append(aw.Plain, d("d-plain"), d("d-dr"))
	aw.Want[d("d-ok")] = nil
	aw.Want[d("d-src")] = []string{"SrcGetObjNotPermitted fail", "SrcHeadObjectNotPermitted fail"}

	// Destinations in other accounts. x-to-b replicates to a bucket of
	// audited account B whose versioning is suspended: B's credentials
	// read it (the proxy denies the base credentials), so that is decided.
	w.bucket("dr-b-suspended", in(auditAccountB, home), suspended(), withPolicy(destinationPolicy("dr-b-suspended", auditReplARN)))
	aw.Plain = append(aw.Plain, auditAccountB+"/dr-b-suspended")
	w.bucket("x-to-b")
	w.replication("x-to-b", cfg(rule("to-b", "dr-b-suspended")))
	aw.Want[a("x-to-b")] = []string{"DstBucketUnversioned fail"}
	// x-to-e replicates to a bucket of account E, which is not audited
	// and whose audit role cannot be assumed: nothing can read it (the
	// proxy denies the base credentials, as its bucket policy would), so
	// what needs it is unknown.
	w.bucket("dr-e", in(auditAccountE, home), withPolicy(destinationPolicy("dr-e", auditReplARN)))
	toE := rule("to-e", "dr-e")
	toE.Destination.Account = auditAccountE
	w.bucket("x-to-e")
	w.replication("x-to-e", cfg(toE))
	aw.Want[a("x-to-e")] = dstUnreadable

	aw.RuleCount = map[string]int{}
	for k := range aw.Want {
		aw.RuleCount[k] = 1
	}
	aw.RuleCount[a("multi")] = 2
	aw.Buckets = len(aw.Plain) + len(aw.Want)
	aw.WithReplication = len(aw.Want)
	for _, n := range aw.RuleCount {
		aw.Rules += n
	}

	p, err := motoserver.NewProxy(w.endpoint, 0)
	if err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(p.Close)
	p.Inject(denyAssumeRole(auditAccountC))
	p.Inject(denyAssumeRole(auditAccountE))
	p.Inject(denyBucket("dr-e", func(string) bool { return true }))
	p.Inject(denyBucket("dr-b-suspended", func(key string) bool { return key == "test" }))
	aw.Proxy, aw.Endpoint = p, p.URL
	aw.Args = []string{"--accounts", strings.Join([]string{auditAccountA, auditAccountB, auditAccountC, auditAccountD}, ","),
		"--assume-role-name", auditRoleName}
	return aw
}

// dstUnreadable are the findings of a rule whose destination bucket no
// credentials can read: every fact of the destination is unknown, its
// owner included.
var dstUnreadable = []string{"DestinationRequesterPays unknown", "DstBucketNotFound unknown", "DstBucketUnversioned unknown",
	"DstKmsKeyInvalidState unknown", "DstKmsKeyNotFound unknown", "DstMultipartCompleteNotPermitted unknown",
	"DstMultipartInitNotPermitted unknown", "DstMultipartPartUploadNotPermitted unknown", "DstPutAclNotPermitted unknown",
	"DstPutObjNotPermitted unknown", "DstPutTaggingNotPermitted unknown", "DstVersionNotFound unknown",
	"ReplicaOwnedBySourceAccount unknown", "StalePolicyPrincipal unknown"}

// dstWriteFails are the findings of a role that may not s3:ReplicateObject:
// every write that needs it fails (object ACLs and tags are replicated
// with the object).
var dstWriteFails = []string{"DstMultipartCompleteNotPermitted fail", "DstMultipartInitNotPermitted fail",
	"DstMultipartPartUploadNotPermitted fail", "DstPutAclNotPermitted fail", "DstPutObjNotPermitted fail", "DstPutTaggingNotPermitted fail"}

// formValue reads a form field of a query-protocol request (IAM, STS)
// without consuming its body.
func formValue(r *http.Request, key string) string {
	if r.Body == nil || r.Method != http.MethodPost {
		return ""
	}
	body, err := io.ReadAll(r.Body)
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return ""
	}
	v, _ := url.ParseQuery(string(body))
	return v.Get(key)
}

// denyAssumeRole answers sts:AssumeRole into account with AccessDenied,
// as STS does when the role's trust policy does not trust the caller
// (moto lets anyone assume any role).
func denyAssumeRole(account string) motoserver.Injection {
	return motoserver.Injection{
		Match: func(r *http.Request) bool {
			return formValue(r, "Action") == "AssumeRole" && strings.Contains(formValue(r, "RoleArn"), ":"+account+":")
		},
		Respond: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/xml")
			w.Header().Set("x-amzn-RequestId", "e2e-deny")
			w.WriteHeader(http.StatusForbidden)
			_, _ = fmt.Fprintf(w, `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>`+
				`<Message>User: arn:aws:iam::%s:user/test is not authorized to perform: sts:AssumeRole on resource: %s</Message></Error>`+
				`<RequestId>e2e-deny</RequestId></ErrorResponse>`, srcAccount, formValue(r, "RoleArn"))
		},
	}
}

// denyBucket answers the S3 requests on a bucket (path style) whose
// access key id matches with AccessDenied, as S3 does when neither the
// caller's account owns the bucket nor its bucket policy grants the
// caller (moto lets every account read every bucket); like S3, it names
// the bucket's Region (home) even then. The CLI's base
// credentials sign with the access key id "test"; moto gives each assumed
// role session a key of its own.
func denyBucket(bucket string, key func(string) bool) motoserver.Injection {
	return motoserver.Injection{
		Match: func(r *http.Request) bool {
			return (r.URL.Path == "/"+bucket || strings.HasPrefix(r.URL.Path, "/"+bucket+"/")) && signingService(r) == "s3" && key(accessKey(r))
		},
		Respond: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("x-amz-request-id", "e2e-deny")
			w.Header().Set("x-amz-bucket-region", home)
			w.Header().Set("Content-Type", "application/xml")
			w.WriteHeader(http.StatusForbidden)
			if r.Method != http.MethodHead {
				_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>e2e-deny</RequestId></Error>`)
			}
		},
	}
}

// throttleEvery answers every nth request to a service with throttling,
// as that service does: IAM and STS with 400 Throttling, S3 with 503
// SlowDown (a HEAD, which has no body, with a bare 503).
func throttleEvery(service string, n int64) motoserver.Injection {
	var count atomic.Int64
	return motoserver.Injection{
		Match: func(r *http.Request) bool {
			return signingService(r) == service && count.Add(1)%n == 0
		},
		Respond: func(w http.ResponseWriter, r *http.Request) {
			switch service {
			case "s3":
				w.Header().Set("x-amz-request-id", "e2e-throttle")
				w.Header().Set("Content-Type", "application/xml")
				w.WriteHeader(http.StatusServiceUnavailable)
				if r.Method != http.MethodHead {
					_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>e2e-throttle</RequestId></Error>`)
				}
			default:
				w.Header().Set("Content-Type", "text/xml")
				w.Header().Set("x-amzn-RequestId", "e2e-throttle")
				w.WriteHeader(http.StatusBadRequest)
				_, _ = io.WriteString(w, `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>Throttling</Code>`+
					`<Message>Rate exceeded</Message></Error><RequestId>e2e-throttle</RequestId></ErrorResponse>`)
			}
		},
	}
}

// signingService is the service a SigV4 request is signed for.
func signingService(r *http.Request) string { return credentialScope(r, 3) }

// accessKey is the access key id that signed a SigV4 request.
func accessKey(r *http.Request) string { return credentialScope(r, 0) }

// credentialScope is part i of a SigV4 request's credential
// (KEY/DATE/REGION/SERVICE/aws4_request), or "".
func credentialScope(r *http.Request, i int) string {
	_, scope, ok := strings.Cut(r.Header.Get("Authorization"), "Credential=")
	if !ok {
		return ""
	}
	scope, _, _ = strings.Cut(scope, ",")
	parts := strings.Split(scope, "/")
	if len(parts) < 5 {
		return ""
	}
	return parts[i]
}

// organization makes auditAccountA the management account of an
// organization in moto with n member accounts (moto chooses their IDs),
// and returns the members' IDs.
func (w *world) organization(n int) []string {
	w.t.Helper()
	c := organizations.NewFromConfig(w.config(auditAccountA, home))
	_, err := c.CreateOrganization(w.ctx, &organizations.CreateOrganizationInput{FeatureSet: orgtypes.OrganizationFeatureSetAll})
	w.must("create the organization", err)
	var ids []string
	for i := range n {
		out, err := c.CreateAccount(w.ctx, &organizations.CreateAccountInput{AccountName: aws.String(fmt.Sprintf("member-%d", i)),
			Email: aws.String(fmt.Sprintf("member-%d@example.com", i))})
		w.must("create a member account", err)
		ids = append(ids, *out.CreateAccountStatus.AccountId)
	}
	return ids
}

// suspendAccount closes a member account: Organizations lists it as
// SUSPENDED.
func (w *world) suspendAccount(id string) {
	w.t.Helper()
	c := organizations.NewFromConfig(w.config(auditAccountA, home))
	_, err := c.CloseAccount(w.ctx, &organizations.CloseAccountInput{AccountId: &id})
	w.must("close account "+id, err)
}

// putReplication puts a one-rule configuration on a bucket of account.
func (w *world) putReplication(account, bucket, role, dst string) {
	w.t.Helper()
	_, err := w.s3(account, home).PutBucketReplication(w.ctx, &s3.PutBucketReplicationInput{Bucket: &bucket,
		ReplicationConfiguration: toS3(snapshot.ReplicationConfiguration{Role: role, Rules: []snapshot.ReplicationRule{rule("to-"+dst, dst)}})})
	w.must("replication of "+bucket, err)
}
