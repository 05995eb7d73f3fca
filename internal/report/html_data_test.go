package report

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/replcheck/replcheck/checks"
)

// TestHTMLMatrixRows checks the matrix the page draws: one row per source
// bucket, rule and destination, grouped by account (the run's first, then
// those only findings name), each cell the worst status of its findings,
// and each row's findings within its First and End.
func TestHTMLMatrixRows(t *testing.T) {
	a := &Source{Bucket: "photos", Account: "111111111111", Region: "us-east-1"}
	b := &Source{Bucket: "ml-data", Account: "444444444444", Region: "eu-west-1"}
	finding := func(src *Source, rule, reason string, status checks.Status) Finding {
		return Finding{Source: src, Finding: checks.Finding{Reason: reason, Status: status, Rule: rule, Destination: "arn:aws:s3:::" + src.Bucket + "-dr"}}
	}
	doc := Document{Findings: []Finding{
		finding(a, "all", "X", checks.StatusPass),
		finding(b, "ml", "X", checks.StatusSkip),
		finding(a, "all", "X", checks.StatusFail),
		finding(a, "all", "Y", checks.StatusWarn),
		finding(a, "logs", "Y", checks.StatusUnknown),
		finding(a, "logs", "X", "from-a-future-version"),
		finding(a, "logs", "X", checks.StatusPass),
	}}
	run := []AccountStatus{{ID: "111111111111", Status: "ok"}, {ID: "333333333333", Status: "error", Error: "denied"}}
	accounts, rows := matrixRows(doc, run, []htmlCheck{{Reason: "X"}, {Reason: "Y"}, {Reason: "Z"}})
	wantAccounts := append(run, AccountStatus{ID: "444444444444", Status: "ok"})
	if !reflect.DeepEqual(accounts, wantAccounts) {
		t.Errorf("accounts %+v, want %+v", accounts, wantAccounts)
	}
	want := []htmlRow{
		{Account: 0, Bucket: "photos", Region: "us-east-1", Rule: "all", Destination: "arn:aws:s3:::photos-dr", Cells: "120", First: 0, End: 4},
		{Account: 0, Bucket: "photos", Region: "us-east-1", Rule: "logs", Destination: "arn:aws:s3:::photos-dr", Cells: "430", First: 4, End: 7},
		{Account: 2, Bucket: "ml-data", Region: "eu-west-1", Rule: "ml", Destination: "arn:aws:s3:::ml-data-dr", Cells: "500", First: 1, End: 2},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("rows\n%+v\nwant\n%+v", rows, want)
	}

	// A preflight's findings name no source: the document's is theirs.
	r := sample()
	doc = NewDocument(r)
	_, rows = matrixRows(doc, []AccountStatus{{ID: "111111111111", Status: "ok"}}, []htmlCheck{{Reason: "AssumeRoleNotPermitted"},
		{Reason: "DstBucketUnversioned"}, {Reason: "DstPutObjNotPermitted"}, {Reason: "DstBucketNotFound"}, {Reason: "ReplicationMetricsDisabled"}})
	want = []htmlRow{
		{Bucket: "src-bucket", Region: "us-east-1", Rule: "replicate-all", Destination: "arn:aws:s3:::dst-bucket", Cells: "41350", First: 0, End: 4},
		{Bucket: "src-bucket", Region: "us-east-1", Rule: "logs", Destination: "arn:aws:s3:::log-archive", Cells: "04002", First: 4, End: 6},
	}
	if !reflect.DeepEqual(rows, want) {
		t.Errorf("preflight rows\n%+v\nwant\n%+v", rows, want)
	}
}

// manyFindings is a report of n findings, so that its page's data block
// takes several chunks.
func manyFindings(n int) *Report {
	r := sample()
	base := r.Findings
	r.Findings = nil
	for i := range n {
		f := base[i%len(base)]
		f.Source = &Source{Bucket: fmt.Sprintf("bucket-%05d", i/len(base)), Account: "111111111111", Region: "us-east-1"}
		r.Findings = append(r.Findings, f)
	}
	r.Source = nil
	return r
}

// BenchmarkHTMLWrite writes the page of a report of 100,000 findings
// (some 2,000 matrix rows), most of the time compressing them.
func BenchmarkHTMLWrite(b *testing.B) {
	r := manyFindings(100000)
	var size int
	for b.Loop() {
		var w countingWriter
		if err := (HTML{}).Write(&w, r); err != nil {
			b.Fatal(err)
		}
		size = int(w)
	}
	b.ReportMetric(float64(size)/1e6, "page-MB")
}

// countingWriter counts the bytes written to it.
type countingWriter int

func (w *countingWriter) Write(p []byte) (int, error) {
	*w += countingWriter(len(p))
	return len(p), nil
}
