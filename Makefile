# BoxOffice: the two commands a newcomer needs, and a few more.
.PHONY: demo kiosk test build release clean

demo:  ## Run boxofficed with the demo theatre (installs packages, starts a private Redis).
	.ci/demo

kiosk:  ## The lobby kiosk, full screen, against the demo daemon of `make demo` (run that first, in another terminal).
	swift build --product boxoffice-kiosk
	@mkdir -p .run && printf '%s\n' demo-secret-not-for-production > .run/kiosk-demo.secret
	.build/debug/boxoffice-kiosk --connect 127.0.0.1:7420 --kiosk demo --secret-file .run/kiosk-demo.secret --demo

test:  ## Build and run every test against a private Redis.
	.ci/test

build:
	swift build

release:
	swift build -c release

clean:
	rm -rf .build .run
