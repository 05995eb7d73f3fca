package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/gather"
	"github.com/replcheck/replcheck/internal/motoserver"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// benchLatency is the round trip the proxy adds to every request: a client
// in the Region of its buckets, with IAM and KMS a few tens of
// milliseconds away (performance.md §1.1, §4.2).
const benchLatency = 40 * time.Millisecond

// The benchmark's world: a cross-account SSE-KMS pair.
const (
	benchSrcAccount = "123456789012" // moto's default account: the benchmark's static credentials
	benchDstAccount = "222222222222"
	benchSrcRegion  = "us-east-1"
	benchDstRegion  = "us-west-2"
	benchSrcBucket  = "replcheck-bench-src"
	benchDstBucket  = "replcheck-bench-dst"
	benchRoleName   = "replcheck-bench-replication"
	benchRoleARN    = "arn:aws:iam::" + benchSrcAccount + ":role/" + benchRoleName
	// benchReaderRole is assumed to read the destination account (moto lets
	// any role be assumed, existing or not).
	benchReaderRole = "arn:aws:iam::" + benchDstAccount + ":role/replcheck-reader"
)

// benchExpectedDepth is the dependency depth of one live preflight of the
// benchmark's pair when its configuration is given (--config, which skips
// s3:GetBucketReplication), counting each call as one level:
//
//	round 1  who the credentials are: sts:GetCallerIdentity and s3:ListBuckets
//	         (which names each bucket's Region) with the source
//	         credentials, sts:AssumeRole for the destination's; and, with
//	         the source credentials while GetCallerIdentity confirms that
//	         they own it, the role's iam:GetRole, ListRolePolicies and
//	         ListAttachedRolePolicies
//	round 2  what they name: the source bucket's GETs (its Region from the
//	         listing); s3:ListBuckets with the destination credentials (an
//	         assumed role's account is in its ARN); iam:GetRolePolicy and
//	         GetPolicy; kms:DescribeKey and GetKeyPolicy of the replica key
//	         (named by key ARN: both at once); DescribeOrganization of both
//	         accounts; the simulator probe
//	round 3  what depends on them: the destination bucket's GETs;
//	         iam:GetPolicyVersion; the source key's DescribeKey and
//	         GetKeyPolicy (after s3:GetBucketEncryption)
//
// iam:SimulatePrincipalPolicy with every question would make a fourth, only
// when the probe found the simulator; moto does not implement it. A measured
// depth above this means needless serialisation in gather.
const benchExpectedDepth = 3

// benchPinnedEnv is the environment of the benchmark: static credentials
// for the source account, no shared configuration, and pinned retry
// settings (performance.md §8) for both replcheck and the aws CLI. The Go
// SDK from v1.48.0 always retries as AWS_NEW_RETRIES_2026=true describes;
// botocore still reads the variable.
var benchPinnedEnv = [][2]string{
	{"AWS_ACCESS_KEY_ID", "test"},
	{"AWS_SECRET_ACCESS_KEY", "test"},
	{"AWS_SESSION_TOKEN", ""},
	{"AWS_PROFILE", ""},
	{"AWS_REGION", benchSrcRegion},
	{"AWS_DEFAULT_REGION", benchSrcRegion},
	{"AWS_CONFIG_FILE", os.DevNull},
	{"AWS_SHARED_CREDENTIALS_FILE", os.DevNull},
	{"AWS_EC2_METADATA_DISABLED", "true"},
	{"AWS_ENDPOINT_URL", ""},
	{"AWS_ENDPOINT_URL_S3", ""},
}

// benchRetryEnv are the retry settings; make bench sets them, and the
// benchmark sets these defaults when they are unset.
var benchRetryEnv = [][2]string{
	{"AWS_NEW_RETRIES_2026", "true"},
	{"AWS_RETRY_MODE", "standard"},
	{"AWS_MAX_ATTEMPTS", "5"}, // replcheck's default (gather.Access.MaxAttempts)
}

// benchCLI is the aws CLI baseline, run once per benchmark binary (the
// testing package calls a benchmark function more than once).
var benchCLI struct {
	once     sync.Once
	wall     time.Duration
	calls    int
	failures string
	err      error
}

