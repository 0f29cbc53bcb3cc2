package runner

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/types"
	"os"
	"strings"

	"golang.org/x/tools/go/packages"
)

// A checked package is a unit's syntax and types, alive while the unit
// is processed.
type checked struct {
	pkg        *types.Package
	files      []*ast.File
	info       *types.Info
	errors     []packages.Error // parse and type errors, as go/packages reports them
	typeErrors []types.Error
}

// typecheck parses u's files and type-checks them, importing u's
// dependencies' types, which are complete since they are done. It
// follows go/packages' loadPackage, so that analyzers see what they see
// under the checker: the same files, Go version, sizes and errors.
func (r *run) typecheck(u *unit) *checked {
	meta := u.meta
	c := &checked{info: newInfo()}
	if meta.PkgPath == "unsafe" {
		c.pkg = types.Unsafe
		c.files = []*ast.File{}
		return c
	}
	c.pkg = types.NewPackage(meta.PkgPath, meta.Name)
	add := func(err error) {
		if te, ok := err.(types.Error); ok {
			c.typeErrors = append(c.typeErrors, te)
		}
		c.errors = append(c.errors, convertError(err)...)
	}

	if len(meta.CompiledGoFiles) == 0 && meta.ExportFile != "" {
		add(packages.Error{Pos: "-", Msg: fmt.Sprintf("sources missing for package %s", meta.ID), Kind: packages.ParseError})
		return c
	}
	for _, name := range meta.CompiledGoFiles {
		src, err := os.ReadFile(name)
		if err != nil {
			add(err)
			continue
		}
		f, err := parser.ParseFile(r.fset, name, src, parser.AllErrors|parser.ParseComments)
		if f != nil {
			c.files = append(c.files, f)
		}
		if err != nil {
			add(err)
		}
	}

	byPath := make(map[string]*unit, len(u.imps))
	for path, p := range meta.Imports {
		for _, d := range u.imps {
			if d.meta == p {
				byPath[path] = d
			}
		}
	}
	importer := importerFunc(func(path string) (*types.Package, error) {
		if path == "unsafe" {
			return types.Unsafe, nil
		}
		d := byPath[path]
		if d == nil || d.tpkg == nil {
			return nil, fmt.Errorf("no metadata for %s", path)
		}
		return d.tpkg, nil
	})
	tc := &types.Config{
		Importer: importer,
		Error:    add,
		Sizes:    meta.TypesSizes,
	}
	if meta.Module != nil && meta.Module.GoVersion != "" {
		tc.GoVersion = "go" + meta.Module.GoVersion
	}
	n := len(c.errors)
	typErr := types.NewChecker(tc, r.fset, c.pkg, c.info).Files(c.files)
	if typErr != nil && len(c.errors) == n && len(meta.Errors) == 0 && len(c.files) > 0 {
		if msg := typErr.Error(); strings.HasPrefix(msg, "package requires newer Go version") {
			add(types.Error{Fset: r.fset, Pos: c.files[0].Package, Msg: msg})
		}
	}
	if typErr != nil && len(c.errors) == 0 && len(meta.Errors) == 0 {
		add(typErr)
	}
	return c
}

// illTyped reports whether u or a dependency has errors, as
// packages.Package.IllTyped does.
func (c *checked) illTyped(u *unit) bool {
	if len(u.meta.Errors) > 0 || len(c.errors) > 0 {
		return true
	}
	for _, d := range u.imps {
		if d.pkg.IllTyped {
			return true
		}
	}
	return false
}

func newInfo() *types.Info {
	return &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Instances:    make(map[*ast.Ident]types.Instance),
		Scopes:       make(map[ast.Node]*types.Scope),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		FileVersions: make(map[*ast.File]string),
	}
}

// convertError turns a parse or type error into go/packages' form.
func convertError(err error) []packages.Error {
	var pathErr *os.PathError
	var list scanner.ErrorList
	var typeErr types.Error
	var pkgErr packages.Error
	switch {
	case errors.As(err, &pkgErr):
		return []packages.Error{pkgErr}
	case errors.As(err, &list):
		var out []packages.Error
		for _, e := range list {
			out = append(out, packages.Error{Pos: e.Pos.String(), Msg: e.Msg, Kind: packages.ParseError})
		}
		return out
	case errors.As(err, &typeErr):
		return []packages.Error{{Pos: typeErr.Fset.Position(typeErr.Pos).String(), Msg: typeErr.Msg, Kind: packages.TypeError}}
	case errors.As(err, &pathErr):
		return []packages.Error{{Pos: pathErr.Path + ":1", Msg: pathErr.Err.Error(), Kind: packages.ParseError}}
	}
	return []packages.Error{{Pos: "-", Msg: err.Error(), Kind: packages.UnknownError}}
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }
