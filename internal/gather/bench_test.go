package gather

import (
	"context"
	"testing"
	"time"

	"github.com/replcheck/replcheck/internal/motoserver"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// schedulingLatency is the round trip the benchmark's proxy adds.
const schedulingLatency = 40 * time.Millisecond

// BenchmarkGatherScheduling measures gathering's own scheduling: a whole
// Gather (three rules, two destinations, a role with inline, managed and
// boundary policies, two KMS keys, the simulator) against the in-process
// fake AWS behind a proxy adding 40 ms to every request. Unlike moto,
// which serves one request at a time, the fake answers concurrently, as
// AWS does, so efficiency = wall / (depth × 40 ms) shows how close the
// scheduler comes to the dependency depth. BenchmarkLivePreflight in e2e
// measures the same against moto.
func BenchmarkGatherScheduling(b *testing.B) {
	w := newWorld(b)
	w.f.on("iam:SimulatePrincipalPolicy", (&fakeSimulator{decide: allowReplicate}).handle)
	proxy, err := motoserver.NewProxy(w.f.srv.URL, schedulingLatency)
	if err != nil {
		b.Fatal(err)
	}
	defer proxy.Close()
	proxy.Trace(true)
	access := Access{EndpointURL: proxy.URL, MaxBackoff: time.Millisecond}
	opt := Options{Access: access, Source: "arn:aws:s3:::src", Batch: true, BatchRole: w.role,
		Questions: func(*snapshot.Snapshot) []Question { return w.questions() }}
	var wall time.Duration
	depth, calls := 0, 0
	for b.Loop() {
		rec := &Recorder{}
		opt.Recorder = rec
		proxy.Trace(true) // a fresh trace per run
		start := time.Now()
		if _, err := Gather(context.Background(), opt); err != nil {
			b.Fatal(err)
		}
		wall += time.Since(start)
		d, _ := motoserver.Depth(proxy.Spans())
		depth = max(depth, d)
		calls = rec.Total()
	}
	perRun := wall / time.Duration(b.N)
	b.ReportMetric(float64(perRun.Milliseconds()), "wall-ms")
	b.ReportMetric(float64(calls), "calls")
	b.ReportMetric(float64(depth), "depth")
	b.ReportMetric(float64(perRun)/float64(time.Duration(depth)*schedulingLatency), "efficiency")
}
