//go:build unix

package main

import (
	"os"
	"syscall"
)

// lockDir takes an exclusive flock on a directory, so that plugin processes
// sharing an emulator store take turns with it. The store itself cannot carry
// the lock: every write replaces it with a new file.
func lockDir(dir string) (func(), error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
