# The long campaigns, each a make target of its own, and the reliability report they feed
# (docs/reports/reliability.md, docs/reports/crash-campaign.md, docs/reports/reliability/soak.md).
# Included by the Makefile, whose variables they use.

# jcstress in its default mode. STRESS_TESTS (a regular expression over the tests' names, jcstress's
# -t) runs a part, so that the whole can run in parts, e.g. STRESS_TESTS='\.(Slab|Yield)Stress'
# STRESS_PART=slab-yield. Each part's report goes to target/jcstress/default/STRESS_PART, which make
# reliability reads with the others.
STRESS_TESTS ?= .*
STRESS_PART ?= all
STRESS_REPORT = target/jcstress/default/$(STRESS_PART)
stress: build ## jcstress in its default mode (884 test configurations, about two and a half hours on 2 cores); STRESS_TESTS=REGEX STRESS_PART=NAME for a part
	rm -rf $(STRESS_REPORT) && mkdir -p $(STRESS_REPORT)
	cd target/jcstress && $(CURDIR)/build/with-progress stress $(JCSTRESS_MAIN) -r $(CURDIR)/$(STRESS_REPORT) \
		-m default -t '$(STRESS_TESTS)'
	$(call JCSTRESS_RUN_PROPERTIES,default,STRESS_TESTS,$(STRESS_REPORT))

# Ten million events through C handlers with timeouts, cancellations and bad calls; the ledger must
# balance. Writes docs/reports/reliability/soak.md.
SOAK_EVENTS ?= 10000000
soak: build handler-pools ## ten million events through C handlers; writes docs/reports/reliability/soak.md
	build/with-progress soak $(DEMO_JAVA) dev.baton.demo.Soak docs/reports/reliability/soak.md $(SOAK_EVENTS)

# The crash campaign: hundreds of trials in which handler processes die at random moments and at random
# dangerous instants, each ledger balanced by the reaper alone (CrashCampaignTest; make test runs twenty
# trials). Writes docs/reports/crash-campaign.md.
CRASH_TRIALS ?= 1000
crash: build handler-pools ## 1,000 crash trials of handler processes; writes docs/reports/crash-campaign.md
	build/with-progress crash $(MVN) --quiet surefire:test@default-test -pl java -Dtest=CrashCampaignTest -Dbaton.handler.pools.required=true \
		-Dbaton.crash.trials=$(CRASH_TRIALS) -Dbaton.crash.events=20000 -Dbaton.crash.report=$(CURDIR)/docs/reports/crash-campaign.md
	cat docs/reports/crash-campaign.md

# The host-death campaign: hundreds of trials in which a C host process dies at a random moment while
# handler processes of every language serve it, and a Java host adopts the channel; each ledger must
# balance across the adoption (HostDeathCampaignTest; make test runs four trials). Writes
# docs/reports/host-death-campaign.md.
HOST_DEATH_TRIALS ?= 200
crash-host: build handler-pools bindings ## 200 trials of host processes killed and their channels adopted; writes docs/reports/host-death-campaign.md
	build/with-progress crash-host $(MVN) --quiet surefire:test@default-test -pl java -Dtest=HostDeathCampaignTest \
		-Dbaton.handler.pools.required=true -Dbaton.hostdeath.trials=$(HOST_DEATH_TRIALS) \
		-Dbaton.hostdeath.report=$(CURDIR)/docs/reports/host-death-campaign.md
	cat docs/reports/host-death-campaign.md

# The remote crash campaign: hundreds of trials in which one of two nodes of the Aeron bridge (a node
# JVM and a C handler process each) is SIGKILLed at a random instant while a Java host streams events
# to them; each ledger must balance (RemoteCrashCampaignTest; make test runs two trials). Writes
# docs/reports/remote-crash-campaign.md.
REMOTE_TRIALS ?= 200
crash-remote: build handler-pools ## 200 trials of bridge nodes killed at random; writes docs/reports/remote-crash-campaign.md
	build/with-progress crash-remote $(MVN) --quiet surefire:test -pl aeron -Dtest=RemoteCrashCampaignTest \
		-Dbaton.remote.trials=$(REMOTE_TRIALS) -Dbaton.remote.report=$(CURDIR)/docs/reports/remote-crash-campaign.md
	cat docs/reports/remote-crash-campaign.md

# The scribble campaign: thousands of trials, each writing one random word over a live channel's
# dispatch ring while events are in flight, then a thousand over completion records waiting for the
# drain (each settled by the reaper a second or two later), then a thousand over such records' headers
# and a thousand over the completion ring's positions (the drain refusing with BATON_EUCLEAN, the host
# listing the events left), then a thousand over the slab's free list (a dispatch that finds no slot
# refusing so), a thousand over slots' state words (expiry timing their events out), a thousand over
# the attachment table and a thousand over any word of the channel; each trial's
# ledger must balance (tests/c/scribble_trials.c; make test runs 300, 4, and 200 of each other region
# under each sanitizer).
# Writes docs/reports/scribble-campaign.md.
SCRIBBLE_TRIALS ?= 10000
SCRIBBLE_RECORD_TRIALS ?= 1000
SCRIBBLE_REGION_TRIALS ?= 1000
SCRIBBLE := target/ctest/scribble
$(SCRIBBLE): tests/c/scribble_campaign.c tests/c/scribble_trials.c tests/c/check.h $(LIBBATON_DEPS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_COMMON) -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -o $@ \
		tests/c/scribble_campaign.c tests/c/scribble_trials.c $(LIBBATON_SOURCES) -lpthread
scribble: $(SCRIBBLE) ## 10,000 trials of a word scribbled over a live dispatch ring, 1,000 over completion record bodies, and 1,000 each over record headers, the completion ring's positions, the slab's free list, slots' state words, the attachment table and any word of the channel, under ASan; writes docs/reports/scribble-campaign.md
	$(SCRIBBLE) $(SCRIBBLE_TRIALS) $(SCRIBBLE_RECORD_TRIALS) $(SCRIBBLE_REGION_TRIALS) > docs/reports/scribble-campaign.md
	cat docs/reports/scribble-campaign.md

# pipefail: a finding fails the target, though tee keeps the log.
fuzz: $(FUZZER) ## libFuzzer on the C API for ten minutes
	set -o pipefail && mkdir -p target/fuzz/corpus && \
		build/with-progress fuzz $(FUZZER) $(FUZZ_ARGUMENTS) -max_total_time=600 2>&1 | tee target/fuzz/last-run.log

# docs/reports/reliability.md from the last jcstress runs (make test's quick mode, and each part of make stress),
# fuzz and soak runs (make fuzz, make soak), and the campaigns' reports.
reliability: build ## docs/reports/reliability.md from the last stress, fuzz and soak runs
	$(DEMO_JAVA) dev.baton.demo.ReliabilityReport \
		target/jcstress/report target/jcstress/default target/fuzz/last-run.log docs/reports/reliability/soak.md \
		docs/reports/reliability.md
