# SPDX-License-Identifier: MIT
# msilab: the one build entry point. `make help` lists the targets.

BUILD   := build
CC      := gcc
NASM    := nasm
LD      := ld
OBJCOPY := objcopy
PROVE_FLAGS ?= --timer
Q       := $(if $(V),,@)

VERSION := 0.1.0
# make mutate builds its mutants with WERROR= (a deleted line may leave a
# variable unused); everything else treats warnings as errors.
WERROR  ?= -Werror

FW_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra $(WERROR) -I. \
	-ffreestanding -fno-stack-protector -fno-strict-aliasing \
	-fpic -fvisibility=hidden -include lib/visibility.h \
	-mno-red-zone -fshort-wchar -fno-asynchronous-unwind-tables \
	-fno-tree-loop-distribute-patterns -fcf-protection=none -MMD -MP
# Interrupt handlers save only the general registers (arch/x86/entry.asm).
FW_NOFP   := -mgeneral-regs-only
EFI_CFLAGS := -I/usr/include/efi -I/usr/include/efi/x86_64 -DGNU_EFI_USE_MS_ABI \
	-maccumulate-outgoing-args

# Layers, bottom up (docs/design.md; tools/check_tree.py layers checks the includes).
FW_SRC := \
	lib/printf.c lib/string.c lib/glob.c lib/stats.c lib/lathist.c lib/memmap.c lib/pfa.c lib/console.c \
	arch/x86/gdt.c arch/x86/idt.c arch/x86/exception.c arch/x86/irq.c arch/x86/platform.c \
	arch/x86/cpu_state.c arch/x86/apic_mode.c arch/x86/mce.c arch/x86/topology.c arch/x86/hygiene.c \
	arch/x86/lapic.c arch/x86/nmi_watch.c arch/x86/paging.c arch/x86/pic.c arch/x86/tsc.c \
	arch/x86/ioapic.c arch/x86/smp.c arch/x86/vector.c \
	msi/irqdomain.c msi/device.c msi/vector_domain.c \
	drivers/acpi/acpi.c drivers/acpi/table.c drivers/acpi/madt.c drivers/acpi/tables.c \
	drivers/acpi/dmar.c drivers/acpi/ivrs.c \
	drivers/pci/cfg.c drivers/pci/enum.c drivers/pci/cap.c drivers/pci/bar.c \
	drivers/pci/msi.c drivers/pci/msi_domain.c drivers/pci/inventory.c \
	drivers/serial/uart16550.c drivers/timer/hpet.c drivers/timer/pmtimer.c \
	drivers/timer/hpet_fsb.c drivers/misc/edu.c drivers/net/e1000e.c drivers/net/igb.c \
	drivers/iommu/intel/irte.c drivers/iommu/intel/vtd.c drivers/iommu/intel/irq_remap.c \
	drivers/iommu/intel/events.c drivers/iommu/intel/ops.c drivers/iommu/amd/irte.c \
	drivers/iommu/amd/amdvi.c drivers/iommu/amd/irq_remap.c drivers/iommu/amd/ops.c \
	drivers/iommu/iommu.c \
	drivers/idxd/device.c drivers/idxd/ids.c drivers/idxd/ims.c drivers/idxd/instance.c \
	kernel/main.c kernel/cmdline.c \
	tests/harness/main.c tests/harness/report.c tests/harness/registry.c tests/harness/runner.c \
	tests/harness/gaps.c tests/harness/measure.c tests/harness/mover.c tests/harness/sources.c tests/harness/lava.c \
	tests/fw/boot.c tests/fw/cpu.c tests/fw/timer.c tests/fw/lapic.c \
	tests/fw/smp.c tests/fw/vector.c tests/fw/acpi.c tests/fw/pci.c tests/fw/msi.c tests/fw/iommu.c \
	tests/fw/remap_util.c tests/fw/ims.c \
	tests/fw/selftest.c
