package gather

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/replcheck/replcheck/internal/snapshot"
)

// fakeRole answers the IAM reads of one role.
type fakeRole struct {
	name, trust string
	inline      map[string]string // name → document
	attached    [][]string        // pages of managed policy ARNs
	boundary    string            // ARN, "" for none
}

// fakeIAM registers IAM handlers for roles and managed policies. Policy
// documents of GetRole and GetRolePolicy are URL-encoded as IAM does;
// GetPolicyVersion documents are encoded unless raw is set (moto).
func fakeIAM(f *fakeAWS, roles []fakeRole, policies map[string]string, raw bool) {
	find := func(name string) *fakeRole {
		for i := range roles {
			if roles[i].name == name {
				return &roles[i]
			}
		}
		return nil
	}
	noRole := func(q *fakeReq) {
		q.fail(http.StatusNotFound, "NoSuchEntity", "The role with name "+q.form.Get("RoleName")+" cannot be found.")
	}
	f.on("iam:GetRole", func(q *fakeReq) {
		r := find(q.form.Get("RoleName"))
		if r == nil {
			noRole(q)
			return
		}
		b := ""
		if r.boundary != "" {
			b = "<PermissionsBoundary><PermissionsBoundaryType>Policy</PermissionsBoundaryType><PermissionsBoundaryArn>" + r.boundary + "</PermissionsBoundaryArn></PermissionsBoundary>"
		}
		q.query(fmt.Sprintf(`<Role><Path>/</Path><AssumeRolePolicyDocument>%s</AssumeRolePolicyDocument><MaxSessionDuration>3600</MaxSessionDuration><RoleId>AROATEST</RoleId><RoleName>%s</RoleName><Arn>arn:aws:iam::%s:role/%s</Arn><CreateDate>2024-01-01T00:00:00Z</CreateDate>%s</Role>`,
			iamEncode(r.trust), r.name, testAccount, r.name, b))
	})
	f.on("iam:ListRolePolicies", func(q *fakeReq) {
		r := find(q.form.Get("RoleName"))
		if r == nil {
			noRole(q)
			return
		}
		var b strings.Builder
		for name := range r.inline {
			b.WriteString("<member>" + name + "</member>")
		}
		q.query("<PolicyNames>" + b.String() + "</PolicyNames><IsTruncated>false</IsTruncated>")
	})
	f.on("iam:GetRolePolicy", func(q *fakeReq) {
		r := find(q.form.Get("RoleName"))
		doc, ok := "", false
		if r != nil {
			doc, ok = r.inline[q.form.Get("PolicyName")]
		}
		if !ok {
			q.fail(http.StatusNotFound, "NoSuchEntity", "The role policy cannot be found.")
			return
		}
		q.query(fmt.Sprintf("<RoleName>%s</RoleName><PolicyName>%s</PolicyName><PolicyDocument>%s</PolicyDocument>", r.name, q.form.Get("PolicyName"), iamEncode(doc)))
	})
	f.on("iam:ListAttachedRolePolicies", func(q *fakeReq) {
		r := find(q.form.Get("RoleName"))
		if r == nil {
			noRole(q)
			return
		}
		page := 0
		if m := q.form.Get("Marker"); m != "" {
			fmt.Sscanf(m, "page%d", &page)
		}
		var b strings.Builder
		b.WriteString("<AttachedPolicies>")
		if page < len(r.attached) {
			for _, arn := range r.attached[page] {
				b.WriteString("<member><PolicyName>" + arn[strings.LastIndexByte(arn, '/')+1:] + "</PolicyName><PolicyArn>" + arn + "</PolicyArn></member>")
			}
		}
		b.WriteString("</AttachedPolicies>")
		if page+1 < len(r.attached) {
			fmt.Fprintf(&b, "<IsTruncated>true</IsTruncated><Marker>page%d</Marker>", page+1)
		} else {
			b.WriteString("<IsTruncated>false</IsTruncated>")
		}
		q.query(b.String())
	})
	f.on("iam:GetPolicy", func(q *fakeReq) {
		arn := q.form.Get("PolicyArn")
		if _, ok := policies[arn]; !ok {
			q.fail(http.StatusNotFound, "NoSuchEntity", "Policy "+arn+" does not exist or is not attachable.")
			return
		}
		q.query(fmt.Sprintf("<Policy><PolicyName>%s</PolicyName><DefaultVersionId>v3</DefaultVersionId><PolicyId>ANPATEST</PolicyId><Path>/</Path><Arn>%s</Arn><AttachmentCount>1</AttachmentCount><IsAttachable>true</IsAttachable></Policy>",
			arn[strings.LastIndexByte(arn, '/')+1:], arn))
	})
	f.on("iam:GetPolicyVersion", func(q *fakeReq) {
		arn := q.form.Get("PolicyArn")
		doc, ok := policies[arn]
		if !ok || q.form.Get("VersionId") != "v3" {
			q.fail(http.StatusNotFound, "NoSuchEntity", "Policy version does not exist.")
			return
		}
		if raw {
			doc = xmlText(doc)
		} else {
			doc = iamEncode(doc)
		}
		q.query("<PolicyVersion><Document>" + doc + "</Document><VersionId>v3</VersionId><IsDefaultVersion>true</IsDefaultVersion><CreateDate>2024-01-01T00:00:00Z</CreateDate></PolicyVersion>")
	})
}

