package gather

import (
	"net/http"
	"strings"
	"testing"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// fakeKey is a key as the fake KMS knows it.
type fakeKey struct {
	id, account, region string
	aliases             []string // alias/NAME
	state, usage        string   // usage "" is omitted, as moto does
	policy              string
}

func (k fakeKey) arn() string { return "arn:aws:kms:" + k.region + ":" + k.account + ":key/" + k.id }

// fakeKMS registers DescribeKey and GetKeyPolicy for keys of testAccount:
// a key is found by ID, key ARN, alias name or alias ARN, in its Region;
// another account's key is NotFoundException, as KMS answers a caller the
// key policy does not admit.
func fakeKMS(t testing.TB, f *fakeAWS, keys []fakeKey) {
	find := func(q *fakeReq, id string) *fakeKey {
		for i := range keys {
			k := &keys[i]
			if k.account != testAccount || k.region != q.region {
				continue
			}
			if id == k.id || id == k.arn() {
				return k
			}
			for _, a := range k.aliases {
				if id == a || id == "arn:aws:kms:"+k.region+":"+k.account+":"+a {
					return k
				}
			}
		}
		return nil
	}
	f.on("kms:DescribeKey", func(q *fakeReq) {
		k := find(q, q.str("KeyId"))
		if k == nil {
			q.fail(http.StatusBadRequest, "NotFoundException", "Key '"+q.str("KeyId")+"' does not exist")
			return
		}
		md := map[string]any{"AWSAccountId": k.account, "KeyId": k.id, "Arn": k.arn(), "CreationDate": 1.7e9,
			"Enabled": k.state == "Enabled", "Description": "", "KeyState": k.state, "Origin": "AWS_KMS",
			"KeyManager": "CUSTOMER", "KeySpec": "SYMMETRIC_DEFAULT", "CustomerMasterKeySpec": "SYMMETRIC_DEFAULT",
			"EncryptionAlgorithms": []string{"SYMMETRIC_DEFAULT"}, "MultiRegion": strings.HasPrefix(k.id, "mrk-")}
		if k.usage != "" {
			md["KeyUsage"] = k.usage
		}
		q.jsonBody(map[string]any{"KeyMetadata": md})
	})
	f.on("kms:GetKeyPolicy", func(q *fakeReq) {
		if name, ok := q.json["PolicyName"]; !ok || name != "default" {
			t.Errorf("GetKeyPolicy PolicyName = %v (sent: %v), want \"default\"", name, ok)
		}
		k := find(q, q.str("KeyId"))
		if k == nil {
			q.fail(http.StatusBadRequest, "NotFoundException", "Key does not exist")
			return
		}
		q.jsonBody(map[string]any{"Policy": k.policy, "PolicyName": "default"})
	})
}

// TestKMSKey covers the ways a key is named and the two meanings of
// NotFoundException.
func TestKMSKey(t *testing.T) {
	local := fakeKey{id: "1234abcd-12ab-34cd-56ef-1234567890ab", account: testAccount, region: "eu-west-1",
		aliases: []string{"alias/replica"}, state: "Enabled", usage: "", policy: testDoc}
	multi := fakeKey{id: "mrk-1234abcd12ab34cd56ef1234567890ab", account: testAccount, region: "us-west-2",
		state: "PendingDeletion", usage: "ENCRYPT_DECRYPT", policy: testDoc}
	foreign := fakeKey{id: "9999abcd-12ab-34cd-56ef-1234567890ab", account: otherAccount, region: "eu-west-1", state: "Enabled", policy: testDoc}

	cases := []struct {
		name, id, region, account string
		metadata, policy          snapshot.State
		wantARN                   string
		wantAliases               []string
		code                      string // FactError code when unknown
		md                        snapshot.KeyMetadata
	}{
		{name: "key-arn", id: local.arn(), metadata: snapshot.Known, policy: snapshot.Known, wantARN: local.arn(),
			md: snapshot.KeyMetadata{KeyState: "Enabled", KeyManager: "CUSTOMER", KeySpec: "SYMMETRIC_DEFAULT",
				KeyUsage: "ENCRYPT_DECRYPT", Region: "eu-west-1", Account: testAccount, Origin: "AWS_KMS"}},
		{name: "alias-name", id: "alias/replica", region: "eu-west-1", account: testAccount, metadata: snapshot.Known,
			policy: snapshot.Known, wantARN: local.arn(), wantAliases: []string{"alias/replica"},
			md: snapshot.KeyMetadata{KeyState: "Enabled", KeyManager: "CUSTOMER", KeySpec: "SYMMETRIC_DEFAULT",
				KeyUsage: "ENCRYPT_DECRYPT", Region: "eu-west-1", Account: testAccount, Origin: "AWS_KMS"}},
		{name: "alias-arn", id: "arn:aws:kms:eu-west-1:" + testAccount + ":alias/replica", metadata: snapshot.Known,
			policy: snapshot.Known, wantARN: local.arn(), wantAliases: []string{"arn:aws:kms:eu-west-1:" + testAccount + ":alias/replica"},
			md: snapshot.KeyMetadata{KeyState: "Enabled", KeyManager: "CUSTOMER", KeySpec: "SYMMETRIC_DEFAULT",
				KeyUsage: "ENCRYPT_DECRYPT", Region: "eu-west-1", Account: testAccount, Origin: "AWS_KMS"}},
		{name: "multi-region-pending-deletion", id: multi.arn(), metadata: snapshot.Known, policy: snapshot.Known, wantARN: multi.arn(),
			md: snapshot.KeyMetadata{KeyState: "PendingDeletion", KeyManager: "CUSTOMER", KeySpec: "SYMMETRIC_DEFAULT",
				KeyUsage: "ENCRYPT_DECRYPT", MultiRegion: true, Region: "us-west-2", Account: testAccount, Origin: "AWS_KMS"}},
		{name: "same-account-deleted", id: "arn:aws:kms:eu-west-1:" + testAccount + ":key/00000000-0000-0000-0000-000000000000",
			metadata: snapshot.Absent, policy: snapshot.Absent, wantARN: "arn:aws:kms:eu-west-1:" + testAccount + ":key/00000000-0000-0000-0000-000000000000"},
		{name: "same-account-alias-missing", id: "alias/gone", region: "eu-west-1", account: testAccount,
			metadata: snapshot.Absent, policy: snapshot.Absent, wantARN: "arn:aws:kms:eu-west-1:" + testAccount + ":alias/gone", wantAliases: []string{"alias/gone"}},
		{name: "cross-account-not-found", id: foreign.arn(), metadata: snapshot.Unknown, policy: snapshot.Unknown,
			wantARN: foreign.arn(), code: "NoCredentials"},
		{name: "cross-account-alias", id: "alias/theirs", region: "eu-west-1", account: otherAccount, metadata: snapshot.Unknown,
			policy: snapshot.Unknown, wantARN: "arn:aws:kms:eu-west-1:" + otherAccount + ":alias/theirs", wantAliases: []string{"alias/theirs"}, code: "NoCredentials"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			fakeKMS(t, f, []fakeKey{local, multi, foreign})
			r := newTestRun(t, f, f.access(), nil)
			k := r.key(tc.id, tc.region, tc.account)
			if k.ARN != tc.wantARN || strings.Join(k.Aliases, ",") != strings.Join(tc.wantAliases, ",") {
				t.Errorf("key ARN %q aliases %q, want %q %q", k.ARN, k.Aliases, tc.wantARN, tc.wantAliases)
			}
			if k.Metadata.State != tc.metadata || k.Policy.State != tc.policy {
				t.Fatalf("metadata %s policy %s (%v), want %s %s", k.Metadata.State, k.Policy.State, k.Metadata.Error, tc.metadata, tc.policy)
			}
			if tc.metadata == snapshot.Known && k.Metadata.Value != tc.md {
				t.Errorf("metadata = %+v\nwant       %+v", k.Metadata.Value, tc.md)
			}
			if tc.policy == snapshot.Known && string(k.Policy.Value) != testDoc {
				t.Errorf("policy = %s", k.Policy.Value)
			}
			if tc.code != "" && (k.Metadata.Error == nil || k.Metadata.Error.Code != tc.code || k.Metadata.Error.Operation != "kms:DescribeKey" || k.Metadata.Error.Permission == "") {
				t.Errorf("error = %+v, want %s on kms:DescribeKey with a permission hint", k.Metadata.Error, tc.code)
			}
			// A key named by its key ARN has its policy asked for together
			// with DescribeKey (one round trip less); others only once
			// DescribeKey found them.
			wantPolicyCalls := 0
			if tc.metadata == snapshot.Known || (strings.HasPrefix(tc.id, "arn:aws:kms:") && strings.Contains(tc.id, ":key/")) {
				wantPolicyCalls = 1
			}
			if f.count("kms:DescribeKey") != 1 || f.count("kms:GetKeyPolicy") != wantPolicyCalls {
				t.Errorf("DescribeKey ×%d GetKeyPolicy ×%d, want 1 and %d", f.count("kms:DescribeKey"), f.count("kms:GetKeyPolicy"), wantPolicyCalls)
			}
		})
	}
}

