package checks

import (
	"strings"
	"testing"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// failureReasons are the 25 reasons of AWS's 2022 table
// (failure-reasons-table-2022.md) and the 9 added since
// (failure-reasons.md §0), by the name each check reports.
var failureReasons = []string{
	"AssumeRoleNotPermitted", "DstBucketNotFound", "DstBucketObjectLockConfigMissing",
	"DstBucketUnversioned", "DstDelObjNotPermitted", "DstKmsKeyInvalidState", "DstKmsKeyNotFound",
	"DstMultipartCompleteNotPermitted", "DstMultipartInitNotPermitted", "DstMultipartPartUploadNotPermitted",
	"DstObjectHardDeleted", "DstPutAclNotPermitted", "DstPutLegalHoldNotPermitted", "DstPutObjNotPermitted",
	"DstPutTaggingNotPermitted", "DstVersionNotFound", "SrcBucketInvalidRegion", "SrcBucketNotFound",
	"SrcBucketReplicationConfigMissing", "SrcGetAclNotPermitted", "SrcGetObjNotPermitted",
	"SrcGetTaggingNotPermitted", "SrcHeadObjectNotPermitted", "SrcKmsKeyInvalidState", "SrcObjectNotEligible",
	// added since 2022
	"DstBucketInvalidRegion", "DstPutRetentionNotPermitted", "InitiateReplicationNotPermitted",
	"SrcGetLegalHoldNotPermitted", "SrcGetRetentionNotPermitted", "SrcKeyNotFound",
	"SrcObjectNotFound", "SrcReplicationNotPending", "SrcVersionNotFound",
}

// renamed are the reasons AWS renamed since 2022, old name to current.
var renamed = map[string]string{
	"DstPutObjNotPermitted":              "DstPutObjectNotPermitted",
	"SrcGetObjNotPermitted":              "SrcGetObjectNotPermitted",
	"DstMultipartPartUploadNotPermitted": "DstMultipartUploadNotPermitted",
}

func TestAllHasEveryFailureReason(t *testing.T) {
	for _, reason := range failureReasons {
		c := Lookup(reason)
		if c == nil || c.Reason != reason {
			t.Errorf("no check reports %s", reason)
			continue
		}
		if current, ok := renamed[reason]; ok {
			if Lookup(current) != c {
				t.Errorf("%s: the current spelling %s is not an alias", reason, current)
			}
		}
	}
}

func TestAllChecksAreWellFormed(t *testing.T) {
	known := map[string]bool{}
	for _, r := range failureReasons {
		known[r] = true
	}
	names := map[string]string{}
	for _, c := range All {
		for _, n := range c.Names() {
			key := strings.ToLower(n)
			if other, dup := names[key]; dup {
				t.Errorf("%s: name %s is also used by %s", c.Reason, n, other)
			}
			names[key] = c.Reason
		}
		if !known[c.Reason] && !c.Config {
			t.Errorf("%s: not a failure reason, so it must be marked Config", c.Reason)
		}
		if c.RulesOnly && !c.Config {
			t.Errorf("%s: only a configuration check can judge the rules alone", c.Reason)
		}
		if known[c.Reason] && c.Config {
			t.Errorf("%s: a failure reason cannot be a configuration check", c.Reason)
		}
		switch c.Scope {
		case ScopeLive, ScopeBatch, ScopeObject, ScopeAccount:
		default:
			t.Errorf("%s: scope %q is not live, batch, object or account", c.Reason, c.Scope)
		}
		for field, v := range map[string]string{"Title": c.Title, "Why": c.Why, "Predicts": c.Predicts, "Fix": c.Fix} {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s: %s is empty", c.Reason, field)
			}
		}
		if c.Title != strings.ToLower(c.Title[:1])+c.Title[1:] || strings.HasSuffix(c.Title, ".") {
			t.Errorf("%s: title %q should start lower-case and have no final period", c.Reason, c.Title)
		}
		if !strings.HasPrefix(c.DocURL, "https://docs.aws.amazon.com/") {
			t.Errorf("%s: DocURL %q is not an AWS documentation page", c.Reason, c.DocURL)
		}
		if c.Run == nil {
			t.Errorf("%s: Run is nil", c.Reason)
		}
	}
}

func TestLookupAcceptsEitherSpelling(t *testing.T) {
	for old, current := range renamed {
		for _, name := range []string{old, current, strings.ToLower(current)} {
			if c := Lookup(name); c == nil || c.Reason != old {
				t.Errorf("Lookup(%q) = %v, want the %s check", name, c, old)
			}
		}
	}
	if c := Lookup("NoSuchReason"); c != nil {
		t.Errorf("Lookup(NoSuchReason) = %s, want nil", c.Reason)
	}
}

// TestAccountChecksDecideAccounts: a snapshot that stands for an account
// is decided by the account checks alone, once; a bucket snapshot by the
// others alone, so that preflights never see an account check.
func TestAccountChecksDecideAccounts(t *testing.T) {
	why := &snapshot.FactError{Operation: "sts:AssumeRole", Code: "AccessDenied"}
	account := &snapshot.Snapshot{SchemaVersion: 1, Source: snapshot.Bucket{Account: snapshot.KnownFact("333333333333")},
		Replication: snapshot.UnknownFact[snapshot.ReplicationConfiguration](why), AccountListing: why}
	f, err := NewFacts(account)
	if err != nil {
		t.Fatal(err)
	}
	got := Run(All, f, Options{Batch: true})
	if len(got) != 1 || got[0].Reason != "AccountNotReadable" || got[0].Status != StatusUnknown || got[0].Rule != "" || got[0].Destination != "" {
		t.Fatalf("account snapshot findings = %+v, want one AccountNotReadable unknown", got)
	}
	if !strings.Contains(got[0].Message, "333333333333") || !strings.Contains(got[0].Message, "sts:AssumeRole") {
		t.Errorf("message %q should name the account and the operation", got[0].Message)
	}
	bucket := &snapshot.Snapshot{SchemaVersion: 1, Source: snapshot.Bucket{Name: "b"}, Replication: snapshot.AbsentFact[snapshot.ReplicationConfiguration]()}
	if f, err = NewFacts(bucket); err != nil {
		t.Fatal(err)
	}
	for _, x := range Run(All, f, Options{}) {
		if x.Reason == "AccountNotReadable" {
			t.Errorf("a bucket snapshot got %s %s", x.Reason, x.Status)
		}
	}
}
