package e2e

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/gather"
	"github.com/replcheck/replcheck/internal/motoserver"
	"github.com/replcheck/replcheck/internal/pipeline"
	"github.com/replcheck/replcheck/internal/report"
	"github.com/replcheck/replcheck/internal/source"
)

// The audit benchmark's world: one account with 1,000 buckets, 200 of them
// replicating, through 10 roles to 20 destinations (themselves among the
// 1,000).
const (
	auditBenchBuckets      = 1000
	auditBenchReplicating  = 200
	auditBenchRoles        = 10
	auditBenchDestinations = 20
)

// BenchmarkAudit runs whole audits in process (source.Audit through
// pipeline.Run, as 'replcheck audit' does) of one account of 1,000
// buckets, 200 replicating, behind a proxy adding 40 ms to every request
// that answers as AWS does: ListBuckets names each bucket's Region, and
// answers come in constant time whatever the concurrency (the first audit
// records moto's answers; the timed ones replay them). It reports the wall
// time, API calls per replicating bucket, and buckets per second; the
// "iam-throttled" run answers every tenth IAM request with Throttling.
func BenchmarkAudit(b *testing.B) {
	srv := benchStartMoto(b)
	for _, kv := range benchPinnedEnv {
		b.Setenv(kv[0], kv[1])
	}
	for _, kv := range benchRetryEnv {
		if os.Getenv(kv[0]) == "" {
			b.Setenv(kv[0], kv[1])
		}
	}
	auditBenchSetup(b, srv.Endpoint)
	proxy, err := motoserver.NewProxy(srv.Endpoint, benchLatency)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(proxy.Close)
	proxy.FillBucketRegion(func(string) string { return benchSrcRegion })
	proxy.Replay(true)
	start := time.Now()
	first := auditBenchRun(b, proxy.URL)
	b.Logf("first audit, against moto itself (which serves one request at a time): %v, %d calls", time.Since(start).Round(time.Millisecond), first.calls)

	for _, tc := range []struct {
		name   string
		inject *motoserver.Injection
	}{{"aws-pace", nil}, {"iam-throttled", ptr(throttleEvery("iam", 10))}} {
		b.Run(tc.name, func(b *testing.B) {
			if tc.inject != nil {
				proxy.Inject(*tc.inject)
			}
			var wall time.Duration
			var res auditBenchResult
			for b.Loop() {
				start := time.Now()
				res = auditBenchRun(b, proxy.URL)
				wall += time.Since(start)
			}
			if res.findings != first.findings || res.summary != first.summary {
				b.Fatalf("the audit found %d findings (%+v), not the %d (%+v) of the first", res.findings, res.summary, first.findings, first.summary)
			}
			perRun := wall / time.Duration(b.N)
			b.ReportMetric(perRun.Seconds(), "wall-s")
			b.ReportMetric(float64(res.calls)/auditBenchReplicating, "calls/replicating-bucket")
			b.ReportMetric(float64(auditBenchBuckets)/perRun.Seconds(), "buckets/s")
			b.ReportMetric(float64(res.heap)/(1<<20), "heap-MiB")
			b.Logf("%s: %v per audit of %d buckets (%d replicating, %d rules): %d calls (%d distinct), %.1f per replicating bucket; %d findings; heap after %.1f MiB",
				tc.name, perRun.Round(time.Millisecond), res.coverage.Buckets, res.coverage.BucketsWithReplication, res.coverage.Rules,
				res.calls, res.distinct, float64(res.calls)/auditBenchReplicating, res.findings, float64(res.heap)/(1<<20))
		})
	}
}

// auditBenchResult is one audit.
type auditBenchResult struct {
	calls, distinct, findings int
	summary                   string
	coverage                  source.AuditCoverage
	heap                      uint64
}