FW_ASM := arch/x86/entry.asm arch/x86/trampoline.asm
MB_SRC := boot/multiboot.c boot/multiboot_main.c boot/relocate.c
MB_ASM := boot/multiboot.asm
EFI_SRC := boot/efi_main.c

obj = $(patsubst %,$(BUILD)/obj/%.o,$(1))
FW_OBJ  := $(call obj,$(FW_SRC) $(FW_ASM))
MB_OBJ  := $(call obj,$(MB_SRC) $(MB_ASM))
EFI_OBJ := $(call obj,$(EFI_SRC))

GNUEFI_CRT0 := /usr/lib/crt0-efi-x86_64.o
GNUEFI_LIB  := /usr/lib/libgnuefi.a

.PHONY: all run configs test mutate model-qemu host-test qemu-test bench bench-stats bench-ims soak lava lava-lab report compare symbolize deps help clean
all: $(BUILD)/msilab.elf $(BUILD)/msilab.efi $(BUILD)/msilab.iso $(BUILD)/msilab-acpi

help:
	@echo "make            build build/msilab.{elf,efi,iso} and build/msilab-acpi (the host tool)"
	@echo "make run        boot the .efi under QEMU q35 + OVMF and print the report; the log is"
	@echo "                kept as build/run/DATE-TIME-CONFIG.log (ARGS=\"tests=lapic.* samples=100000\""
	@echo "                sets the command line; CONFIG=amd-xapic boots a configuration instead)"
	@echo "make configs    the configurations of tests/qemu/configs.toml, for make run CONFIG="
	@echo "make test       host unit tests, then every QEMU configuration (prove), and the"
	@echo "                oracle: Debian's Linux idxd on the DSA model (tests/model)"
	@echo "make mutate     every mutation of tests/mutations.toml caught by the test it names"
	@echo "                (MUTATIONS='vtd.*' runs those only; ends with 'caught N of M')"
	@echo "make model-qemu build/qemu-model: Debian's QEMU source with the DSA/IAA model (qemu/)"
	@echo "make bench      latency tests under QEMU -icount (deterministic path lengths)"
	@echo "make bench-stats  a latency figure's memory, cost per sample (callgrind), percentile error"
	@echo "make bench-ims    the DSA/IAA submission path in instructions (callgrind)"
	@echo "make soak       every QEMU source in turn for SOAK=5m, progress live; at least 10^6"
	@echo "                triggers each, nothing lost, duplicated or spurious"
	@echo "make lava       the QEMU job of lava/qemu/ through lava-run, checked against the"
	@echo "                report of the same run (ARGS= sets the command line)"
	@echo "make lava-lab   a LAVA lab here (PostgreSQL, server, scheduler, worker): msilab's"
	@echo "                jobs submitted with lavacli, results read back through the REST API"
	@echo "make fuzz       libFuzzer on every ACPI table parser (FUZZ_SECONDS=30 each; seeds:"
	@echo "                QEMU's tables and, where present, ../shared/corpus/acpi)"
	@echo "make report     JSON and latency plots of the last run of any kind: the newest serial"
	@echo "                log of make run, test, bench, soak or lava (LOG= picks a serial log)"
	@echo "make symbolize  every exception dump's rip as function and line (addr2line on"
	@echo "                build/msilab.elf or .so, by the header's image=); LOG= as for report"
	@echo "make compare    LOGS=\"a.log b.log ...\" (or NAME=path) or LAST=N (make run's newest N):"
	@echo "                each figure side by side with"
	@echo "                ratios to the first run, and their CDFs overlaid, in build/compare/"
	@echo "make clean"

# Objects depend on the Makefile too: a changed flag rebuilds everything.
$(BUILD)/obj/boot/efi_main.c.o: boot/efi_main.c Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(FW_CFLAGS) $(EFI_CFLAGS) -c $< -o $@

$(BUILD)/obj/%.c.o: %.c Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(FW_CFLAGS) $(FW_NOFP) -c $< -o $@

$(BUILD)/obj/%.asm.o: %.asm arch/x86/long_mode.inc Makefile
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	$(Q)$(NASM) -f elf64 -g -I./ -DMB_LINK_BASE=$(MB_LINK_BASE) -o $@ $<

