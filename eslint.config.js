// ESLint flat config. Besides the usual TypeScript checks, it enforces Circa's layering:
//   domain <- store <- services <- station <- transports <- shells (cli, hub, electron, renderer)
// Each layer may import only from layers to its left. The rule works on the import text, so it
// catches relative paths ("../store/db") and package names ("better-sqlite3") alike.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** A restricted-import pattern that matches a relative or aliased path into one of `folders`. */
const into = (folders, message) => ({
  regex: `(^|/)(${folders.join('|')})(/|$)`,
  message,
});

const NODE_IO = ['fs', 'net', 'tls', 'http', 'https', 'child_process', 'worker_threads', 'dgram', 'os'];
const nodeIo = {
  regex: `^(node:)?(${NODE_IO.join('|')})(/.*)?$`,
  message: 'This layer is pure: no file, network or process I/O. Pass what you need in as arguments.',
};
const nativeOrIoPackages = {
  regex: '^(better-sqlite3|drizzle-orm|drizzle-kit|serialport|@serialport/.*|node-hid|fastify|@fastify/.*|pg|@electric-sql/pglite|electron|electron-updater)(/.*)?$',
  message: 'This layer may not depend on storage, device, server or Electron packages.',
};
const noElectron = {
  regex: '^electron(/.*)?$',
  message: 'src/ is plain Node: no Electron import. Electron lives only in electron/.',
};

const ABOVE_DOMAIN = ['store', 'services', 'sync', 'devices', 'station', 'transports', 'hub', 'cli'];
const layerRules = [
  {
    files: ['src/domain/**', 'src/api/**', 'src/i18n/**'],
    patterns: [into([...ABOVE_DOMAIN, 'renderer', 'electron'], 'The domain layer (and the API contract) may not reach upward.'), nodeIo, nativeOrIoPackages],
  },
  {
    files: ['src/store/**'],
    patterns: [into(['services', 'sync', 'devices', 'station', 'transports', 'hub', 'cli', 'api'], 'The store may import only the domain.'), noElectron],
  },
  {
    files: ['src/services/**', 'src/sync/**', 'src/devices/**'],
    patterns: [into(['station', 'transports', 'hub', 'cli'], 'Services may import only the store and the domain.'), noElectron],
  },
  {
    files: ['src/station/**'],
    patterns: [into(['transports', 'hub', 'cli'], 'The station core may not import a transport or a shell.'), noElectron],
  },
  {
    files: ['src/transports/**'],
    patterns: [into(['hub', 'cli'], 'A transport may not import a shell.'), noElectron],
  },
  {
    // The SIP2 transport: its message parsing and formatting are pure (unit-tested without a
    // socket); the session calls the station's services; only server.ts and listener.ts do I/O.
    files: ['src/transports/sip2/messages.ts'],
    patterns: [into(['store', 'services', 'sync', 'devices', 'station', 'hub', 'cli'], 'SIP2 messages are pure text: parse and format only.'), nodeIo, nativeOrIoPackages, noElectron],
  },
  {
    files: ['src/hub/**', 'src/cli/**'],
    patterns: [noElectron],
  },
  {
    files: ['renderer/**'],
    ignores: ['renderer/vite.config.ts'],
    patterns: [
      into(['store', 'services', 'sync', 'devices', 'station', 'transports', 'hub', 'cli', 'electron'], 'The renderer talks only to the station API: import src/api, src/domain or src/i18n.'),
      { regex: '^node:', message: 'The renderer never touches Node.' },
      nodeIo,
      nativeOrIoPackages,
    ],
  },
];

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'release/**', 'coverage/**', 'migrations/**', 'tests/screenshots/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: {
        console: 'readonly', process: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly',
        setInterval: 'readonly', clearInterval: 'readonly', setImmediate: 'readonly', URL: 'readonly', TextEncoder: 'readonly',
        TextDecoder: 'readonly', window: 'readonly', document: 'readonly', fetch: 'readonly', performance: 'readonly',
        AbortController: 'readonly', queueMicrotask: 'readonly', structuredClone: 'readonly', navigator: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  ...layerRules.map(({ files, ignores, patterns }) => ({
    files,
    ...(ignores ? { ignores } : {}),
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  })),
  {
    // Tests, benchmarks, scripts and entry points may print.
    files: ['tests/**', 'scripts/**', 'src/cli/**', '**/*.test.ts', '**/*.test.tsx'],
    rules: { 'no-console': 'off' },
  },
);
