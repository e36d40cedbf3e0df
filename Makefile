# Baton: the one entry point. Maven builds Java; this file ties Maven, the C build and the tests.
#   make demo   the main job: a Java host dispatching a million events to Java handlers
#   make test   every test
SHELL := /bin/bash
.DEFAULT_GOAL := build

# A JDK >= 25: JAVA_HOME if it is one, else the newest under /usr/lib/jvm (build/find-jdk). Only the
# Java targets need one: libbaton, its install and the C and Rust tests build without a JDK.
JDK_FREE_GOALS := help native install test-install test-c test-declarations declarations test-rust handler-pools bench-round-trip bench-instructions bindings packages test-bindings \
	test-python test-ruby test-node
ifneq ($(filter-out $(JDK_FREE_GOALS),$(or $(MAKECMDGOALS),$(.DEFAULT_GOAL))),)
JAVA_HOME := $(shell build/find-jdk 25)
ifeq ($(JAVA_HOME),)
$(error Baton needs a JDK 25 or newer; build/find-jdk said why above)
endif
export JAVA_HOME
# Maven's own dependency (Guice) calls sun.misc.Unsafe, which JDK 25 warns about on every run; Baton
# does not. Allowed for Maven's JVM alone, so the warning no longer reads as the library's.
export MAVEN_OPTS += --sun-misc-unsafe-memory-access=allow
endif
JAVA = $(JAVA_HOME)/bin/java

MVN = ./mvnw --batch-mode --no-transfer-progress -Dbaton.platform=$(PLATFORM)
DEMO_ARGS ?=

