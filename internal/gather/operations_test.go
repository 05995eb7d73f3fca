package gather

import (
	"context"
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/iam"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/organizations"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/sts"

	"github.com/replcheck/replcheck/policy"
)

// readerPermissions maps every operation replcheck calls on the user's
// resources to the IAM actions it needs (several when the action depends
// on whether a version ID is given). It is what the README's reader policy
// must grant, and what TestOperationsLeavingTheProcess finds in the code.
var readerPermissions = map[string][]string{
	"s3:ListBuckets":                      {"s3:ListAllMyBuckets"},
	"s3:HeadBucket":                       {"s3:ListBucket"},
	"s3:GetBucketReplication":             {"s3:GetReplicationConfiguration"},
	"s3:GetBucketVersioning":              {"s3:GetBucketVersioning"},
	"s3:GetObjectLockConfiguration":       {"s3:GetBucketObjectLockConfiguration"},
	"s3:GetBucketEncryption":              {"s3:GetEncryptionConfiguration"},
	"s3:GetBucketPolicy":                  {"s3:GetBucketPolicy"},
	"s3:GetBucketOwnershipControls":       {"s3:GetBucketOwnershipControls"},
	"s3:GetBucketRequestPayment":          {"s3:GetBucketRequestPayment"},
	"s3:GetBucketLifecycleConfiguration":  {"s3:GetLifecycleConfiguration"},
	"s3:ListObjectVersions":               {"s3:ListBucketVersions"},
	"s3:HeadObject":                       {"s3:GetObject", "s3:GetObjectVersion"},
	"s3:GetObjectTagging":                 {"s3:GetObjectTagging", "s3:GetObjectVersionTagging"},
	"s3:GetBucketAcl":                     {"s3:GetBucketAcl"},
	"s3:GetObjectAcl":                     {"s3:GetObjectAcl", "s3:GetObjectVersionAcl"},
	"iam:GetRole":                         {"iam:GetRole"},
	"iam:ListRolePolicies":                {"iam:ListRolePolicies"},
	"iam:GetRolePolicy":                   {"iam:GetRolePolicy"},
	"iam:ListAttachedRolePolicies":        {"iam:ListAttachedRolePolicies"},
	"iam:GetPolicy":                       {"iam:GetPolicy"},
	"iam:GetPolicyVersion":                {"iam:GetPolicyVersion"},
	"iam:SimulatePrincipalPolicy":         {"iam:SimulatePrincipalPolicy"},
	"kms:DescribeKey":                     {"kms:DescribeKey"},
	"kms:GetKeyPolicy":                    {"kms:GetKeyPolicy"},
	"organizations:DescribeOrganization":  {"organizations:DescribeOrganization"},
	"organizations:ListParents":           {"organizations:ListParents"},
	"organizations:ListPoliciesForTarget": {"organizations:ListPoliciesForTarget"},
	"organizations:DescribePolicy":        {"organizations:DescribePolicy"},
	"organizations:ListAccounts":          {"organizations:ListAccounts"}, // audit --organization
	"sts:GetCallerIdentity":               nil,                            // needs no permission
	"sts:AssumeRole":                      {"sts:AssumeRole"},             // --destination-role and audit --assume-role-name, on the reader role
}

// TestOperationsLeavingTheProcess lists every operation that may leave the
// process. replcheck's own calls are found in the package's source (every
// operation input, paginator and assume-role provider it names, and every
// client method it calls): each passes ReadOnly, and together they are
// exactly readerPermissions' keys. The only other operations are those of
// the SDK's credential providers, which the credential guard limits to
// CredentialOperations: none of them passes ReadOnly except sts:AssumeRole
// (a profile's role_arn), and none changes a resource.
func TestOperationsLeavingTheProcess(t *testing.T) {
	found, methods := sourceOperations(t)
	for _, op := range slices.Sorted(maps.Keys(found)) {
		if !ReadOnly(op) {
			t.Errorf("%s (%s) is called but ReadOnly refuses it", op, found[op])
		}
	}
	if got, want := slices.Sorted(maps.Keys(found)), slices.Sorted(maps.Keys(readerPermissions)); !slices.Equal(got, want) {
		t.Errorf("operations in the source:\n got %q\nwant %q (readerPermissions and the README's reader policy list them)", got, want)
	}
	// A client method called without its input type named (a nil input)
	// would escape the list above.
	for name, where := range methods {
		if !slices.ContainsFunc(slices.Collect(maps.Keys(found)), func(op string) bool { return strings.HasSuffix(op, ":"+name) }) {
			t.Errorf("%s calls client method %s, which no operation input in the source names", where, name)
		}
	}

	for _, op := range CredentialOperations() {
		if ReadOnly(op) && op != "sts:AssumeRole" {
			t.Errorf("credential operation %s also passes ReadOnly", op)
		}
	}
	if got, want := len(CredentialOperations()), 8; got != want {
		t.Errorf("%d credential operations, want %d: review the new one, then update this test and the README", got, want)
	}
}

