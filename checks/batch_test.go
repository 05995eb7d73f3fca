package checks

import (
	"testing"

	"github.com/replcheck/replcheck/internal/snapshot"
)

func TestBatchJobSelects(t *testing.T) {
	for _, c := range []struct {
		statuses []string
		want     bool
	}{{nil, true}, {[]string{"NONE", "FAILED"}, false}, {[]string{"COMPLETED"}, true}} {
		if got := batchJobSelects(&snapshot.BatchJob{ReplicationStatuses: c.statuses}, "COMPLETED"); got != c.want {
			t.Errorf("batchJobSelects(%v, COMPLETED) = %v, want %v", c.statuses, got, c.want)
		}
	}
}