# The Multiboot image is a PIE linked at 1 MiB (QEMU's -kernel and Multiboot
# v1 load it there) that GRUB may move (boot/multiboot.asm). -z text: no
# relocation may patch code, so the code is position-independent for sure.
MB_LINK_BASE := 0x100000
$(BUILD)/msilab.elf: $(MB_OBJ) $(FW_OBJ) linker.ld
	$(LD) -nostdlib -pie --no-dynamic-linker -z text -z max-page-size=0x1000 -z noexecstack \
		--no-warn-rwx-segments --defsym=MB_LINK_BASE=$(MB_LINK_BASE) -T linker.ld \
		-o $@.pie $(MB_OBJ) $(FW_OBJ)
	$(OBJCOPY) --set-section-flags .relocs=alloc,load,contents,data $@.pie $@

$(BUILD)/msilab.so: $(EFI_OBJ) $(FW_OBJ) boot/efi.lds
	$(LD) -nostdlib -znocombreloc -shared -Bsymbolic -z noexecstack -T boot/efi.lds \
		-o $@ $(GNUEFI_CRT0) $(EFI_OBJ) $(FW_OBJ) $(GNUEFI_LIB)

$(BUILD)/msilab.efi: $(BUILD)/msilab.so
	$(OBJCOPY) -j .text -j .sdata -j .data -j .dynamic -j .dynsym -j .rel \
		-j .rela -j .reloc --target=efi-app-x86_64 --subsystem=10 $< $@

$(BUILD)/msilab.iso: $(BUILD)/msilab.elf boot/grub.cfg
	rm -rf $(BUILD)/iso && mkdir -p $(BUILD)/iso/boot/grub
	cp $(BUILD)/msilab.elf $(BUILD)/iso/boot/msilab.elf
	cp boot/grub.cfg $(BUILD)/iso/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(BUILD)/iso 2> $(BUILD)/grub-mkrescue.log || \
		{ cat $(BUILD)/grub-mkrescue.log; exit 1; }

# --- host unit tests (cmocka) ---------------------------------------------
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -I. -DFIXTURES='"$(CURDIR)/tests/host/fixtures"' \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
HOST_TESTS := printf cmdline stats lathist memmap pfa multiboot madt vector acpi_tables pci irqdomain vtd amd_irte amdvi idxd \
	apic_mode topology acpi_tool vector_domain
host_src_printf   := lib/printf.c
host_src_cmdline  := kernel/cmdline.c lib/glob.c lib/printf.c
host_src_stats    := lib/stats.c
host_src_lathist  := lib/lathist.c
host_src_memmap   := lib/memmap.c lib/stats.c
host_src_pfa      := lib/pfa.c
host_src_multiboot := boot/multiboot.c lib/printf.c
host_src_madt     := drivers/acpi/madt.c drivers/acpi/table.c lib/printf.c
host_src_vector   := arch/x86/vector.c
host_src_apic_mode := arch/x86/apic_mode.c
host_src_topology := arch/x86/topology.c
ACPI_PARSERS := drivers/acpi/table.c drivers/acpi/tables.c drivers/acpi/dmar.c drivers/acpi/ivrs.c
host_src_acpi_tables := $(ACPI_PARSERS) lib/printf.c
host_src_acpi_tool := tools/acpi/load.c tools/acpi/emit.c $(ACPI_PARSERS) drivers/acpi/madt.c \
	lib/printf.c
host_src_pci      := drivers/pci/enum.c drivers/pci/cap.c drivers/pci/bar.c drivers/pci/msi.c \
	drivers/pci/msi_domain.c msi/irqdomain.c msi/device.c lib/printf.c
