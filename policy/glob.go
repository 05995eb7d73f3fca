package policy

import "unicode/utf8"

// globMatch reports whether s matches the glob p, where '*' matches any run
// of characters (including ':' and '/'), '?' matches exactly one character,
// and a backslash makes the next character literal. Escapes come only from
// compiled patterns (a literal '\' in a policy is stored as `\\`, and the
// variables ${*} and ${?} as `\*` and `\?`). With fold, ASCII letters match
// regardless of case, as IAM matches action names.
//
// The algorithm backtracks only to the last '*', so it runs in O(len(p)·len(s))
// at worst and without allocating.
func globMatch(p, s string, fold bool) bool {
	px, sx := 0, 0
	starPx, starSx := -1, 0
	for px < len(p) || sx < len(s) {
		if px < len(p) {
			switch c := p[px]; c {
			case '*':
				starPx, starSx = px, sx
				px++
				continue
			case '?':
				if sx < len(s) {
					_, size := utf8.DecodeRuneInString(s[sx:])
					px++
					sx += size
					continue
				}
			case '\\':
				lit, width := byte('\\'), 1
				if px+1 < len(p) {
					lit, width = p[px+1], 2
				}
				if sx < len(s) && s[sx] == lit {
					px += width
					sx++
					continue
				}
			default:
				if sx < len(s) && (c == s[sx] || fold && lowerASCII(c) == lowerASCII(s[sx])) {
					px++
					sx++
					continue
				}
			}
		}
		if starPx >= 0 && starSx < len(s) {
			_, size := utf8.DecodeRuneInString(s[starSx:])
			starSx += size
			px, sx = starPx+1, starSx
			continue
		}
		return false
	}
	return true
}

func lowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// arnMatch implements ArnEquals and ArnLike: the six colon-delimited
// components of an ARN (arn, partition, service, region, account, resource)
// are matched separately, so a wildcard never spans a ':' outside the
// resource component. The pattern "*" alone matches any value.
func arnMatch(p, s string) bool {
	if p == "*" {
		return true
	}
	for i := 0; i < 5; i++ {
		pi, si := indexColon(p), indexColon(s)
		if pi < 0 || si < 0 {
			return false
		}
		if !globMatch(p[:pi], s[:si], false) {
			return false
		}
		p, s = p[pi+1:], s[si+1:]
	}
	return globMatch(p, s, false)
}

func indexColon(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			return i
		}
	}
	return -1
}
