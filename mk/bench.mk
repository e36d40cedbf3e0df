# The benchmarks and the reports generated from them under docs/reports/. Included by the Makefile,
# whose variables they use. Each report's prose is written by its program.

# Measures the engine's access patterns on this machine: rewrites docs/reports/access-patterns.md, and the
# measurements docs/reports/analysis.md's checklists are filled from.
answers: build handler-pools ## measure the engine's access patterns: docs/reports/access-patterns.md
	build/with-progress answers $(DEMO_JAVA) dev.baton.demo.AccessPatterns docs/reports/access-patterns.md docs/reports/analysis/access-patterns.json

# JFR's execution samples of each design's work per event on one thread (the end-to-end candidates
# with no handler thread), summarised into docs/reports/profile.md, which the report's explanations quote.
PROFILE_JFR := target/bench/jfr
bench-profile: build handler-pools ## JFR samples of one-thread work per event: docs/reports/profile.md
	rm -rf $(PROFILE_JFR)
	build/with-progress bench-profile $(JAVA) -cp "$(BENCH_CP)" org.openjdk.jmh.Main 'EndToEndBenchmark.throughput' -p candidate=batonOneThread,onHeapOneThread \
		-t 1 -f 1 -wi 2 -w 2s -i 3 -r 3s -prof "jfr:dir=$(PROFILE_JFR);configName=profile" \
		-jvmArgsAppend "-Xmx2g --enable-native-access=ALL-UNNAMED -Dbaton.native.dir=$(CURDIR)/$(NATIVE_OUT)"
	$(JAVA) -cp "$(BENCH_CP)" dev.baton.bench.ProfileSummary $(PROFILE_JFR) docs/reports/profile.md
	cat docs/reports/profile.md

# JMH: every candidate of every location, then docs/reports/analysis.md regenerated from the JSON.
# `make bench` is the quick mode (about ten minutes on two cores); `make bench-full` the full one.
# BENCH_ONLY="EndToEndBenchmark PingPongBenchmark" runs only those classes again and keeps the
# other runs' JSON, for a change that touches only their paths.
BENCH_CP = bench/target/classes:$$(cat bench/target/classpath.txt)
# Single round trips across processes, with the handler asleep in a wait, beside a handler thread and
# a handler that polls every 10 ms; then the same for a handler process on each language binding, with
# its throughput: docs/reports/cross-process.md. A measurement on a shared machine, not a test.
ROUND_TRIP := target/bench/round_trip
$(ROUND_TRIP): bench/native/round_trip.c $(LIBBATON) $(NATIVE_OUT)/$(LIBBATON_SONAME)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) -O2 -o $@ $< -L$(NATIVE_OUT) -lbaton -Wl,-rpath,$(CURDIR)/$(NATIVE_OUT) -lpthread

# The Python pipelines' own environment: pyzmq, pinned in bench/python/requirements.txt, never a
# dependency of the binding (which runs from the source tree here).
BENCH_PYTHON_ENV := target/bench/python-env
$(BENCH_PYTHON_ENV)/.installed: bench/python/requirements.txt
	rm -rf $(BENCH_PYTHON_ENV) && $(PYTHON) -m venv $(BENCH_PYTHON_ENV)
	$(BENCH_PYTHON_ENV)/bin/pip install --quiet --disable-pip-version-check -r bench/python/requirements.txt
	touch $@

bench-round-trip: $(ROUND_TRIP) bindings $(RUST_HANDLER_PROCESS) $(BENCH_PYTHON_ENV)/.installed ## cross-process round trips per language: docs/reports/cross-process.md
	$(BINDINGS_ENV) PYTHONPATH=$(CURDIR)/bindings/python build/with-progress bench-round-trip bench/native/round-trip-report \
		$(ROUND_TRIP) $(NODE) $(BENCH_PYTHON_ENV)/bin/python > docs/reports/cross-process.md
	cat docs/reports/cross-process.md

