package main

import (
	"bufio"
	"fmt"
	"log"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"time"

	"fyne.io/fyne/v2"

	"hallq/kiosk"
)

// benchTake takes n numbers through the kiosk's own screens (the same
// path as a tap on 确认取号, printing included), then logs the resident
// memory and quits: the figure in docs/bench-notes/kiosk.md.
func benchTake(a fyne.App, k *kiosk.Kiosk, n int) {
	time.Sleep(3 * time.Second) // let the window settle and start-up garbage go back
	log.Printf("kiosk bench: before: %s", memory())
	start := time.Now()
	for i := 0; i < n; i++ {
		fyne.DoAndWait(func() {
			k.Home()
			if err := k.ShowScreen("ticket"); err != nil {
				log.Printf("kiosk bench: %v", err)
			}
		})
		for {
			var s string
			fyne.DoAndWait(func() { s = k.Screen() })
			if s != "printing" {
				break
			}
			time.Sleep(2 * time.Millisecond)
		}
	}
	log.Printf("kiosk bench: %d numbers in %s", n, time.Since(start).Round(time.Millisecond))
	time.Sleep(500 * time.Millisecond)
	log.Printf("kiosk bench: after %d numbers: %s", n, memory())
	if n >= 100 {
		// Fyne keeps each text's texture for a minute after its last use.
		time.Sleep(75 * time.Second)
		log.Printf("kiosk bench: after %d numbers, 75 s later: %s", n, memory())
	}
	if p := os.Getenv("KIOSK_HEAPPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			runtime.GC()
			pprof.WriteHeapProfile(f)
			f.Close()
		}
	}
	fyne.Do(a.Quit)
}

// memory reads VmRSS and VmHWM from /proc/self/status.
func memory() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		l := sc.Text()
		if strings.HasPrefix(l, "VmRSS:") || strings.HasPrefix(l, "VmHWM:") {
			out = append(out, strings.Join(strings.Fields(l), " "))
		}
	}
	out = append(out, "software GL (libLLVM, dri, X shm) "+softGL())
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	out = append(out, fmt.Sprintf("Go heap in use %d MB, Go runtime total %d MB", ms.HeapInuse>>20, ms.Sys>>20))
	return strings.Join(out, ", ")
}

// softGL sums the resident memory of the software OpenGL stack (Mesa's
// llvmpipe under Xvfb): a kiosk with a GPU driver does not carry it.
func softGL() string {
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	var kb int
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) == 0 {
			continue
		}
		if !strings.HasSuffix(fs[0], ":") || len(fs) > 3 { // a mapping line
			name := ""
			if len(fs) > 5 {
				name = fs[5]
			}
			in = strings.Contains(name, "libLLVM") || strings.Contains(name, "/dri/") || strings.HasPrefix(name, "/SYSV")
			continue
		}
		if in && fs[0] == "Rss:" {
			var n int
			fmt.Sscan(fs[1], &n)
			kb += n
		}
	}
	return fmt.Sprintf("%d MB", kb>>10)
}
