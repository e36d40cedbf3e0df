# Baton: the one entry point. Maven builds Java; this file ties Maven, the C build and the tests.
#   make demo   the main job: a Java host dispatching a million events to Java handlers
#   make test   every test
SHELL := /bin/bash
.DEFAULT_GOAL := build

# A JDK >= 25: JAVA_HOME if it is one, else the newest under /usr/lib/jvm (build/find-jdk).
JAVA_HOME := $(shell build/find-jdk 25)
ifeq ($(JAVA_HOME),)
$(error Baton needs a JDK 25 or newer; build/find-jdk said why above)
endif
export JAVA_HOME
JAVA := $(JAVA_HOME)/bin/java

MVN := ./mvnw --batch-mode --no-transfer-progress
DEMO_ARGS ?=

.PHONY: build test demo clean

build:
	$(MVN) --quiet -DskipTests package

test:
	$(MVN) verify

# The demo runs with no --add-opens and no Unsafe: Baton's run time needs neither.
demo: build
	$(JAVA) -cp "demo/target/classes:$$(cat demo/target/classpath.txt)" dev.baton.demo.Demo $(DEMO_ARGS)

clean:
	$(MVN) --quiet clean
