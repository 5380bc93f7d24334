// SPDX-License-Identifier: MIT
/* Affinity moves while a source fires: tests/harness/mover.h. */
#include "tests/harness/mover.h"
#include "lib/errno.h"
#include "lib/string.h"

uint64_t mover_init(struct mover *m, struct irq_desc **irqs, uint32_t n, uint64_t samples)
{
	uint64_t triggers = samples < AFFINITY_TRIGGERS ? samples : AFFINITY_TRIGGERS;

	if (triggers < 2 * AFFINITY_MOVES)
		triggers = 2 * AFFINITY_MOVES;
	memset(m, 0, sizeof(*m));
	m->irqs = irqs;
	m->n = n;
	m->every = (uint32_t)(triggers / AFFINITY_MOVES);
	m->cpu = irq_cpu(irqs[0]);
	return triggers;
}

void mover_step(struct mover *m)
{
	uint32_t cpu = (m->cpu + 1) % cpus_online;

	if (++m->triggers % m->every)
		return;
	for (uint32_t i = 0; i < m->n; i++) {
		int e = irq_set_affinity(m->irqs[i], cpu);

		if (!e && irq_cpu(m->irqs[i]) != cpu)
			e = -EIO;	/* accepted, and still elsewhere */
		if (e && !m->refused++) {
			m->error = e;
			m->error_cpu = cpu;
		}
	}
	m->moves++;
	m->cpu = cpu;
}

void mover_delivered(struct mover *m)
{
	uint32_t cpu = this_cpu()->index;

	m->per_cpu[cpu]++;
	if (cpu != m->cpu && !m->elsewhere++) {
		m->elsewhere_cpu = cpu;
		m->elsewhere_want = m->cpu;
	}
}

void mover_report(struct test_ctx *t, const struct mover *m)
{
	char line[768];
	size_t len = 0;
	uint32_t visited = 0;

	for (uint32_t c = 0; c < cpus_online && len < sizeof(line); c++)
		if (m->per_cpu[c]) {
			len += (size_t)ksnprintf(line + len, sizeof(line) - len, "%scpu%u: %u",
						 visited++ ? ", " : "", c, m->per_cpu[c]);
		}
	t_yaml(t, "moves: %u", m->moves);
	t_yaml(t, "move_every: %u", m->every);
	t_yaml(t, "cpus: %u", cpus_online);
	t_yaml(t, "deliveries_per_cpu: {%s}", line);
	t_yaml(t, "moves_refused: %u", m->refused);
	t_yaml(t, "deliveries_elsewhere: %u", m->elsewhere);
	t_check(t, m->refused == 0, "%u interrupt moves refused, the first to cpu%u: %s", m->refused,
		m->error_cpu, err_name(m->error));
	t_check(t, m->moves >= AFFINITY_MOVES, "%u moves, %u wanted", m->moves, AFFINITY_MOVES);
	t_check(t, m->elsewhere == 0, "%u deliveries not on the interrupt's CPU (the first on cpu%u, "
		"moved to cpu%u)", m->elsewhere, m->elsewhere_cpu, m->elsewhere_want);
	t_check(t, visited == (m->moves < cpus_online ? m->moves + 1 : cpus_online),
		"deliveries on %u CPUs after %u moves among %u", visited, m->moves, cpus_online);
}
