# BoxOffice: the two commands a newcomer needs, and a few more.
.PHONY: demo demo-cluster kiosk test bench build release clean install uninstall

# `make install` knobs: a staging root, the prefix for programs and documents, and the build configuration
# (CI stages a debug build: make install DESTDIR=$(mktemp -d) CONFIGURATION=debug).
DESTDIR ?=
PREFIX ?= /usr/local
CONFIGURATION ?= release
SWIFT_BUILD_FLAGS ?=

demo:  ## The demo: a private Redis, boxofficed with the demo theatre, and the lobby kiosk in front of it.
	.ci/demo

demo-cluster:  ## The demo on a Redis Cluster of its own: three primaries, three replicas, all on this machine.
	.ci/demo-cluster

kiosk:  ## One more lobby kiosk, in another terminal, against the daemon of a running `make demo`.
	swift build --product boxoffice-kiosk
	@mkdir -p .run && printf '%s\n' demo-secret-not-for-production > .run/kiosk-demo.secret
	.build/debug/boxoffice-kiosk --connect 127.0.0.1:7420 --kiosk demo --secret-file .run/kiosk-demo.secret --demo

test:  ## Build and run every test against a private Redis.
	.ci/test

bench:  ## The release daemon against raw Redis, case after case (docs/PERFORMANCE.md); about 10 minutes.
	.ci/bench-daemon

build:
	swift build

release:
	swift build -c release

install:  ## Build and install boxofficed, its Redis and their systemd units (README: "Run it in production").
	DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" CONFIGURATION="$(CONFIGURATION)" \
		SWIFT_BUILD_FLAGS="$(SWIFT_BUILD_FLAGS)" systemd/install

uninstall:  ## Remove the programs and units; configuration and data stay.
	DESTDIR="$(DESTDIR)" PREFIX="$(PREFIX)" systemd/uninstall

clean:
	rm -rf .build .run
