package checks

import (
	"strings"

	"github.com/replcheck/replcheck/internal/arn"
	"github.com/replcheck/replcheck/policy"
)

// Statement is one statement of an IAM policy document, in the JSON form
// IAM takes: the statement replcheck recommends to allow a permission.
type Statement struct {
	Sid       string              `json:"Sid,omitempty"`
	Effect    string              `json:"Effect"`
	Principal map[string][]string `json:"Principal,omitempty"`
	Action    []string            `json:"Action"`
	Resource  []string            `json:"Resource,omitempty"`
	// Condition maps an operator (StringLike) to condition keys and
	// their values.
	Condition map[string]map[string][]string `json:"Condition,omitempty"`
}

// IAMPolicy is an IAM policy document in the JSON form IAM takes.
type IAMPolicy struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// NewIAMPolicy returns a 2012-10-17 policy of statements.
func NewIAMPolicy(statements ...Statement) *IAMPolicy {
	return &IAMPolicy{Version: "2012-10-17", Statement: append([]Statement{}, statements...)}
}

// getObjectVersionNoGrant says why s3:GetObjectVersion is never granted.
const getObjectVersionNoGrant = "s3:GetObjectVersionForReplication, which is granted instead, lets S3 read every object it replicates, SSE-KMS ones included (" + kmsPermsDoc + ")"

// NoGrant returns why the generated policies grant no statement for an
// action the checks ask about, or "" when they grant it.
func NoGrant(action string) string {
	for _, c := range All {
		for _, r := range c.Requires {
			if r.NoGrant != "" && strings.EqualFold(r.Action, action) {
				return r.NoGrant
			}
		}
	}
	return ""
}

// IdentityStatement is the least statement of the role's identity policy
// that allows the question: its action on its resource, object ARNs
// scoped to the rule's prefix, and for KMS the conditions S3's request
// meets (kms:ViaService and the encryption context, as AWS's policies for
// replicating SSE-KMS objects write them).
func (q *Question) IdentityStatement() Statement {
	return Statement{Effect: "Allow", Action: []string{q.Action}, Resource: []string{q.grantResource()}, Condition: q.grantCondition()}
}

// ResourceStatement is the least statement of the resource's own policy
// (bucket policy or key policy) that allows the question: the
// IdentityStatement for the role as Principal, by its ARN. A key policy's
// statements apply to the key itself, so their Resource is "*".
func (q *Question) ResourceStatement() Statement {
	s := q.IdentityStatement()
	s.Principal = map[string][]string{"AWS": {q.Role.ARN}}
	if isKMSResource(q.Resource) {
		s.Resource = []string{"*"}
	}
	return s
}

// grantResource is the resource a grant names: an object ARN becomes the
// rule's prefix pattern (arn:aws:s3:::bucket/prefix*); buckets and keys
// stay as they are.
func (q *Question) grantResource() string {
	if p, ok := objectPattern(q.Resource, q.KeyPrefix); ok {
		return p
	}
	return q.Resource
}

// grantCondition is the condition block of a KMS grant: kms:ViaService,
// and the encryption context as a pattern of the rule's objects (or the
// bucket ARN with S3 Bucket Keys). S3 questions need none.
func (q *Question) grantCondition() map[string]map[string][]string {
	if !isKMSResource(q.Resource) {
		return nil
	}
	like := map[string][]string{}
	if v := q.Context["kms:ViaService"]; len(v) > 0 {
		like["kms:ViaService"] = []string{v[0]}
	}
	for _, v := range q.Context[kmsContextKey] {
		if p, ok := objectPattern(v, q.KeyPrefix); ok {
			v = p
		}
		like[kmsContextKey] = append(like[kmsContextKey], v)
	}
	if len(like) == 0 {
		return nil
	}
	return map[string]map[string][]string{"StringLike": like}
}

// kmsContextKey is the encryption context key S3 sets on its KMS requests.
const kmsContextKey = "kms:EncryptionContext:aws:s3:arn"

// objectPattern turns an S3 object ARN into the pattern of the objects
// under prefix in its bucket; ok is false for anything else.
func objectPattern(resource, prefix string) (string, bool) {
	a, ok := arn.Parse(resource)
	if !ok || a.Service != "s3" {
		return "", false
	}
	bucket, _, isObject := strings.Cut(a.Resource, "/")
	if !isObject {
		return "", false
	}
	return strings.TrimSuffix(resource, a.Resource) + bucket + "/" + prefix + "*", true
}

// isKMSResource reports whether an ARN names a KMS key.
func isKMSResource(resource string) bool {
	a, ok := arn.Parse(resource)
	return ok && a.Service == "kms"
}