// TestKMSDenied: AccessDeniedException on DescribeKey is Unknown with the
// permission; on GetKeyPolicy only the policy is Unknown.
func TestKMSDenied(t *testing.T) {
	key := fakeKey{id: "k1", account: testAccount, region: "us-east-1", state: "Enabled", usage: "ENCRYPT_DECRYPT", policy: testDoc}
	t.Run("describe", func(t *testing.T) {
		f := newFake(t)
		fakeKMS(t, f, []fakeKey{key})
		f.on("kms:DescribeKey", (*fakeReq).denied)
		r := newTestRun(t, f, f.access(), nil)
		k := r.key(key.arn(), "", "")
		if e := k.Metadata.Error; !k.Metadata.IsUnknown() || e.Code != "AccessDeniedException" || e.Permission != "kms:DescribeKey" {
			t.Errorf("metadata = %+v (%+v)", k.Metadata, e)
		}
	})
	t.Run("policy", func(t *testing.T) {
		f := newFake(t)
		fakeKMS(t, f, []fakeKey{key})
		f.on("kms:GetKeyPolicy", (*fakeReq).denied)
		r := newTestRun(t, f, f.access(), nil)
		k := r.key(key.arn(), "", "")
		if !k.Metadata.IsKnown() {
			t.Errorf("metadata = %+v, want known", k.Metadata)
		}
		if e := k.Policy.Error; !k.Policy.IsUnknown() || e.Operation != "kms:GetKeyPolicy" || e.Permission != "kms:GetKeyPolicy" {
			t.Errorf("policy = %+v (%+v)", k.Policy, e)
		}
	})
}

// TestMergeKeys: a key reached by alias and by ARN is one entry with every
// name.
func TestMergeKeys(t *testing.T) {
	arn := "arn:aws:kms:us-east-1:" + testAccount + ":key/k"
	got := mergeKeys([]snapshot.KMSKey{
		{ARN: arn, Aliases: []string{"alias/a"}},
		{ARN: "arn:aws:kms:us-east-1:" + testAccount + ":key/other"},
		{ARN: arn},
		{ARN: arn, Aliases: []string{"alias/b", "alias/a"}},
	})
	if len(got) != 2 || got[0].ARN != arn || strings.Join(got[0].Aliases, ",") != "alias/a,alias/b" {
		t.Errorf("mergeKeys = %+v", got)
	}
}
