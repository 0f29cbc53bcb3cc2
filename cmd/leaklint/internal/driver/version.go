package driver

import (
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
)

// Version is leaklint's version when the binary carries no module version
// of its own: built from a checkout with go build or go install ./...
// Release tags set the module version, which takes precedence.
const Version = "v0.1.0-dev"

// moduleVersion returns the version of the main module the binary was
// built from ("v0.3.1" for go install ...@v0.3.1), or Version.
func moduleVersion() (version string, settings map[string]string) {
	settings = make(map[string]string)
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return Version, settings
	}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v, settings
	}
	return Version, settings
}

// humanVersion is what -version prints.
func humanVersion(progname string) string {
	v, settings := moduleVersion()
	var extra []string
	if rev := settings["vcs.revision"]; rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		if settings["vcs.modified"] == "true" {
			rev += "+dirty"
		}
		extra = append(extra, "commit "+rev)
	}
	extra = append(extra, runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH)
	return fmt.Sprintf("%s %s (%s)", progname, v, strings.Join(extra, ", "))
}

// vetVersion is what -V=full prints, in the form go vet reads to key its
// cache: "NAME version vX.Y.Z" for a released module version, and
// "NAME version devel VERSION buildID=HASH" otherwise, where HASH is the
// SHA-256 of the executable, so that every rebuilt binary invalidates go
// vet's cached results.
func vetVersion(progname string) string {
	v, _ := moduleVersion()
	if v != Version && !strings.Contains(v, "-") {
		return fmt.Sprintf("%s version %s", progname, v)
	}
	return fmt.Sprintf("%s version devel %s buildID=%s", progname, v, executableHash())
}

func executableHash() string {
	exe, err := os.Executable()
	if err != nil {
		return "unknown"
	}
	f, err := os.Open(exe)
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "unknown"
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

// fullVersionFlag is our -V flag: -V=full asks for the vet form.
type fullVersionFlag struct{ set *bool }

func (fullVersionFlag) IsBoolFlag() bool { return true }
func (fullVersionFlag) String() string   { return "" }
func (f fullVersionFlag) Set(s string) error {
	if s != "full" && s != "true" {
		return fmt.Errorf("unsupported value %q (use -V=full)", s)
	}
	*f.set = true
	return nil
}

// versionFlag is the -V flag registered for multichecker, which prints and
// exits as go vet's protocol requires.
type versionFlag struct{ progname string }

func (versionFlag) IsBoolFlag() bool { return true }
func (versionFlag) Get() any         { return nil }
func (versionFlag) String() string   { return "" }
func (f versionFlag) Set(s string) error {
	if s != "full" && s != "true" {
		return fmt.Errorf("unsupported value %q (use -V=full)", s)
	}
	fmt.Println(vetVersion(f.progname))
	os.Exit(0)
	return nil
}
