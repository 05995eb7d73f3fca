package generate

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/arn"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// writeTerraform writes the policies as Terraform configuration for the
// hashicorp/aws provider: aws_iam_role and aws_iam_role_policy for each
// role, aws_s3_bucket_policy for each bucket (its policy today merged in
// with source_policy_documents), and a data.aws_iam_policy_document for
// each policy, key policies included, formatted as 'terraform fmt' does.
func writeTerraform(w io.Writer, all []*Policies) {
	var buf bytes.Buffer
	t := &tfWriter{w: &buf, used: map[string]bool{}}
	for i, p := range all {
		if i > 0 {
			buf.WriteString("\n")
		}
		t.p, t.role = p, map[string]string{}
		t.write()
	}
	src := bytes.ReplaceAll(buf.Bytes(), []byte("{\n\n"), []byte("{\n"))
	w.Write(hclwrite.Format(src)) //nolint:errcheck // a bytes.Buffer
}

// tfWriter writes each source bucket's policies in turn.
type tfWriter struct {
	w    io.Writer
	p    *Policies
	used map[string]bool // "TYPE.NAME" taken, in the whole file
	// role maps a role ARN to its aws_iam_role resource.
	role map[string]string
}

func (t *tfWriter) write() {
	p := t.p
	home := arn.Account(p.Role)
	comment(t.w, "replcheck policy generate: the least-privilege policies for the replication of "+p.Source+".",
		"The role policies replace the roles' policies; bucket policies keep their statements of today (source_policy_documents).")
	if others := t.otherAccounts(home); len(others) > 0 {
		comment(t.w, "Resources of other accounts name the provider aws.account_ACCOUNT: configure one for each of "+strings.Join(others, ", ")+
			" with that account's credentials, and pass it to this module (configuration_aliases).")
	}
	for _, n := range p.Notes {
		comment(t.w, "note: "+n)
	}
	comment(t.w, proofLines(p.Verification)...)
	t.roleBlocks(p.Role, "replication", p.RoleTrustPolicy, rolePolicyName, p.RolePolicy)
	if p.BatchRole != "" {
		if p.BatchRole == p.Role {
			t.rolePolicyBlocks("batch_replication", t.role[p.Role], batchPolicyName, p.BatchRolePolicy)
		} else {
			t.roleBlocks(p.BatchRole, "batch_replication", p.BatchRoleTrustPolicy, batchPolicyName, p.BatchRolePolicy)
		}
	}
	for _, rs := range p.resourceStatements() {
		if rs.Key != "" {
			t.keyBlocks(rs, home)
		} else {
			t.bucketBlocks(rs, home)
		}
	}
}

// otherAccounts lists the accounts of bucket and key policies other than
// home.
func (t *tfWriter) otherAccounts(home string) []string {
	var out []string
	for _, rs := range t.p.resourceStatements() {
		if rs.Account != "" && rs.Account != home && !slices.Contains(out, rs.Account) {
			out = append(out, rs.Account)
		}
	}
	return out
}

// name returns a name for a resource or data source of typ, made of base
// and unique among typ's.
func (t *tfWriter) name(typ, base string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(base) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	n := strings.Trim(b.String(), "_")
	if n == "" || n[0] >= '0' && n[0] <= '9' {
		n = "r_" + n
	}
	out := n
	for i := 2; t.used[typ+"."+out]; i++ {
		out = fmt.Sprintf("%s_%d", n, i)
	}
	t.used[typ+"."+out] = true
	return out
}

// roleBlocks writes a role with its trust policy and identity policy.
func (t *tfWriter) roleBlocks(roleARN, base string, trust *checks.IAMPolicy, policyName string, doc *checks.IAMPolicy) {
	res := t.name("aws_iam_role", base)
	t.role[roleARN] = "aws_iam_role." + res
	name, path := roleNameAndPath(roleARN)
	fmt.Fprintf(t.w, "\n")
	st := t.p.roles[roleARN]
	if st.exists.IsKnown() && st.exists.Value {
		comment(t.w, "The role exists: import it first, for example with",
			"import {", "  to = aws_iam_role."+res, "  id = "+hclString(name), "}")
		for _, n := range st.inline {
			comment(t.w, "and delete its inline policy "+hclString(n)+", which these replace")
		}
		for _, n := range st.managed {
			comment(t.w, "and detach its managed policy "+n+", which these replace")
		}
	}
	trustRef := ""
	if trust != nil {
		trustRef = t.document(res+"_assume_role", trust, nil)
	}
	fmt.Fprintf(t.w, "\nresource \"aws_iam_role\" %q {\n", res)
	fmt.Fprintf(t.w, "name = %s\npath = %s\n", hclString(name), hclString(path))
	if trustRef != "" {
		fmt.Fprintf(t.w, "assume_role_policy = %s\n", trustRef)
	}
	fmt.Fprintf(t.w, "}\n")
	t.rolePolicyBlocks(res, t.role[roleARN], policyName, doc)
}

// rolePolicyBlocks writes a role's inline policy.
func (t *tfWriter) rolePolicyBlocks(base, roleRef, policyName string, doc *checks.IAMPolicy) {
	if doc == nil || len(doc.Statement) == 0 {
		return
	}
	res := t.name("aws_iam_role_policy", base)
	ref := t.document(res, doc, nil)
	fmt.Fprintf(t.w, "\nresource \"aws_iam_role_policy\" %q {\n", res)
	fmt.Fprintf(t.w, "name = %s\nrole = %s.id\npolicy = %s\n}\n", hclString(policyName), roleRef, ref)
}

