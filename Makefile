# BoxOffice: the two commands a newcomer needs, and a few more.
.PHONY: demo test build release clean

demo:  ## Run boxofficed with the demo theatre (installs packages, starts a private Redis).
	.ci/demo

test:  ## Build and run every test against a private Redis.
	.ci/test

build:
	swift build

release:
	swift build -c release

clean:
	rm -rf .build .run
