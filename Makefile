# Makefile: the whole build.  `make`, `make test`, `make bench`, `make demo`,
# `make fuzz`, `make clean`.  Objects go to build/, programs to bin/.
#
# Modules are libraries made of every .c file in their folder:
#   flowgraph/      -> build/libflowgraph.a    (IR, importer, executor, dumps)
#   hintannotator/  -> build/libhint.a         (binding-time analysis)
#   timeshift/      -> build/libtimeshift.a    (the offline timeshifter)
#   timeshift/rt/   -> build/libtsrt.a         (runtime of generating extensions)
#   codegen/x86/    -> build/libx86.a          (runtime code emitter)
# Unit-test programs are <module>/test/*.c, built as build/<module>/test/NAME
# and linked with their module.  Every <dir>/test/*.sh is a test suite,
# run by tools/runtests.sh.

CC      = cc
OPT     = -O2
CFLAGS  = $(OPT) -g -std=gnu11 -Wall -Wextra -Wshadow -Wmissing-prototypes \
          -Wstrict-prototypes -Wno-unused-parameter -Wno-sign-compare
B       = build

# Evaluated lazily: the packages may be installed by tools/deps.sh first.
LLVM_CFLAGS = $(shell llvm-config-14 --cflags)
LLVM_LIBS   = $(shell llvm-config-14 --ldflags --libs core bitreader irreader passes analysis target)
XML_CFLAGS  = $(shell pkg-config --cflags libxml-2.0)
XML_LIBS    = $(shell pkg-config --libs libxml-2.0)
GV_CFLAGS   = $(shell pkg-config --cflags libgvc)
GV_LIBS     = $(shell pkg-config --libs libgvc)
FFI_LIBS    = $(shell pkg-config --libs libffi)
CS_LIBS     = -lcapstone