// BenchmarkLivePreflight runs whole live preflights, in process, against
// moto behind a loopback proxy that adds benchLatency to every request: a
// cross-account SSE-KMS pair (source in 123456789012/us-east-1, destination
// in 222222222222/us-west-2 read through an assumed role, a replication
// role with an inline policy, a managed policy and a permissions boundary,
// a customer key on each side). Each iteration is gather.Gather then
// checks.Run, as 'replcheck preflight --config FILE' does.
//
// Metrics per preflight: wall-ms; calls (operations the SDK invoked) and
// requests (HTTP requests the proxy saw: calls plus retries); depth, the
// longest chain of requests each starting after the previous one ended
// (an upper bound of the dependency depth); efficiency = wall ÷ (depth ×
// benchLatency), target ≤ 1.3; serial-ms, one preflight with one call at a
// time (outside the timed loop); and cli-ratio = the wall time of
// scripts/naive-preflight.sh (the same reads, one aws CLI call each, in
// sequence) ÷ replcheck's wall time, target ≥ 20.
func BenchmarkLivePreflight(b *testing.B) {
	srv := benchStartMoto(b) // before the environment changes: moto runs with the caller's
	for _, kv := range benchPinnedEnv {
		b.Setenv(kv[0], kv[1])
	}
	for _, kv := range benchRetryEnv {
		if os.Getenv(kv[0]) == "" {
			b.Setenv(kv[0], kv[1])
		}
	}
	cfg := benchSetup(b, srv.Endpoint)
	proxy, err := motoserver.NewProxy(srv.Endpoint, benchLatency)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(proxy.Close)
	proxy.FillBucketRegion(func(bucket string) string {
		return map[string]string{benchSrcBucket: benchSrcRegion, benchDstBucket: benchDstRegion}[bucket]
	})

	// Warm-up, untimed: moto imports each service on its first request.
	benchPreflight(b, proxy, cfg, 0)
	// Against moto itself, which serves one request at a time.
	onMoto := benchPreflight(b, proxy, cfg, 0)
	benchCheckWorld(b, onMoto.snap)
	// The timed preflights: the proxy answers each request as moto did the
	// first time it was asked, in constant time whatever the concurrency,
	// as AWS does (motoserver.Proxy.Replay), so that the wall time measures
	// replcheck's scheduling against the 40 ms round trips.
	proxy.Replay(true)
	res := benchPreflight(b, proxy, cfg, 0)
	benchCheckWorld(b, res.snap)

	var total benchTotals
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res := benchPreflight(b, proxy, cfg, 0)
		b.StopTimer()
		total.add(res)
		b.StartTimer()
	}
	b.StopTimer()

	wall := total.wall / time.Duration(b.N)
	// Each preflight's depth is an upper bound of the same true depth: the
	// smallest is the best estimate, and the one efficiency divides by.
	efficiency := float64(wall) / (float64(total.minDepth) * float64(benchLatency))
	b.ReportMetric(ms(wall), "wall-ms")
	b.ReportMetric(ms(onMoto.wall), "moto-wall-ms")
	b.ReportMetric(float64(total.calls)/float64(b.N), "calls")
	b.ReportMetric(float64(total.distinct)/float64(b.N), "distinct")
	b.ReportMetric(float64(total.requests)/float64(b.N), "requests")
	b.ReportMetric(float64(total.minDepth), "rounds")
	b.ReportMetric(efficiency, "efficiency")
	if len(res.duplicates) > 0 {
		b.Logf("calls made more than once (operation, credentials, input): %v", res.duplicates)
	}

	// The same preflight with one call at a time (performance.md §8 B2):
	// what concurrency gains, and moto's service time without contention.
	serial := benchPreflight(b, proxy, cfg, 1)
	var serialServer time.Duration
	for _, sp := range serial.spans {
		serialServer += sp.End.Sub(sp.Start) - benchLatency
	}
	serialMean := serialServer / time.Duration(max(len(serial.spans), 1))
	b.ReportMetric(ms(serial.wall), "serial-ms")

	b.Logf("%d preflights: wall %.0f ms (%.0f ms against moto itself), %d calls (%d distinct), %d requests, %d findings; rounds %d (max %d, expected %d); efficiency %.2f (target ≤ 1.3)",
		b.N, ms(wall), ms(onMoto.wall), total.calls/b.N, total.distinct/b.N, total.requests/b.N, res.findings, total.minDepth, total.maxDepth, benchExpectedDepth, efficiency)
	b.Logf("moto's time past the latency: %.1f ms per request in the preflights, %.1f ms one at a time (serial preflight %.0f ms, %.1f× slower); "+
		"wall ÷ (depth × (%.0f ms + %.1f ms)) = %.2f",
		ms(total.server)/float64(max(total.spans, 1)), ms(serialMean), ms(serial.wall), float64(serial.wall)/float64(wall),
		ms(benchLatency), ms(serialMean), float64(wall)/(float64(total.minDepth)*float64(benchLatency+serialMean)))
	b.Logf("critical path of the last preflight:%s", benchExplain(total.lastStart, total.lastWall, total.lastPath))
	if os.Getenv("BENCH_TIMELINE") != "" {
		var tl strings.Builder
		for _, sp := range total.lastSpans {
			fmt.Fprintf(&tl, "\n\t%6.1f → %6.1f ms  %s", ms(sp.Start.Sub(total.lastStart)), ms(sp.End.Sub(total.lastStart)), sp.Operation)
		}
		b.Logf("timeline of the last preflight:%s", tl.String())
	}
	if total.minDepth > benchExpectedDepth {
		b.Logf("NOTE: measured depth %d exceeds the expected %d: a request waited for one it does not need (needless serialisation in gather?)",
			total.minDepth, benchExpectedDepth)
	}

	benchCLI.once.Do(func() {
		benchCLI.wall, benchCLI.calls, benchCLI.failures, benchCLI.err = benchNaiveScript(proxy.URL)
	})
	if benchCLI.err != nil {
		b.Logf("no cli-ratio: %v", benchCLI.err)
		return
	}
	if benchCLI.failures != "" {
		b.Logf("aws CLI calls that failed (moto's gaps; the script goes on):\n%s", benchCLI.failures)
	}
	ratio := float64(benchCLI.wall) / float64(wall)
	b.ReportMetric(ratio, "cli-ratio")
	b.Logf("naive aws CLI script: %v for %d calls; cli-ratio %.1f (target ≥ 20)", benchCLI.wall.Round(time.Millisecond), benchCLI.calls, ratio)
}