// Side says whether one side of an authorization, the role's identity
// policies or the resource's own policy, lets a question through.
type Side int

const (
	// SideAllows: the side allows the question.
	SideAllows Side = iota
	// SideLacks: no statement allows it; a grant would.
	SideLacks
	// SideDenies: a Deny refuses it; no grant can help.
	SideDenies
	// SideUnknown: the side's policy could not be read.
	SideUnknown
)

// delegateTo is a key policy that lets account's IAM policies decide.
func delegateTo(account string) *policy.Document {
	return mustParse(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::` + account + `:root"},"Action":"*","Resource":"*"}]}`)
}

// IdentitySide decides the question on the role's identity policies alone,
// as if the resource were the role's account's and its policy left the
// decision to IAM.
func (q *Question) IdentitySide() Side {
	in := &policy.Input{}
	for _, p := range q.Role.Identity {
		if p.Unknown() {
			return SideUnknown
		}
		in.Identity = append(in.Identity, p.Doc)
	}
	if isKMSResource(q.Resource) {
		in.Resource = delegateTo(q.Role.Account)
	}
	req := &policy.Request{Principal: q.Role.ARN, Action: q.Action, Resource: q.Resource, ResourceAccount: q.Role.Account, Context: policy.NewContext(q.Context)}
	return sideOf(policy.Evaluate(in, req))
}

// ResourceSide decides the question on the resource's own policy alone, as
// if the role's identity policies allowed everything: across accounts, and
// for KMS keys, the resource policy must allow the role too. When the
// resource's owner is unknown it is decided as if another account owned
// it, the stricter case; a lack is then unknown, as the grant may not be
// needed.
func (q *Question) ResourceSide() Side {
	return q.resourceSide([]*policy.Document{allowAll})
}

// ResourceAlone reports whether the resource's own policy allows the
// question with no identity policy at all: a bucket or key policy of the
// role's account that names the role, which then needs no grant of its
// own for it.
func (q *Question) ResourceAlone() bool {
	return q.resourceSide(nil) == SideAllows
}

func (q *Question) resourceSide(identity []*policy.Document) Side {
	in := &policy.Input{Identity: identity}
	if p := q.ResourcePolicy; p != nil {
		if p.Unknown() {
			return SideUnknown
		}
		in.Resource = p.Doc
	}
	account := q.ResourceAccount.Value
	if !q.ResourceAccount.IsKnown() {
		account = otherAccount(q.Role.Account)
	}
	req := &policy.Request{Principal: q.Role.ARN, Action: q.Action, Resource: q.Resource, ResourceAccount: account, Context: policy.NewContext(q.Context)}
	side := sideOf(policy.Evaluate(in, req))
	if side == SideLacks && !q.ResourceAccount.IsKnown() {
		return SideUnknown
	}
	return side
}

// otherAccount is an account ID that is not account.
func otherAccount(account string) string {
	if account == "000000000000" {
		return "000000000001"
	}
	return "000000000000"
}

func sideOf(r policy.Result) Side {
	switch r.Decision {
	case policy.Allowed:
		return SideAllows
	case policy.ExplicitDeny:
		return SideDenies
	}
	return SideLacks
}

// grantFix says which statements to add, and where, so that the question
// is allowed: the role's policy when its identity policies lack the
// permission, and the bucket or key policy when it lacks a grant the
// request needs (across accounts, or a key policy that does not delegate
// to IAM).
func (q *Question) grantFix() string {
	var fixes []string
	if q.IdentitySide() != SideAllows {
		fixes = append(fixes, q.putRolePolicy())
	}
	if q.ResourceSide() == SideLacks {
		where := "the bucket policy of " + bucketOf(q.Resource)
		if isKMSResource(q.Resource) {
			where = "the key policy of " + q.Resource
		}
		fixes = append(fixes, "add this statement to "+where+": "+compactJSON(q.ResourceStatement()))
	}
	if len(fixes) == 0 {
		// A recorded simulator decision denies what the local engine
		// allows: the identity side is the simulator's.
		fixes = append(fixes, q.putRolePolicy())
	}
	return strings.Join(fixes, "; ")
}

// putRolePolicy is the command that adds the identity statement to the
// role as an inline policy.
func (q *Question) putRolePolicy() string {
	doc := compactJSON(NewIAMPolicy(q.IdentityStatement()))
	return "aws iam put-role-policy --role-name " + roleName(q.Role.ARN) + " --policy-name replcheck-" + strings.ReplaceAll(q.Action, ":", "-") +
		" --policy-document " + ShellQuote(doc)
}

// ShellQuote quotes s for a POSIX shell.
func ShellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
