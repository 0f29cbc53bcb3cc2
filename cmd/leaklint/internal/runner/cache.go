package runner

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"encoding/hex"
	"fmt"
	"go/types"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/types/objectpath"
)

// A Cache keeps one record per package on disk: its facts, findings and
// errors, under a key that hashes everything that can change them: the
// leaklint executable, the Go version, the pass flags and the analyzers
// run, the package's identity, Go version, sizes, go list errors and the
// content of each of its files, and its dependencies' keys. So a change
// in a file invalidates its package and every package that imports it,
// directly or not, and nothing else.
type Cache struct {
	dir   string
	build string // hash of the executable and the Go version
	limit int64  // bytes; trimmed to 3/4 of it when over
}

// DefaultLimit is the cache's size bound unless LEAKLINT_CACHE_LIMIT
// (in MB) says otherwise.
const DefaultLimit = 1 << 30

// DefaultDir returns the cache's default location: leaklint under the
// user cache directory ($XDG_CACHE_HOME or ~/.cache on Linux,
// ~/Library/Caches on macOS, %LocalAppData% on Windows).
func DefaultDir() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "leaklint"), nil
}

// OpenCache opens (creating it if needed) the cache in dir for the
// running executable.
func OpenCache(dir string, limit int64) (*Cache, error) {
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return nil, err
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	f, err := os.Open(exe)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	fmt.Fprintf(h, "\x00%s\x00%s/%s", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if limit <= 0 {
		limit = DefaultLimit
	}
	return &Cache{dir: dir, build: hex.EncodeToString(h.Sum(nil)), limit: limit}, nil
}

// Dir returns the cache's directory.
func (c *Cache) Dir() string { return c.dir }

// hashFiles sets each unit's files digest: its compiled Go files' names
// and contents. It reads the files of several units at once.
func hashFiles(units []*unit, jobs int) {
	work := make(chan *unit)
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 64<<10)
			for u := range work {
				h := sha256.New()
				for _, name := range u.meta.CompiledGoFiles {
					fmt.Fprintf(h, "file %s ", name)
					if f, err := os.Open(name); err == nil {
						io.CopyBuffer(h, f, buf)
						f.Close()
					} else {
						fmt.Fprintf(h, "unreadable %v", err)
					}
					h.Write([]byte{0})
				}
				u.files = hex.EncodeToString(h.Sum(nil))
			}
		}()
	}
	for _, u := range units {
		work <- u
	}
	close(work)
	wg.Wait()
}

