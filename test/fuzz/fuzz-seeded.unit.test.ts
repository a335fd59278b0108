/**
 * The short seeded fuzz pass `npm test` runs: every target, a few hundred inputs, seed fixed so a
 * run is the same everywhere. `npm run fuzz` runs the same targets for 10⁶ inputs each.
 */
import { describe, expect, it } from 'vitest';
import { runTarget } from './harness.js';
import { TARGETS } from './targets.js';

const SEED = 13;
const RUNS = Number(process.env['FUZZ_SEEDED_RUNS'] ?? 300);

describe('fuzz - seeded pass', () => {
  for (const [name, make] of Object.entries(TARGETS)) {
    it(`${name} - ${RUNS} inputs from seed ${SEED}`, async () => {
      const report = await runTarget(make(), { runs: RUNS, seed: SEED });
      expect(report.failure).toBeUndefined();
      expect(report.runs).toBe(RUNS);
    }, 60_000);
  }
});
