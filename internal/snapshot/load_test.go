package snapshot

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// base is a small valid snapshot that the error cases edit.
const base = `{"schemaVersion": 1,
 "source": {"name": "src", "account": {"state": "known", "value": "111111111111"}},
 "destinations": [{"name": "dst", "versioning": {"state": "known", "value": "Enabled"}}],
 "replication": {"state": "absent"},
 "roles": []}`

func TestDecodeErrorsNameFileAndField(t *testing.T) {
	for _, tc := range []struct{ name, old, new, want string }{
		{"bad state", `"versioning": {"state": "known", "value": "Enabled"}`, `"versioning": {"state": "maybe"}`,
			`snap.json: destinations[0].versioning.state: "maybe" is not one of "known", "absent", "unknown"`},
		{"missing state", `"versioning": {"state": "known", "value": "Enabled"}`, `"versioning": {"value": "Enabled"}`,
			`snap.json: destinations[0].versioning.state: required`},
		{"unknown without error", `"replication": {"state": "absent"}`, `"replication": {"state": "unknown"}`,
			`snap.json: replication.error: required`},
		{"wrong type", `"value": "Enabled"`, `"value": 1`,
			`snap.json: destinations[0].versioning.value: got a number, want a string`},
		{"unknown field", `"roles": []`, `"roles": [], "rolez": []`,
			`snap.json: rolez: unknown field`},
		{"duplicate key", `"roles": []`, `"roles": [], "roles": []`,
			`snap.json: roles: duplicate key`},
		{"schema version", `"schemaVersion": 1`, `"schemaVersion": 2`,
			`snap.json: schemaVersion: got 2, want 1`},
		{"bucket name", `"name": "dst"`, `"name": "arn:aws:s3:::dst"`,
			`snap.json: destinations[0].name: "arn:aws:s3:::dst" is not a bucket name`},
		{"syntax", `"roles": []}`, `"roles": [}`,
			`snap.json: roles: invalid JSON at line 5, column 12`},
		{"tags and tags error", `"roles": []`, `"roles": [], "objects": [{"key": "k", "tags": {"a": "b"}, "tagsError": {"operation": "s3:GetObjectTagging", "code": "AccessDenied"}}]`,
			`snap.json: objects[0].tags: a version whose tags could not be read (tagsError) has no tags`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := strings.Replace(base, tc.old, tc.new, 1)
			if data == base {
				t.Fatal("edit did not apply")
			}
			_, err := Decode("snap.json", []byte(data))
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("Decode error = %v, want a *FileError", err)
			}
			if !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("Decode error = %q, want prefix %q", err, tc.want)
			}
		})
	}
	if _, err := Decode("snap.json", []byte(base)); err != nil {
		t.Fatalf("base does not decode: %v", err)
	}
}

const config = `{"Role": "arn:aws:iam::111111111111:role/replication",
 "Rules": [{"ID": "all", "Status": "Enabled", "Filter": {"Prefix": ""},
            "Destination": {"Bucket": "arn:aws:s3:::dst"}}]}`

func TestDecodeConfigForms(t *testing.T) {
	for name, data := range map[string]string{
		"bare":    config,
		"wrapped": `{"ReplicationConfiguration": ` + config + `}`,
	} {
		c, err := DecodeConfig("c.json", []byte(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if c.Role != "arn:aws:iam::111111111111:role/replication" || len(c.Rules) != 1 || c.Rules[0].Destination.Bucket != "arn:aws:s3:::dst" {
			t.Errorf("%s: decoded %+v", name, c)
		}
	}
}

func TestDecodeConfigErrors(t *testing.T) {
	wrap := func(s string) string { return `{"ReplicationConfiguration": ` + s + `}` }
	bad := strings.Replace(config, `"Status": "Enabled"`, `"Status": "On"`, 1)
	for _, tc := range []struct{ name, data, want string }{
		{"bare field", bad, `c.json: Rules[0].Status: "On" is not Enabled or Disabled`},
		{"wrapped field", wrap(bad), `c.json: ReplicationConfiguration.Rules[0].Status: "On" is not Enabled or Disabled`},
		{"wrapped unknown field", wrap(strings.Replace(config, `"ID"`, `"Id"`, 1)), `c.json: ReplicationConfiguration.Rules[0].Id: unknown field`},
		{"wrapped extra key", `{"ReplicationConfiguration": ` + config + `, "Extra": 1}`, `c.json: a wrapped configuration holds only "ReplicationConfiguration"`},
		{"role", strings.Replace(config, `role/replication`, `user/replication`, 1), `c.json: Role: "arn:aws:iam::111111111111:user/replication" is not an IAM role ARN`},
		{"no rules", `{"Role": "arn:aws:iam::111111111111:role/r", "Rules": []}`, `c.json: Rules: a replication configuration needs at least one rule`},
		{"destination", strings.Replace(config, `arn:aws:s3:::dst`, `dst`, 1), `c.json: Rules[0].Destination.Bucket: "dst" is not a bucket ARN`},
		{"not json", `Role: x`, `c.json: invalid JSON at line 1, column 1`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeConfig("c.json", []byte(tc.data))
			if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
				t.Errorf("DecodeConfig error = %v, want prefix %q", err, tc.want)
			}
		})
	}
}

func TestLoadFixtureBases(t *testing.T) {
	files, err := filepath.Glob("../../fixtures/base/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no base snapshots: %v", err)
	}
	for _, f := range files {
		if _, err := Load(f); err != nil {
			t.Errorf("Load(%s): %v", f, err)
		}
	}
	_, err = Load(filepath.Join(t.TempDir(), "missing.json"))
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load(missing) error = %v, want one wrapping os.ErrNotExist", err)
	}
}

// TestObjectTagsFact: tags that could not be read are Unknown, never the
// empty set; a snapshot without tagsError (as older snapshots are) keeps
// its tags as read.
func TestObjectTagsFact(t *testing.T) {
	data := strings.Replace(base, `"roles": []`, `"roles": [], "objects": [
	 {"key": "read", "exists": {"state": "known", "value": true}, "tags": {"replicate": "yes"}},
	 {"key": "untagged", "exists": {"state": "known", "value": true}},
	 {"key": "denied", "exists": {"state": "known", "value": true},
	  "tagsError": {"operation": "s3:GetObjectTagging", "code": "AccessDenied", "permission": "s3:GetObjectVersionTagging"}}]`, 1)
	s, err := Decode("snap.json", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if f := s.Objects[0].TagsFact(); !f.IsKnown() || f.Value["replicate"] != "yes" {
		t.Errorf("read tags: %+v", f)
	}
	if f := s.Objects[1].TagsFact(); !f.IsKnown() || len(f.Value) != 0 {
		t.Errorf("no tags: %+v, want known and empty", f)
	}
	if f := s.Objects[2].TagsFact(); !f.IsUnknown() || !strings.Contains(f.Why(), "needs s3:GetObjectVersionTagging") {
		t.Errorf("denied tags: %+v, want unknown naming the permission", f)
	}
}
