# Lagrange — quick start: `make demo` solves the bundled tour, `make test` runs the tests.
# Both install the system libraries they need (GLPK, GSL) through apt when missing.

SWIFT        ?= swift
APT_PACKAGES := libglpk-dev libgsl-dev
SUDO         := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
OUT          ?= out

.PHONY: deps build release demo test bench clean

deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

# Solves every problem in problems/tour and writes one convergence plot per problem.
demo: build
	@mkdir -p $(OUT)
	@for f in problems/tour/*.yaml; do \
	  name=$$(basename $$f .yaml); \
	  extra=""; case $$name in maxflow|svr) extra="--picture $(OUT)/$$name-picture.svg";; esac; \
	  .build/debug/lagrange solve $$f --plot $(OUT)/$$name.svg $$extra || [ $$? -eq 1 ]; \
	  echo "  plot: $(OUT)/$$name.svg $${extra:+ picture: $(OUT)/$$name-picture.svg}"; echo; \
	done

test: deps
	$(SWIFT) test

clean:
	rm -rf .build $(OUT)
