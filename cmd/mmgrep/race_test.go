//go:build race

package main

// raceEnabled is true when the race detector, which slows every run, is on.
const raceEnabled = true
