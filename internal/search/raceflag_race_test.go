//go:build race

package search

// raceEnabled is whether the race detector is on: it makes the long differential tests shorter.
const raceEnabled = true
