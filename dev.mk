# dev.mk - a quick developer build while the engine is brought up: every
# lib/**/*.c into build-dev/libjsengine.a, plus tools/jsrun if present.
#   make -f dev.mk -j2            (CFLAGS=... to override; EXCLUDE=lib/x/% to leave out work in progress)
# The real build is autotools (./autogen.sh && ./configure && make).
CC ?= gcc
CFLAGS ?= -O1 -g -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers
CPPFLAGS += -Iinclude -Ilib -DJSE_BUILDING_LIBRARY -D_GNU_SOURCE
SRCS := $(filter-out $(EXCLUDE),$(shell find lib -name '*.c' | sort))
OBJS := $(patsubst %.c,build-dev/%.o,$(SRCS))
all: build-dev/libjsengine.a $(if $(wildcard tools/jsrun.c),build-dev/jsrun)
build-dev/%.o: %.c $(shell find lib include -name '*.h' -o -name '*.def')
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@
build-dev/libjsengine.a: $(OBJS)
	rm -f $@; ar rcs $@ $^
build-dev/jsrun: tools/jsrun.c build-dev/libjsengine.a
	$(CC) $(CPPFLAGS) $(CFLAGS) $< -Wl,--whole-archive build-dev/libjsengine.a -Wl,--no-whole-archive -lgmp -lm -lpthread -o $@
clean:
	rm -rf build-dev
.PHONY: all clean
