package waiver

// glob reports whether s matches pattern, where * matches any run of
// characters (slashes included: rule IDs may hold them) and ? any one
// character; every other character matches itself.
func glob(pattern, s string) bool {
	p, t := []rune(pattern), []rune(s)
	// star and mark remember the last * and the text position it was
	// tried at, to backtrack to (the classic linear wildcard match).
	star, mark := -1, 0
	i, j := 0, 0
	for j < len(t) {
		switch {
		case i < len(p) && (p[i] == '?' || p[i] == t[j]):
			i++
			j++
		case i < len(p) && p[i] == '*':
			star, mark = i, j
			i++
		case star >= 0:
			mark++
			i, j = star+1, mark
		default:
			return false
		}
	}
	for i < len(p) && p[i] == '*' {
		i++
	}
	return i == len(p)
}
