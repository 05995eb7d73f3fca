package report

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/replcheck/replcheck/checks"
)

// SARIF writes a SARIF 2.1.0 log with one run, as GitHub code scanning
// reads it. The driver has one rule (reportingDescriptor) per check of the
// report, with the explain text as help and a security-severity. Only
// fail, warn and unknown findings become results, because code-scanning
// tools raise an alert for every result; the run's properties carry the
// full summary. fail is an error, warn a warning, and unknown a result of
// kind "review" (SARIF's "a person must decide"). A waived finding is a
// result with an external suppression that carries the justification.
// Each result has a physical location and a stable partial fingerprint
// (reason, source bucket, rule, destination, and Terraform address when
// there is one), so reruns update alerts instead of duplicating them.
type SARIF struct{}

const (
	sarifSchema  = "https://raw.githubusercontent.com/oasis-tcs/sarif-spec/master/Schemata/sarif-schema-2.1.0.json"
	sarifVersion = "2.1.0"
	toolURI      = "https://github.com/replcheck/replcheck"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool              sarifTool       `json:"tool"`
	AutomationDetails sarifAutomation `json:"automationDetails"`
	Results           []sarifResult   `json:"results"`
	Properties        map[string]any  `json:"properties"`
	Artifacts         []sarifArtifact `json:"artifacts,omitempty"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string         `json:"id"`
	ShortDescription sarifText      `json:"shortDescription"`
	FullDescription  sarifText      `json:"fullDescription"`
	Help             sarifText      `json:"help"`
	HelpURI          string         `json:"helpUri,omitempty"`
	Properties       map[string]any `json:"properties"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifArtifact struct {
	Location sarifArtifactLocation `json:"location"`
}

type sarifArtifactLocation struct {
	URI string `json:"uri"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Kind                string             `json:"kind"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	PartialFingerprints map[string]string  `json:"partialFingerprints"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          map[string]any     `json:"properties"`
}

// sarifSuppression is a waiver, as SARIF records a suppression made
// outside the analysed files.
type sarifSuppression struct {
	Kind          string         `json:"kind"`
	Status        string         `json:"status"`
	Justification string         `json:"justification"`
	Properties    map[string]any `json:"properties"`
}

type sarifLocation struct {
	PhysicalLocation *sarifPhysical `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogical `json:"logicalLocations"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
	Region           *sarifRegion          `json:"region,omitempty"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

type sarifLogical struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName"`
	Kind               string `json:"kind"`
}

// Write writes r as a SARIF log.
func (SARIF) Write(w io.Writer, r *Report) error {
	run := sarifRun{
		Tool:              sarifTool{Driver: sarifDriver{Name: "replcheck", Version: r.Version, InformationURI: toolURI, Rules: []sarifRule{}}},
		AutomationDetails: sarifAutomation{ID: "replcheck/" + command(r) + "/" + r.bucket(nil) + "/"},
		Results:           []sarifResult{},
		Properties:        map[string]any{"source": r.Source, "summary": Summarize(r.Findings)},
	}
	if r.Input != "" {
		run.Artifacts = []sarifArtifact{{Location: sarifArtifactLocation{URI: fileURI(r.Input)}}}
	}
	ruleIndex := map[string]int{}
	addRule := func(rule sarifRule) {
		ruleIndex[rule.ID] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, rule)
	}
	for _, c := range r.Checks {
		addRule(checkRule(c))
	}
	for _, f := range r.Findings {
		if _, ok := ruleIndex[f.Reason]; !ok {
			addRule(otherRule(f))
		}
		kind, level := sarifKind(f.Status)
		if kind == "" {
			continue
		}
		res := sarifResult{
			RuleID:              f.Reason,
			RuleIndex:           ruleIndex[f.Reason],
			Kind:                kind,
			Level:               level,
			Message:             sarifText{Text: resultMessage(f)},
			Locations:           []sarifLocation{location(r, f)},
			PartialFingerprints: map[string]string{"replcheck/v1": fingerprint(r.subject(&f), f)},
			Properties:          resultProperties(f),
		}
		if f.Waived != nil {
			res.Suppressions = []sarifSuppression{{Kind: "external", Status: "accepted", Justification: f.Waived.Justification,
				Properties: map[string]any{"expires": f.Waived.Expires}}}
		}
		run.Results = append(run.Results, res)
	}
	return WriteJSON(w, sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}})
}

// sarifKind maps a status to a result kind and level; "" leaves the
// finding out.
func sarifKind(s checks.Status) (kind, level string) {
	switch s {
	case checks.StatusFail:
		return "fail", "error"
	case checks.StatusWarn:
		return "fail", "warning"
	case checks.StatusUnknown:
		return "review", "none"
	}
	return "", ""
}

// command names the subcommand in automation IDs; preflight by default.
func command(r *Report) string {
	if r.Command == "" {
		return "preflight"
	}
	return r.Command
}

// resultProperties are a result's replcheck-specific fields.
func resultProperties(f Finding) map[string]any {
	p := map[string]any{"status": f.Status, "rule": f.Rule, "destination": f.Destination, "aliases": nonNil(f.Aliases)}
	if f.Source != nil {
		p["source"] = f.Source
	}
	if f.Address != "" {
		p["address"] = f.Address
	}
	return p
}