host_src_irqdomain := msi/irqdomain.c msi/device.c
host_src_vector_domain := msi/vector_domain.c msi/irqdomain.c msi/device.c arch/x86/vector.c
host_src_vtd      := drivers/iommu/intel/vtd.c drivers/iommu/intel/irte.c lib/printf.c
host_src_amd_irte := drivers/iommu/amd/irte.c
host_src_amdvi    := drivers/iommu/amd/amdvi.c drivers/iommu/amd/irte.c lib/printf.c
host_src_idxd     := drivers/idxd/device.c drivers/idxd/ids.c drivers/idxd/ims.c msi/irqdomain.c \
	msi/device.c lib/printf.c
HOST_BIN := $(patsubst %,$(BUILD)/host/test_%,$(HOST_TESTS))

# One object per source (shared by the binaries that link it), each
# depending on the headers it includes (-MMD): a change rebuilds what it
# touches and no more, which make mutate relies on.
host_obj = $(patsubst %.c,$(BUILD)/host/obj/%.o,$(1))
# Keep the objects (make deletes a pattern rule's intermediates): the next
# build, and each mutation's scratch tree, rebuilds only what changed.
.SECONDARY:
$(BUILD)/host/obj/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

.SECONDEXPANSION:
$(BUILD)/host/test_%: $$(call host_obj,tests/host/test_$$*.c $$(host_src_$$*))
	$(CC) $(HOST_CFLAGS) -o $@ $(filter %.o,$^) -lcmocka

host-test: $(HOST_BIN) $(BUILD)/host/msilab-acpi

# --- msilab-acpi: the firmware's ACPI parsers on a machine's tables (host) ----
ACPI_TOOL_SRC := tools/acpi/msilab_acpi.c tools/acpi/load.c tools/acpi/emit.c \
	$(ACPI_PARSERS) drivers/acpi/madt.c lib/printf.c

$(BUILD)/msilab-acpi: $(ACPI_TOOL_SRC) Makefile
	@mkdir -p $(dir $@)
	$(CC) -MM -MP -MT $@ -I. $(ACPI_TOOL_SRC) > $@.d
	$(CC) -std=gnu11 -O2 -g -Wall -Wextra $(WERROR) -I. -o $@ $(ACPI_TOOL_SRC)

# The same, with the sanitizers, for the corpus test.
$(BUILD)/host/msilab-acpi: $(ACPI_TOOL_SRC) Makefile
	@mkdir -p $(dir $@)
	$(CC) -MM -MP -MT $@ -I. $(ACPI_TOOL_SRC) > $@.d
	$(CC) $(HOST_CFLAGS) -o $@ $(ACPI_TOOL_SRC)

# --- running ----------------------------------------------------------------
deps:
	@tools/deps.sh test

# Each run keeps its log, build/run/DATE-TIME-CONFIG.log (build/run/serial.log
# points at the newest); CONFIG= boots a configuration of tests/qemu/configs.toml.
run:
	@tools/deps.sh run
	@$(MAKE) --no-print-directory all
	@python3 tests/qemu/harness.py --run "$(ARGS)" $(if $(CONFIG),--config $(CONFIG))

configs:
	@python3 tests/qemu/harness.py --list

