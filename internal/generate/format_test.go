package generate

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/replcheck/replcheck/checks"
	"github.com/replcheck/replcheck/internal/snapshot"
)

// formatCases are fixtures whose policies cover every kind of output: a
// new role, one that exists with policies to replace, a cross-account
// bucket policy added to and one created, key policy statements, a Batch
// job role of its own and one shared, and a proof.
var formatCases = []string{
	"base/same-account.json",
	"aws-docs-variants/cross-account-bucket-policy-without-replicate-object.json",
	"DstPutObjNotPermitted/cross-account-no-bucket-policy.json",
	"aws-docs-variants/kms-cross-account-key-not-shared.json",
	"aws-docs/batch-generated-manifest.json",
	"aws-docs/batch-one-role-for-both.json",
	"AssumeRoleNotPermitted/role-deleted.json",
	"DstPutObjNotPermitted/dst-policy-unreadable.json",
}

// allPolicies generates and proves the policies of the format cases.
func allPolicies(t *testing.T) []*Policies {
	t.Helper()
	var all []*Policies
	for _, f := range formatCases {
		p, snap := gen(t, f, Options{}, nil)
		proof, err := Verify(snap, p, checks.Options{Batch: p.BatchRole != ""})
		if err != nil {
			t.Fatal(err)
		}
		p.Verification = proof
		all = append(all, p)
	}
	return all
}

// The terraform output parses as HCL and is formatted as 'terraform fmt'
// formats it, without Terraform.
func TestTerraformSyntax(t *testing.T) {
	var out bytes.Buffer
	if err := Write(&out, "terraform", allPolicies(t)); err != nil {
		t.Fatal(err)
	}
	f, diags := hclsyntax.ParseConfig(out.Bytes(), "policies.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("the terraform output does not parse: %s\n%s", diags.Error(), out.String())
	}
	if got := hclwrite.Format(out.Bytes()); !bytes.Equal(got, out.Bytes()) {
		t.Errorf("the terraform output is not formatted as terraform fmt would")
	}
	counts := map[string]int{}
	for _, b := range f.Body.(*hclsyntax.Body).Blocks {
		counts[b.Type+"."+b.Labels[0]]++
	}
	for _, want := range []string{"resource.aws_iam_role", "resource.aws_iam_role_policy", "resource.aws_s3_bucket_policy", "data.aws_iam_policy_document", "data.aws_s3_bucket_policy"} {
		if counts[want] == 0 {
			t.Errorf("no %s block in the output", want)
		}
	}
	for _, want := range []string{
		`identifiers = [aws_iam_role.replication_2.arn]`,
		`provider = aws.account_222222222222`,
		`source_policy_documents = [data.aws_s3_bucket_policy.dst_bucket.policy]`,
		`variable = "kms:EncryptionContext:aws:s3:arn"`,
		`test     = "ArnLike"`,
		`# replcheck --verify: verified`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the output lacks %q", want)
		}
	}
}

// With Terraform installed, 'terraform fmt -check' passes on the output,
// and 'terraform validate' with the hashicorp/aws provider when its
// plugins are mirrored on the machine (no network is needed).
func TestTerraformFmtAndValidate(t *testing.T) {
	tf := "/usr/local/bin/terraform"
	if _, err := os.Stat(tf); err != nil {
		t.Skipf("skipping: %s is not installed", tf)
	}
	dir := t.TempDir()
	var out bytes.Buffer
	if err := Write(&out, "terraform", allPolicies(t)); err != nil {
		t.Fatal(err)
	}
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("policies.tf", out.String())
	write("terraformrc", "")
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(tf, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+filepath.Join(dir, "terraformrc"), "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("terraform %s: %v\n%s", strings.Join(args, " "), err, b)
		}
	}
	run("fmt", "-check", "-diff", "policies.tf")
	plugins := "/opt/tf-plugins"
	if _, err := os.Stat(plugins); err != nil {
		t.Logf("no provider plugins at %s: terraform validate skipped", plugins)
		return
	}
	write("providers.tf", `terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

provider "aws" {
  region = "us-east-1"
}

provider "aws" {
  alias  = "account_222222222222"
  region = "us-west-2"
}
`)
	run("init", "-backend=false", "-input=false", "-plugin-dir="+plugins)
	run("validate", "-no-color")
}

