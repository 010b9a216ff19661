package ui

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// go-app's rule: code in ctx.Async runs on another goroutine and must not
// touch the component; it reports back through ctx.Dispatch, whose
// function runs on the UI goroutine. This test reads the package's
// sources and fails on any use of the component (r) inside an Async
// function that is not inside a Dispatch within it.
func TestAsyncNeverTouchesTheComponent(t *testing.T) {
	files, _ := filepath.Glob("*.go")
	fset := token.NewFileSet()
	asyncs := 0
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			fn := callee(n, "Async")
			if fn == nil {
				return true
			}
			asyncs++
			var look func(m ast.Node) bool
			look = func(m ast.Node) bool {
				if callee(m, "Dispatch") != nil {
					// Its function runs back on the UI goroutine; the
					// context it is called on must not come from r.
					ast.Inspect(m.(*ast.CallExpr).Fun, look)
					return false
				}
				if id, ok := m.(*ast.Ident); ok && id.Name == "r" {
					t.Errorf("%s: the component is used inside ctx.Async", fset.Position(id.Pos()))
				}
				return true
			}
			ast.Inspect(fn.Body, look)
			return false
		})
	}
	if asyncs == 0 {
		t.Fatal("no ctx.Async found: the test reads the wrong files")
	}
}

// callee returns the function literal passed to a call of method name,
// or nil.
func callee(n ast.Node, name string) *ast.FuncLit {
	call, ok := n.(*ast.CallExpr)
	if !ok || len(call.Args) == 0 {
		return nil
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != name {
		return nil
	}
	fn, _ := call.Args[0].(*ast.FuncLit)
	return fn
}

// Render only draws: a component rendered before OnInit (as a test or a
// parent may) is left as it was.
func TestRenderChangesNothing(t *testing.T) {
	r := &Register{Config: Config{HomeserverURL: "https://hs.example.org", ServerName: "example.org"}}
	before := *r
	_ = r.Render()
	if r.t != before.t || r.eng != before.eng || r.title != before.title || r.mounted != before.mounted {
		t.Fatal("Render changed the component")
	}
}
