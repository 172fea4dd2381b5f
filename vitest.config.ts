import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Examples and runtime tests import the package by name; inside the repo that means the sources.
const alias = [
  { find: /^#body-get$/, replacement: here('./src/transport/body-get-node.ts') },
  { find: /^dvid-ts\/mock$/, replacement: here('./mocks/index.ts') },
  { find: /^dvid-ts$/, replacement: here('./src/index.ts') },
];

// Projects:
//   unit           pure functions and the mock's own tests, no external process
//   contract-mock  test/contract/** against the mock DVID served over HTTP
//   contract-dvid  the same files, the same assertions, against a real DVID process
//   runtimes       the built package in Deno and headless Chromium (quickstart on mock and DVID)
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        resolve: { alias },
        test: {
          name: 'contract-mock',
          include: ['test/contract/**/*.test.ts'],
          globalSetup: ['test/support/setup-mock.ts'],
          testTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'contract-dvid',
          include: ['test/contract/**/*.test.ts', 'test/real/**/*.test.ts'],
          globalSetup: ['test/support/setup-dvid.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'runtimes',
          include: ['test/runtimes/**/*.test.ts'],
          globalSetup: ['test/support/setup-dvid.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
