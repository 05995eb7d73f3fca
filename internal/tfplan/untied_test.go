package tfplan

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// untiedPlan decodes testdata/untied.json with the bucket argument of
// aws_s3_bucket_versioning.destination set to refer to refs (nil keeps
// the file's aws_s3_bucket.destination.arn).
func untiedPlan(t *testing.T, refs []string) *Plan {
	t.Helper()
	return untiedPlanOf(t, "aws_s3_bucket_versioning.destination", refs)
}

// untiedPlanOf sets the bucket argument of the resource at address.
func untiedPlanOf(t *testing.T, address string, refs []string) *Plan {
	t.Helper()
	data, err := os.ReadFile("testdata/untied.json")
	if err != nil {
		t.Fatal(err)
	}
	if refs != nil {
		var doc map[string]any
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		for _, r := range doc["configuration"].(map[string]any)["root_module"].(map[string]any)["resources"].([]any) {
			res := r.(map[string]any)
			if res["address"] == address {
				res["expressions"].(map[string]any)["bucket"] = map[string]any{"references": refs}
			}
		}
		if data, err = json.Marshal(doc); err != nil {
			t.Fatal(err)
		}
	}
	p, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// TestReferencesAreFollowedByKind: a bucket-name argument is evaluated
// through a reference to an attribute that holds a bucket name, and not
// through one to a bucket's ARN (or whatever function of it the
// expression was: the plan lists the same reference for
// trimprefix(aws_s3_bucket.destination.arn, ...)).
func TestReferencesAreFollowedByKind(t *testing.T) {
	for _, tc := range []struct {
		refs []string
		want string // "" for pending
	}{
		{[]string{"aws_s3_bucket.destination.id", "aws_s3_bucket.destination"}, "dst"},
		{[]string{"aws_s3_bucket.destination.bucket", "aws_s3_bucket.destination"}, "dst"},
		{[]string{"aws_s3_bucket.destination.arn", "aws_s3_bucket.destination"}, ""},
		{[]string{"aws_s3_bucket.destination.region", "aws_s3_bucket.destination"}, ""},
		{[]string{"aws_s3_bucket.destination.tags.Name", "aws_s3_bucket.destination"}, ""},
		{[]string{"aws_iam_role.r.name", "aws_iam_role.r"}, ""},
	} {
		p := untiedPlan(t, tc.refs)
		v := p.Get(p.Resource("aws_s3_bucket_versioning.destination"), "bucket")
		got, _ := v.Str()
		if got != tc.want || v.Known != (tc.want != "") {
			t.Errorf("bucket = %q refers to %s: got %+v, want %q", tc.refs[0], tc.refs[0], v, tc.want)
		}
		if tc.want == "" && (v.Pending != "aws_s3_bucket_versioning.destination.bucket" || !strings.Contains(v.Unfollowed, tc.refs[0])) {
			t.Errorf("%s: the pending value must name the argument and the reference not followed: %+v", tc.refs[0], v)
		}
	}
	// The replication configuration's destination needs a bucket ARN.
	p := untiedPlan(t, nil)
	if s, _ := p.Get(p.Resource("aws_s3_bucket_replication_configuration.this"), "rule", 0, "destination", 0, "bucket").Str(); s != "arn:aws:s3:::dst" {
		t.Errorf("destination bucket = %q, want the ARN of dst", s)
	}
}

// TestUntiedSettingIsUnknown: a planned aws_s3_bucket_versioning whose
// bucket cannot be named makes the versioning of the buckets it may
// configure Unknown, never the unversioned default of a new bucket.
func TestUntiedSettingIsUnknown(t *testing.T) {
	for _, tc := range []struct {
		name string
		refs []string
		// wantUnknown are the buckets whose versioning is Unknown.
		wantUnknown map[string]bool
		candidate   string
	}{
		{"tied by id", []string{"aws_s3_bucket.destination.id", "aws_s3_bucket.destination"}, nil, ""},
		{"a bucket ARN", nil, map[string]bool{"dst": true}, "the bucket it refers to"},
		{"a local value", []string{"local.destination"}, map[string]bool{"dst": true}, "any bucket of this plan"},
	} {
		snaps := Build(untiedPlan(t, tc.refs), nil)
		if len(snaps) != 1 || len(snaps[0].Destinations) != 1 {
			t.Fatalf("%s: %d snapshots", tc.name, len(snaps))
		}
		s := snaps[0]
		if err := s.Validate(); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for _, bk := range []snapshot.Bucket{s.Source, s.Destinations[0]} {
			v := bk.Versioning
			if !tc.wantUnknown[bk.Name] {
				if !v.IsKnown() || v.Value != "Enabled" {
					t.Errorf("%s: versioning of %s = %+v, want Enabled", tc.name, bk.Name, v)
				}
				continue
			}
			if !v.IsUnknown() || v.Error.Code != CodeNotTied ||
				!strings.HasPrefix(v.Error.Message, "aws_s3_bucket_versioning.destination cannot be tied to a bucket: its bucket argument ") ||
				!strings.Contains(v.Error.Message, tc.candidate) {
				t.Errorf("%s: versioning of %s = %+v, want Unknown naming the untied resource and why", tc.name, bk.Name, v)
			}
			if o := s.Origins.Buckets[bk.Name]; o.Versioning != "aws_s3_bucket_versioning.destination" {
				t.Errorf("%s: the finding must carry the untied resource's address: %+v", tc.name, o)
			}
		}
		// The apply-order check still sees the versioning it enables.
		found := false
		for _, c := range s.Changes.Versioning {
			found = found || c.Address == "aws_s3_bucket_versioning.destination" && c.Bucket == "dst"
		}
		if !found {
			t.Errorf("%s: changes %+v miss the destination's versioning", tc.name, s.Changes.Versioning)
		}
	}
}

// TestUntiedSettingsOfEveryKind: each bucket-setting resource that cannot
// be tied to a bucket makes its own setting Unknown, where a new bucket
// would otherwise get AWS's default.
func TestUntiedSettingsOfEveryKind(t *testing.T) {
	data, err := os.ReadFile("testdata/untied.json")
	if err != nil {
		t.Fatal(err)
	}
	types := []string{"aws_s3_bucket_server_side_encryption_configuration", "aws_s3_bucket_ownership_controls",
		"aws_s3_bucket_policy", "aws_s3_bucket_object_lock_configuration", "aws_s3_bucket_request_payment_configuration",
		"aws_s3_bucket_lifecycle_configuration"}
	for _, typ := range types {
		// Turn aws_s3_bucket_versioning.destination into one of typ.
		in := strings.ReplaceAll(string(data), `"aws_s3_bucket_versioning.destination"`, `"`+typ+`.destination"`)
		in = strings.Replace(in, `"type": "aws_s3_bucket_versioning", "name": "destination"`, `"type": "`+typ+`", "name": "destination"`, 2)
		in = strings.ReplaceAll(in, `"versioning_configuration": [{"status": {"constant_value": "Enabled"}}]}},
        {"address": "aws_s3_bucket_replication_configuration.this"`, `"versioning_configuration": []}},
        {"address": "aws_s3_bucket_replication_configuration.this"`)
		p, err := Decode([]byte(in))
		if err != nil {
			t.Fatalf("%s: %v", typ, err)
		}
		if r := p.Resource(typ + ".destination"); r == nil || r.Type != typ {
			t.Fatalf("%s: not in the plan", typ)
		}
		d := Build(p, nil)[0].Destinations[0]
		facts := map[string]*snapshot.FactError{
			"aws_s3_bucket_server_side_encryption_configuration": d.Encryption.Error,
			"aws_s3_bucket_ownership_controls":                   d.Ownership.Error,
			"aws_s3_bucket_policy":                               d.Policy.Error,
			"aws_s3_bucket_object_lock_configuration":            d.ObjectLock.Error,
			"aws_s3_bucket_request_payment_configuration":        d.RequestPayment.Error,
			"aws_s3_bucket_lifecycle_configuration":              d.Lifecycle.Error,
		}
		for other, e := range facts {
			untied := e != nil && e.Code == CodeNotTied && strings.HasPrefix(e.Message, typ+".destination cannot be tied")
			if untied != (other == typ) {
				t.Errorf("untied %s: the setting of %s has error %+v", typ, other, e)
			}
		}
		if !d.Versioning.IsAbsent() {
			// dst has no versioning resource now: a new bucket's default.
			t.Errorf("untied %s: versioning = %+v, want the default of a new bucket", typ, d.Versioning)
		}
	}
}

// TestUntiedReplicationConfiguration: a replication configuration whose
// bucket cannot be named is Unknown, and so is its source bucket: the
// role's permissions are for named buckets, so no check may pass or fail.
func TestUntiedReplicationConfiguration(t *testing.T) {
	const addr = "aws_s3_bucket_replication_configuration.this"
	snaps := Build(untiedPlanOf(t, addr, []string{"aws_s3_bucket.source.arn", "aws_s3_bucket.source"}), nil)
	if len(snaps) != 1 {
		t.Fatalf("%d snapshots", len(snaps))
	}
	s := snaps[0]
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	for what, e := range map[string]*snapshot.FactError{"replication": s.Replication.Error, "source bucket": s.Source.Exists.Error,
		"source versioning": s.Source.Versioning.Error} {
		if e == nil || e.Code != CodeNotTied || !strings.HasPrefix(e.Message, addr+" cannot be tied to a bucket: its bucket argument refers to aws_s3_bucket.source.arn") {
			t.Errorf("%s: %+v, want Unknown naming %s and why", what, e, addr)
		}
	}
	if s.Origins.Replication != addr {
		t.Errorf("origins = %+v", s.Origins)
	}
	// Tied by the bucket's id, it is known.
	s = Build(untiedPlanOf(t, addr, []string{"aws_s3_bucket.source.id", "aws_s3_bucket.source"}), nil)[0]
	if !s.Replication.IsKnown() || s.Source.Name != "src" {
		t.Errorf("replication = %+v, source %q", s.Replication, s.Source.Name)
	}
}
