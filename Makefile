# ealloc — the common tasks. Every target installs the Debian packages it
# needs first (as root), or prints the apt-get line to run (otherwise).
#
#   make demo      the firmware demo: ealloc on a Cortex-M4 under QEMU
#   make demo-host the host demo: one small heap printed step by step
#   make test      every test: sanitizers (gcc, clang, gcc -m32), valgrind, -m32, big-endian PowerPC, release,
#                  cross-compiled warnings, packaging, firmware on six QEMU boards, the benchmark
#                  firmware in four more tlsf configurations, on three RISC-V boards and built with clang
#   make lint      clang-tidy, cppcheck and gcc -fanalyzer over src/ and include/
#   make fuzz      libFuzzer on each back-end for FUZZ_SECONDS (default 300); FUZZ_MEMCHECK=1 under memcheck
#   make coverage  lines and branches of src/ reached by the host tests (gcovr)
#   make soak      the model test for SOAK_OPS (default 100 million) on both back-ends
#   make bench     every benchmark (host, Cortex-M4 under QEMU, worst cases) and the report: bench/results/
#   make size      .text/.data/.bss of each object for cortex-m0plus, cortex-m4, rv32imac
#   make clean

BUILD ?= build
JOBS ?= 2
CTEST = ctest --output-on-failure -j$(JOBS)
SANITIZE = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

.PHONY: all demo demo-host test test-asan-gcc test-asan-clang test-asan-m32 test-valgrind test-m32 test-release \
        test-big-endian test-cross test-packaging test-firmware test-lint test-fuzz test-tsan test-bench-configs \
        lint fuzz coverage soak bench size deps-demo deps-firmware deps-test clean

all: test

deps-demo:
	@tools/install-deps.sh demo
deps-test:
	@tools/install-deps.sh test firmware
deps-firmware:
	@tools/install-deps.sh firmware

# ---- demo -----------------------------------------------------------------------
demo: deps-firmware
	@sh examples/firmware/demo/run.sh

demo-host: deps-demo
	@cmake -S . -B $(BUILD)/demo -DCMAKE_BUILD_TYPE=Release -DEALLOC_BUILD_TESTS=OFF >/dev/null
	@cmake --build $(BUILD)/demo -j$(JOBS) --target ealloc_demo >/dev/null
	@$(BUILD)/demo/examples/host/ealloc_demo

# ---- tests ----------------------------------------------------------------------
test: deps-test
	@$(MAKE) --no-print-directory test-asan-gcc test-asan-clang test-asan-m32 test-valgrind test-m32 \
	    test-big-endian test-release test-tsan test-cross test-packaging test-lint test-fuzz test-firmware test-bench-configs
	@echo "make test: all test stages passed"

# $(call host_stage,dir,compiler,flags,extra cmake args)
define host_stage
	cmake -S . -B $(BUILD)/$(1) -DCMAKE_C_COMPILER=$(2) -DCMAKE_BUILD_TYPE=Debug \
	    -DCMAKE_C_FLAGS="$(3)" -DCMAKE_EXE_LINKER_FLAGS="$(3)" $(4) >/dev/null
	cmake --build $(BUILD)/$(1) -j$(JOBS) >/dev/null
	cd $(BUILD)/$(1) && $(CTEST)
endef

test-asan-gcc:
	@echo "== gcc, AddressSanitizer + UndefinedBehaviorSanitizer"
	@$(call host_stage,asan-gcc,gcc,$(SANITIZE),-DEALLOC_TEST_PRELOAD=OFF)

test-asan-clang:
	@echo "== clang, AddressSanitizer + UndefinedBehaviorSanitizer"
	@$(call host_stage,asan-clang,clang,$(SANITIZE),-DEALLOC_TEST_PRELOAD=OFF)

# 32-bit x86 under ASan: 4-byte headers inside ASan's 8-byte granules (EA_ASAN's tests allow for
# the granule a header shares with the rounding before it).
test-asan-m32:
	@echo "== gcc -m32, AddressSanitizer + UndefinedBehaviorSanitizer"
	@$(call host_stage,asan-m32,gcc,-m32 $(SANITIZE),-DEALLOC_TEST_WITH_SHIM=ON -DEALLOC_TEST_PRELOAD=OFF)

test-valgrind:
	@echo "== gcc -O1, every test under valgrind memcheck"
	@$(call host_stage,valgrind,gcc,-O1 -g,"-DEALLOC_TEST_LAUNCHER=valgrind;-q;--error-exitcode=99;--exit-on-first-error=yes;--leak-check=full" -DEALLOC_MODEL_OPS=200000 -DEALLOC_MODEL_CHECK_EVERY=7 -DEALLOC_TEST_PRELOAD=OFF)

test-m32:
	@echo "== gcc -m32 (32-bit x86)"
	@$(call host_stage,m32,gcc,-m32 -O1 -g,-DEALLOC_TEST_WITH_SHIM=ON)

test-release:
	@echo "== gcc -O2, release build"
	@$(call host_stage,release,gcc,-O2 -DNDEBUG,)