// key returns the key of u's record; u's files digest and its
// dependencies' keys are set.
func (c *Cache) key(u *unit, salt, analyzers string) string {
	h := sha256.New()
	meta := u.meta
	fmt.Fprintf(h, "leaklint cache 1\x00%s\x00%s\x00%s\x00", c.build, salt, analyzers)
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00", meta.ID, meta.PkgPath, meta.Name)
	if meta.Module != nil {
		fmt.Fprintf(h, "go %s\x00", meta.Module.GoVersion)
	}
	fmt.Fprintf(h, "%v\x00", meta.TypesSizes)
	for _, e := range meta.Errors {
		fmt.Fprintf(h, "error %s %s %d\x00", e.Pos, e.Msg, e.Kind)
	}
	fmt.Fprintf(h, "files %s\x00", u.files)
	for _, f := range []struct {
		kind  string
		names []string
	}{{"other", meta.OtherFiles}, {"ignored", meta.IgnoredFiles}, {"embed", meta.EmbedFiles}} {
		for _, name := range f.names {
			fmt.Fprintf(h, "%s %s\x00", f.kind, name)
		}
	}
	paths := make([]string, 0, len(meta.Imports))
	for path := range meta.Imports {
		paths = append(paths, path)
	}
	sort.Strings(paths)
	for _, path := range paths {
		key := ""
		for _, d := range u.imps {
			if d.meta == meta.Imports[path] {
				key = d.key
			}
		}
		fmt.Fprintf(h, "import %s %s\x00", path, key)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func rootKey(key string) string {
	h := sha256.Sum256([]byte("root\x00" + key))
	return hex.EncodeToString(h[:])
}

func (c *Cache) file(key string) string {
	return filepath.Join(c.dir, key[:2], key)
}

// A record is what the cache keeps of one package.
type record struct {
	IllTyped bool
	Errors   []packages.Error // parse and type errors
	Outcomes []Outcome
	Facts    []gobFact
}

type gobFact struct {
	Path objectpath.Path // "" for a package fact
	Fact analysis.Fact
}

// get returns the record of the package whose key is key, or nil. A
// root package needs a root record (with every selected analyzer's
// findings); a dependency can use either.
func (c *Cache) get(key string, root bool) *record {
	keys := []string{rootKey(key)}
	if !root {
		keys = []string{key, rootKey(key)}
	}
	for _, k := range keys {
		name := c.file(k)
		data, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		var rec record
		if err := gob.NewDecoder(bytes.NewReader(data)).Decode(&rec); err != nil {
			continue // a record of another format or a torn write: analyse again
		}
		// Mark it used, for trimming, at most once an hour.
		if info, err := os.Stat(name); err == nil && time.Since(info.ModTime()) > time.Hour {
			now := time.Now()
			os.Chtimes(name, now, now)
		}
		return &rec
	}
	return nil
}

// put writes u's record, from its outcomes and facts.
func (c *Cache) put(u *unit, errs []packages.Error) {
	rec := record{IllTyped: u.pkg.IllTyped, Errors: errs}
	for _, o := range u.pkg.Outcomes {
		o.Duration = 0
		rec.Outcomes = append(rec.Outcomes, o)
	}
	var enc objectpath.Encoder
	for k, f := range u.facts.objects {
		path, err := enc.For(k.obj)
		if err != nil {
			continue // not reachable from the package scope: no importer can see it
		}
		rec.Facts = append(rec.Facts, gobFact{Path: path, Fact: f})
	}
	for _, f := range u.facts.packages {
		rec.Facts = append(rec.Facts, gobFact{Fact: f})
	}
	var buf bytes.Buffer
	if err := gob.NewEncoder(&buf).Encode(rec); err != nil {
		return // a fact gob cannot encode: this package is analysed again next time
	}
	key := u.key
	if u.root {
		key = rootKey(key)
	}
	name := c.file(key)
	if err := os.MkdirAll(filepath.Dir(name), 0o777); err != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(name), "tmp-")
	if err != nil {
		return
	}
	_, werr := tmp.Write(buf.Bytes())
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), name) != nil {
		os.Remove(tmp.Name())
	}
}

// apply gives u the record's outcomes and errors. A dependency keeps
// only the outcomes of the analyzers a dependency runs, without
// findings, as if it had been analysed in this run.
func (rec *record) apply(u *unit, depSet string) {
	u.meta.Errors = append(u.meta.Errors, rec.Errors...)
	for _, o := range rec.Outcomes {
		if !u.root {
			if !strings.Contains(" "+depSet, " "+o.Analyzer+" ") {
				continue
			}
			o.Diagnostics = nil
		}
		u.pkg.Outcomes = append(u.pkg.Outcomes, o)
	}
}

// decodeFacts attaches the record's facts to the objects of pkg, the
// package type-checked again from the same files.
func (rec *record) decodeFacts(pkg *types.Package) *factSet {
	set := newFactSet()
	for _, gf := range rec.Facts {
		t := reflect.TypeOf(gf.Fact)
		if gf.Path == "" {
			set.packages[t] = gf.Fact
			continue
		}
		if obj, err := objectpath.Object(pkg, gf.Path); err == nil {
			set.objects[objectKey{obj, t}] = gf.Fact
		}
	}
	return set
}

// trim removes the least recently used records when the cache is over
// its size bound; it looks at most once an hour.
func (c *Cache) trim() {
	stamp := filepath.Join(c.dir, "trimmed")
	if info, err := os.Stat(stamp); err == nil && time.Since(info.ModTime()) < time.Hour {
		return
	}
	os.WriteFile(stamp, nil, 0o666)
	type entry struct {
		name string
		size int64
		mod  time.Time
	}
	var entries []entry
	var total int64
	filepath.WalkDir(c.dir, func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Base(name) == "trimmed" {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil
		}
		if strings.HasPrefix(d.Name(), "tmp-") && time.Since(info.ModTime()) > time.Hour {
			os.Remove(name) // left by a killed run
			return nil
		}
		entries = append(entries, entry{name, info.Size(), info.ModTime()})
		total += info.Size()
		return nil
	})
	if total <= c.limit {
		return
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].mod.Before(entries[j].mod) })
	for _, e := range entries {
		if total <= c.limit*3/4 {
			break
		}
		if os.Remove(e.name) == nil {
			total -= e.size
		}
	}
}
