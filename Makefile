# Two commands for a newcomer: `make local` runs the whole stack on this machine, `make test` runs every test.
# Both install what they need first.
SHELL := /bin/bash
.DEFAULT_GOAL := help
NPM_STAMP := node_modules/.package-lock.json
NODE22 := node_modules/node22/bin/node
MOCHA := node_modules/mocha/bin/mocha.js

.PHONY: help deps build typecheck test test-js test-unit test-integration test-e2e test-node22 \
        bench loadtest local web tf-check tf-lint clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(NPM_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

deps: $(NPM_STAMP) ## Install npm dependencies when missing or stale

build: deps ## Bundle every Lambda into dist/<name>/index.js and dist/<name>.zip (reproducible)
	node scripts/build.mjs

typecheck: deps ## Strict TypeScript check of functions, local stack, web app, scripts and tests
	npx tsc -p tsconfig.json --noEmit

test: build typecheck test-js test-node22 tf-check ## Run every test: types, unit, integration, browser e2e, Node 22, Terraform

test-js: build ## Mocha: unit, integration and browser end-to-end suites on this machine's Node
	node $(MOCHA)

test-unit: deps ## Mocha unit tests only
	node $(MOCHA) 'test/unit/**/*.test.ts'

test-integration: build ## Mocha integration tests against the local stack
	node $(MOCHA) 'test/integration/**/*.test.ts'

test-e2e: build ## Browser end-to-end test (needs Debian chromium)
	node $(MOCHA) 'test/e2e/**/*.test.ts'

test-node22: build ## Unit and integration suites on Node 22 (the deployed runtime), from the node@22 npm package
	$(NODE22) $(MOCHA) 'test/unit/**/*.test.ts' 'test/integration/**/*.test.ts'

bench: build ## Authorizer verification benchmark, bundle sizes and load times
	npx tsx scripts/bench.ts

loadtest: build ## Load test through the local stack beside a bare ws echo server
	npx tsx scripts/loadtest.ts

local: build ## Run the whole system on localhost (issuer, DynamoDB, WebSocket gateway, web app)
	npx tsx local/main.ts

web: build ## Serve the web app against a deployed stack (reads `terraform output -json`)
	npx tsx web/serve-deployed.ts

tf-check: ## Terraform fmt, init, validate and mocked `terraform test`, offline when TF_PROVIDER_MIRROR is set
	bash scripts/tf-check.sh

tf-lint: ## tflint over the root and modules, when tflint is installed
	bash scripts/tf-lint.sh

clean: ## Remove build output and local state
	rm -rf dist .local test-artifacts