# The instruction budget of libbaton's hot paths, one at a time and in batches, counted by callgrind:
# the same count whatever else the machine does, so a regression shows as a number. The events (and
# the fifth of them each locked-instruction count runs) are whole batches of 64, so that a per-batch
# cost reads exactly from the per-event figures. docs/reports/instructions.md.
INSTRUCTIONS := target/bench/instructions
INSTRUCTION_EVENTS := 102400
NATIVE_TIMED_EVENTS := 2000000
$(INSTRUCTIONS): bench/native/instructions.c $(LIBBATON) $(NATIVE_OUT)/$(LIBBATON_SONAME)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) -O2 -g -o $@ $< -L$(NATIVE_OUT) -lbaton -Wl,-rpath,$(CURDIR)/$(NATIVE_OUT) -Wl,-z,now

bench-instructions: $(INSTRUCTIONS) ## callgrind instruction counts of the hot paths: docs/reports/instructions.md
	build/with-progress bench-instructions $$(build/ensure-tools valgrind) --tool=callgrind --compress-strings=no --callgrind-out-file=target/bench/callgrind.out \
		$(INSTRUCTIONS) $(INSTRUCTION_EVENTS)
	bench/native/instruction-report target/bench/callgrind.out $(INSTRUCTION_EVENTS) $(INSTRUCTIONS) $(NATIVE_TIMED_EVENTS) \
		$(CC) $$(build/ensure-tools valgrind) $(LIBBATON) > docs/reports/instructions.md
	cat docs/reports/instructions.md

# Latency under load, at half of each candidate's flat-out rate, coordinated omission excluded (see
# LatencyUnderLoad): docs/reports/latency-under-load.md. A measurement on a shared machine, not a test.
LATENCY_SECONDS ?= 20
bench-latency: build handler-pools ## latency under load: docs/reports/latency-under-load.md
	build/with-progress bench-latency $(JAVA) --enable-native-access=ALL-UNNAMED -Dbaton.native.dir=$(CURDIR)/$(NATIVE_OUT) \
		-cp "$(BENCH_CP)" dev.baton.bench.LatencyUnderLoad docs/reports/latency-under-load.md $(LATENCY_SECONDS)
	cat docs/reports/latency-under-load.md

# Dispatch -> complete -> drain across payload sizes, beside the on-heap pipeline and one memcpy of
# the same bytes (PayloadSizeBenchmark): docs/reports/payload-sizes.md.
bench-payload: build handler-pools ## throughput across payload sizes: docs/reports/payload-sizes.md
	build/with-progress bench-payload $(JAVA) -cp "$(BENCH_CP)" dev.baton.bench.PayloadSizes docs/reports/payload-sizes.md $(CURDIR)/$(NATIVE_OUT)

bench: BENCH_MODE = quick
bench-full: BENCH_MODE = full
bench bench-full: build handler-pools ## JMH (bench: quick, about ten minutes; bench-full: about 40), then docs/reports/analysis.md
	build/with-progress bench $(JAVA) -cp "$(BENCH_CP)" dev.baton.bench.BenchMain $(BENCH_MODE) docs/reports/analysis/jmh $(CURDIR)/$(NATIVE_OUT) $(BENCH_ONLY)
	$(JAVA) -cp "$(BENCH_CP)" dev.baton.bench.Report docs/reports/analysis/jmh docs/reports/analysis.md docs/reports/analysis

# The Aeron bridge against Aeron's own ping and a gRPC bidirectional stream, on loopback, in one JMH run.
bench-remote: build ## the bridge, Aeron's ping and gRPC side by side: docs/reports/remote-bridge.md
	$(JAVA) $(AERON_FLAGS) --enable-native-access=ALL-UNNAMED -Dbaton.native.dir=$(CURDIR)/$(NATIVE_OUT) \
		-cp "$(BENCH_CP)" dev.baton.bench.remote.RemoteReport docs/reports/remote-bridge.md
