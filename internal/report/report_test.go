package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/replcheck/replcheck/checks"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sample is a hand-built report: two groups, every status, a finding
// without aliases or evidence, and a multi-line remediation.
func sample() *Report {
	found := []checks.Finding{
		{Reason: "AssumeRoleNotPermitted", Status: checks.StatusPass, Rule: "replicate-all", Destination: "arn:aws:s3:::dst-bucket",
			Message: "S3 can assume arn:aws:iam::111111111111:role/replication-role", Evidence: []string{"trust policy allows s3.amazonaws.com"}},
		{Reason: "DstBucketUnversioned", Status: checks.StatusFail, Rule: "replicate-all", Destination: "arn:aws:s3:::dst-bucket",
			Message:     "destination bucket dst-bucket has versioning Suspended",
			Evidence:    []string{"s3:GetBucketVersioning dst-bucket -> Status=Suspended"},
			Remediation: "aws s3api put-bucket-versioning --bucket dst-bucket --versioning-configuration Status=Enabled"},
		{Reason: "DstPutObjNotPermitted", Aliases: []string{"DstPutObjectNotPermitted"}, Status: checks.StatusUnknown, Rule: "replicate-all",
			Destination: "arn:aws:s3:::dst-bucket", Message: "could not read the bucket policy of dst-bucket",
			Evidence: []string{"s3:GetBucketPolicy: AccessDenied (needs s3:GetBucketPolicy)"}},
		{Reason: "DstBucketNotFound", Status: checks.StatusSkip, Rule: "replicate-all", Destination: "arn:aws:s3:::dst-bucket",
			Message: "Batch Replication was not requested (run with --batch)"},
		{Reason: "ReplicationMetricsDisabled", Status: checks.StatusWarn, Rule: "logs", Destination: "arn:aws:s3:::log-archive",
			Message: "rule logs has no replication metrics", Evidence: []string{"Destination.Metrics absent"},
			Remediation: "add to the rule's Destination:\n\"Metrics\": {\"Status\": \"Enabled\"}"},
		{Reason: "DstBucketUnversioned", Status: checks.StatusPass, Rule: "logs", Destination: "arn:aws:s3:::log-archive",
			Message: "destination bucket log-archive has versioning Enabled", Evidence: []string{"s3:GetBucketVersioning log-archive -> Status=Enabled"}},
	}
	findings := make([]Finding, len(found))
	for i, f := range found {
		findings[i] = Finding{Finding: f}
	}
	return &Report{
		Source:   &Source{Bucket: "src-bucket", Account: "111111111111", Region: "us-east-1"},
		Findings: findings,
		Checks: []*checks.Check{
			{Reason: "DstBucketUnversioned", Scope: checks.ScopeLive, Title: "destination bucket versioning is not Enabled",
				Why: "S3 replicates object versions.", Fix: "enable versioning on the destination",
				DocURL: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html"},
		},
		Input:   "snap.json",
		Version: "v0.0.0-test",
	}
}

// sampleWaived is sample with its failure waived and a waivers file with
// one expired and one unused waiver.
func sampleWaived() *Report {
	r := sample()
	r.Findings[1].Waived = &Waived{Justification: "the destination is re-created by the DR runbook", Expires: "2027-03-31"}
	r.Waivers = &WaiverUse{File: ".replcheck.yaml", Expired: []int{1}, Unused: []int{2}}
	return r
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test -update after checking the change):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func render(t *testing.T, format string, color bool, r *Report) []byte {
	t.Helper()
	return renderWith(t, format, Options{Color: color}, r)
}

func renderWith(t *testing.T, format string, opt Options, r *Report) []byte {
	t.Helper()
	rep, err := New(format, opt)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := rep.Write(&buf, r); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		name, format string
		opt          Options
		report       *Report
	}{
		{"sample.txt.golden", "text", Options{}, sample()},
		{"sample-color.txt.golden", "text", Options{Color: true}, sample()},
		{"sample-quiet.txt.golden", "text", Options{Quiet: true}, sample()},
		{"sample.json.golden", "json", Options{}, sample()},
		{"sample.sarif.golden", "sarif", Options{}, sample()},
		{"sample.junit.golden", "junit", Options{}, sample()},
		{"sample-waived.txt.golden", "text", Options{}, sampleWaived()},
		{"sample-waived.json.golden", "json", Options{}, sampleWaived()},
		{"sample-waived.sarif.golden", "sarif", Options{}, sampleWaived()},
		{"sample-waived.junit.golden", "junit", Options{}, sampleWaived()},
		{"empty.txt.golden", "text", Options{}, &Report{Source: &Source{Bucket: "src-bucket"}}},
		{"empty-quiet.txt.golden", "text", Options{Quiet: true}, &Report{Source: &Source{Bucket: "src-bucket"}}},
		{"empty.json.golden", "json", Options{}, &Report{Source: &Source{Bucket: "src-bucket"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			golden(t, tc.name, renderWith(t, tc.format, tc.opt, tc.report))
		})
	}
}

func TestNewUnknownFormat(t *testing.T) {
	_, err := New("csv", Options{})
	if err == nil || !strings.Contains(err.Error(), `unknown format "csv" (want one of text, json, sarif, junit, html)`) {
		t.Fatalf("New(csv) error = %v", err)
	}
}

// TestTextOrder checks that failures lead each group and that the summary
// line ends the output.
func TestTextOrder(t *testing.T) {
	out := string(render(t, "text", false, sample()))
	fail := strings.Index(out, "FAIL     DstBucketUnversioned")
	unknown := strings.Index(out, "UNKNOWN  DstPutObjNotPermitted")
	pass := strings.Index(out, "PASS     AssumeRoleNotPermitted")
	skip := strings.Index(out, "SKIP     DstBucketNotFound")
	if fail < 0 || fail >= unknown || unknown >= pass || pass >= skip {
		t.Errorf("want FAIL < UNKNOWN < PASS < SKIP in the first group, got offsets %d %d %d %d:\n%s", fail, unknown, pass, skip, out)
	}
	want := "replcheck: 1 fail, 1 warn, 2 pass, 1 unknown, 1 skip (src-bucket → 2 destinations)\n" +
		"replcheck: --fail-on unknown decides exit code 1: 1 fail, 1 unknown (not counted: 1 warn)\n"
	if !strings.HasSuffix(out, want) {
		t.Errorf("output does not end with %q:\n%s", want, out)
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour without Color")
	}
}

// TestJSONArrays checks that aliases and evidence are arrays, never null.
func TestJSONArrays(t *testing.T) {
	var doc struct {
		SchemaVersion int
		Findings      []map[string]any
	}
	if err := json.Unmarshal(render(t, "json", false, sample()), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.SchemaVersion != 1 || len(doc.Findings) != 6 {
		t.Fatalf("schemaVersion %d, %d findings", doc.SchemaVersion, len(doc.Findings))
	}
	for i, f := range doc.Findings {
		for _, key := range []string{"aliases", "evidence"} {
			if _, ok := f[key].([]any); !ok {
				t.Errorf("findings[%d].%s = %#v, want an array", i, key, f[key])
			}
		}
	}
}

// sarifSchemaFile is the SARIF 2.1.0 schema (OASIS errata 01, draft-04),
// a verbatim copy of the project's shared/schemas/sarif-schema-2.1.0.json.
const sarifSchemaFile = "testdata/sarif-schema-2.1.0.json"

// sharedSARIFSchema is that shared file, seen from this package in the
// development checkout; a clean clone of the repository has only the copy.
const sharedSARIFSchema = "../../../shared/schemas/sarif-schema-2.1.0.json"

// TestSARIFSchemaIsTheSharedCopy keeps the copy identical to the shared
// schema wherever the shared file is present.
func TestSARIFSchemaIsTheSharedCopy(t *testing.T) {
	shared, err := os.ReadFile(sharedSARIFSchema)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("no shared/ next to this checkout")
	}
	if err != nil {
		t.Fatal(err)
	}
	copied, err := os.ReadFile(sarifSchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(shared, copied) {
		t.Errorf("%s differs from %s: copy it again", sarifSchemaFile, sharedSARIFSchema)
	}
}

// TestSARIFSchema validates SARIF output against the SARIF 2.1.0 schema.
func TestSARIFSchema(t *testing.T) {
	compiler := jsonschema.NewCompiler()
	compiler.AssertFormat() // uri, uri-reference and the like are checked too
	schema, err := compiler.Compile(sarifSchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "level": "bogus"}]}]}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "suppressions": [{"kind": "waiver"}]}]}]}`,
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x", "rules": [{"id": "r", "helpUri": "not/absolute"}]}}}]}`,
		// A physical location with neither an artifact nor an address.
		`{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation": {}}]}]}]}`,
	} {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(bad))
		if err != nil {
			t.Fatal(err)
		}
		if schema.Validate(inst) == nil {
			t.Fatalf("the schema accepts %s: it validates nothing", bad)
		}
	}
	logs := map[string][]byte{}
	for name, r := range map[string]*Report{"sample": sample(), "waived": sampleWaived(), "empty": {Source: &Source{Bucket: "b"}}, "registry": registryReport(), "audit": auditSample()} {
		logs[name] = render(t, "sarif", false, r)
	}
	goldens, err := filepath.Glob("testdata/*.sarif.golden")
	if err != nil || len(goldens) < 2 {
		t.Fatalf("want the SARIF golden files, found %v (%v)", goldens, err)
	}
	for _, g := range goldens {
		data, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		logs[g] = data
	}
	for name, data := range logs {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if err := schema.Validate(inst); err != nil {
			t.Errorf("%s: SARIF does not validate: %v", name, err)
		}
	}
}