// bucketBlocks writes a bucket policy: its policy today (read with the
// aws_s3_bucket_policy data source) merged with the statements to add.
func (t *tfWriter) bucketBlocks(rs *ResourceStatements, home string) {
	bucket, _ := snapshot.BucketFromARN(rs.Bucket)
	res := t.name("aws_s3_bucket_policy", bucket)
	fmt.Fprintf(t.w, "\n")
	comment(t.w, "Bucket "+bucket+t.accountNote(rs.Account, home)+": its policy of today plus "+plural(len(rs.Statements), "statement")+".")
	provider := t.provider(rs.Account, home)
	var sources []string
	switch rs.ExistingPolicy {
	case snapshot.Known:
		fmt.Fprintf(t.w, "data \"aws_s3_bucket_policy\" %q {\n%sbucket = %s\n}\n", res, provider, hclString(bucket))
		sources = append(sources, "data.aws_s3_bucket_policy."+res+".policy")
	case snapshot.Unknown:
		comment(t.w, "Its policy of today could not be read: merge it in with source_policy_documents.")
	}
	ref := t.document(res, &checks.IAMPolicy{Version: "2012-10-17", Statement: rs.Statements}, sources)
	fmt.Fprintf(t.w, "\nresource \"aws_s3_bucket_policy\" %q {\n%sbucket = %s\npolicy = %s\n}\n", res, provider, hclString(bucket), ref)
}

// keyBlocks writes the statements to add to a key policy, as a policy
// document to merge into the key's policy wherever it is managed.
func (t *tfWriter) keyBlocks(rs *ResourceStatements, home string) {
	a, _ := arn.Parse(rs.Key)
	fmt.Fprintf(t.w, "\n")
	comment(t.w, "KMS key "+rs.Key+t.accountNote(rs.Account, home)+": add these statements to its key policy, for example with",
		"source_policy_documents = [the JSON of the data source below] in the document of its aws_kms_key or aws_kms_key_policy.")
	t.document("key_"+strings.TrimPrefix(a.Resource, "key/"), &checks.IAMPolicy{Version: "2012-10-17", Statement: rs.Statements}, nil)
}

// accountNote names a resource's account when it is not home.
func (t *tfWriter) accountNote(account, home string) string {
	switch account {
	case home:
		return ""
	case "":
		return " (its account could not be read: if it is not " + home + ", add the provider of its account)"
	}
	return " (account " + account + ")"
}

// provider is the provider line for a resource of account.
func (t *tfWriter) provider(account, home string) string {
	if account == "" || account == home {
		return ""
	}
	return "provider = aws.account_" + account + "\n"
}

// document writes a data.aws_iam_policy_document and returns the
// expression of its JSON.
func (t *tfWriter) document(base string, doc *checks.IAMPolicy, sources []string) string {
	res := t.name("data.aws_iam_policy_document", base)
	fmt.Fprintf(t.w, "\ndata \"aws_iam_policy_document\" %q {\n", res)
	if len(sources) > 0 {
		fmt.Fprintf(t.w, "source_policy_documents = [%s]\n", strings.Join(sources, ", "))
	}
	for _, st := range doc.Statement {
		t.statement(st)
	}
	fmt.Fprintf(t.w, "}\n")
	return "data.aws_iam_policy_document." + res + ".json"
}

// statement writes one statement block.
func (t *tfWriter) statement(st checks.Statement) {
	fmt.Fprintf(t.w, "\nstatement {\n")
	if st.Sid != "" {
		fmt.Fprintf(t.w, "sid = %s\n", hclString(st.Sid))
	}
	fmt.Fprintf(t.w, "effect = %s\nactions = %s\n", hclString(st.Effect), hclList(st.Action))
	if len(st.Resource) > 0 {
		fmt.Fprintf(t.w, "resources = %s\n", hclList(st.Resource))
	}
	for _, typ := range slices.Sorted(maps.Keys(st.Principal)) {
		var ids []string
		for _, id := range st.Principal[typ] {
			if ref, ok := t.role[id]; ok {
				ids = append(ids, ref+".arn")
			} else {
				ids = append(ids, hclString(id))
			}
		}
		fmt.Fprintf(t.w, "\nprincipals {\ntype = %s\nidentifiers = [%s]\n}\n", hclString(typ), strings.Join(ids, ", "))
	}
	for _, op := range slices.Sorted(maps.Keys(st.Condition)) {
		for _, key := range slices.Sorted(maps.Keys(st.Condition[op])) {
			fmt.Fprintf(t.w, "\ncondition {\ntest = %s\nvariable = %s\nvalues = %s\n}\n", hclString(op), hclString(key), hclList(st.Condition[op][key]))
		}
	}
	fmt.Fprintf(t.w, "}\n")
}

// hclList renders strings as an HCL list.
func hclList(ss []string) string {
	quoted := make([]string, len(ss))
	for i, s := range ss {
		quoted[i] = hclString(s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// hclString quotes s as an HCL string literal, in which "${" and "%{"
// would start a template: IAM policy variables stay literal.
func hclString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for i, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case (r == '$' || r == '%') && strings.HasPrefix(s[i+1:], "{"):
			b.WriteRune(r)
			b.WriteRune(r)
		case r < 0x20 || r == utf8.RuneError:
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// plural renders "1 statement", "2 statements".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
