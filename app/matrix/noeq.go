package matrix

// noEq, as a struct's first field, makes the struct not comparable, so
// that the compiler writes no equality function for it: such a function
// costs the WASM bytes, and these types are never compared.
type noEq [0]func()
