import { defineConfig } from 'vitest/config';

// Projects: `unit` (pure functions, no server). Contract and runtime projects are added as the
// server harnesses land.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
        },
      },
    ],
  },
});
