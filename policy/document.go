package policy

// Effect is a statement's Effect element.
type Effect uint8

// Statement effects. Effect values are case-sensitive in IAM.
const (
	Allow Effect = iota + 1
	Deny
)

// String returns "Allow" or "Deny".
func (e Effect) String() string {
	switch e {
	case Allow:
		return "Allow"
	case Deny:
		return "Deny"
	}
	return "Effect(0)"
}

// MarshalText encodes the effect as its String form.
func (e Effect) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// Policy language versions.
const (
	Version2012 = "2012-10-17"
	Version2008 = "2008-10-17"
)

// Document is a parsed, ready-to-evaluate policy document. It is immutable
// and safe for concurrent use.
type Document struct {
	// Version is the Version element, or "" when absent. Policy variables
	// are substituted only under 2012-10-17.
	Version string
	// ID is the Id element.
	ID string
	// Statements in document order.
	Statements []Statement
}

// Statement is one parsed statement.
type Statement struct {
	// Sid is the statement's Sid, or "".
	Sid string
	// Effect is Allow or Deny.
	Effect Effect

	notAction    bool
	actions      []pattern
	hasResource  bool
	notResource  bool
	resources    []pattern
	principals   *principalSet // nil when the statement has neither Principal nor NotPrincipal
	notPrincipal bool
	conditions   []condition
}

// HasPrincipal reports whether the statement has a Principal or NotPrincipal
// element, which only resource-based policies may have.
func (s *Statement) HasPrincipal() bool { return s.principals != nil }

// AWSPrincipals returns the "AWS" principals that the document's Principal
// and NotPrincipal elements name, in document order, without duplicates.
func (d *Document) AWSPrincipals() []string {
	var out []string
	seen := map[string]bool{}
	for i := range d.Statements {
		ps := d.Statements[i].principals
		if ps == nil {
			continue
		}
		for _, p := range ps.aws {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	return out
}
