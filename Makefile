# Two commands for a newcomer: `make local` runs the whole stack on this machine, `make test` runs every test.
# Both install what they need first.
SHELL := /bin/bash
.DEFAULT_GOAL := help
NPM_STAMP := node_modules/.package-lock.json
# Node 22 (the deployed runtime) comes from the npm package node@22, kept outside node_modules so that it
# never shadows this machine's node in node_modules/.bin.
NODE22_VERSION := 22.23.3
NODE22_DIR := .tools/node22
NODE22 := $(NODE22_DIR)/node_modules/node/bin/node
MOCHA := node_modules/mocha/bin/mocha.js
UNIT := 'test/unit/**/*.test.ts'
INTEGRATION := 'test/integration/**/*.test.ts' 'test/rehearsal/**/*.test.ts'
E2E := 'test/e2e/**/*.test.ts'

.PHONY: help deps build typecheck lint format test test-js test-unit test-integration test-e2e test-node22 \
        bench loadtest capacity local local-reset web tf-check tf-lint tf-rehearse clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

# npm ci installs what the lock says, so only a changed lock makes the install stale (not an edited script).
$(NPM_STAMP): package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

deps: $(NPM_STAMP) ## Install npm dependencies when missing or stale

build: deps ## Bundle every Lambda into dist/<name>/index.js and dist/<name>.zip (reproducible)
	node scripts/build.mjs

typecheck: deps ## Strict TypeScript check of functions, local stack, web app, scripts and tests
	npx tsc -p tsconfig.json --noEmit

lint: deps ## ESLint (type-aware) and Prettier's check over the whole repository
	npx eslint .
	npx prettier --check .

format: deps ## Rewrite files in the committed Prettier format
	npx prettier --write .

test: build typecheck lint test-js test-node22 tf-check tf-rehearse ## Run every test: types, lint, unit, integration, browser e2e, Node 22, Terraform, deploy rehearsal on moto

test-js: build ## Mocha: unit, integration and browser end-to-end suites on this machine's Node
	node $(MOCHA) $(UNIT) $(INTEGRATION) $(E2E)

test-unit: deps ## Mocha unit tests only
	node $(MOCHA) $(UNIT)

test-integration: build ## Mocha integration tests against the local stack
	node $(MOCHA) $(INTEGRATION)

test-e2e: build ## Browser end-to-end test (needs Debian chromium)
	node $(MOCHA) $(E2E)

$(NODE22):
	npm install --prefix $(NODE22_DIR) --no-save --no-audit --no-fund --no-package-lock node@$(NODE22_VERSION)

test-node22: build $(NODE22) ## Unit and integration suites on Node 22 (the deployed runtime), from the node@22 npm package
	PATH="$(abspath $(dir $(NODE22))):$$PATH" $(NODE22) $(MOCHA) $(UNIT) $(INTEGRATION)

bench: build ## Authorizer verification benchmark, bundle sizes and load times
	npx tsx scripts/bench.ts

loadtest: build ## Load test through the local stack beside a bare ws echo server
	npx tsx scripts/loadtest.ts

capacity: build ## Capacity model: the scale table and the reconnect-storm simulation (docs/scale.md)
	npx tsx scripts/capacity.ts --scale-table && npx tsx scripts/capacity.ts --storm

# The stack rebuilds the Lambda bundles itself when they are missing or older than their sources
# (LOCAL_BUILD=auto|if-missing|never). node is exec'd so that it is make's own child: make passes SIGTERM on,
# and the stack stops with make when make exits on a SIGINT sent to its PID alone.
local: deps ## Run the whole system on localhost (issuer, DynamoDB, WebSocket gateway, Lambda Invoke API, web app)
	exec node --import tsx local/main.ts

local-reset: deps ## Forget the local state (issuer keys and users under LOCAL_STATE_DIR, default .local), then run `make local`
	rm -rf -- "$${LOCAL_STATE_DIR:-.local}"
	exec node --import tsx local/main.ts

web: deps ## Serve the web app against a deployed stack (reads `terraform output -json`)
	exec node --import tsx local/run-attached.ts web/serve-deployed.ts

tf-check: ## Terraform fmt, init, validate and mocked `terraform test`, offline when TF_PROVIDER_MIRROR is set
	bash scripts/tf-check.sh

tf-lint: ## tflint over the root and modules, when tflint is installed
	bash scripts/tf-lint.sh

tf-rehearse: build ## Apply the Terraform to moto (defaults, every optional feature, authorizer-only), check the wiring, run traffic through it, plan again, destroy
	npx tsx scripts/rehearse/main.ts

clean: ## Remove build output and local state
	rm -rf dist .local test-artifacts .tools
