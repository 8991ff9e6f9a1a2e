//go:build !unix

package store

// fileID is unknown off Unix; the centre's fork detection still keeps a
// copied database from colliding with its original.
func fileID(string) string { return "" }