// auditBenchRun audits the benchmark's account through endpoint.
func auditBenchRun(b *testing.B, endpoint string) auditBenchResult {
	b.Helper()
	rec := &gather.Recorder{}
	a := &source.Audit{Access: source.Access{Region: benchSrcRegion, EndpointURL: endpoint}, Recorder: rec}
	r, err := pipeline.Run(context.Background(), a, pipeline.Options{Checks: checks.Options{}, SourcePerFinding: true})
	if err != nil {
		b.Fatalf("audit: %v", err)
	}
	cov := a.Coverage()
	if cov.Buckets != auditBenchBuckets || cov.BucketsWithReplication != auditBenchReplicating {
		b.Fatalf("the audit saw %d buckets, %d replicating; want %d, %d", cov.Buckets, cov.BucketsWithReplication, auditBenchBuckets, auditBenchReplicating)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return auditBenchResult{calls: rec.Total(), distinct: rec.Distinct(), findings: len(r.Findings),
		summary: fmt.Sprintf("%+v", report.Summarize(r.Findings)), coverage: cov, heap: ms.HeapInuse}
}

// auditBenchSetup creates the benchmark's buckets and roles in moto:
// replicating bucket i uses role i mod 10 and destination i mod 20.
func auditBenchSetup(b *testing.B, endpoint string) {
	b.Helper()
	ctx := context.Background()
	c := benchAccount(endpoint, benchSrcAccount)
	s := c.s3(benchSrcRegion)
	must := func(what string, err error) {
		if err != nil {
			b.Fatalf("set-up: %s: %v", what, err)
		}
	}
	for i := range auditBenchRoles {
		name := fmt.Sprintf("audit-bench-role-%d", i)
		trust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
		_, err := c.iam.CreateRole(ctx, &iam.CreateRoleInput{RoleName: &name, AssumeRolePolicyDocument: &trust})
		must("create role", err)
		doc := benchPolicy(
			benchStatement{Actions: []string{"s3:GetReplicationConfiguration", "s3:ListBucket"}, Resources: []string{"arn:aws:s3:::audit-bench-*"}},
			benchStatement{Actions: []string{"s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"}, Resources: []string{"arn:aws:s3:::audit-bench-*/*"}},
			benchStatement{Actions: []string{"s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"}, Resources: []string{"arn:aws:s3:::audit-bench-*/*"}},
		)
		_, err = c.iam.PutRolePolicy(ctx, &iam.PutRolePolicyInput{RoleName: &name, PolicyName: aws.String("replication"), PolicyDocument: &doc})
		must("role policy", err)
	}
	name := func(i int) string { return fmt.Sprintf("audit-bench-%04d", i) }
	// Buckets 0-19 are the destinations, 20-219 replicate, the rest do not.
	var wg sync.WaitGroup
	work := make(chan int)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				n := name(i)
				_, err := s.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &n})
				must("create bucket", err)
				if i >= auditBenchDestinations+auditBenchReplicating {
					continue
				}
				_, err = s.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: &n,
					VersioningConfiguration: &s3types.VersioningConfiguration{Status: s3types.BucketVersioningStatusEnabled}})
				must("versioning", err)
				if i < auditBenchDestinations {
					continue
				}
				role := fmt.Sprintf("arn:aws:iam::%s:role/audit-bench-role-%d", benchSrcAccount, i%auditBenchRoles)
				dst := "arn:aws:s3:::" + name(i%auditBenchDestinations)
				_, err = s.PutBucketReplication(ctx, &s3.PutBucketReplicationInput{Bucket: &n, ReplicationConfiguration: &s3types.ReplicationConfiguration{
					Role: &role, Rules: []s3types.ReplicationRule{{ID: aws.String("all"), Priority: aws.Int32(1), Status: s3types.ReplicationRuleStatusEnabled,
						Filter:                  &s3types.ReplicationRuleFilter{Prefix: aws.String("")},
						DeleteMarkerReplication: &s3types.DeleteMarkerReplication{Status: s3types.DeleteMarkerReplicationStatusDisabled},
						Destination:             &s3types.Destination{Bucket: &dst}}}}})
				must("replication", err)
			}
		}()
	}
	for i := range auditBenchBuckets {
		work <- i
	}
	close(work)
	wg.Wait()
}