# ---------------------------------------------------------------- native
CC ?= cc
# The platform folder: derived here from uname, or given by Maven when Maven runs make (PLATFORM=...).
PLATFORM ?= linux-$(shell uname -m | sed 's/amd64/x86_64/')
NATIVE_OUT := target/native/$(PLATFORM)
CFLAGS_COMMON := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Wpedantic -Werror -Iinclude -Inative
# Link-time optimisation lets the compiler inline the small cross-file helpers of the hot path (the
# slab's and the rings' accessors): about 1,250 instructions per event instead of 1,534 (make bench-instructions).
# The objects keep machine code beside it (fat), so libbaton.a links with any linker, LTO or not.
NATIVE_CFLAGS := $(CFLAGS_COMMON) -O2 -g -flto=auto -ffat-lto-objects -fPIC -fvisibility=hidden
LIBBATON_SOURCES := $(wildcard native/*.c)
LIBBATON_DEPS := $(LIBBATON_SOURCES) native/baton_internal.h include/baton.h native/libbaton.map
LIBBATON := $(NATIVE_OUT)/libbaton.so
ABI_MAJOR := $(shell sed -n 's/^\#define BATON_ABI_MAJOR \([0-9]*\)/\1/p' include/baton.h)
ABI_MINOR := $(shell sed -n 's/^\#define BATON_ABI_MINOR \([0-9]*\)/\1/p' include/baton.h)
LIBBATON_SONAME := libbaton.so.$(ABI_MAJOR)
LIBBATON_STATIC := $(NATIVE_OUT)/libbaton.a
LIBBATON_OBJECTS := $(patsubst native/%.c,$(NATIVE_OUT)/objects/%.o,$(LIBBATON_SOURCES))
C_HANDLERS := $(NATIVE_OUT)/libbaton_c_handlers.so
HANDLER_PROCESS := $(NATIVE_OUT)/baton_handler_process
HOST_PROCESS := $(NATIVE_OUT)/baton_host_process
FAULTY_HANDLER_PROCESS := $(NATIVE_OUT)/baton_handler_process_faults
RUST_HANDLERS := $(NATIVE_OUT)/libbaton_rust_handlers.so
# The Rust crate's handler process (rust/baton/examples), which tests/bindings/handler-process runs for rust.
RUST_HANDLER_PROCESS := target/rust/release/examples/handler_process
# cargo (and cc) from build/ensure-tools, which installs Debian's packages when they are missing.
CARGO ?= $(shell build/ensure-tools cargo)
PKG_CONFIG ?= $(shell build/ensure-tools pkg-config)
C_TEST_SOURCES := $(LIBBATON_SOURCES) tests/c/test_channel.c tests/c/test_parts.c tests/c/test_blocks.c tests/c/test_yield.c tests/c/test_foreign_writer.c tests/c/test_misuse.c tests/c/test_files.c tests/c/test_liveness.c tests/c/test_host.c tests/c/scribble_trials.c

.PHONY: build native handler-pools install test test-c test-install test-readme test-rust test-java test-consumer test-jcstress bench-round-trip \
	bindings packages java-dist test-bindings test-python test-ruby test-node declarations test-declarations \
	test-fuzz fuzz stress soak crash crash-host scribble reliability demo answers bench bench-full bench-instructions bench-latency bench-payload bench-profile clean help

build: ## the Java modules, without tests
	$(MVN) --quiet -DskipTests package

# libbaton alone: what the jar carries and `make install` installs.
native: $(LIBBATON) $(NATIVE_OUT)/$(LIBBATON_SONAME) ## libbaton alone (shared, with its SONAME link)

# Test fixtures: the C and Rust handler pools a Java host starts with one downcall, and C handler
# and host processes that share a channel file with a Java one, built beside libbaton (they find it there through
# their rpath) by the targets that use them.
handler-pools: $(C_HANDLERS) $(RUST_HANDLERS) $(RUST_HANDLER_PROCESS) $(HANDLER_PROCESS) $(HOST_PROCESS) $(FAULTY_HANDLER_PROCESS) ## the C and Rust handler pools, and the C and Rust handler processes and C host process the tests use

# One compilation of libbaton's sources serves the shared and the static library.
$(NATIVE_OUT)/objects/%.o: native/%.c native/baton_internal.h include/baton.h
	@mkdir -p $(@D)
	$(CC) $(NATIVE_CFLAGS) -c -o $@ $<

$(LIBBATON): $(LIBBATON_OBJECTS) native/libbaton.map
	$(CC) $(NATIVE_CFLAGS) -shared -Wl,-z,nodelete -Wl,--version-script=native/libbaton.map -Wl,-soname,$(LIBBATON_SONAME) -o $@ $(LIBBATON_OBJECTS) -lpthread

# The name the handler pools ask the dynamic loader for.
$(NATIVE_OUT)/$(LIBBATON_SONAME): $(LIBBATON)
	ln -sf libbaton.so $@

$(C_HANDLERS): tests/c/handler_pool.c $(LIBBATON)
	$(CC) $(NATIVE_CFLAGS) -shared -o $@ $< -L$(NATIVE_OUT) -lbaton -Wl,-rpath,'$$ORIGIN' -lpthread

$(NATIVE_OUT)/baton_%_process: tests/c/%_process.c $(LIBBATON) $(NATIVE_OUT)/$(LIBBATON_SONAME)
	$(CC) $(CFLAGS_COMMON) -O2 -g -o $@ $< -L$(NATIVE_OUT) -lbaton -Wl,-rpath,'$$ORIGIN' -lpthread

# The handler process for crash trials: libbaton's own sources with the fault hook compiled in, so that
# BATON_FAULT=<point>:<n> kills it at a chosen dangerous instant. Never installed or bundled.
$(FAULTY_HANDLER_PROCESS): tests/c/handler_process.c tests/c/fault_hooks.c $(LIBBATON_DEPS)
	$(CC) $(CFLAGS_COMMON) -O2 -g -DBATON_FAULT_HOOKS -o $@ tests/c/handler_process.c tests/c/fault_hooks.c \
		$(LIBBATON_SOURCES) -lpthread

RUST_SOURCES := $(wildcard rust/Cargo.toml rust/*/Cargo.toml rust/*/build.rs rust/*/src/*.rs \
	tests/rust/Cargo.toml tests/rust/*/Cargo.toml tests/rust/*/build.rs tests/rust/*/src/*.rs)
$(RUST_HANDLERS): $(RUST_SOURCES) $(LIBBATON)
	BATON_NATIVE_DIR=$(CURDIR)/$(NATIVE_OUT) $(CARGO) build --quiet --release --offline \
		--manifest-path tests/rust/Cargo.toml --target-dir target/rust
	cp target/rust/release/libbaton_rust_handlers.so $@

$(RUST_HANDLER_PROCESS): $(RUST_SOURCES) rust/baton/examples/handler_process.rs $(LIBBATON)
	BATON_NATIVE_DIR=$(CURDIR)/$(NATIVE_OUT) $(CARGO) build --quiet --release --offline --example handler_process \
		--manifest-path rust/Cargo.toml --target-dir target/rust

# The static library: the same objects, for programs that link libbaton in.
$(LIBBATON_STATIC): $(LIBBATON_OBJECTS)
	rm -f $@ && ar rcs $@ $(LIBBATON_OBJECTS)

# ---------------------------------------------------------------- install (C users)
# make install PREFIX=/opt/baton: libbaton.so.<major>.<minor> with SONAME libbaton.so.<major> and its
# links, libbaton.a, baton.h, and baton.pc for pkg-config.
PREFIX ?= /usr/local
VERSION := $(shell sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
install: $(LIBBATON) $(LIBBATON_STATIC) ## libbaton, baton.h and baton.pc under PREFIX (default /usr/local)
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 755 $(LIBBATON) $(DESTDIR)$(PREFIX)/lib/$(LIBBATON_SONAME).$(ABI_MINOR)
	ln -sf $(LIBBATON_SONAME).$(ABI_MINOR) $(DESTDIR)$(PREFIX)/lib/$(LIBBATON_SONAME)
	ln -sf $(LIBBATON_SONAME) $(DESTDIR)$(PREFIX)/lib/libbaton.so
	install -m 644 $(LIBBATON_STATIC) $(DESTDIR)$(PREFIX)/lib/libbaton.a
	install -m 644 include/baton.h $(DESTDIR)$(PREFIX)/include/baton.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' native/baton.pc.in > $(DESTDIR)$(PREFIX)/lib/pkgconfig/baton.pc

# Installs into a temporary prefix, then builds a C program from outside the repository with nothing
# but pkg-config, against the shared and the static library, and runs both. Checks the SONAME and
# that the shared library exports baton_* only.
INSTALL_TEST := $(CURDIR)/target/install-test
test-install: ## install into a temporary prefix and build C programs against it with pkg-config
	rm -rf $(INSTALL_TEST) && $(MAKE) --no-print-directory install PREFIX=$(INSTALL_TEST)/prefix
	mkdir -p $(INSTALL_TEST)/consumer && cp tests/install/consumer.c $(INSTALL_TEST)/consumer/
	cd $(INSTALL_TEST)/consumer && export PKG_CONFIG_PATH=$(INSTALL_TEST)/prefix/lib/pkgconfig && \
		$(CC) -std=c11 -Wall -Werror -o shared consumer.c $$($(PKG_CONFIG) --cflags --libs baton) \
			-Wl,-rpath,$$($(PKG_CONFIG) --variable=libdir baton) && ./shared && \
		$(CC) -std=c11 -Wall -Werror -o static consumer.c $$($(PKG_CONFIG) --cflags baton) \
			$$($(PKG_CONFIG) --variable=libdir baton)/libbaton.a $$($(PKG_CONFIG) --static --libs-only-l baton | sed 's/-lbaton//') && \
		./static && ! ldd static | grep -q libbaton
	readelf -d $(INSTALL_TEST)/prefix/lib/libbaton.so | grep -q 'SONAME.*\[$(LIBBATON_SONAME)\]'
	! nm -D --defined-only $(INSTALL_TEST)/prefix/lib/libbaton.so | awk '{print $$3}' | grep -v -e '^baton_' -e '^BATON_[0-9]*$$'
	@echo "install: shared and static consumers ran; SONAME $(LIBBATON_SONAME); only baton_* exported"

# A user's Java application outside this build (tests/consumer), compiled by Maven against the
# installed artifact, then run without Maven as a named module on a module path of the consumer and
# make java-dist's jars, with native access granted to dev.baton alone: its jar carries libbaton,
# which the consumer extracts and loads (no -Dbaton.native.dir). Its C handlers are built as a C
# user builds them, with pkg-config against test-install's prefix.
test-consumer: test-install test-java java-dist ## a Java application outside the build, on the installed jar, as a named module
	cd tests/consumer && ../../mvnw --batch-mode --no-transfer-progress --quiet --offline package
	export PKG_CONFIG_PATH=$(INSTALL_TEST)/prefix/lib/pkgconfig && $(CC) -std=c11 -D_GNU_SOURCE -O2 -fPIC -shared \
		-o $(INSTALL_TEST)/libconsumer_handlers.so tests/c/handler_pool.c $$($(PKG_CONFIG) --cflags --libs baton) \
		-Wl,-rpath,$$($(PKG_CONFIG) --variable=libdir baton) -lpthread
	mkdir -p $(INSTALL_TEST)/no-libraries
	timeout 120 $(JAVA) --enable-native-access=dev.baton -Djava.library.path=$(INSTALL_TEST)/no-libraries \
		--module-path "tests/consumer/target/classes:$(JAVA_DIST)" \
		--module example.consumer/example.consumer.ConsumerHost \
		$(INSTALL_TEST)/libconsumer_handlers.so baton_c_handlers 100000 > $(INSTALL_TEST)/consumer.txt
	cat $(INSTALL_TEST)/consumer.txt && grep -q 'libbaton from .*/baton-[0-9]*/libbaton.so$$' $(INSTALL_TEST)/consumer.txt

# The C handler of docs/guide/c-handlers.md, extracted from the guide, built into tests/readme's harness and run.
# (The README's Java host snippet is compiled and run by ReadmeSnippetTest, the Rust guide's by cargo test.)
test-readme: $(LIBBATON) $(NATIVE_OUT)/$(LIBBATON_SONAME) ## the C handler of docs/guide/c-handlers.md, built and run under ASan
	mkdir -p target/readme && build/readme-snippet c-handler docs/guide/c-handlers.md > target/readme/c_handler.c
	$(CC) $(CFLAGS_COMMON) -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -Itarget/readme \
		-o target/readme/c_handler tests/readme/c_handler_harness.c -L$(NATIVE_OUT) -lbaton \
		-Wl,-rpath,$(CURDIR)/$(NATIVE_OUT) -lpthread
	target/readme/c_handler

# The C-only tests, twice: AddressSanitizer + UndefinedBehaviorSanitizer, then ThreadSanitizer.
target/ctest/asan: $(C_TEST_SOURCES) tests/c/check.h $(LIBBATON_DEPS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all -o $@ $(C_TEST_SOURCES) -lpthread

target/ctest/tsan: $(C_TEST_SOURCES) tests/c/check.h $(LIBBATON_DEPS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) -O1 -g -fsanitize=thread -o $@ $(C_TEST_SOURCES) -lpthread

test-c: target/ctest/asan target/ctest/tsan $(LIBBATON) ## the C layers, then the C tests under ASan + UBSan, then under TSan
	@echo "== C layers: no file calls a layer above its own (docs/guide/design.md)"
	build/check-c-layers $(NATIVE_OUT)/objects
	@echo "== C tests under ASan + UBSan"
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 target/ctest/asan
	@echo "== C tests under TSan"
	TSAN_OPTIONS=halt_on_error=1 target/ctest/tsan

# rust/ (the crates users depend on) and the pool fixture, with the Rust guide's handler extracted for
# the crate's tests, and baton-sys held to what the C compiler makes of baton.h (tests/c/abi_dump.c).
ABI_DUMP := target/abi/abi_dump
$(ABI_DUMP): tests/c/abi_dump.c include/baton.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) -o $@ tests/c/abi_dump.c

# Every binding's declarations (structs, constants, prototypes), generated from what the compiler
# makes of baton.h; test-declarations fails when the committed ones differ from a fresh generation.
DECLARATIONS := include/baton-abi.json bindings/python/baton/_declarations.py bindings/ruby/lib/baton/declarations.rb \
	bindings/node/lib/declarations.js rust/baton-sys/src/declarations.rs java/src/main/java/dev/baton/internal/ffi/baton_h.java \
	$(wildcard java/src/test/java/dev/baton/ffi/baton_*.java)
declarations: $(ABI_DUMP) ## regenerate every binding's declarations from baton.h (build/gen-declarations)
	build/gen-declarations $(ABI_DUMP) include/baton.h .

test-declarations: $(ABI_DUMP) ## the committed declarations are what build/gen-declarations makes of baton.h now
	rm -rf target/declarations && build/gen-declarations $(ABI_DUMP) include/baton.h target/declarations
	@for file in $(DECLARATIONS) $$(cd target/declarations && find . -type f); do diff -u $$file target/declarations/$$file || \
		{ echo "$$file differs from baton.h's declarations: run make declarations"; exit 1; }; done
	@echo "declarations: $(words $(DECLARATIONS)) files as build/gen-declarations makes them"

RUST_TEST_ENV = BATON_NATIVE_DIR=$(CURDIR)/$(NATIVE_OUT) LD_LIBRARY_PATH=$(CURDIR)/$(NATIVE_OUT) \
	BATON_README_RUST_SNIPPET=$(CURDIR)/target/readme/readme_rust_handler.rs \
	BATON_ABI_DUMP=$(CURDIR)/$(ABI_DUMP) BATON_HEADER=$(CURDIR)/include/baton.h
test-rust: $(LIBBATON) $(NATIVE_OUT)/$(LIBBATON_SONAME) $(ABI_DUMP) ## the Rust crates and the Rust handler pool, with the guide's Rust handler
	mkdir -p target/readme && build/readme-snippet rust-handler docs/guide/rust-handlers.md > target/readme/readme_rust_handler.rs
	$(RUST_TEST_ENV) $(CARGO) test --quiet --release --offline --manifest-path rust/Cargo.toml --target-dir target/rust
	$(RUST_TEST_ENV) $(CARGO) test --quiet --release --offline --manifest-path tests/rust/Cargo.toml --target-dir target/rust

# ---------------------------------------------------------------- language bindings
# bindings/python (ctypes), bindings/ruby (the ffi gem) and bindings/node (koffi, pinned by its
# lockfile). make packages builds each as its ecosystem ships it, carrying this build's libbaton
# (its debug information stripped) and loading it with no environment variable. Their tests install
# those artifacts into a fresh virtual environment, GEM_HOME and npm prefix under target/packages
# and run from there, as a user would: the tests (ABI against abi_dump, bad input, serving), then
# the READMEs' handler snippets against a host (tests/readme/binding_snippet_host.py, itself on the
# installed Python package). Interpreters come from build/ensure-tools.
PYTHON ?= $(shell build/ensure-tools python3)
RUBY ?= $(shell build/ensure-tools ruby)
NODE ?= $(shell build/ensure-tools node)
NPM = PATH="$(dir $(NODE)):$$PATH" npm
NODE_MODULES := bindings/node/node_modules/.package-lock.json
MACHINE := $(shell uname -m)
PACKAGES := $(CURDIR)/target/packages
PACKAGED_LIBBATON := $(PACKAGES)/libbaton.so.$(ABI_MAJOR)
WHEEL_STAMP := $(PACKAGES)/python/.built
GEM_STAMP := $(PACKAGES)/ruby/.built
NPM_STAMP := $(PACKAGES)/node/.built
PYTHON_ENV := $(PACKAGES)/python-env
# The benchmarks' handler processes run the bindings from the source tree, on this build's libbaton.
BINDINGS_ENV = BATON_LIBRARY=$(CURDIR)/$(LIBBATON) BATON_ABI_DUMP=$(CURDIR)/$(ABI_DUMP)
SNIPPET_HOST = BATON_ABI_DUMP=$(CURDIR)/$(ABI_DUMP) $(PYTHON_ENV)/bin/python tests/readme/binding_snippet_host.py 2000

$(NODE_MODULES): bindings/node/package-lock.json bindings/node/package.json
	cd bindings/node && $(NPM) ci --no-audit --no-fund --loglevel=error
	touch $@

# What the bindings need to run here: libbaton, the ABI dump, the interpreters and koffi.
bindings: $(LIBBATON) $(NATIVE_OUT)/$(LIBBATON_SONAME) $(ABI_DUMP) $(NODE_MODULES) ## what the bindings need here: libbaton, the ABI dump, the interpreters, koffi
	@$(PYTHON) --version && $(RUBY) --version

$(PACKAGED_LIBBATON): $(LIBBATON)
	@mkdir -p $(@D)
	strip --strip-debug -o $@ $<

$(WHEEL_STAMP): $(PACKAGED_LIBBATON) $(wildcard bindings/python/baton/*.py) bindings/python/pyproject.toml \
		bindings/python/README.md build/package-python
	rm -rf $(@D) && $(PYTHON) build/package-python $(PACKAGED_LIBBATON) $(ABI_MAJOR) $(@D)
	touch $@

$(GEM_STAMP): $(PACKAGED_LIBBATON) $(wildcard bindings/ruby/lib/*.rb bindings/ruby/lib/baton/*.rb) \
		bindings/ruby/baton.gemspec bindings/ruby/README.md
	rm -rf $(@D) $(PACKAGES)/ruby-stage && mkdir -p $(@D) $(PACKAGES)/ruby-stage/lib/baton/native/linux-$(MACHINE)
	cp -r bindings/ruby/lib bindings/ruby/baton.gemspec bindings/ruby/README.md $(PACKAGES)/ruby-stage/
	cp $(PACKAGED_LIBBATON) $(PACKAGES)/ruby-stage/lib/baton/native/linux-$(MACHINE)/
	cd $(PACKAGES)/ruby-stage && gem build --silent baton.gemspec && mv baton-*.gem $(@D)/
	touch $@

$(NPM_STAMP): $(PACKAGED_LIBBATON) $(wildcard bindings/node/lib/*.js) bindings/node/package.json \
		bindings/node/index.d.ts bindings/node/README.md
	rm -rf $(@D) $(PACKAGES)/node-stage && mkdir -p $(@D) $(PACKAGES)/node-stage/native/linux-$(MACHINE)
	cp -r bindings/node/lib bindings/node/package.json bindings/node/index.d.ts bindings/node/README.md $(PACKAGES)/node-stage/
	cp $(PACKAGED_LIBBATON) $(PACKAGES)/node-stage/native/linux-$(MACHINE)/
	cd $(PACKAGES)/node-stage && $(NPM) pack --silent --pack-destination $(@D) > /dev/null
	touch $@

packages: $(WHEEL_STAMP) $(GEM_STAMP) $(NPM_STAMP) ## a wheel, a gem and an npm tarball in target/packages, each carrying libbaton
	@ls $(PACKAGES)/python/*.whl $(PACKAGES)/ruby/*.gem $(PACKAGES)/node/*.tgz

# The wheel in a fresh virtual environment: the snippet host of every binding's tests runs there too.
$(PYTHON_ENV)/.installed: $(WHEEL_STAMP)
	rm -rf $(PYTHON_ENV) && $(PYTHON) -m venv $(PYTHON_ENV)
	$(PYTHON_ENV)/bin/pip install --quiet --no-index --disable-pip-version-check $(PACKAGES)/python/*.whl
	touch $@

test-python: bindings $(PYTHON_ENV)/.installed ## the Python binding's tests and handler snippets, on the installed wheel
	rm -rf $(PACKAGES)/python-tests && mkdir -p $(PACKAGES)/python-tests && cp -r bindings/python/tests $(PACKAGES)/python-tests/
	build/readme-snippet python-handler bindings/python/README.md > $(PACKAGES)/python-tests/python_handler.py
	build/readme-snippet python-handler README.md > $(PACKAGES)/python-tests/readme_python_handler.py
	cd $(PACKAGES)/python-tests && BATON_ABI_DUMP=$(CURDIR)/$(ABI_DUMP) $(PYTHON_ENV)/bin/python -m unittest discover -s tests -t .
	$(SNIPPET_HOST) $(PYTHON_ENV)/bin/python $(PACKAGES)/python-tests/python_handler.py
	$(SNIPPET_HOST) $(PYTHON_ENV)/bin/python $(PACKAGES)/python-tests/readme_python_handler.py

# The gem in a fresh GEM_HOME; the ffi gem it depends on comes from the system's gems.
RUBY_GEMS := $(PACKAGES)/ruby-gems
RUBY_ENV = GEM_HOME=$(RUBY_GEMS) GEM_PATH=$(RUBY_GEMS):$$(gem env gempath)
test-ruby: bindings $(GEM_STAMP) $(PYTHON_ENV)/.installed ## the Ruby binding's tests and snippet, on the installed gem
	rm -rf $(RUBY_GEMS) $(PACKAGES)/ruby-tests && mkdir -p $(RUBY_GEMS) $(PACKAGES)/ruby-tests
	gem install --silent --local --ignore-dependencies --install-dir $(RUBY_GEMS) $(PACKAGES)/ruby/baton-*.gem
	cp -r bindings/ruby/test $(PACKAGES)/ruby-tests/
	build/readme-snippet ruby-handler bindings/ruby/README.md > $(PACKAGES)/ruby-tests/ruby_handler.rb
	cd $(PACKAGES)/ruby-tests && $(RUBY_ENV) BATON_ABI_DUMP=$(CURDIR)/$(ABI_DUMP) \
		$(RUBY) -e 'ARGV.each { |test| require File.expand_path(test) }' test/test_*.rb
	$(RUBY_ENV) $(SNIPPET_HOST) $(RUBY) $(PACKAGES)/ruby-tests/ruby_handler.rb

# The tarball in a fresh npm prefix (koffi from the npm cache that bindings' npm ci filled); the
# tests run from inside the installed package, where require('..') is what a user's require('baton')
# loads. The TypeScript declarations are checked in the source tree.
NODE_PREFIX := $(PACKAGES)/node-prefix
test-node: bindings $(NPM_STAMP) $(PYTHON_ENV)/.installed ## the Node binding's tests, TypeScript check and snippet, on the installed tarball
	rm -rf $(NODE_PREFIX) && mkdir -p $(NODE_PREFIX)
	cd $(NODE_PREFIX) && $(NPM) install --silent --no-audit --no-fund --prefer-offline $(PACKAGES)/node/baton-*.tgz
	cp -r bindings/node/test $(NODE_PREFIX)/node_modules/baton/
	build/readme-snippet node-handler bindings/node/README.md > $(NODE_PREFIX)/node_handler.js
	cd $(NODE_PREFIX)/node_modules/baton && BATON_ABI_DUMP=$(CURDIR)/$(ABI_DUMP) $(NODE) --test test/
	cd bindings/node && $(NPM) exec --no -- tsc -p .
	$(SNIPPET_HOST) $(NODE) $(NODE_PREFIX)/node_handler.js

test-bindings: test-python test-ruby test-node ## test-python, test-ruby and test-node

# For a Java user without Maven: the jar (which carries libbaton) and the two jars it needs at run
# time, Agrona and HdrHistogram; Micrometer and OpenTelemetry are optional and left out.
JAVA_DIST := target/java-dist
java-dist: build ## the jar and the two jars it needs (Agrona, HdrHistogram) in target/java-dist, for use without Maven
	rm -rf $(JAVA_DIST) && mkdir -p $(JAVA_DIST)
	$(MVN) --quiet -pl java dependency:copy-dependencies -DincludeScope=runtime -DexcludeTransitive=true \
		-DexcludeArtifactIds=micrometer-core,opentelemetry-api -DoutputDirectory=$(CURDIR)/$(JAVA_DIST)
	cp java/target/baton-$(VERSION).jar $(JAVA_DIST)/
	@ls $(JAVA_DIST)

# verify, then install the artifacts into the local Maven repository, where test-consumer finds them.
# The handler pools and the bindings are required here: without them NativeHandlersTest and
# BindingHandlersTest would skip.
test-java: handler-pools bindings ## the Java tests, then install the artifacts into the local Maven repository
	$(MVN) install -Dbaton.handler.pools.required=true

# jcstress: every lock-free protocol under the JVM's stress modes. Quick mode here, without split
# per-actor compilation: each test in 4 VM configurations (C2's code-motion randomizers among them),
# about 6 minutes on two cores, where split compilation's 14 took 16. `make stress` runs the default,
# longer mode with split compilation. Needs test-java's build of tests/jcstress.
# It runs in target/jcstress, where it leaves its result files, and writes its report pages to
# target/jcstress/report, with run.properties beside them: the mode, the tests, the commit and when it
# ended (make reliability reads them).
JCSTRESS_CP = $(CURDIR)/tests/jcstress/target/classes:$$(cat $(CURDIR)/tests/jcstress/target/classpath.txt)
# CloseStress calls libbaton through FFM, so the forked JVMs find it and may call native code.
JCSTRESS_MAIN = $(JAVA) -cp "$(JCSTRESS_CP)" org.openjdk.jcstress.Main \
	-jvmArgsPrepend "--enable-native-access=ALL-UNNAMED -Dbaton.native.dir=$(CURDIR)/$(NATIVE_OUT)"
# $(call JCSTRESS_RUN_PROPERTIES,MODE,TESTS_VARIABLE,REPORT_DIR): what make reliability says of a run. The
# tests' regular expression is passed by its variable's name, since it may hold commas.
JCSTRESS_ALL_TESTS = .*
JCSTRESS_RUN_PROPERTIES = printf 'mode=%s\ntests=%s\ncommit=%s\nended=%s\n' '$(1)' '$($(2))' \
	"$$(git -C $(CURDIR) rev-parse --short HEAD 2>/dev/null || echo unknown)" "$$(date -u +%Y-%m-%dT%H:%MZ)" > $(3)/run.properties

test-jcstress: test-java ## jcstress in quick mode (about 6 minutes)
	mkdir -p target/jcstress && cd target/jcstress && $(JCSTRESS_MAIN) -r report -m quick -sc false
	$(call JCSTRESS_RUN_PROPERTIES,quick,JCSTRESS_ALL_TESTS,target/jcstress/report)

# The demo module's programs (demo, answers, soak, reliability), with libbaton found and native access
# enabled: through FFM they load libbaton and, in some modes, a handler pool. No --add-opens, no Unsafe.
DEMO_JAVA = $(JAVA) $(if $(findstring remote,$(DEMO_ARGS)),$(AERON_FLAGS)) --enable-native-access=ALL-UNNAMED \
	-Dbaton.native.dir=$(CURDIR)/$(NATIVE_OUT) \
	-cp "demo/target/classes:$$(cat demo/target/classpath.txt)"

# libFuzzer on the C API under ASan + UBSan (clang from Debian's packages, installed when missing):
# a short run in make test, ten minutes in make fuzz. Inputs it finds grow target/fuzz/corpus; the
# seeds are in tests/fuzz/corpus.
FUZZER := target/fuzz/fuzz_channel
FUZZ_ARGUMENTS = -timeout=5 -artifact_prefix=target/fuzz/ target/fuzz/corpus tests/fuzz/corpus
FUZZ_RUN = mkdir -p target/fuzz/corpus && $(FUZZER) $(FUZZ_ARGUMENTS)

$(FUZZER): tests/fuzz/fuzz_channel.c $(LIBBATON_DEPS)
	@mkdir -p $(@D)
	$$(build/ensure-tools clang) -std=c11 -D_GNU_SOURCE -g -O1 -Iinclude -Inative \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -o $@ tests/fuzz/fuzz_channel.c $(LIBBATON_SOURCES) -lpthread

test-fuzz: $(FUZZER) ## libFuzzer on the C API for 20 seconds
	$(FUZZ_RUN) -max_total_time=20

test: test-c test-declarations test-install test-readme test-rust test-bindings test-java test-consumer test-jcstress test-fuzz ## every test (what CI runs)

# A node of the Aeron bridge (docs/guide/beyond-one-machine.md). Aeron's media driver needs
# jdk.internal.misc exported (Agrona's UnsafeApi): JVMs that load Aeron take this flag; the core needs none.
AERON_FLAGS = --add-exports java.base/jdk.internal.misc=ALL-UNNAMED
AERON_JAVA = $(JAVA) $(AERON_FLAGS) --enable-native-access=ALL-UNNAMED -Dbaton.native.dir=$(CURDIR)/$(NATIVE_OUT) \
	-cp "aeron/target/classes:$$(cat aeron/target/classpath.txt)"
NODE_ARGS ?=
node: build ## a node of the Aeron bridge; NODE_ARGS="--host CHANNEL --listen CHANNEL --file PATH ..."
	$(AERON_JAVA) dev.baton.aeron.NodeMain $(NODE_ARGS)

# The main job. Baton's run time needs no --add-opens and no Unsafe.
demo: build handler-pools ## the main job; DEMO_ARGS="--handler-mode c|rust|process|python|ruby|node|remote [--kill-one]"
	$(DEMO_JAVA) dev.baton.demo.Demo $(DEMO_ARGS)

include mk/campaigns.mk mk/bench.mk

clean: ## remove every build output
	$(MVN) --quiet clean
	rm -rf target

# Every target with a `## ` comment on its rule line, with that comment.
help: ## this list
	@awk -F ':.*## ' '/^[a-z][a-z -]*:.*## / { printf "  %-20s %s\n", $$1, $$2 }' Makefile mk/campaigns.mk mk/bench.mk
