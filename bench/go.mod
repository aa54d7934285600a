module github.com/mmapio/mmap/bench

go 1.26.0

replace github.com/mmapio/mmap => ../

require (
	github.com/edsrzf/mmap-go v1.2.0
	github.com/mmapio/mmap v0.0.0-00010101000000-000000000000
	golang.org/x/exp v0.0.0-20261113113407-e3970619a1a4
	golang.org/x/sys v0.50.0
)
