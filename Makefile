# Lagrange — quick start: `make demo` solves the bundled tour, `make test` runs the tests.
# Both install the system libraries they need (GLPK, GSL) through apt when missing.

SWIFT        ?= swift
APT_PACKAGES := libglpk-dev libgsl-dev zlib1g-dev
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
OUT          ?= out

PREFIX       ?= /usr/local

.PHONY: deps build release demo test bench clean fuzz sanitize install slurm-test docs

deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

# The release build links the Swift runtime and Foundation statically: half the start-up
# of every `lagrange` process (no symbol lookups across 15 shared libraries;
# docs/benchmarks-cli.md). GLPK, GSL and libc stay shared. The flag changes how every
# module is compiled, so a later `swift build -c release` without it rebuilds from scratch.
# With nothing of Swift's left to share, the executables are also linked position-dependent
# (`-no-pie`): 83 000 fewer relocations at start-up, about 0.8 ms of CPU per process. (A
# dynamically linked build must stay PIE: the loader warns on every run otherwise.)
STATIC_STDLIB ?= --static-swift-stdlib -Xlinker -no-pie

release: deps
	$(SWIFT) build -c release $(STATIC_STDLIB)

# Solves every problem in problems/tour and writes one convergence plot per problem.
demo: build
	@mkdir -p $(OUT)
	@for f in problems/tour/*.yaml; do \
	  name=$$(basename $$f .yaml); \
	  extra=""; case $$name in \
	    maxflow|svr) extra="--picture $(OUT)/$$name-picture.svg";; \
	    games) extra="--solver native.fictitious-play --solver native.multiplicative-weights --solver glpk.game-lp";; \
	  esac; \
	  .build/debug/lagrange solve $$f --plot $(OUT)/$$name.svg $$extra || [ $$? -eq 1 ]; \
	  echo "  plot: $(OUT)/$$name.svg"; echo; \
	done

test: deps
	$(SWIFT) test

# DocC documentation of every library module, combined in .build/docs/Lagrange.doccarchive
# (the toolchain's docc; no plugin, no network), and the public declarations of the
# user-facing modules that lack a doc comment (scripts/undocumented.py).
docs: deps
	scripts/docs.sh

# `lagrange sweep` on a real one-node Slurm cluster started here (installs slurm-wlm and
# munge; needs root; about a minute): docs/sweeps.md.
slurm-test: deps
	scripts/slurm-test.sh

# libFuzzer targets for every reader, FUZZ_SECONDS each (default 60); docs/hardening.md.
FUZZ_SECONDS ?= 60
fuzz: deps
	Fuzz/build.sh
	FUZZ_SECONDS=$(FUZZ_SECONDS) Fuzz/run.sh

# The test suite under AddressSanitizer and ThreadSanitizer (separate build folders).
# Tests/lsan.supp silences leaks that live until exit by design in GLPK, Foundation and
# XCTest; any other leak, and every memory or threading error, fails the run. The 50 ms
# limit tests are skipped: instrumentation makes every solver 5-15x slower.
sanitize: deps
	LSAN_OPTIONS=suppressions=$(CURDIR)/Tests/lsan.supp $(SWIFT) test --sanitize=address --scratch-path .build-asan --skip LimitTests
	$(SWIFT) test --sanitize=thread --scratch-path .build-tsan --skip LimitTests

# Installs the release `lagrange` binary into $(PREFIX)/bin (it links GLPK and GSL, which
# `deps` installs).
install: release
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 .build/release/lagrange $(DESTDIR)$(PREFIX)/bin/lagrange

clean:
	rm -rf .build .build-fuzz .build-asan .build-tsan $(OUT)
