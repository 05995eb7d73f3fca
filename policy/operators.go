package policy

import "strings"

// opFamily is the positive base of a condition operator; negation, set
// qualifiers and IfExists are kept apart in operator.
type opFamily uint8

const (
	opStringEquals opFamily = iota + 1
	opStringEqualsIgnoreCase
	opStringLike
	opNumericEquals
	opNumericLessThan
	opNumericLessThanEquals
	opNumericGreaterThan
	opNumericGreaterThanEquals
	opDateEquals
	opDateLessThan
	opDateLessThanEquals
	opDateGreaterThan
	opDateGreaterThanEquals
	opBool
	opBinaryEquals
	opIPAddress
	opARNLike
	opNull
)

// setQualifier is ForAllValues, ForAnyValue or neither.
type setQualifier uint8

const (
	setNone setQualifier = iota
	setForAll
	setForAny
)

// operator is a parsed condition operator such as
// "ForAnyValue:StringNotLikeIfExists".
type operator struct {
	family   opFamily
	negated  bool
	ifExists bool
	set      setQualifier
}

// baseOperators maps each operator name (lower case, without qualifier or
// IfExists) to its family and negation, from
// reference_policies_elements_condition_operators.html.
var baseOperators = map[string]operator{
	"stringequals":              {family: opStringEquals},
	"stringnotequals":           {family: opStringEquals, negated: true},
	"stringequalsignorecase":    {family: opStringEqualsIgnoreCase},
	"stringnotequalsignorecase": {family: opStringEqualsIgnoreCase, negated: true},
	"stringlike":                {family: opStringLike},
	"stringnotlike":             {family: opStringLike, negated: true},
	"numericequals":             {family: opNumericEquals},
	"numericnotequals":          {family: opNumericEquals, negated: true},
	"numericlessthan":           {family: opNumericLessThan},
	"numericlessthanequals":     {family: opNumericLessThanEquals},
	"numericgreaterthan":        {family: opNumericGreaterThan},
	"numericgreaterthanequals":  {family: opNumericGreaterThanEquals},
	"dateequals":                {family: opDateEquals},
	"datenotequals":             {family: opDateEquals, negated: true},
	"datelessthan":              {family: opDateLessThan},
	"datelessthanequals":        {family: opDateLessThanEquals},
	"dategreaterthan":           {family: opDateGreaterThan},
	"dategreaterthanequals":     {family: opDateGreaterThanEquals},
	"bool":                      {family: opBool},
	"binaryequals":              {family: opBinaryEquals},
	"ipaddress":                 {family: opIPAddress},
	"notipaddress":              {family: opIPAddress, negated: true},
	"arnequals":                 {family: opARNLike},
	"arnlike":                   {family: opARNLike},
	"arnnotequals":              {family: opARNLike, negated: true},
	"arnnotlike":                {family: opARNLike, negated: true},
	"null":                      {family: opNull},
}

// parseOperator parses an operator name. IAM spells operators in PascalCase;
// they are matched here without regard to case.
func parseOperator(name string) (operator, bool) {
	lower := strings.ToLower(name)
	set := setNone
	switch {
	case strings.HasPrefix(lower, "forallvalues:"):
		set, lower = setForAll, lower[len("forallvalues:"):]
	case strings.HasPrefix(lower, "foranyvalue:"):
		set, lower = setForAny, lower[len("foranyvalue:"):]
	}
	ifExists := false
	if base, ok := strings.CutSuffix(lower, "ifexists"); ok {
		ifExists, lower = true, base
	}
	op, ok := baseOperators[lower]
	if !ok || (op.family == opNull && (ifExists || set != setNone)) {
		return operator{}, false
	}
	op.ifExists, op.set = ifExists, set
	return op, true
}

// takesVariables reports whether values of this family may hold policy
// variables: only string and ARN operators do (reference_policies_variables.html).
func (f opFamily) takesVariables() bool {
	return f == opStringEquals || f == opStringEqualsIgnoreCase || f == opStringLike || f == opARNLike
}