test:
	@tools/deps.sh test
	@$(MAKE) --no-print-directory all host-test model-qemu
	@CMOCKA_MESSAGE_OUTPUT=TAP prove $(PROVE_FLAGS) tests/check/*.t $(HOST_BIN) tests/qemu/*.t tests/lava/*.t tests/model/*.t

# The mutation gate (docs/design.md, "How we know a test can fail"): each
# mutation in a scratch tree, only its test run. CI runs it after make test.
mutate:
	@tools/deps.sh test
	@$(MAKE) --no-print-directory all host-test
	@python3 tools/mutate.py $(MUTATIONS)

# What a latency figure costs: bytes, instructions per sample (callgrind),
# percentile error on 10^6 samples. A benchmark: figures, no pass/fail.
bench-stats: $(BUILD)/host/bench_lathist
	@$(BUILD)/host/bench_lathist
	@valgrind --tool=callgrind --callgrind-out-file=$(BUILD)/host/callgrind.lathist \
		--toggle-collect=record_loop $(BUILD)/host/bench_lathist > /dev/null 2>&1 && \
	callgrind_annotate $(BUILD)/host/callgrind.lathist 2>/dev/null | \
		awk '/PROGRAM TOTALS/ { gsub(",", "", $$1); printf "lathist_record: %.1f instructions per sample (callgrind, -O2 host build, 3 x 10^6 samples)\n", $$1 / 3e6 }'

$(BUILD)/host/bench_lathist: tests/host/bench_lathist.c lib/lathist.c lib/lathist.h tests/host/xorshift.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -g -I. -o $@ tests/host/bench_lathist.c lib/lathist.c

# The DSA/IAA submission path, descriptor build to portal write, in
# instructions (callgrind, the host build of drivers/idxd/device.c).
bench-ims: $(BUILD)/host/bench_idxd
	@$(BUILD)/host/bench_idxd
	@valgrind --tool=callgrind --callgrind-out-file=$(BUILD)/host/callgrind.idxd \
		--toggle-collect='submit_loop*' $(BUILD)/host/bench_idxd > /dev/null 2>&1 && \
	callgrind_annotate $(BUILD)/host/callgrind.idxd 2>/dev/null | \
		awk '/PROGRAM TOTALS/ { gsub(",", "", $$1); printf "idxd_submit: %.1f instructions per descriptor, build to portal write (callgrind, -O2 host build, 10^6 descriptors; the 64-byte copy stands in for MOVDIR64B)\n", $$1 / 1e6 }'

$(BUILD)/host/bench_idxd: tests/host/bench_idxd.c drivers/idxd/device.c drivers/idxd/ids.c drivers/idxd/idxd.h
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O2 -g -I. -o $@ tests/host/bench_idxd.c drivers/idxd/device.c drivers/idxd/ids.c lib/printf.c

# Every QEMU source for SOAK, twice (remapping off, then on: the HPET
# only without it): at least 10^6 triggers each over both runs; the
# e1000e is the slowest under QEMU (each trigger waits for the model's
# 128 us re-send: about 7,800 a second). Not part of make test.
SOAK ?= 5m
soak:
	@tools/deps.sh run
	@$(MAKE) --no-print-directory all
	@python3 tests/qemu/harness.py --soak $(SOAK)

lava:
	@tools/deps.sh lava
	@$(MAKE) --no-print-directory all
	@python3 tools/lava/lava.py run "$(ARGS)"

# A LAVA lab on this machine (lava/README.md): CI runs it after make test.
lava-lab:
	@tools/deps.sh lava-lab
	@$(MAKE) --no-print-directory all
	@python3 tools/lava/lab.py

bench:
	@tools/deps.sh run
	@$(MAKE) --no-print-directory all
	@python3 tests/qemu/harness.py --bench

report:
	@tools/deps.sh report
	@python3 tools/report.py $(LOG)

# LAST=N adds the newest N logs of make run (their names sort by date).
compare:
	@tools/deps.sh report
	@python3 tools/compare.py $(LOGS) $(if $(LAST),$(shell ls -1 $(BUILD)/run/2*.log 2>/dev/null | tail -n $(LAST)))

symbolize:
	@tools/deps.sh report
	@python3 tools/symbolize.py $(LOG)

clean:
	rm -rf $(BUILD)

# --- the QEMU with the DSA/IAA model (qemu/README.md) --------------------------
# Rebuilt only when its inputs change. A failed build does not stop make
# test: its reason goes to FAILED, and each configuration with qemu = "model"
# is not ok with that reason (tests/qemu/harness.py).
MODEL_DIR := $(BUILD)/qemu-model
MODEL_INPUTS := qemu/build.sh qemu/msilab-devices.mak $(wildcard qemu/patches/*.patch qemu/hw/*)
model-qemu: $(MODEL_DIR)/built
$(MODEL_DIR)/built: $(MODEL_INPUTS)
	@mkdir -p $(@D) && rm -f $(@D)/FAILED $@
	@echo "msilab: building QEMU 10.0.2 with the DSA/IAA model into $(@D) (minutes, the first time)"
	@if qemu/build.sh $(@D) 2>$(@D)/build.err; then touch $@; else \
	  cat $(@D)/build.err >&2; grep 'msilab: qemu model:' $(@D)/build.err | tail -1 > $(@D)/FAILED; \
	  [ -s $(@D)/FAILED ] || tail -1 $(@D)/build.err > $(@D)/FAILED; rm -f $(@D)/qemu-system-x86_64; fi

-include $(shell find $(BUILD)/obj $(BUILD)/host -name '*.d' 2>/dev/null) $(wildcard $(BUILD)/*.d)

# --- fuzzing (clang libFuzzer) ------------------------------------------------
FUZZ_TARGETS := madt mcfg hpet fadt spcr dmar ivrs
FUZZ_SECONDS ?= 30
FUZZ_SRC := $(ACPI_PARSERS) drivers/acpi/madt.c lib/printf.c
fuzz_seed_madt := qemu-q35-smp4-iommu/APIC.bin
fuzz_seed_mcfg := qemu-q35-smp4-iommu/MCFG.bin
fuzz_seed_hpet := ovmf-q35/HPET.bin
fuzz_seed_fadt := qemu-q35-smp4-iommu/FACP.bin
fuzz_seed_spcr := qemu-q35-smp4-iommu/WAET.bin
fuzz_seed_dmar := qemu-q35-smp4-iommu/DMAR.bin
fuzz_seed_ivrs := qemu-q35-amd-iommu-xtsup/IVRS.bin
# With the corpus of real machines' tables present, its tables seed too.
ACPI_CORPUS ?= ../shared/corpus/acpi
fuzz_sig_madt := APIC
fuzz_sig_mcfg := MCFG
fuzz_sig_hpet := HPET
fuzz_sig_fadt := FACP
fuzz_sig_spcr := SPCR
fuzz_sig_dmar := DMAR
fuzz_sig_ivrs := IVRS

$(BUILD)/fuzz/fuzz_%: tests/fuzz/fuzz_acpi.c $(FUZZ_SRC)
	@mkdir -p $(dir $@)
	$(Q)clang -std=gnu11 -g -O1 -I. -DFUZZ_$(shell echo $* | tr a-z A-Z) \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -o $@ $^

.PHONY: fuzz
fuzz:
	@tools/deps.sh fuzz
	@$(MAKE) --no-print-directory fuzz-run

.PHONY: fuzz-run
fuzz-run: $(patsubst %,$(BUILD)/fuzz/fuzz_%,$(FUZZ_TARGETS))
	@for t in $(FUZZ_TARGETS); do \
		mkdir -p $(BUILD)/fuzz/corpus_$$t $(BUILD)/fuzz/seed_$$t; \
		cp tests/host/fixtures/$$(make -s --no-print-directory fuzz-seed-$$t) $(BUILD)/fuzz/seed_$$t/; \
		sig=$$(make -s --no-print-directory fuzz-sig-$$t); \
		if [ -d "$(ACPI_CORPUS)" ]; then cp $(ACPI_CORPUS)/$$sig-*.bin $(BUILD)/fuzz/seed_$$t/; \
		else echo "fuzz $$t: no corpus at $(ACPI_CORPUS): QEMU's table only"; fi; \
		echo "fuzz $$t: $(FUZZ_SECONDS) s"; \
		$(BUILD)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
			-artifact_prefix=$(BUILD)/fuzz/crash_$$t- $(BUILD)/fuzz/corpus_$$t \
			$(BUILD)/fuzz/seed_$$t > $(BUILD)/fuzz/$$t.log 2>&1 \
			|| { tail -30 $(BUILD)/fuzz/$$t.log; exit 1; }; \
		grep -E '^#[0-9]+.*(DONE|pulse)' $(BUILD)/fuzz/$$t.log | tail -1; \
	done

fuzz-seed-%:
	@echo $(fuzz_seed_$*)

fuzz-sig-%:
	@echo $(fuzz_sig_$*)
