package generate

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/arn"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// writeCLI writes the aws CLI commands that would apply the policies, for
// review: replcheck never runs them. Bucket and key policies are put
// whole, so each command holds the policy of today with the statements
// added.
func writeCLI(w io.Writer, all []*Policies) {
	for i, p := range all {
		if i > 0 {
			fmt.Fprintln(w)
		}
		writeCLIOne(w, p)
	}
}

func writeCLIOne(w io.Writer, p *Policies) {
	comment(w, "replcheck policy generate: aws CLI commands that apply the least-privilege policies for the replication of "+p.Source+".",
		"For review: replcheck never runs them. Run each section with credentials for the account it names.")
	for _, n := range p.Notes {
		comment(w, "note: "+n)
	}
	comment(w, proofLines(p.Verification)...)
	roleCommands(w, p, p.Role, p.RoleTrustPolicy, rolePolicyName, p.RolePolicy)
	if p.BatchRole == p.Role {
		putRolePolicy(w, p.Role, batchPolicyName, p.BatchRolePolicy)
	} else if p.BatchRole != "" {
		roleCommands(w, p, p.BatchRole, p.BatchRoleTrustPolicy, batchPolicyName, p.BatchRolePolicy)
	}
	for _, rs := range p.resourceStatements() {
		resourceCommand(w, p, rs)
	}
}

// roleCommands create or update a role's trust policy, put its identity
// policy, and remove the identity policies it replaces.
func roleCommands(w io.Writer, p *Policies, roleARN string, trust *checks.IAMPolicy, policyName string, doc *checks.IAMPolicy) {
	name, path := roleNameAndPath(roleARN)
	st := p.roles[roleARN]
	fmt.Fprintln(w)
	comment(w, "Account "+arn.Account(roleARN)+": the role "+roleARN)
	switch {
	case trust == nil:
	case st.exists.IsKnown() && !st.exists.Value:
		fmt.Fprintf(w, "aws iam create-role --role-name %s --path %s --assume-role-policy-document %s\n", checks.ShellQuote(name), checks.ShellQuote(path), quoted(trust))
	default:
		fmt.Fprintf(w, "aws iam update-assume-role-policy --role-name %s --policy-document %s\n", checks.ShellQuote(name), quoted(trust))
	}
	putRolePolicy(w, roleARN, policyName, doc)
	if len(st.inline)+len(st.managed) > 0 {
		comment(w, "the policy above replaces the role's other identity policies:")
	}
	for _, n := range st.inline {
		if n != policyName {
			fmt.Fprintf(w, "aws iam delete-role-policy --role-name %s --policy-name %s\n", checks.ShellQuote(name), checks.ShellQuote(n))
		}
	}
	for _, m := range st.managed {
		fmt.Fprintf(w, "aws iam detach-role-policy --role-name %s --policy-arn %s\n", checks.ShellQuote(name), checks.ShellQuote(m))
	}
}

// putRolePolicy puts an inline policy on a role.
func putRolePolicy(w io.Writer, roleARN, policyName string, doc *checks.IAMPolicy) {
	if doc == nil || len(doc.Statement) == 0 {
		return
	}
	name, _ := roleNameAndPath(roleARN)
	fmt.Fprintf(w, "aws iam put-role-policy --role-name %s --policy-name %s --policy-document %s\n", checks.ShellQuote(name), checks.ShellQuote(policyName), quoted(doc))
}

// resourceCommand puts a bucket's or key's policy with the statements
// added to the one of today.
func resourceCommand(w io.Writer, p *Policies, rs *ResourceStatements) {
	fmt.Fprintln(w)
	account := rs.Account
	if account == "" {
		account = "(unknown)"
	}
	what := "bucket " + rs.Bucket
	if rs.Key != "" {
		what = "KMS key " + rs.Key
	}
	var doc []byte
	switch rs.ExistingPolicy {
	case snapshot.Known:
		merged, err := withStatements(p.existing[rs.target()].Value, rs.Statements)
		if err != nil {
			comment(w, "Account "+account+": "+what+": its policy of today does not parse ("+err.Error()+"): add these statements to it by hand:")
			comment(w, indent(rs.Statements))
			return
		}
		doc = reindent(merged)
		comment(w, "Account "+account+": "+what+": its policy of today plus "+plural(len(rs.Statements), "statement"))
	case snapshot.Absent:
		doc = indentJSON(checks.NewIAMPolicy(rs.Statements...))
		comment(w, "Account "+account+": "+what+": a new policy of "+plural(len(rs.Statements), "statement"))
	default:
		comment(w, "Account "+account+": "+what+": its policy of today could not be read; add these statements to it, then put it from a file:")
		comment(w, indent(rs.Statements))
		doc = nil
	}
	policyArg := "file://policy.json"
	if doc != nil {
		policyArg = checks.ShellQuote(string(doc))
	}
	if rs.Key != "" {
		a, _ := arn.Parse(rs.Key)
		fmt.Fprintf(w, "aws kms put-key-policy --region %s --key-id %s --policy-name default --policy %s\n", a.Region, checks.ShellQuote(rs.Key), policyArg)
		return
	}
	bucket, _ := snapshot.BucketFromARN(rs.Bucket)
	fmt.Fprintf(w, "aws s3api put-bucket-policy --bucket %s --policy %s\n", checks.ShellQuote(bucket), policyArg)
}

// quoted is a policy as an indented, shell-quoted JSON argument.
func quoted(doc *checks.IAMPolicy) string { return checks.ShellQuote(string(indentJSON(doc))) }

// indentJSON renders v as indented JSON.
func indentJSON(v any) []byte {
	b, _ := json.MarshalIndent(v, "", "  ") // policies always marshal
	return b
}

// indent renders statements as indented JSON.
func indent(stmts []checks.Statement) string { return string(indentJSON(stmts)) }

// reindent indents JSON that is valid (it was just marshaled).
func reindent(data []byte) []byte {
	var v any
	if json.Unmarshal(data, &v) != nil {
		return data
	}
	return indentJSON(v)
}
