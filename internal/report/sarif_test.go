package report

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/replcheck/replcheck/checks"
)

// registryReport is a report over the whole registry of checks, as the
// pipeline builds it, with a finding about an account (an audit's
// AccountNotReadable), one whose reason no check names, and findings about
// two source buckets, one of them located in a file whose name needs
// escaping.
func registryReport() *Report {
	f := func(reason string, status checks.Status, bucket, account string) Finding {
		return Finding{
			Finding: checks.Finding{Reason: reason, Status: status, Rule: "r1", Destination: "arn:aws:s3:::dst", Message: "m"},
			Source:  &Source{Bucket: bucket, Account: account},
		}
	}
	r := &Report{
		Command: "audit",
		Checks:  checks.All,
		Findings: []Finding{
			f("DstBucketUnversioned", checks.StatusFail, "a", "111111111111"),
			f("DstBucketUnversioned", checks.StatusFail, "b", "111111111111"),
			f("ReplicationMetricsDisabled", checks.StatusWarn, "a", "111111111111"),
			f("AssumeRoleNotPermitted", checks.StatusPass, "a", "111111111111"),
			{Finding: checks.Finding{Reason: "AccountNotReadable", Status: checks.StatusUnknown, Message: "sts:AssumeRole denied"},
				Source: &Source{Account: "333333333333"}},
			f(outsideRegistry, checks.StatusWarn, "a", "111111111111"),
		},
		Version: "v0.0.0-test",
	}
	r.Findings[1].Location = &Location{File: "dir with space/main.tf", Line: 12}
	return r
}

// outsideRegistry is a reason no check reports, as a newer replcheck's
// findings may name.
const outsideRegistry = "SomeFutureReason"

type sarifDoc struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Rules []struct {
					ID                                string
					ShortDescription, FullDescription struct{ Text string }
					Help                              struct{ Text, Markdown string }
					HelpURI                           string
					Properties                        map[string]any
				}
			}
		}
		Results []struct {
			RuleID              string
			RuleIndex           int
			Locations           []map[string]any
			PartialFingerprints map[string]string
			Suppressions        []struct{ Kind, Status, Justification string }
		}
	}
}