const (
	trustDoc   = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"s3.amazonaws.com"},"Action":"sts:AssumeRole"}]}`
	inlineDoc  = `{"Version":"2012-10-17","Statement":[{"Sid":"Read","Effect":"Allow","Action":["s3:GetReplicationConfiguration","s3:ListBucket"],"Resource":"arn:aws:s3:::src"}]}`
	managedDoc = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:ReplicateObject","Resource":"arn:aws:s3:::dst/*","Condition":{"StringLike":{"s3:x-amz-server-side-encryption-aws-kms-key-id":"arn:aws:kms:*:111122223333:key/* & more"}}}]}`
	boundDoc   = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`
)

// TestRoleDocuments reads a role whose documents IAM URL-encodes, with a
// managed policy attached and also used as its permissions boundary, in
// both GetPolicyVersion shapes (AWS encodes, moto does not).
func TestRoleDocuments(t *testing.T) {
	for _, raw := range []bool{false, true} {
		t.Run(map[bool]string{false: "aws-encoded", true: "moto-raw"}[raw], func(t *testing.T) {
			f := newFake(t)
			shared := "arn:aws:iam::" + testAccount + ":policy/shared"
			other := "arn:aws:iam::aws:policy/Other"
			fakeIAM(f, []fakeRole{{
				name: "replication", trust: trustDoc,
				inline:   map[string]string{"read": inlineDoc},
				attached: [][]string{{shared}, {other}}, // two pages
				boundary: shared,
			}}, map[string]string{shared: managedDoc, other: boundDoc}, raw)
			r := newTestRun(t, f, f.access(), nil)
			arn := "arn:aws:iam::" + testAccount + ":role/replication"
			role := r.role(arn)

			if !role.Exists.IsKnown() || !role.Exists.Value || role.ActualARN != arn {
				t.Fatalf("role exists %+v arn %q", role.Exists, role.ActualARN)
			}
			if !role.TrustPolicy.IsKnown() || string(role.TrustPolicy.Value) != trustDoc {
				t.Errorf("trust policy = %+v, want the decoded document", role.TrustPolicy)
			}
			wantInline := []snapshot.NamedPolicy{{Name: "read", Document: snapshot.PolicyDocument(inlineDoc)}}
			if !role.InlinePolicies.IsKnown() || fmt.Sprint(role.InlinePolicies.Value) != fmt.Sprint(wantInline) {
				t.Errorf("inline = %+v, want %+v", role.InlinePolicies, wantInline)
			}
			wantManaged := []snapshot.NamedPolicy{{Name: shared, Document: snapshot.PolicyDocument(managedDoc)}, {Name: other, Document: snapshot.PolicyDocument(boundDoc)}}
			if !role.ManagedPolicies.IsKnown() || fmt.Sprint(role.ManagedPolicies.Value) != fmt.Sprint(wantManaged) {
				t.Errorf("managed = %+v, want %+v", role.ManagedPolicies, wantManaged)
			}
			if b := role.PermissionsBoundary; !b.IsKnown() || b.Value.Name != shared || string(b.Value.Document) != managedDoc {
				t.Errorf("boundary = %+v", b)
			}
			want := map[string]int{"iam:GetRole": 1, "iam:ListRolePolicies": 1, "iam:GetRolePolicy": 1,
				"iam:ListAttachedRolePolicies": 2, "iam:GetPolicy": 2, "iam:GetPolicyVersion": 2}
			for op, n := range want {
				if got := f.count(op); got != n {
					t.Errorf("%s sent %d times, want %d (shared policy once)", op, got, n)
				}
			}
			if again := r.role(arn); again.ActualARN != arn || f.count("iam:GetRole") != 1 {
				t.Error("a second read of the role was not memoized")
			}
		})
	}
}

// TestRoleNotFound: NoSuchEntity makes the role known not to exist, with
// its documents Absent. The policy lists are sent with GetRole (they need
// only the name), but no policy document is read.
func TestRoleNotFound(t *testing.T) {
	f := newFake(t)
	fakeIAM(f, nil, nil, false)
	r := newTestRun(t, f, f.access(), nil)
	role := r.role("arn:aws:iam::" + testAccount + ":role/missing")
	if !role.Exists.IsKnown() || role.Exists.Value {
		t.Errorf("exists = %+v, want known false", role.Exists)
	}
	if !role.TrustPolicy.IsAbsent() || !role.InlinePolicies.IsAbsent() || !role.ManagedPolicies.IsAbsent() || !role.PermissionsBoundary.IsAbsent() {
		t.Errorf("documents of a missing role = %+v, want absent", role)
	}
	for op, n := range map[string]int{"sts:GetCallerIdentity": 1, "iam:GetRole": 1, "iam:ListRolePolicies": 1, "iam:ListAttachedRolePolicies": 1} {
		if got := f.count(op); got != n {
			t.Errorf("%s sent %d times, want %d", op, got, n)
		}
	}
	if n := f.total(); n != 4 {
		t.Errorf("%d requests, want 4 (GetCallerIdentity, GetRole, the two policy lists)", n)
	}
}

// TestRoleDenied: AccessDenied on GetRole is Unknown with the permission;
// the policy lists are still read when allowed.
func TestRoleDenied(t *testing.T) {
	f := newFake(t)
	fakeIAM(f, []fakeRole{{name: "r", trust: trustDoc, inline: map[string]string{"read": inlineDoc}}}, nil, false)
	f.on("iam:GetRole", (*fakeReq).denied)
	r := newTestRun(t, f, f.access(), nil)
	role := r.role("arn:aws:iam::" + testAccount + ":role/r")
	if !role.Exists.IsUnknown() || role.Exists.Error.Operation != "iam:GetRole" || role.Exists.Error.Permission != "iam:GetRole" || role.Exists.Error.Code != "AccessDenied" {
		t.Errorf("exists = %+v (%+v), want unknown for want of iam:GetRole", role.Exists, role.Exists.Error)
	}
	if !role.InlinePolicies.IsKnown() || len(role.InlinePolicies.Value) != 1 {
		t.Errorf("inline = %+v, want read despite GetRole denied", role.InlinePolicies)
	}
}

// TestRoleOtherAccount: a role in an account without credentials is
// Unknown. Once the base credentials' account is known, nothing is asked
// for it; before, the role is read with them speculatively (its account is
// usually theirs) and the answers are dropped when it is not, even when
// their account has a role of the same name.
func TestRoleOtherAccount(t *testing.T) {
	for _, known := range []bool{true, false} {
		t.Run(fmt.Sprintf("account known %v", known), func(t *testing.T) {
			f := newFake(t)
			fakeIAM(f, []fakeRole{{name: "r", trust: trustDoc, inline: map[string]string{"read": inlineDoc}}}, nil, false)
			r := newTestRun(t, f, f.access(), nil)
			if known {
				r.account(r.base)
			}
			role := r.role("arn:aws:iam::" + otherAccount + ":role/r")
			for what, fact := range map[string]snapshot.State{"exists": role.Exists.State, "trust": role.TrustPolicy.State, "inline": role.InlinePolicies.State,
				"managed": role.ManagedPolicies.State, "boundary": role.PermissionsBoundary.State} {
				if fact != snapshot.Unknown {
					t.Errorf("%s is %s, want unknown", what, fact)
				}
			}
			if role.Exists.Error == nil || role.Exists.Error.Code != "NoCredentials" {
				t.Errorf("exists = %+v, want unknown NoCredentials", role.Exists)
			}
			if n := f.count("iam:GetRole"); known && n != 0 {
				t.Errorf("GetRole sent %d times for another account's role", n)
			}
		})
	}
}
