# One entry point per task; each creates .venv on a fresh clone.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv browser asl-validator test demo bench soak lint lock clean fast fast-list pure synth

$(STAMP): pyproject.toml constraints.txt
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

venv: $(STAMP)

# Debian's chromium for the dashboard's browser test (Playwright drives it); where apt is not
# there or not allowed, the test is skipped and says what to install.
browser:
	@command -v chromium >/dev/null || (apt-get install -y -q chromium >/dev/null 2>&1 \
		|| echo "note: chromium not installed; the dashboard's browser test will be skipped with the reason")

# The Amazon States Language validator (npm) for the Step Functions tests; without npm they are
# skipped with the reason (under CI they fail).
ASL_VALIDATOR := .tools/asl/node_modules/.bin/asl-validator

$(ASL_VALIDATOR):
	@command -v npm >/dev/null && npm install --silent --no-audit --no-fund --save-exact \
		--prefix .tools/asl asl-validator@4.0.0 \
		|| echo "note: npm not found; the ASL validation tests will be skipped with the reason"

asl-validator: $(ASL_VALIDATOR)

test: $(STAMP) browser asl-validator
	$(BIN)/python -m pytest -q

# The CDK app's CloudFormation templates in infrastructure/cdk.out, offline: no AWS credentials,
# no Docker (the image asset is only fingerprinted); cdk-nag's AwsSolutions checks gate it.
synth: $(STAMP)
	cd infrastructure && ../$(BIN)/python app.py && ls cdk.out/*.template.json

demo: $(STAMP)
	$(BIN)/mecrouter demo

bench: $(STAMP)
	$(BIN)/python -m pytest -q -m bench -s -p no:cacheprovider -o python_files='bench_*.py' benchmarks

# Ten minutes at a fixed rate through two replicas sharing a Redis, faults on a schedule (needs
# redis-server on PATH); writes report/soak/. Not part of `make test` or `make bench`.
soak: $(STAMP)
	$(BIN)/python benchmarks/soak.py --minutes 10 --out report/soak

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks infrastructure
	$(BIN)/ruff format --check src tests benchmarks infrastructure
	$(BIN)/mypy src
	cd infrastructure && ../$(BIN)/mypy --strict mecrouter_infra app.py
	$(BIN)/lint-imports

# After changing dependencies in pyproject.toml: install them, then pin what is installed.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	{ sed -n '/^#/p' constraints.txt; $(BIN)/python -m pip freeze --exclude-editable \
		| grep -v '^mecrouter'; } > constraints.txt.new
	mv constraints.txt.new constraints.txt

# The simulator's hot modules compiled with mypyc (opt-in, about 8 minutes; C files built with the
# machine's gcc). The .so files sit beside their sources and win over them on import; `make pure`
# removes them. mecrouter warns at import when a source is newer than its compiled module.
FAST := state.py breaker.py sim/requests.py sim/facts.py sim/calls.py sim/run.py sim/scoring.py sim/engine.py \
	sim/world.py sim/traces.py sim/policies.py agents/router.py agents/constraints.py \
	agents/policies.py agents/resource.py utility.py prediction.py

fast: $(STAMP) pure
	touch build-started
	$(BIN)/mypyc --config-file pyproject.toml $(addprefix src/mecrouter/,$(FAST))
	# dated when the build began: a source edited since then is newer, so flagged as stale
	find src -name '*.so' -exec touch -r build-started {} +
	rm -f build-started

# The modules `make fast` compiles (benchmarks/builds.py builds them in a copy of the tree).
fast-list:
	@echo $(addprefix src/mecrouter/,$(FAST))

pure:
	find src -name '*.so' -delete
	rm -rf build

clean: pure
	rm -rf $(VENV) *.egg-info .bench-cache .tools infrastructure/cdk.out
