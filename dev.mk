# dev.mk - a quick developer build while the engine is brought up: every
# lib/**/*.c into build-dev/libjsengine.a, plus tools/jsrun if present.
#   make -f dev.mk -j2            (CFLAGS=... to override; EXCLUDE=lib/x/% to leave out work in progress;
#                                  B=dir to build somewhere other than build-dev)
# The real build is autotools (./autogen.sh && ./configure && make).
CC ?= gcc
B ?= build-dev
CFLAGS ?= -O1 -g -Wall -Wextra -Wno-unused-parameter -Wno-sign-compare -Wno-missing-field-initializers
CPPFLAGS += -Iinclude -Ilib -DJSE_BUILDING_LIBRARY -D_GNU_SOURCE
SRCS := $(filter-out $(EXCLUDE),$(shell find lib -name '*.c' | sort))
OBJS := $(patsubst %.c,$(B)/%.o,$(SRCS))
all: $(B)/libjsengine.a $(if $(wildcard tools/jsrun.c),$(B)/jsrun)
$(B)/%.o: %.c $(shell find lib include -name '*.h' -o -name '*.def')
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@
$(B)/libjsengine.a: $(OBJS)
	rm -f $@; ar rcs $@ $^
$(B)/jsrun: tools/jsrun.c $(B)/libjsengine.a
	$(CC) $(CPPFLAGS) $(CFLAGS) $< -Wl,--whole-archive $(B)/libjsengine.a -Wl,--no-whole-archive -lgmp -lm -lpthread -o $@
clean:
	rm -rf $(B)
.PHONY: all clean
