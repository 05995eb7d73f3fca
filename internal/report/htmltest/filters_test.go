package htmltest

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestFilters sets each filter through the page's controls, as a user
// would, and checks that the matrix shows exactly the rows and columns the
// filters' meaning selects from the JSON report; then that the URL
// fragment holds the filters, so that reloading the page, or opening the
// link, shows the same view.
func TestFilters(t *testing.T) {
	r := auditReport(t)
	all := expectedRows(jsonOf(t, r))
	url := writePage(t, r)
	for _, tc := range []struct {
		name string
		f    filters
		// want names the rows (bucket/rule) the filters must select, so
		// that the test says what it expects and cannot pass on an empty
		// or complete matrix by accident.
		want []string
	}{
		{"default: only what is not pass", filters{},
			[]string{"logs/replicate-all", "invoices/replicate-all", "exports/replicate-all", "ml-data/replicate-all", "media/replicate-all",
				"backups/all", "backups/logs", "(account)/no replication rule"}},
		{"every row", filters{AllRows: true},
			[]string{"photos/replicate-all", "logs/replicate-all", "invoices/replicate-all", "exports/replicate-all", "analytics/replicate-all",
				"ml-data/replicate-all", "media/replicate-all", "backups/all", "backups/logs", "(account)/no replication rule"}},
		{"status fail", filters{Status: "fail"},
			[]string{"logs/replicate-all", "exports/replicate-all", "ml-data/replicate-all"}},
		{"status warn", filters{Status: "warn"},
			[]string{"invoices/replicate-all", "backups/all", "backups/logs"}},
		{"account", filters{Account: AccountB},
			[]string{"ml-data/replicate-all", "media/replicate-all", "backups/all", "backups/logs"}},
		{"account, every row", filters{Account: AccountB, AllRows: true},
			[]string{"analytics/replicate-all", "ml-data/replicate-all", "media/replicate-all", "backups/all", "backups/logs"}},
		{"check", filters{Check: "DstBucketUnversioned"},
			[]string{"logs/replicate-all", "media/replicate-all"}},
		{"check group", filters{Check: "group:KMS"},
			[]string{"ml-data/replicate-all"}},
		{"search matches bucket and rule", filters{Q: "LOG"},
			[]string{"logs/replicate-all", "backups/logs"}},
		{"search ignores destinations", filters{Q: "archive"}, nil},
		{"together", filters{Status: "pass", Account: AccountA, Check: "DstPutObjNotPermitted", Q: "o", AllRows: true},
			[]string{"photos/replicate-all", "logs/replicate-all", "invoices/replicate-all"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.f.apply(all)
			var names []string
			for _, row := range want {
				names = append(names, row.Bucket+"/"+row.Rule)
			}
			if !reflect.DeepEqual(names, tc.want) {
				t.Fatalf("the filters select %q from the JSON report, the test expects %q", names, tc.want)
			}
			tb := newTab(t)
			tb.open(url)
			setFilters(tb, tc.f)
			check := func(when string) {
				t.Helper()
				got := eval[[]pageRow](tb, readRows)
				if len(got) == 0 && len(want) == 0 {
					return
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("%s: the page shows\n%v\nwant\n%v", when, got, want)
				}
				shown := eval[string](tb, `document.getElementById('shown').textContent`)
				if wantShown := fmt.Sprintf("showing %d of %d rows", len(want), len(all)); shown != wantShown {
					t.Errorf("%s: %q, want %q", when, shown, wantShown)
				}
			}
			check("after setting the filters")
			if empty := eval[bool](tb, `!document.getElementById('empty').hidden`); empty != (len(want) == 0) {
				t.Errorf("the no-match notice is shown: %v, want %v", empty, len(want) == 0)
			}
			hash := eval[string](tb, `location.hash`)
			if (tc.f == filters{}) != (hash == "") {
				t.Errorf("fragment %q for filters %+v", hash, tc.f)
			}
			tb.do(chromedp.Reload())
			if _, err := chromedp.Run(tb.ctx, chromedp.Poll[bool](interactive)); err != nil {
				t.Fatal(err)
			}
			if got := controls(tb); got != tc.f {
				t.Errorf("after reload the controls hold %+v, want %+v", got, tc.f)
			}
			check("after reload of " + hash)
			if p := tb.problems(); len(p) > 0 {
				t.Errorf("page problems: %q", p)
			}
		})
	}
}

// setFilters works the controls: selects are chosen, the checkbox
// clicked, and the search typed.
func setFilters(tb *tab, f filters) {
	tb.t.Helper()
	for id, v := range map[string]string{"f-status": f.Status, "f-account": f.Account, "f-check": f.Check} {
		if v == "" {
			continue
		}
		ok := eval[bool](tb, `(() => { const s = document.getElementById(`+strconv.Quote(id)+`);
		  if (![...s.options].some(o => o.value === `+strconv.Quote(v)+`)) return false;
		  s.value = `+strconv.Quote(v)+`; s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()`)
		if !ok {
			tb.t.Fatalf("%s has no option %q", id, v)
		}
	}
	if f.AllRows {
		tb.do(chromedp.Click(chromedp.ID("f-notpass")))
	}
	if f.Q != "" {
		tb.do(chromedp.SendKeys(chromedp.ID("f-q"), f.Q))
	}
}

// controls reads the filters back from the page's controls.
func controls(tb *tab) filters {
	tb.t.Helper()
	type state struct{ Status, Account, Check, Q string }
	s := eval[state](tb, `({status: document.getElementById('f-status').value, account: document.getElementById('f-account').value,
	  check: document.getElementById('f-check').value, q: document.getElementById('f-q').value})`)
	return filters{Status: s.Status, Account: s.Account, Check: s.Check, Q: s.Q,
		AllRows: !eval[bool](tb, `document.getElementById('f-notpass').checked`)}
}

// TestFragmentIsValidated opens links whose fragment names nothing: the
// page ignores what it does not know rather than show an empty view.
func TestFragmentIsValidated(t *testing.T) {
	r := auditReport(t)
	tb := newTab(t)
	tb.open(writePage(t, r) + "#status=bogus&account=999999999999&check=NoSuchCheck&q=logs")
	if got, want := controls(tb), (filters{Q: "logs"}); got != want {
		t.Errorf("controls %+v, want %+v", got, want)
	}
	if rows := eval[[]pageRow](tb, readRows); len(rows) != 2 || !strings.HasPrefix(rows[0].Bucket, "logs") {
		t.Errorf("rows %v, want logs and backups/logs", rows)
	}
	if p := tb.problems(); len(p) > 0 {
		t.Errorf("page problems: %q", p)
	}
}