func TestHCLStringKeepsPolicyVariablesLiteral(t *testing.T) {
	for in, want := range map[string]string{
		`arn:aws:s3:::b/${aws:username}/*`: `"arn:aws:s3:::b/$${aws:username}/*"`,
		`100%{x}`:                          `"100%%{x}"`,
		`say "hi"\`:                        `"say \"hi\"\\"`,
		"a\nb":                             `"a\nb"`,
		`$5 and %d`:                        `"$5 and %d"`,
	} {
		if got := hclString(in); got != want {
			t.Errorf("hclString(%q) = %s, want %s", in, got, want)
		}
		src := "x = " + hclString(in) + "\n"
		f, diags := hclsyntax.ParseConfig([]byte(src), "x.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", src, diags.Error())
		}
		v, diags := f.Body.(*hclsyntax.Body).Attributes["x"].Expr.Value(nil)
		if diags.HasErrors() || v.AsString() != in {
			t.Errorf("%s evaluates to %#v (%s), want %q", src, v, diags.Error(), in)
		}
	}
}

// The cli output is aws commands and comments only, their policy
// arguments are the generated policies, and a bucket's policy of today is
// kept in the policy put.
func TestCLICommands(t *testing.T) {
	all := allPolicies(t)
	var out bytes.Buffer
	if err := Write(&out, "cli", all); err != nil {
		t.Fatal(err)
	}
	cmds := shellCommands(t, out.String())
	seen := map[string]bool{}
	for _, c := range cmds {
		if c[0] != "aws" {
			t.Errorf("not an aws command: %q", c)
			continue
		}
		seen[c[1]+" "+c[2]] = true
		for i, arg := range c {
			if strings.HasPrefix(arg, "{") && !json.Valid([]byte(arg)) {
				t.Errorf("%s %s: argument %d is not JSON: %s", c[1], c[2], i, arg)
			}
		}
	}
	for _, want := range []string{"iam create-role", "iam update-assume-role-policy", "iam put-role-policy", "iam delete-role-policy", "s3api put-bucket-policy", "kms put-key-policy"} {
		if !seen[want] {
			t.Errorf("no aws %s command", want)
		}
	}
	// The bucket policy put for the second case is its policy of today
	// plus the statement to add.
	var b bytes.Buffer
	if err := Write(&b, "cli", all[1:2]); err != nil {
		t.Fatal(err)
	}
	for _, c := range shellCommands(t, b.String()) {
		if c[2] != "put-bucket-policy" {
			continue
		}
		var doc struct{ Statement []map[string]any }
		if err := json.Unmarshal([]byte(c[len(c)-1]), &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Statement) < 2 || doc.Statement[len(doc.Statement)-1]["Sid"] != all[1].DestinationBucketPolicies[0].Statements[0].Sid {
			t.Errorf("put-bucket-policy does not keep the policy of today and add the statement: %+v", doc.Statement)
		}
	}
	if all[7].DestinationBucketPolicies[0].ExistingPolicy != snapshot.Unknown || !strings.Contains(out.String(), "--policy file://policy.json") {
		t.Error("an unread bucket policy must be put from a file the user completes")
	}
}

// shellCommands splits the cli output into commands and their arguments,
// undoing the single quotes of checks.ShellQuote.
func shellCommands(t *testing.T, script string) [][]string {
	t.Helper()
	var cmds [][]string
	var args []string
	var word strings.Builder
	inWord, quoted := false, false
	for i := 0; i < len(script); i++ {
		c := script[i]
		switch {
		case quoted && c == '\'':
			quoted = false
		case quoted:
			word.WriteByte(c)
		case c == '\'':
			quoted, inWord = true, true
		case c == '#' && !inWord && len(args) == 0:
			for i < len(script) && script[i] != '\n' {
				i++
			}
		case c == ' ' || c == '\n':
			if inWord {
				args, inWord = append(args, word.String()), false
				word.Reset()
			}
			if c == '\n' && len(args) > 0 {
				cmds, args = append(cmds, args), nil
			}
		default:
			word.WriteByte(c)
			inWord = true
		}
	}
	if quoted {
		t.Fatal("an unterminated quote in the cli output")
	}
	return cmds
}