// checkRule is the rule of a check: its title, what S3 does, the explain
// text as help, its AWS documentation, security severity and tags.
func checkRule(c *checks.Check) sarifRule {
	tags := []string{"security", "s3", "replication", string(c.Scope)}
	if c.Config {
		tags = append(tags, "configuration")
	}
	return sarifRule{
		ID:               c.Reason,
		ShortDescription: sarifText{Text: c.Title},
		FullDescription:  sarifText{Text: c.Why},
		Help:             sarifText{Text: c.ExplainText(), Markdown: c.ExplainMarkdown()},
		HelpURI:          c.DocURL,
		Properties: map[string]any{
			"security-severity": SecuritySeverity(c.Reason),
			"tags":              tags,
			"aliases":           nonNil(c.Aliases),
			"scope":             c.Scope,
		},
	}
}

// otherRule is the rule of a reason that no check of the report names.
func otherRule(f Finding) sarifRule {
	return sarifRule{
		ID:               f.Reason,
		ShortDescription: sarifText{Text: f.Reason},
		FullDescription:  sarifText{Text: f.Reason},
		Help:             sarifText{Text: f.Reason},
		Properties: map[string]any{
			"security-severity": SecuritySeverity(f.Reason),
			"tags":              []string{"security", "s3", "replication"},
			"aliases":           nonNil(f.Aliases),
		},
	}
}

// resultMessage is the message, the evidence and the fix in plain text
// (GitHub ignores Markdown in SARIF messages).
func resultMessage(f Finding) string {
	var b strings.Builder
	b.WriteString(f.Message)
	if f.Destination != "" {
		b.WriteString(" (rule " + f.Rule + ", destination " + f.Destination + ")")
	}
	for _, e := range f.Evidence {
		b.WriteString("\nevidence: " + e)
	}
	if f.Remediation != "" {
		b.WriteString("\nfix: " + f.Remediation)
	}
	return b.String()
}

// location names the rule and destination (and the finding's address,
// when it has one), and a file: the one that declares the finding's
// cause, else the input file, else the source bucket (GitHub drops results
// without a physical location).
func location(r *Report, f Finding) sarifLocation {
	name := f.Rule
	if name == "" {
		name = "no replication rule"
	}
	bucket := r.bucket(&f)
	loc := sarifLocation{LogicalLocations: []sarifLogical{{
		Name:               name,
		FullyQualifiedName: "arn:aws:s3:::" + bucket + "/" + name + "/" + f.Destination,
		Kind:               "resource",
	}}}
	if account, ok := strings.CutPrefix(r.subject(&f), "account:"); ok {
		// A finding about an account (it could not be read) is located at
		// the account itself.
		loc.LogicalLocations = []sarifLogical{{Name: "account " + account, FullyQualifiedName: "arn:aws:iam::" + account + ":root", Kind: "resource"}}
	}
	if f.Address != "" {
		loc.LogicalLocations = append(loc.LogicalLocations, sarifLogical{Name: f.Address, FullyQualifiedName: f.Address, Kind: "resource"})
	}
	switch {
	case f.Location != nil && f.Location.File != "":
		loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: sarifArtifactLocation{URI: fileURI(f.Location.File)}}
		if f.Location.Line > 0 {
			loc.PhysicalLocation.Region = &sarifRegion{StartLine: f.Location.Line}
		}
	case r.Input != "":
		loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: sarifArtifactLocation{URI: fileURI(r.Input)}}
	default:
		loc.PhysicalLocation = &sarifPhysical{ArtifactLocation: sarifArtifactLocation{URI: cloudURI(r, f)}}
	}
	return loc
}

// fileURI is a file path as a SARIF artifact URI: a relative path stays
// relative (GitHub resolves it against the repository root), with
// forward slashes and characters such as spaces escaped; an absolute path
// becomes a file:// URI.
func fileURI(path string) string {
	slashed := filepath.ToSlash(path)
	if filepath.IsAbs(path) {
		return (&url.URL{Scheme: "file", Path: slashed}).String()
	}
	return (&url.URL{Path: slashed}).String()
}

// cloudURI locates a finding that no file declares: s3://BUCKET for its
// source bucket, or, for a finding about a whole account (an audit's
// AccountNotReadable), the account's root ARN.
func cloudURI(r *Report, f Finding) string {
	if b := r.bucket(&f); b != "" {
		return "s3://" + b
	}
	account := ""
	switch {
	case f.Source != nil:
		account = f.Source.Account
	case r.Source != nil:
		account = r.Source.Account
	}
	return "arn:aws:iam::" + account + ":root"
}

// fingerprint identifies a finding across runs, whatever its message.
func fingerprint(bucket string, f Finding) string {
	parts := []string{f.Reason, bucket, f.Rule, f.Destination}
	if f.Address != "" {
		// A plan's bucket name may be known only after apply; its
		// Terraform address still tells resources apart.
		parts = append(parts, f.Address)
	}
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(sum[:16])
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
