module github.com/mmapio/mmap

go 1.26.0

require golang.org/x/sys v0.50.0

require github.com/dsnet/golib/memfile v1.0.0