// benchResult is one preflight.
type benchResult struct {
	snap     *snapshot.Snapshot
	start    time.Time
	wall     time.Duration
	calls    int
	requests int
	spans    []motoserver.Span
	findings int
	// distinct counts the distinct calls (operation, input, credentials);
	// duplicates are the calls made more than once.
	distinct   int
	duplicates map[string]int
}

// benchTotals adds up the timed preflights.
type benchTotals struct {
	wall                      time.Duration
	calls, requests, distinct int
	minDepth                  int
	maxDepth                  int
	lastPath                  []motoserver.Span
	lastStart                 time.Time
	lastSpans                 []motoserver.Span
	lastWall                  time.Duration
	server                    time.Duration // time past benchLatency at the server, summed over requests
	spans                     int
}

func (t *benchTotals) add(r benchResult) {
	depth, path := motoserver.Depth(r.spans)
	t.wall += r.wall
	t.calls += r.calls
	t.distinct += r.distinct
	t.requests += r.requests
	t.maxDepth = max(t.maxDepth, depth)
	if t.minDepth == 0 || depth < t.minDepth {
		t.minDepth = depth
	}
	t.lastPath, t.lastStart, t.lastWall, t.lastSpans = path, r.start, r.wall, r.spans
	for _, sp := range r.spans {
		if !sp.End.IsZero() {
			t.server += sp.End.Sub(sp.Start) - benchLatency
			t.spans++
		}
	}
}