func decodeSARIF(t *testing.T, r *Report) sarifDoc {
	t.Helper()
	var doc sarifDoc
	if err := json.Unmarshal(render(t, "sarif", false, r), &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// TestSARIFRulesFromRegistry checks that every check of the registry is a
// rule with its explain text as help, a security severity and tags, and
// that a reason outside the registry still gets a valid rule.
func TestSARIFRulesFromRegistry(t *testing.T) {
	doc := decodeSARIF(t, registryReport())
	rules := doc.Runs[0].Tool.Driver.Rules
	if len(rules) != len(checks.All)+1 {
		t.Fatalf("%d rules, want one per check (%d) and one for the reason outside the registry", len(rules), len(checks.All))
	}
	for i, c := range checks.All {
		rule := rules[i]
		if rule.ID != c.Reason || rule.ShortDescription.Text != c.Title || rule.FullDescription.Text != c.Why ||
			rule.HelpURI != c.DocURL {
			t.Errorf("rule %d = %s %q, want check %s", i, rule.ID, rule.ShortDescription.Text, c.Reason)
		}
		if rule.Help.Text != c.ExplainText() || !strings.Contains(rule.Help.Markdown, "## How to fix it") {
			t.Errorf("%s: help is not the explain text:\n%s\n%s", c.Reason, rule.Help.Text, rule.Help.Markdown)
		}
		checkSeverity(t, c.Reason, rule.Properties)
	}
	other := rules[len(checks.All)]
	if other.ID != outsideRegistry {
		t.Errorf("last rule %s, want %s", other.ID, outsideRegistry)
	}
	checkSeverity(t, other.ID, other.Properties)
	for _, res := range doc.Runs[0].Results {
		if rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %s has ruleIndex %d (%s)", res.RuleID, res.RuleIndex, rules[res.RuleIndex].ID)
		}
	}
}

// checkSeverity checks that properties carry a security-severity GitHub
// reads (a number from 0 to 10, in a string) and the security tag it
// needs to read it.
func checkSeverity(t *testing.T, reason string, props map[string]any) {
	t.Helper()
	s, ok := props["security-severity"].(string)
	if n, err := strconv.ParseFloat(s, 64); !ok || err != nil || n <= 0 || n > 10 {
		t.Errorf("%s: security-severity %#v, want a number in (0, 10] as a string", reason, props["security-severity"])
	}
	tags, _ := props["tags"].([]any)
	if len(tags) == 0 || tags[0] != "security" {
		t.Errorf("%s: tags %v, want security first", reason, tags)
	}
}

// TestSARIFLocations checks that every result has a physical location:
// the file that declares the finding, else the input file, else the source
// bucket, else the account.
func TestSARIFLocations(t *testing.T) {
	r := registryReport()
	var got []string
	for _, res := range decodeSARIF(t, r).Runs[0].Results {
		loc, _ := res.Locations[0]["physicalLocation"].(map[string]any)
		art, _ := loc["artifactLocation"].(map[string]any)
		got = append(got, res.RuleID+" "+art["uri"].(string))
	}
	want := []string{
		"DstBucketUnversioned s3://a",
		"DstBucketUnversioned dir%20with%20space/main.tf",
		"ReplicationMetricsDisabled s3://a",
		"AccountNotReadable arn:aws:iam::333333333333:root",
		outsideRegistry + " s3://a",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("locations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	r.Input = "/abs/snap.json"
	r.Findings[1].Location = nil
	for _, res := range decodeSARIF(t, r).Runs[0].Results {
		loc := res.Locations[0]["physicalLocation"].(map[string]any)["artifactLocation"].(map[string]any)["uri"]
		if loc != "file:///abs/snap.json" {
			t.Errorf("%s: location %v, want the input file", res.RuleID, loc)
		}
	}
}

// TestSARIFFingerprints checks that fingerprints are stable across runs
// and messages, and tell apart findings of different buckets.
func TestSARIFFingerprints(t *testing.T) {
	first := decodeSARIF(t, registryReport()).Runs[0].Results
	r := registryReport()
	for i := range r.Findings {
		r.Findings[i].Message = "another wording"
	}
	again := decodeSARIF(t, r).Runs[0].Results
	if len(first) < 3 {
		t.Fatalf("%d results", len(first))
	}
	seen := map[string]bool{}
	for i, res := range first {
		fp := res.PartialFingerprints["replcheck/v1"]
		if fp == "" || fp != again[i].PartialFingerprints["replcheck/v1"] {
			t.Errorf("%s: fingerprint %q then %q", res.RuleID, fp, again[i].PartialFingerprints["replcheck/v1"])
		}
		if seen[fp] {
			t.Errorf("%s: fingerprint %s is not unique", res.RuleID, fp)
		}
		seen[fp] = true
	}
	// Two findings of a plan whose bucket names are not known yet differ
	// by their addresses.
	a, b := registryReport(), registryReport()
	for _, r := range []*Report{a, b} {
		r.Findings = r.Findings[:1]
		r.Findings[0].Source.Bucket = ""
	}
	a.Findings[0].Address, b.Findings[0].Address = "aws_s3_bucket.a", "aws_s3_bucket.b"
	if decodeSARIF(t, a).Runs[0].Results[0].PartialFingerprints["replcheck/v1"] == decodeSARIF(t, b).Runs[0].Results[0].PartialFingerprints["replcheck/v1"] {
		t.Error("findings at two Terraform addresses share a fingerprint")
	}
}

// TestSARIFSuppressions checks that a waived finding stays a result, with
// an external suppression carrying the justification.
func TestSARIFSuppressions(t *testing.T) {
	for _, res := range decodeSARIF(t, sampleWaived()).Runs[0].Results {
		waived := res.RuleID == "DstBucketUnversioned"
		switch {
		case waived && (len(res.Suppressions) != 1 || res.Suppressions[0].Kind != "external" ||
			res.Suppressions[0].Justification != "the destination is re-created by the DR runbook"):
			t.Errorf("%s: suppressions %+v, want one external with the justification", res.RuleID, res.Suppressions)
		case !waived && len(res.Suppressions) != 0:
			t.Errorf("%s is not waived but has suppressions %+v", res.RuleID, res.Suppressions)
		}
	}
}

// TestSeverityTable keeps the security-severity table in step with the
// registry.
func TestSeverityTable(t *testing.T) {
	for _, c := range checks.All {
		if _, ok := securitySeverity[c]; !ok {
			t.Errorf("%s has no security-severity: add it to severity.go", c.Reason)
		}
	}
	if len(securitySeverity) != len(checks.All) {
		t.Errorf("%d security severities for %d checks: remove the ones of checks no longer in checks.All", len(securitySeverity), len(checks.All))
	}
	if SecuritySeverity("DstPutObjectNotPermitted") != SecuritySeverity("DstPutObjNotPermitted") {
		t.Error("an alias gets another severity than its reason")
	}
}
