package tfplan

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// blockHeader matches the first line of a resource or data block.
var blockHeader = regexp.MustCompile(`^\s*(resource|data)\s+"([^"]+)"\s+"([^"]+)"`)

// Locator finds the .tf file and line that declare a resource.
type Locator struct {
	plan *Plan
	dir  string
	// blocks maps a configuration address to its file and line.
	blocks map[string]location
}

type location struct {
	file string
	line int
}

// NewLocator reads the configuration's .tf files: the root module in dir,
// and each module called with a local source path ("./…", "../…").
func NewLocator(p *Plan, dir string) *Locator {
	l := &Locator{plan: p, dir: dir, blocks: map[string]location{}}
	if p.Config != nil {
		l.scan("", dir, p.Config, 0)
	}
	return l
}

func (l *Locator) scan(path, dir string, m *Module, depth int) {
	if depth > maxDepth {
		return
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.tf"))
	slices.Sort(files)
	for _, f := range files {
		l.scanFile(path, f)
	}
	for _, name := range sortedKeys(m.Calls) {
		c := m.Calls[name]
		if c.Module == nil || !(strings.HasPrefix(c.Source, "./") || strings.HasPrefix(c.Source, "../")) {
			continue
		}
		l.scan(qualify(path, "module."+name), filepath.Join(dir, filepath.FromSlash(c.Source)), c.Module, depth+1)
	}
}

func (l *Locator) scanFile(path, file string) {
	f, err := os.Open(file)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for line := 1; sc.Scan(); line++ {
		m := blockHeader.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		addr := m[2] + "." + m[3]
		if m[1] == "data" {
			addr = "data." + addr
		}
		addr = qualify(path, addr)
		if _, dup := l.blocks[addr]; !dup {
			l.blocks[addr] = location{file: file, line: line}
		}
	}
}

// Locate returns the file and line of the block that declares the
// instance at address; ok is false when no .tf file declares it.
func (l *Locator) Locate(address string) (file string, line int, ok bool) {
	r := l.plan.Resource(address)
	if r == nil {
		return "", 0, false
	}
	loc, ok := l.blocks[configAddress(r)]
	return loc.file, loc.line, ok
}