// benchExplain breaks the wall time of a preflight down along its critical
// path: for each request, the time from the end of the previous one (or
// the start) to its start (waiting: set-up, the SDK, gather, or slower
// sibling requests the next level needs too), and its time at the server
// past the proxy's latency (moto's work and its queue: one Python thread
// runs at a time); then the tail after the last request (the checks).
func benchExplain(start time.Time, wall time.Duration, path []motoserver.Span) string {
	var b strings.Builder
	var client, server time.Duration
	at := start
	for _, sp := range path {
		gap, extra := sp.Start.Sub(at), sp.End.Sub(sp.Start)-benchLatency
		client += gap
		server += extra
		fmt.Fprintf(&b, "\n\t+%5.1f ms waiting, %s: %.0f ms + %.1f ms at moto", ms(gap), sp.Operation, ms(benchLatency), ms(extra))
		at = sp.End
	}
	tail := start.Add(wall).Sub(at)
	fmt.Fprintf(&b, "\n\t+%5.1f ms after the last request (checks.Run)", ms(tail))
	fmt.Fprintf(&b, "\n\t= %.0f ms: %d × %.0f ms latency + %.1f ms at moto + %.1f ms waiting + %.1f ms checks",
		ms(wall), len(path), ms(benchLatency), ms(server), ms(client), ms(tail))
	return b.String()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// benchPreflight runs one live preflight through the proxy, as
// cmd/replcheck/live.go and preflight.go do: gather, then every check.
func benchPreflight(b *testing.B, proxy *motoserver.Proxy, cfg *snapshot.ReplicationConfiguration, concurrency int) benchResult {
	b.Helper()
	checkOpt := checks.Options{}
	rec := &gather.Recorder{}
	opt := gather.Options{
		Access: gather.Access{
			Region:          benchSrcRegion,
			DestinationRole: benchReaderRole,
			EndpointURL:     proxy.URL,
		},
		Source:      benchSrcBucket,
		Config:      cfg,
		Recorder:    rec,
		Concurrency: concurrency,
		Questions: func(s *snapshot.Snapshot) []gather.Question {
			qs, err := checks.Questions(s, checkOpt)
			if err != nil {
				return nil
			}
			out := make([]gather.Question, len(qs))
			for i, q := range qs {
				out[i] = gather.Question{Principal: q.Role.ARN, Action: q.Action, Resource: q.Resource, Context: q.Context}
			}
			return out
		},
	}
	before := proxy.Requests()
	proxy.Trace(true)
	start := time.Now()
	snap, err := gather.Gather(context.Background(), opt)
	if err != nil {
		b.Fatalf("gather: %v", err)
	}
	facts, err := checks.NewFacts(snap)
	if err != nil {
		b.Fatalf("checks: %v", err)
	}
	findings := checks.Run(checks.All, facts, checkOpt)
	wall := time.Since(start)
	spans := proxy.Spans()
	proxy.Trace(false)
	return benchResult{snap: snap, start: start, wall: wall, calls: rec.Total(), requests: int(proxy.Requests() - before),
		spans: spans, findings: len(findings), distinct: rec.Distinct(), duplicates: rec.Duplicates()}
}

// benchStartMoto starts a moto server for this benchmark alone; without
// moto it skips, or fails in CI.
func benchStartMoto(b *testing.B) *motoserver.Server {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	srv, err := motoserver.Start(ctx, b.TempDir())
	switch {
	case errors.Is(err, motoserver.ErrMissing) && !motoserver.Required():
		b.Skipf("skipping: %v", err)
	case err != nil:
		b.Fatalf("moto: %v", err)
	}
	b.Cleanup(srv.Stop)
	return srv
}

// benchClients are set-up clients in one account. Set-up may mutate moto;
// it lives in this test file only.
type benchClients struct {
	s3  func(region string) *s3.Client
	iam *iam.Client
	kms func(region string) *kms.Client
}

func benchAccount(endpoint, account string) benchClients {
	cfg := aws.Config{
		Region:           benchSrcRegion,
		BaseEndpoint:     aws.String(endpoint),
		Credentials:      credentials.NewStaticCredentialsProvider("setup", "setup", ""),
		RetryMaxAttempts: 1,
	}
	if account != benchSrcAccount {
		cfg.APIOptions = []func(*middleware.Stack) error{smithyhttp.SetHeaderValue("x-moto-account-id", account)}
	}
	return benchClients{
		s3: func(region string) *s3.Client {
			return s3.NewFromConfig(cfg, func(o *s3.Options) { o.Region, o.UsePathStyle = region, true })
		},
		iam: iam.NewFromConfig(cfg),
		kms: func(region string) *kms.Client {
			return kms.NewFromConfig(cfg, func(o *kms.Options) { o.Region = region })
		},
	}
}

// benchSetup builds the pair in moto and returns the proposed replication
// configuration (what --config FILE would give: moto drops some rule
// fields from GetBucketReplication).
func benchSetup(b *testing.B, endpoint string) *snapshot.ReplicationConfiguration {
	b.Helper()
	ctx := context.Background()
	must := func(what string, err error) {
		b.Helper()
		if err != nil {
			b.Fatalf("set-up: %s: %v", what, err)
		}
	}
	src, dst := benchAccount(endpoint, benchSrcAccount), benchAccount(endpoint, benchDstAccount)
	srcArn, dstArn := "arn:aws:s3:::"+benchSrcBucket, "arn:aws:s3:::"+benchDstBucket

	// Keys: one customer key per side; the destination key's policy lets
	// the replication role encrypt replicas.
	srcKey, err := src.kms(benchSrcRegion).CreateKey(ctx, &kms.CreateKeyInput{Description: aws.String("source bucket key")})
	must("create the source key", err)
	srcKeyARN := *srcKey.KeyMetadata.Arn
	dstKey, err := dst.kms(benchDstRegion).CreateKey(ctx, &kms.CreateKeyInput{
		Description: aws.String("replica key"),
		Policy: aws.String(benchPolicy(
			benchStatement{Principal: "arn:aws:iam::" + benchDstAccount + ":root", Actions: []string{"kms:*"}, Resources: []string{"*"}},
			benchStatement{Principal: benchRoleARN, Actions: []string{"kms:Encrypt", "kms:GenerateDataKey"}, Resources: []string{"*"}},
		)),
	})
	must("create the replica key", err)
	dstKeyARN := *dstKey.KeyMetadata.Arn

	// Buckets: versioned, SSE-KMS by default, owner-enforced.
	bucket := func(c benchClients, name, region, key, policyDoc string) {
		s := c.s3(region)
		in := &s3.CreateBucketInput{Bucket: &name}
		if region != "us-east-1" {
			in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(region)}
		}
		_, err := s.CreateBucket(ctx, in)
		must("create bucket "+name, err)
		_, err = s.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: &name,
			VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}})
		must("version "+name, err)
		_, err = s.PutBucketEncryption(ctx, &s3.PutBucketEncryptionInput{Bucket: &name,
			ServerSideEncryptionConfiguration: &s3types.ServerSideEncryptionConfiguration{Rules: []s3types.ServerSideEncryptionRule{{
				ApplyServerSideEncryptionByDefault: &s3types.ServerSideEncryptionByDefault{SSEAlgorithm: s3types.ServerSideEncryptionAwsKms, KMSMasterKeyID: &key},
				BucketKeyEnabled:                   aws.Bool(true),
			}}}})
		must("encrypt "+name, err)
		_, err = s.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: &name,
			OwnershipControls: &s3types.OwnershipControls{Rules: []s3types.OwnershipControlsRule{{ObjectOwnership: s3types.ObjectOwnershipBucketOwnerEnforced}}}})
		must("ownership of "+name, err)
		if policyDoc != "" {
			_, err = s.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: &name, Policy: &policyDoc})
			must("policy of "+name, err)
		}
	}
	bucket(src, benchSrcBucket, benchSrcRegion, srcKeyARN, "")
	bucket(dst, benchDstBucket, benchDstRegion, dstKeyARN, benchPolicy(
		benchStatement{Principal: benchRoleARN, Actions: []string{"s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"}, Resources: []string{dstArn + "/*"}},
		benchStatement{Principal: benchRoleARN, Actions: []string{"s3:GetBucketVersioning", "s3:PutBucketVersioning", "s3:List*"}, Resources: []string{dstArn}},
	))

	// The replication role: trust, an inline policy for S3, a managed
	// policy for KMS, and a permissions boundary.
	managed := func(name, doc string) string {
		out, err := src.iam.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: &name, PolicyDocument: &doc})
		must("create policy "+name, err)
		return *out.Policy.Arn
	}
	boundaryARN := managed("replcheck-bench-boundary", benchPolicy(
		benchStatement{Actions: []string{"s3:*", "kms:*"}, Resources: []string{"*"}}))
	kmsARN := managed("replcheck-bench-kms", benchPolicy(
		benchStatement{Actions: []string{"kms:Decrypt"}, Resources: []string{srcKeyARN},
			Condition: `{"StringLike":{"kms:ViaService":"s3.` + benchSrcRegion + `.amazonaws.com"}}`},
		benchStatement{Actions: []string{"kms:Encrypt", "kms:GenerateDataKey"}, Resources: []string{dstKeyARN}},
	))
	trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":["s3.amazonaws.com","batchoperations.s3.amazonaws.com"]},"Action":"sts:AssumeRole"}]}`
	_, err = src.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: aws.String(benchRoleName), AssumeRolePolicyDocument: &trust,
		PermissionsBoundary: &boundaryARN})
	must("create the role", err)
	_, err = src.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: aws.String(benchRoleName), PolicyName: aws.String("replication"),
		PolicyDocument: aws.String(benchPolicy(
			benchStatement{Actions: []string{"s3:GetReplicationConfiguration", "s3:ListBucket"}, Resources: []string{srcArn}},
			benchStatement{Actions: []string{"s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging", "s3:GetObjectRetention", "s3:GetObjectLegalHold"}, Resources: []string{srcArn + "/*"}},
			benchStatement{Actions: []string{"s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags", "s3:ObjectOwnerOverrideToBucketOwner"}, Resources: []string{dstArn + "/*"}},
		))})
	must("inline policy", err)
	_, err = src.iam.AttachRolePolicy(ctx, &iam.AttachRolePolicyInput{RoleName: aws.String(benchRoleName), PolicyArn: &kmsARN})
	must("attach the managed policy", err)

	// The replication configuration, as --config gives it (with the rule
	// fields moto drops), and in moto for the aws CLI script to read.
	cfg, err := snapshot.DecodeConfig("bench", []byte(fmt.Sprintf(`{
  "Role": %q,
  "Rules": [{
    "ID": "all-to-dr",
    "Priority": 1,
    "Status": "Enabled",
    "Filter": {"Prefix": ""},
    "DeleteMarkerReplication": {"Status": "Enabled"},
    "SourceSelectionCriteria": {"SseKmsEncryptedObjects": {"Status": "Enabled"}},
    "Destination": {
      "Bucket": %q,
      "Account": %q,
      "AccessControlTranslation": {"Owner": "Destination"},
      "EncryptionConfiguration": {"ReplicaKmsKeyID": %q}
    }
  }]
}`, benchRoleARN, dstArn, benchDstAccount, dstKeyARN)))
	must("decode the configuration", err)
	_, err = src.s3(benchSrcRegion).PutBucketReplication(ctx, &s3.PutBucketReplicationInput{Bucket: aws.String(benchSrcBucket),
		ReplicationConfiguration: &s3types.ReplicationConfiguration{Role: aws.String(benchRoleARN), Rules: []s3types.ReplicationRule{{
			ID: aws.String("all-to-dr"), Priority: aws.Int32(1), Status: s3types.ReplicationRuleStatusEnabled,
			Filter:                  &s3types.ReplicationRuleFilter{Prefix: aws.String("")},
			DeleteMarkerReplication: &s3types.DeleteMarkerReplication{Status: s3types.DeleteMarkerReplicationStatusEnabled},
			SourceSelectionCriteria: &s3types.SourceSelectionCriteria{SseKmsEncryptedObjects: &s3types.SseKmsEncryptedObjects{Status: s3types.SseKmsEncryptedObjectsStatusEnabled}},
			Destination: &s3types.Destination{Bucket: aws.String(dstArn), Account: aws.String(benchDstAccount),
				AccessControlTranslation: &s3types.AccessControlTranslation{Owner: s3types.OwnerOverrideDestination},
				EncryptionConfiguration:  &s3types.EncryptionConfiguration{ReplicaKmsKeyID: aws.String(dstKeyARN)}},
		}}}})
	must("put the replication configuration", err)
	return cfg
}

