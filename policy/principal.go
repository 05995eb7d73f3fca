package policy

import "strings"

// principalSet is a parsed Principal or NotPrincipal element.
type principalSet struct {
	everyone  bool // "*" or {"AWS": "*"}
	aws       []string
	service   []string
	federated []string
	canonical []string
}

// callerKind is the kind of principal making a request.
type callerKind uint8

const (
	callerOther   callerKind = iota
	callerRole               // a session of an IAM role, named by the role ARN
	callerSession            // an assumed-role session ARN
	callerUser               // an IAM user
	callerRoot               // an account root user
	callerService            // an AWS service principal, e.g. s3.amazonaws.com
)

// caller describes Request.Principal. It is computed by slicing strings,
// without allocating.
type caller struct {
	kind      callerKind
	arn       string // Request.Principal as given
	partition string
	account   string
	roleName  string // roles and sessions: the role's name, without its path
}

func parseCaller(principal, account string) caller {
	c := caller{arn: principal, account: account}
	a, ok := splitARN(principal)
	if !ok {
		if strings.HasSuffix(principal, ".amazonaws.com") || strings.HasSuffix(principal, ".amazonaws.com.cn") {
			c.kind = callerService
		}
		return c
	}
	c.partition = a.partition
	if c.account == "" {
		c.account = a.account
	}
	switch {
	case a.service == "iam" && strings.HasPrefix(a.resource, "role/"):
		c.kind = callerRole
		c.roleName = a.resource[strings.LastIndexByte(a.resource, '/')+1:]
	case a.service == "sts" && strings.HasPrefix(a.resource, "assumed-role/"):
		c.kind = callerSession
		name := a.resource[len("assumed-role/"):]
		if i := strings.IndexByte(name, '/'); i >= 0 {
			name = name[:i]
		}
		c.roleName = name
	case a.service == "iam" && strings.HasPrefix(a.resource, "user/"):
		c.kind = callerUser
	case a.service == "iam" && a.resource == "root":
		c.kind = callerRoot
	}
	return c
}

// iamPrincipal reports whether the caller is an IAM identity of an account,
// to which identity policies, boundaries and SCPs apply.
func (c *caller) iamPrincipal() bool {
	return c.kind == callerRole || c.kind == callerSession || c.kind == callerUser || c.kind == callerRoot
}

// grantForm is what a resource-policy grant is worth in the principal's own
// account, by the principal form that matched (reference_policies_evaluation-
// logic.html, "Resource-based policies and implicit denies in other policy
// types"). Larger is stronger.
type grantForm uint8

const (
	formNone grantForm = iota
	// formAccount delegates to the account: the identity side must allow.
	formAccount
	// formRole names the role ARN: it grants without an identity policy but
	// is capped by the permissions boundary and session policy.
	formRole
	// formDirect names the session, the user, a service, or "*": it grants on
	// its own.
	formDirect
)

// match reports how a Principal element matches the caller, given the
// request (for aws:PrincipalArn of sessions).
func (ps *principalSet) match(c *caller, principalArn string) grantForm {
	if ps.everyone {
		return formDirect
	}
	best := formNone
	for _, p := range ps.aws {
		if f := matchAWSPrincipal(p, c, principalArn); f > best {
			best = f
		}
	}
	if c.kind == callerService {
		for _, s := range ps.service {
			if strings.EqualFold(s, c.arn) {
				return formDirect
			}
		}
	}
	if c.kind == callerOther {
		for _, p := range ps.federated {
			if p == c.arn {
				return formDirect
			}
		}
		for _, p := range ps.canonical {
			if p == c.arn {
				return formDirect
			}
		}
	}
	return best
}

// matchAWSPrincipal matches one "AWS" principal entry. Principals take no
// wildcards but "*", and unique IDs (AROA…, AIDA…), which IAM shows after a
// named role or user was deleted, match nobody.
func matchAWSPrincipal(p string, c *caller, principalArn string) grantForm {
	if p == "*" {
		return formDirect
	}
	if !c.iamPrincipal() {
		return formNone
	}
	if isAccountID(p) {
		if p == c.account {
			return formAccount
		}
		return formNone
	}
	a, ok := splitARN(p)
	if !ok || a.account != c.account {
		return formNone
	}
	switch {
	case a.service == "iam" && a.resource == "root":
		return formAccount
	case p == c.arn && c.kind == callerRole:
		return formRole
	case p == c.arn:
		return formDirect
	case c.kind == callerSession && a.service == "iam" && strings.HasPrefix(a.resource, "role/"):
		// A session of the role: the role ARN is aws:PrincipalArn when the
		// request gives it, else the role's name decides (a session ARN
		// carries no role path).
		if principalArn != "" {
			if p == principalArn {
				return formRole
			}
			return formNone
		}
		if a.resource[strings.LastIndexByte(a.resource, '/')+1:] == c.roleName {
			return formRole
		}
	}
	return formNone
}

// listsCaller implements NotPrincipal: a caller is excluded only when every
// identity IAM may check is listed: the account, and for role sessions also
// the role ARN and the session ARN ("AWS might validate the account first,
// then the role, and then the assumed-role user"). A caller named by role
// ARN has an unknown session name, so it is never fully listed.
func (ps *principalSet) listsCaller(c *caller, principalArn string) bool {
	if ps.everyone {
		return true
	}
	if c.kind == callerService || c.kind == callerOther {
		return ps.match(c, principalArn) != formNone
	}
	var account, role, self bool
	for _, p := range ps.aws {
		switch matchAWSPrincipal(p, c, principalArn) {
		case formAccount:
			account = true
		case formRole:
			role = true
		case formDirect:
			self = true
		}
	}
	switch c.kind {
	case callerRole:
		return false
	case callerSession:
		return account && role && self
	case callerRoot:
		return account
	default:
		return account && self
	}
}

// arn holds the fields of an ARN; resource keeps any further colons.
type arn struct {
	partition, service, region, account, resource string
}

// splitARN splits "arn:partition:service:region:account:resource" without
// allocating.
func splitARN(s string) (arn, bool) {
	if !strings.HasPrefix(s, "arn:") {
		return arn{}, false
	}
	var f [5]string
	rest := s[len("arn:"):]
	for i := 0; i < 4; i++ {
		j := strings.IndexByte(rest, ':')
		if j < 0 {
			return arn{}, false
		}
		f[i], rest = rest[:j], rest[j+1:]
	}
	f[4] = rest
	return arn{partition: f[0], service: f[1], region: f[2], account: f[3], resource: f[4]}, true
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