// sourceOperations parses the package's non-test files and returns the
// AWS operations they name (op → file:line of one place) and the client
// methods they call (name → file:line). It also checks that only
// clients.go builds service clients or loads configuration, where the
// guards are attached.
func sourceOperations(t *testing.T) (map[string]string, map[string]string) {
	t.Helper()
	clientOps := map[string]bool{}
	for _, c := range []any{&s3.Client{}, &iam.Client{}, &kms.Client{}, &organizations.Client{}, &sts.Client{}} {
		typ := reflect.TypeOf(c)
		ctxType := reflect.TypeOf((*context.Context)(nil)).Elem()
		for i := range typ.NumMethod() {
			m := typ.Method(i).Type // receiver first
			if m.NumIn() >= 3 && m.In(1) == ctxType && m.In(2).Kind() == reflect.Pointer && m.In(2).Elem().Name() == typ.Method(i).Name+"Input" {
				clientOps[typ.Method(i).Name] = true
			}
		}
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	found, methods := map[string]string{}, map[string]string{}
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		services := map[string]string{} // import name → service
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			svc, ok := strings.CutPrefix(path, "github.com/aws/aws-sdk-go-v2/service/")
			switch {
			case ok && !strings.Contains(svc, "/"):
			case path == "github.com/aws/aws-sdk-go-v2/credentials/stscreds":
				svc = "stscreds"
			case path == "github.com/aws/aws-sdk-go-v2/config":
				svc = "config"
			default:
				continue
			}
			name := filepath.Base(path)
			if imp.Name != nil {
				name = imp.Name.Name
			}
			services[name] = svc
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				return false
			}
			where := fset.Position(n.Pos()).String()
			switch n := n.(type) {
			case *ast.SelectorExpr:
				pkg, ok := n.X.(*ast.Ident)
				svc := services[pkgName(pkg, ok)]
				name := n.Sel.Name
				switch {
				case svc == "":
				case svc == "stscreds" && name == "NewAssumeRoleProvider":
					found["sts:AssumeRole"] = where
				case svc == "stscreds" || svc == "config":
					if name == "NewWebIdentityRoleProvider" || (svc == "config" && name == "LoadDefaultConfig" && file != "clients.go") {
						t.Errorf("%s: %s.%s outside clients.go", where, svc, name)
					}
				case strings.HasSuffix(name, "Input"):
					found[svc+":"+strings.TrimSuffix(name, "Input")] = where
				case strings.HasPrefix(name, "New") && strings.HasSuffix(name, "Paginator"):
					found[svc+":"+strings.TrimSuffix(strings.TrimPrefix(name, "New"), "Paginator")] = where
				case (name == "NewFromConfig" || name == "New") && file != "clients.go":
					t.Errorf("%s: %s.%s builds a client outside clients.go, where the guards are attached", where, svc, name)
				}
			case *ast.CallExpr:
				if sel, ok := n.Fun.(*ast.SelectorExpr); ok && clientOps[sel.Sel.Name] {
					if pkg, ok := sel.X.(*ast.Ident); !ok || services[pkg.Name] == "" {
						methods[sel.Sel.Name] = where
					}
				}
			}
			return true
		})
	}
	if len(found) == 0 {
		t.Fatal("no operations found in the source: the parser is looking in the wrong place")
	}
	return found, methods
}

func pkgName(id *ast.Ident, ok bool) string {
	if !ok {
		return ""
	}
	return id.Name
}

// TestOnlyGatherImportsServices: no other package of the module imports
// an AWS service client, so gather's list is the whole list.
func TestOnlyGatherImportsServices(t *testing.T) {
	root := filepath.Join("..", "..")
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if strings.HasPrefix(p, "github.com/aws/aws-sdk-go-v2/service/") && filepath.Dir(path) != filepath.Join(root, "internal", "gather") {
				t.Errorf("%s imports %s: only internal/gather may call AWS", path, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestReaderPolicyInREADME: the README's reader policy parses, and grants
// exactly the actions of readerPermissions, the optional ones (the
// simulator, Organizations, the destination role) in statements whose Sid
// says Optional and the others in statements that do not.
func TestReaderPolicyInREADME(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, rest, ok := strings.Cut(string(data), "#### Reader policy")
	_, rest, ok2 := strings.Cut(rest, "```json\n")
	doc, _, ok3 := strings.Cut(rest, "```")
	if !ok || !ok2 || !ok3 {
		t.Fatal("README.md has no JSON block under '#### Reader policy'")
	}
	if _, err := policy.Parse([]byte(doc)); err != nil {
		t.Fatalf("the reader policy does not parse: %v", err)
	}
	var p struct {
		Statement []struct {
			Sid    string
			Effect string
			Action any
		}
	}
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		t.Fatal(err)
	}
	granted := map[string]bool{} // action → in an optional statement
	for _, st := range p.Statement {
		if st.Effect != "Allow" {
			t.Errorf("statement %s: effect %s", st.Sid, st.Effect)
		}
		var actions []string
		switch a := st.Action.(type) {
		case string:
			actions = []string{a}
		case []any:
			for _, x := range a {
				actions = append(actions, x.(string))
			}
		}
		for _, a := range actions {
			if _, dup := granted[a]; dup {
				t.Errorf("%s is granted twice", a)
			}
			granted[a] = strings.HasPrefix(st.Sid, "Optional")
		}
	}
	want := map[string]bool{}
	for op, actions := range readerPermissions {
		for _, a := range actions {
			want[a] = optionalOperation(op) || op == "sts:AssumeRole"
		}
	}
	if !maps.Equal(granted, want) {
		t.Errorf("the README's reader policy grants (action → optional)\n%v\nwant\n%v", granted, want)
	}
}