// benchCheckWorld fails the benchmark unless the preflight saw the world
// the set-up built: otherwise it would time a degenerate run.
func benchCheckWorld(b *testing.B, snap *snapshot.Snapshot) {
	b.Helper()
	var problems []string
	if !snap.Source.Exists.IsKnown() || !snap.Source.Exists.Value || !snap.Source.Encryption.IsKnown() {
		problems = append(problems, "the source bucket's facts")
	}
	if len(snap.Destinations) != 1 || !snap.Destinations[0].Exists.IsKnown() || !snap.Destinations[0].Policy.IsKnown() ||
		snap.Destinations[0].Account.Value != benchDstAccount {
		problems = append(problems, "the destination bucket's facts")
	}
	if len(snap.Roles) != 1 || !snap.Roles[0].InlinePolicies.IsKnown() || len(snap.Roles[0].InlinePolicies.Value) != 1 ||
		!snap.Roles[0].ManagedPolicies.IsKnown() || len(snap.Roles[0].ManagedPolicies.Value) != 1 ||
		!snap.Roles[0].PermissionsBoundary.IsKnown() {
		problems = append(problems, "the role's policies")
	}
	known := 0
	for _, k := range snap.KMSKeys {
		if k.Metadata.IsKnown() && k.Policy.IsKnown() {
			known++
		}
	}
	if known != 2 {
		problems = append(problems, fmt.Sprintf("both keys (%d of %d known)", known, len(snap.KMSKeys)))
	}
	if len(problems) > 0 {
		b.Fatalf("the preflight did not read %s", strings.Join(problems, ", "))
	}
}