FG_SRC = $(wildcard flowgraph/*.c)
HA_SRC = $(wildcard hintannotator/*.c)
TS_SRC = $(wildcard timeshift/*.c)
RT_SRC = $(wildcard timeshift/rt/*.c)
X86_SRC = $(wildcard codegen/x86/*.c)

FG_LIB  = $(B)/libflowgraph.a
HA_LIB  = $(B)/libhint.a
TS_LIB  = $(B)/libtimeshift.a
RT_LIB  = $(B)/libtsrt.a
X86_LIB = $(B)/libx86.a

# Libraries that link with bin/tsgen and its tests (offline side).
OFFLINE_LIBS = $(TS_LIB) $(HA_LIB) $(FG_LIB)
OFFLINE_LDLIBS = $(LLVM_LIBS) $(XML_LIBS) $(GV_LIBS) $(FFI_LIBS) -lm
# Libraries of the shipped VM (runtime side: no LLVM).
RUNTIME_LIBS = $(RT_LIB) $(X86_LIB)
RUNTIME_LDLIBS = $(CS_LIBS) -lm

INTERPS = tlr tl tlc bf tlf

all: bin/tsgen $(INTERPS:%=bin/%) bin/bf-cgoto $(INTERPS:%=bin/%-jit) tests

$(B)/.deps:
	@sh tools/deps.sh
	@mkdir -p $(B) && touch $@

# --- module objects -------------------------------------------------------
$(B)/flowgraph/%.o: flowgraph/%.c flowgraph/*.h | $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LLVM_CFLAGS) $(XML_CFLAGS) $(GV_CFLAGS) -c $< -o $@
$(B)/hintannotator/%.o: hintannotator/%.c hintannotator/*.h flowgraph/*.h | $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@
$(B)/timeshift/%.o: timeshift/%.c timeshift/*.h hintannotator/*.h flowgraph/*.h | $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LLVM_CFLAGS) -c $< -o $@
$(B)/timeshift/rt/%.o: timeshift/rt/%.c timeshift/rt/*.h codegen/x86/*.h | $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@
$(B)/codegen/x86/%.o: codegen/x86/%.c codegen/x86/*.h | $(B)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(FG_LIB): $(FG_SRC:%.c=$(B)/%.o)
$(HA_LIB): $(HA_SRC:%.c=$(B)/%.o)
$(TS_LIB): $(TS_SRC:%.c=$(B)/%.o)
$(RT_LIB): $(RT_SRC:%.c=$(B)/%.o)
$(X86_LIB): $(X86_SRC:%.c=$(B)/%.o)
$(B)/lib%.a:
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

# --- programs -------------------------------------------------------------
bin/tsgen: tools/tsgen.c $(OFFLINE_LIBS)
	@mkdir -p bin
	$(CC) $(CFLAGS) $(LLVM_CFLAGS) -o $@ $< $(OFFLINE_LIBS) $(OFFLINE_LDLIBS)

# Plain interpreters: hints compiled away.  bf also builds with computed goto.
# (One explicit dependency each: a pattern rule replaces only one `%`.)
# TLR, TL and TLC share their assembler.
ASM = interpreters/asm.c interpreters/asm.h
bin/tlr: interpreters/tlr/tlr.c $(ASM)
bin/tl: interpreters/tl/tl.c $(ASM)
bin/tlc: interpreters/tlc/tlc.c $(ASM)
bin/bf: interpreters/bf/bf.c
bin/tlf: interpreters/tlf/tlf.c $(ASM)
$(INTERPS:%=bin/%): hintannotator/hints.h | $(B)/.deps
	@mkdir -p bin
	$(CC) $(CFLAGS) -I hintannotator -o $@ $(filter %.c,$^)
bin/bf-cgoto: interpreters/bf/bf.c hintannotator/hints.h | $(B)/.deps
	@mkdir -p bin
	$(CC) $(CFLAGS) -DCOMPUTED_GOTO -I hintannotator -o $@ $<

# JIT VMs: the same command lines through `tsgen build` (docs/build.md).
JITS = $(INTERPS:%=bin/%-jit)
bin/tlr-jit: interpreters/tlr/tlr.c $(ASM)
bin/tl-jit: interpreters/tl/tl.c $(ASM)
bin/tlc-jit: interpreters/tlc/tlc.c $(ASM)
bin/bf-jit: interpreters/bf/bf.c
bin/tlf-jit: interpreters/tlf/tlf.c $(ASM)
PORTAL_tlr = tlr_interp
PORTAL_tl = tl_interp
PORTAL_tlc = tlc_interp
PORTAL_bf = bf_run
PORTAL_tlf = tlf_interp
$(JITS): bin/%-jit: bin/tsgen hintannotator/hints.h $(RUNTIME_LIBS)
	CC="$(CC)" bin/tsgen build $(CFLAGS) -I hintannotator -o $@ $(filter %.c,$^) --portal $(PORTAL_$*)

# --- unit-test programs ---------------------------------------------------
FG_TESTS  = $(patsubst %.c,$(B)/%,$(wildcard flowgraph/test/*.c))
HA_TESTS  = $(patsubst %.c,$(B)/%,$(wildcard hintannotator/test/*.c))
TS_TESTS  = $(patsubst %.c,$(B)/%,$(wildcard timeshift/test/*.c))
X86_TESTS = $(patsubst %.c,$(B)/%,$(wildcard codegen/x86/test/*.c))
tests: $(FG_TESTS) $(HA_TESTS) $(TS_TESTS) $(X86_TESTS)

$(B)/flowgraph/test/%: flowgraph/test/%.c $(FG_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -I flowgraph -o $@ $< $(FG_LIB) $(OFFLINE_LDLIBS)
$(B)/hintannotator/test/%: hintannotator/test/%.c $(HA_LIB) $(FG_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(HA_LIB) $(FG_LIB) $(OFFLINE_LDLIBS)
$(B)/timeshift/test/%: timeshift/test/%.c $(OFFLINE_LIBS) $(RUNTIME_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(OFFLINE_LIBS) $(RUNTIME_LIBS) $(OFFLINE_LDLIBS) $(RUNTIME_LDLIBS)
$(B)/codegen/x86/test/%: codegen/x86/test/%.c $(X86_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -I codegen/x86 -o $@ $< $(X86_LIB) $(RUNTIME_LDLIBS)
$(B)/codegen/x86/bench/%: codegen/x86/bench/%.c $(X86_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -I codegen/x86 -o $@ $< $(X86_LIB) $(RUNTIME_LDLIBS)

# --- top-level jobs -------------------------------------------------------
test: all
	@sh tools/runtests.sh

FUZZ_N = 100000
fuzz: all
	@sh tools/fuzz.sh $(FUZZ_N) "$(FUZZ)"

bench: all
	@sh tools/bench.sh

demo: all
	@sh tools/demo.sh

clean:
	rm -rf $(B) bin

.PHONY: all tests test fuzz bench demo clean
.SECONDARY:
