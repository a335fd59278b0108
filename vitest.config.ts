import { defineConfig } from 'vitest/config';

// Two projects: `unit` runs pure tests in parallel; `integration` starts real processes and
// binds ports, so its files run one at a time (2 busy cores, fixed ports in some fixtures).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.unit.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.int.test.ts'],
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