// TestSARIFResults checks which findings become results, and how.
func TestSARIFResults(t *testing.T) {
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID, Kind, Level string
				PartialFingerprints map[string]string
			}
		}
	}
	if err := json.Unmarshal(render(t, "sarif", false, sample()), &log); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range log.Runs[0].Results {
		got = append(got, r.RuleID+":"+r.Kind+":"+r.Level)
		if len(r.PartialFingerprints["replcheck/v1"]) != 32 {
			t.Errorf("%s: fingerprint %q", r.RuleID, r.PartialFingerprints["replcheck/v1"])
		}
	}
	want := "DstBucketUnversioned:fail:error DstPutObjNotPermitted:review:none ReplicationMetricsDisabled:fail:warning"
	if strings.Join(got, " ") != want {
		t.Errorf("results = %v, want %s", got, want)
	}
}

// TestJUnitCounts parses the XML back and checks the counts.
func TestJUnitCounts(t *testing.T) {
	var doc junitSuites
	if err := xml.Unmarshal(render(t, "junit", false, sample()), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tests != 6 || doc.Failures != 1 || doc.Errors != 1 || doc.Skipped != 1 || len(doc.Suites) != 2 {
		t.Errorf("tests=%d failures=%d errors=%d skipped=%d suites=%d, want 6 1 1 1 2",
			doc.Tests, doc.Failures, doc.Errors, doc.Skipped, len(doc.Suites))
	}
	if doc.Suites[0].Name != "replicate-all → arn:aws:s3:::dst-bucket" {
		t.Errorf("first suite %q", doc.Suites[0].Name)
	}
}