// benchStatement is one Allow statement; no Principal makes an identity
// policy statement.
type benchStatement struct {
	Principal string
	Actions   []string
	Resources []string
	Condition string // JSON object, or ""
}

func benchPolicy(stmts ...benchStatement) string {
	var parts []string
	for _, s := range stmts {
		p := `{"Effect":"Allow"`
		if s.Principal != "" {
			p += `,"Principal":{"AWS":"` + s.Principal + `"}`
		}
		p += `,"Action":` + benchJSONList(s.Actions) + `,"Resource":` + benchJSONList(s.Resources)
		if s.Condition != "" {
			p += `,"Condition":` + s.Condition
		}
		parts = append(parts, p+"}")
	}
	return `{"Version":"2012-10-17","Statement":[` + strings.Join(parts, ",") + `]}`
}

func benchJSONList(xs []string) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = strconv.Quote(x)
	}
	return "[" + strings.Join(q, ",") + "]"
}

// benchCallsLine is the script's last line.
var benchCallsLine = regexp.MustCompile(`naive-preflight: (\d+) aws calls`)

// benchNaiveScript runs scripts/naive-preflight.sh once against the proxy
// and returns its wall time, how many aws calls it made, and its report of
// the calls that failed (moto's gaps).
func benchNaiveScript(endpoint string) (time.Duration, int, string, error) {
	if _, err := exec.LookPath("aws"); err != nil {
		return 0, 0, "", errors.New("the aws CLI is not installed")
	}
	script, err := filepath.Abs(filepath.Join("..", "scripts", "naive-preflight.sh"))
	if err != nil {
		return 0, 0, "", err
	}
	cmd := exec.Command("bash", script, "--endpoint-url", endpoint, "--source", benchSrcBucket,
		"--destination", benchDstBucket, "--destination-role", benchReaderRole)
	// The aws CLI reads an empty AWS_PROFILE as a profile named "": unset
	// the variables the benchmark emptied.
	for _, kv := range os.Environ() {
		if k, v, _ := strings.Cut(kv, "="); v != "" || !strings.HasPrefix(k, "AWS_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	start := time.Now()
	err = cmd.Run()
	wall := time.Since(start)
	if err != nil {
		return 0, 0, "", fmt.Errorf("%s: %v: %s", script, err, stderr.String())
	}
	m := benchCallsLine.FindStringSubmatch(out.String())
	if m == nil {
		return 0, 0, "", fmt.Errorf("%s printed no call count: %q", script, out.String())
	}
	calls, _ := strconv.Atoi(m[1])
	return wall, calls, stderr.String(), nil
}
