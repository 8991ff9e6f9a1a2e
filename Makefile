# hallq: the two commands of the README, and a few for developers.
#
#   make run    set up this Debian machine and open the kiosk with an embedded
#               hall node, the demo catalogue and the virtual printer
#   make test   set up and run every check: gofmt, go vet, all tests
#
# Both start with packaging/setup-debian.sh, which installs the Debian
# packages (GL/X11 for Fyne, CJK fonts, PostgreSQL, Chromium, poppler, ...)
# and needs root or sudo.

GO      ?= go
DATA    ?= var/kiosk
TIMEOUT ?= 40m

.PHONY: setup run test check bench hallq clean

setup:
	bash packaging/setup-debian.sh
	$(GO) mod download

# The kiosk: an empty DATA becomes the demo county hall (catalogue, cases,
# today's appointments); printed tickets land as PNG in $(DATA)/printed/.
# Without a screen, run it as: xvfb-run -s "-screen 0 1080x1920x24" make run
run: setup
	$(GO) run ./cmd/kiosk --data $(DATA) $(KIOSK_FLAGS)

test: setup check
	$(GO) test -timeout $(TIMEOUT) ./...

check:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...

bench:
	$(GO) test -run '^$$' -bench . -benchtime 3000x ./queue/hall/

hallq:
	$(GO) build -o bin/hallq ./cmd/hallq

clean:
	rm -rf bin var