test-big-endian:
	@echo "== big-endian: the host suites on 32-bit PowerPC Linux under qemu-user"
	@cmake -S . -B $(BUILD)/big-endian -DCMAKE_TOOLCHAIN_FILE=targets/toolchains/powerpc-linux-gnu.cmake \
	    -DCMAKE_BUILD_TYPE=Debug -DEALLOC_HOSTED_PANIC=ON -DEALLOC_TEST_WITH_SHIM=ON -DEALLOC_BUILD_BENCH=OFF \
	    -DEALLOC_BUILD_EXAMPLES=OFF -DEALLOC_TEST_PRELOAD=OFF -DEALLOC_TEST_LAUNCHER=qemu-ppc \
	    -DEALLOC_MODEL_OPS=200000 -DEALLOC_MODEL_CHECK_EVERY=7 >/dev/null
	@cmake --build $(BUILD)/big-endian -j$(JOBS) >/dev/null
	@cd $(BUILD)/big-endian && $(CTEST)

test-tsan:
	@echo "== clang ThreadSanitizer: threads sharing a heap through the pthread port"
	@cmake -S . -B $(BUILD)/tsan -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
	    -DCMAKE_C_FLAGS="-fsanitize=thread -O1 -g" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=thread" \
	    -DEALLOC_THREAD_OPS=100000 -DEALLOC_BUILD_BENCH=OFF -DEALLOC_BUILD_EXAMPLES=OFF -DEALLOC_TEST_PRELOAD=OFF >/dev/null
	@cmake --build $(BUILD)/tsan -j$(JOBS) --target threads_llff threads_tlsf test_pthread_port >/dev/null
	@cd $(BUILD)/tsan && $(CTEST) -R "threads_|pthread_port"

test-lint: lint

test-fuzz:
	@echo "== libFuzzer smoke: 60 s per harness (llff, tlsf, tlsf with small blocks), after the negative controls"
	@FUZZ_SECONDS=60 FUZZ_BUILD=$(CURDIR)/$(BUILD)/fuzz tools/fuzz-smoke.sh
	@echo "== libFuzzer under valgrind's memcheck (EA_VALGRIND): 20 s per harness, after its negative controls"
	@FUZZ_MEMCHECK=1 FUZZ_SECONDS=20 FUZZ_BUILD=$(CURDIR)/$(BUILD)/fuzz-memcheck tools/fuzz-smoke.sh

lint:
	@echo "== static analysis: clang-tidy, cppcheck, gcc -fanalyzer"
	@tools/lint.sh

fuzz:
	@FUZZ_SECONDS=$${FUZZ_SECONDS:-300} FUZZ_BUILD=$(CURDIR)/$(BUILD)/fuzz$(if $(filter 1,$(FUZZ_MEMCHECK)),-memcheck) \
	    tools/fuzz-smoke.sh

coverage:
	@tools/install-deps.sh coverage
	@tools/coverage.sh

soak:
	@tests/soak/run.sh

test-cross:
	@echo "== cross builds: warnings as errors for Cortex-M0+/M4/M7, big-endian Arm, RV32IMAC; docs/size.md current"
	@tools/check-cross-builds.sh

test-packaging:
	@echo "== packaging: find_package, add_subdirectory, pkg-config"
	@tests/packaging/run.sh $(BUILD)/packaging

test-firmware:
	@echo "== firmware: the suites on microbit (M0), mps2-an385/386/500 (M3/M4/M7), RV32IMAC, RV64IMAC under QEMU"
	@BUILD_ROOT=$(CURDIR)/$(BUILD) tools/firmware-tests.sh

# The benchmark firmware in tlsf configurations make bench does not use, on the RISC-V boards
# (llff and tlsf), and with the library compiled by clang (llff and tlsf): every trace's replay
# checks (patterns, overlaps, check()) and the worst-case heap states, which must build and pass in
# each of them.
BENCH_CONFIGS = EA_TLSF_SL_LOG2=2 EA_TLSF_SL_LOG2=5 EA_TLSF_SMALL_CODE=1 EA_TLSF_BITBAND=1
BENCH_BOARDS = riscv32-virt riscv32-virt-zbb riscv64-virt
test-bench-configs:
	@echo "== benchmark firmware (replay + worst cases under QEMU): Cortex-M4 with $(BENCH_CONFIGS); $(BENCH_BOARDS); clang"
	@for knob in $(BENCH_CONFIGS); do \
	    out=$(CURDIR)/$(BUILD)/bench-configs/$$knob; mkdir -p $$out; \
	    if bench/run-firmware-bench.sh --backends tlsf --define $$knob --out $$out >$$out/log 2>&1; then \
	        echo "   ok   $$knob"; else cat $$out/log; echo "   FAIL $$knob"; exit 1; fi; \
	done
	@for board in $(BENCH_BOARDS); do \
	    out=$(CURDIR)/$(BUILD)/bench-configs/$$board; mkdir -p $$out; \
	    if bench/run-firmware-bench.sh --board $$board --out $$out >$$out/log 2>&1; then \
	        echo "   ok   $$board"; else cat $$out/log; echo "   FAIL $$board"; exit 1; fi; \
	done
	@out=$(CURDIR)/$(BUILD)/bench-configs/clang; mkdir -p $$out; \
	if bench/run-firmware-bench.sh --cc clang --backends llff,tlsf --out $$out >$$out/log 2>&1; then \
	    echo "   ok   clang"; else cat $$out/log; echo "   FAIL clang"; exit 1; fi

# ---- benchmarks -----------------------------------------------------------------
bench:
	@tools/install-deps.sh demo firmware bench
	@sh bench/run-bench.sh

size:
	@tools/size-report.sh

clean:
	rm -rf $(BUILD)
