# taskstream: the two commands are `make demo` (set up, run the pipeline, send a
# demo load) and `make test` (set up, start what the tests need, run them all).
SHELL := /bin/bash
STACK := deploy/local/stack.sh
SERVICES := deploy/local/services.sh
CLI := node libs/cli/dist/main.js
DEMO_TASKS ?= 100000

.PHONY: deps install build up down status demo test test-unit bench stats trace clean

## deps: system packages (redis-server, kcat), Kafka jars, the Jaeger binary (cached)
deps:
	$(STACK) deps

## install: node modules exactly as locked (only when the lock changed)
install: node_modules/.package-lock.json
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund

## build: compile every workspace (TypeScript project references)
build: install
	npx tsc -b
	chmod +x libs/cli/dist/main.js

## up: Redis, Kafka (+ topics), Jaeger, then ingest, bridge and consumer
up: deps build
	$(STACK) up
	$(SERVICES) start

## down: stop everything `make up` started, by pid
down:
	$(SERVICES) stop
	$(STACK) down

status:
	-$(STACK) status
	-$(SERVICES) status

## demo: the pipeline locally with a demo load, and what happened
demo: up
	$(CLI) load --tasks $(DEMO_TASKS) --type noop
	@echo "Status of any task: curl -s localhost:8080/v1/tasks/<id>; metrics: curl -s localhost:8082/metrics; stop: make down"

## test: the test files type-checked, everything the suites need installed and started, then unit + integration suites
## (--forceExit: a handle a suite forgot to close must not hold CI until its time limit)
test: deps build
	npx tsc -p tsconfig.tests.json
	$(STACK) up
	mkdir -p test-results
	npx jest --runInBand --forceExit --json --outputFile=test-results/jest.json; rc=$$?; node test/summary.js test-results/jest.json; exit $$rc

test-unit: build
	npx tsc -p tsconfig.tests.json
	npx jest --selectProjects unit

## bench: taskstream, BullMQ and Kafka's own perf tools on the local stack, same task count; table, JSON and
## chart in bench-results/ (docs/performance.md). BENCH_TASKS=100000 for a ~2 min run; BENCH_SCENARIOS=a,b for some
bench: up
	$(SERVICES) stop && $(SERVICES) start
	node test/bench/dist/main.js

## stats: live terminal view of the running pipeline (depth, lag, rates, p50/p99, errors); Ctrl-C ends it
stats: build
	$(CLI) stats

## trace: a task's trace from Jaeger as a terminal waterfall: make trace ID=<task-id>
trace: build
	$(CLI) trace $(ID)

clean:
	npx tsc -b --clean
	rm -rf test-results
