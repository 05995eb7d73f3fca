package policy

import (
	"encoding/base64"
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// condition is one (operator, key) pair of a Condition block with its values.
// The block's conditions are ANDed; the values of one condition are ORed
// (NORed for negated operators).
type condition struct {
	op     operator
	key    string // lower-cased: condition key names are case-insensitive
	values []condValue
}

// condValue is one policy value, pre-parsed for its operator's family.
type condValue struct {
	pat  pattern // string and ARN families
	lit  string  // StringEquals*: the literal without escapes; Bool: "true"/"false"
	num  float64
	when time.Time
	ip   netip.Prefix
	bin  []byte
	null bool // Null: true tests that the key is absent
}

// eval reports whether the condition holds for the request. Rules from
// reference_policies_multi-value-conditions.html and
// reference_policies_elements_condition_operators.html:
//   - a missing key makes positive operators false, negated operators true,
//     and …IfExists operators true;
//   - ForAllValues is true on a missing or empty key, ForAnyValue false;
//   - set qualifiers apply a negated operator to each request value.
func (cd *condition) eval(ev *evaluation) bool {
	vals, present := ev.lookup(cd.key)
	if cd.op.family == opNull {
		absent := !present || len(vals) == 0
		for i := range cd.values {
			if cd.values[i].null == absent {
				return true
			}
		}
		return false
	}
	if !present || len(vals) == 0 {
		switch {
		case cd.op.set == setForAll:
			return true
		case cd.op.ifExists:
			return true
		case cd.op.set == setForAny:
			return false
		}
		return cd.op.negated
	}
	switch cd.op.set {
	case setForAll:
		for _, v := range vals {
			if cd.anyValue(ev, v) == cd.op.negated {
				return false
			}
		}
		return true
	case setForAny:
		for _, v := range vals {
			if cd.anyValue(ev, v) != cd.op.negated {
				return true
			}
		}
		return false
	}
	if cd.op.negated {
		for _, v := range vals {
			if cd.anyValue(ev, v) {
				return false
			}
		}
		return true
	}
	for _, v := range vals {
		if cd.anyValue(ev, v) {
			return true
		}
	}
	return false
}

// anyValue reports whether request value v matches some policy value under
// the operator's positive family.
func (cd *condition) anyValue(ev *evaluation, v string) bool {
	switch cd.op.family {
	case opNumericEquals, opNumericLessThan, opNumericLessThanEquals, opNumericGreaterThan, opNumericGreaterThanEquals:
		n, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil {
			return false
		}
		for i := range cd.values {
			if compareOrdered(cd.op.family-opNumericEquals, n, cd.values[i].num) {
				return true
			}
		}
		return false
	case opDateEquals, opDateLessThan, opDateLessThanEquals, opDateGreaterThan, opDateGreaterThanEquals:
		t, ok := parseDate(v)
		if !ok {
			return false
		}
		for i := range cd.values {
			if compareOrdered(cd.op.family-opDateEquals, float64(t.Sub(cd.values[i].when)), 0) {
				return true
			}
		}
		return false
	case opIPAddress:
		addr, err := netip.ParseAddr(strings.TrimSpace(v))
		if err != nil {
			if p, perr := netip.ParsePrefix(strings.TrimSpace(v)); perr == nil {
				addr = p.Addr()
			} else {
				return false
			}
		}
		addr = addr.Unmap()
		for i := range cd.values {
			if cd.values[i].ip.Contains(addr) {
				return true
			}
		}
		return false
	case opBinaryEquals:
		got, err := base64.StdEncoding.DecodeString(v)
		if err != nil {
			got = []byte(v)
		}
		for i := range cd.values {
			if string(cd.values[i].bin) == string(got) {
				return true
			}
		}
		return false
	case opBool:
		for i := range cd.values {
			if strings.EqualFold(strings.TrimSpace(v), cd.values[i].lit) {
				return true
			}
		}
		return false
	}
	for i := range cd.values {
		if cd.matchString(ev, &cd.values[i], v) {
			return true
		}
	}
	return false
}

// matchString applies a string or ARN operator to one policy value. A value
// whose variable has no value matches nothing.
func (cd *condition) matchString(ev *evaluation, pv *condValue, v string) bool {
	if pv.pat.parts == nil {
		switch cd.op.family {
		case opStringEquals:
			return pv.lit == v
		case opStringEqualsIgnoreCase:
			return strings.EqualFold(pv.lit, v)
		case opStringLike:
			return pv.pat.matches(v, false)
		case opARNLike:
			return arnMatch(pv.pat.glob, v)
		}
		return false
	}
	lit, glob := pv.lit, pv.pat.glob
	{
		g, ok := pv.pat.resolve(ev)
		if !ok {
			return false
		}
		glob, lit = g, unescape(g)
	}
	switch cd.op.family {
	case opStringEquals:
		return lit == v
	case opStringEqualsIgnoreCase:
		return strings.EqualFold(lit, v)
	case opStringLike:
		return globMatch(glob, v, false)
	case opARNLike:
		return arnMatch(glob, v)
	}
	return false
}

// compareOrdered compares a and b by the ordered operator at offset rel
// from its family's Equals (Equals, LessThan, LessThanEquals, GreaterThan,
// GreaterThanEquals, in that order in opFamily).
func compareOrdered(rel opFamily, a, b float64) bool {
	switch rel {
	case 0:
		return a == b
	case 1:
		return a < b
	case 2:
		return a <= b
	case 3:
		return a > b
	case 4:
		return a >= b
	}
	return false
}

// dateLayouts are the W3C ISO 8601 forms IAM accepts, longest first.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04",
	"2006-01-02",
}

// parseDate reads an ISO 8601 date or epoch seconds. A date without a zone
// is UTC.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0).UTC(), true
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
