// ESLint flat config. Besides the usual TypeScript checks, it enforces Circa's layering
// (docs/architecture.md):
//   domain, api, i18n <- shared <- store <- services <- sync, devices <- station <- transports
//   <- shells (cli, electron, renderer);   domain, api, shared <- hub
// Each layer may import only from layers to its left. The rule works on the import text, so it
// catches relative paths ("../store/db") and package names ("better-sqlite3") alike, in static
// imports and re-exports (no-restricted-imports) and in `import()` and `require()` calls
// (circa/no-restricted-dynamic-imports, below). Import cycles are kept out by
// tests/lint/cycles.test.ts (scripts/import-cycles.ts).
import js from '@eslint/js';
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

/** A relative path's start, up to a folder named next (so 'csv-stringify/sync' is not the sync layer). */
const RELATIVE = '^(\\.\\.?/)+(.*/)?';

/** A restricted-import pattern that matches a relative path into one of `folders`. */
const into = (folders, message) => ({
  regex: `${RELATIVE}(${folders.join('|')})(/|$)`,
  message,
});

/**
 * The same, for a path that climbs out of its folder first: a sibling module named like a layer
 * (src/api/contract/sync.ts, the contract's sync area) is not that layer.
 */
const intoParent = (folders, message) => ({
  regex: `^(\\./)?(\\.\\./)+(.*/)?(${folders.join('|')})(/|$)`,
  message,
});

const NODE_IO = ['fs', 'net', 'tls', 'http', 'https', 'child_process', 'worker_threads', 'dgram', 'os'];
const nodeIo = {
  regex: `^(node:)?(${NODE_IO.join('|')})(/.*)?$`,
  message: 'This layer is pure: no file, network or process I/O. Pass what you need in as arguments.',
};
const nodeBuiltins = {
  regex: `^(node:.*|(${builtinModules.filter((m) => !m.startsWith('_')).join('|')})(/.*)?)$`,
  message: 'The renderer never touches Node: no Node built-in module.',
};
const nativeOrIoPackages = {
  regex:
    '^(better-sqlite3|drizzle-orm|drizzle-kit|serialport|@serialport/.*|node-hid|fastify|@fastify/.*|pg|@electric-sql/pglite|electron|electron-updater)(/.*)?$',
  message: 'This layer may not depend on storage, device, server or Electron packages.',
};
const noElectron = {
  regex: '^electron(/.*)?$',
  message: 'src/ is plain Node: no Electron import. Electron lives only in electron/.',
};

const ABOVE_DOMAIN = ['shared', 'store', 'services', 'sync', 'devices', 'station', 'transports', 'hub', 'cli'];
const layerRules = [
  {
    files: ['src/domain/**', 'src/api/**', 'src/i18n/**'],
    patterns: [
      intoParent(
        [...ABOVE_DOMAIN, 'renderer', 'electron'],
        'The domain layer (and the API contract) may not reach upward.',
      ),
      nodeIo,
      nativeOrIoPackages,
    ],
  },
  {
    // Node code both the station and the hub use (secret hashing, signing, migrations, the synced
    // tables' columns). It may read the station's table declarations (store/schema.ts, no I/O)
    // and nothing else of the station.
    files: ['src/shared/**'],
    patterns: [
      {
        regex: `${RELATIVE}store/(?!schema$)`,
        message: 'Shared code may read only the table declarations (store/schema) of the store.',
      },
      into(
        ['services', 'sync', 'devices', 'station', 'transports', 'hub', 'cli', 'renderer', 'electron'],
        'Shared code may import only the domain, the API contract and other shared code.',
      ),
      noElectron,
    ],
  },
  {
    files: ['src/store/**'],
    patterns: [
      into(
        ['services', 'sync', 'devices', 'station', 'transports', 'hub', 'cli', 'api'],
        'The store may import only the domain and shared code.',
      ),
      noElectron,
    ],
  },
  {
    // The sync worker runs on top of the services; a service never calls the sync.
    files: ['src/services/**'],
    patterns: [
      into(
        ['sync', 'station', 'transports', 'hub', 'cli'],
        'Services may import only the store, shared code and the domain (not sync).',
      ),
      noElectron,
    ],
  },
  {
    files: ['src/sync/**', 'src/devices/**'],
    patterns: [
      into(
        ['station', 'transports', 'hub', 'cli'],
        'Sync and devices may import only services, the store, shared code and the domain.',
      ),
      noElectron,
    ],
  },
  {
    files: ['src/station/**'],
    patterns: [
      into(['transports', 'hub', 'cli'], 'The station core may not import a transport or a shell.'),
      noElectron,
    ],
  },
  {
    files: ['src/transports/**'],
    patterns: [into(['hub', 'cli'], 'A transport may not import a shell.'), noElectron],
  },
  {
    // The SIP2 transport: its message parsing and formatting are pure (unit-tested without a
    // socket); the session calls the station's services; only server.ts and listener.ts do I/O.
    files: ['src/transports/sip2/messages.ts'],
    patterns: [
      into(
        ['store', 'services', 'sync', 'devices', 'station', 'hub', 'cli'],
        'SIP2 messages are pure text: parse and format only.',
      ),
      nodeIo,
      nativeOrIoPackages,
      noElectron,
    ],
  },
  {
    // The hub is a program of its own (often on another machine): it shares with the station only
    // the domain rules, the API and sync contract and src/shared, never the station's internals.
    files: ['src/hub/**', 'src/cli/hub.ts'],
    patterns: [
      into(
        ['store', 'services', 'sync', 'devices', 'station', 'transports', 'i18n', 'renderer', 'electron'],
        'The hub may import only shared code: src/domain, src/api and src/shared.',
      ),
      noElectron,
    ],
  },
  {
    files: ['src/cli/**'],
    ignores: ['src/cli/hub.ts'],
    patterns: [noElectron],
  },
  {
    // The Electron shell starts the station core in a utility process (src/transports/ipc) and
    // needs only the data folder's lock and the native SQLite binding before that.
    files: ['electron/**'],
    ignores: ['electron/**/*.test.ts'],
    patterns: [
      {
        regex: `${RELATIVE}src/store/(?!(data-lock|native-binding)$)`,
        message:
          "The Electron shell may use only the store's data-lock and native-binding; the rest goes through the station core.",
      },
      into(
        ['src/services', 'src/sync', 'src/devices', 'src/hub', 'src/cli', 'renderer'],
        'The Electron shell talks to the station core (src/station, src/transports), never to services, sync or devices directly.',
      ),
    ],
  },
  {
    files: ['renderer/**'],
    ignores: ['renderer/vite.config.ts'],
    patterns: [
      into(
        ['shared', 'store', 'services', 'sync', 'devices', 'station', 'transports', 'hub', 'cli', 'electron'],
        'The renderer talks only to the station API: import src/api, src/domain or src/i18n.',
      ),
      nodeBuiltins,
      nativeOrIoPackages,
    ],
  },
];

/** The text of a module specifier written as a literal ('x' or `x` without substitutions), else null. */
function specifierText(node) {
  if (!node) return null;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0].value.cooked;
  return null;
}

/**
 * no-restricted-imports sees only import and export declarations; this sees the same patterns in
 * `import('x')`, `require('x')` and `import x = require('x')`.
 */
const noRestrictedDynamicImports = {
  meta: {
    type: 'problem',
    docs: { description: 'The layer rule for import() and require() calls.' },
    schema: [{ type: 'object', properties: { patterns: { type: 'array' } }, additionalProperties: false }],
  },
  create(context) {
    const patterns = (context.options[0]?.patterns ?? []).map((p) => ({ re: new RegExp(p.regex), message: p.message }));
    const check = (node, source) => {
      const text = specifierText(source);
      if (text === null) return;
      const hit = patterns.find((p) => p.re.test(text));
      if (hit)
        context.report({
          node,
          message: `'${text}' import is restricted from being used by a pattern. ${hit.message}`,
        });
    };
    return {
      ImportExpression: (node) => check(node, node.source),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node, node.arguments[0]);
      },
      TSExternalModuleReference: (node) => check(node, node.expression),
    };
  },
};

/** What the domain may not touch: it is pure, runs in the station, the hub and the browser, and takes the time as an argument. */
const DOMAIN_GLOBALS = [
  ...['window', 'document', 'navigator', 'localStorage', 'sessionStorage'].map((name) => ({
    name,
    message: 'The domain runs in Node and the browser alike: no browser globals.',
  })),
  // (Buffer is allowed: the MARC parser, domain/marc, works on bytes; the renderer does not import it.)
  ...['process', 'require', '__dirname', '__filename'].map((name) => ({
    name,
    message: 'The domain runs in Node and the browser alike: no Node globals. Pass what you need in as an argument.',
  })),
];
/**
 * The journal's command names, read from the one list of them (src/domain/commands.ts): written as
 * a string anywhere else in the code that journals or compares them, a name could drift from the
 * list unnoticed, so it must be `COMMAND.<area>.<name>`.
 */
const COMMAND_NAMES = [
  ...readFileSync(new URL('./src/domain/commands.ts', import.meta.url), 'utf8').matchAll(
    /: '([a-z][A-Za-z0-9]*\.[A-Za-z0-9]+)'/g,
  ),
].map((m) => m[1]);
const COMMAND_NAME_REGEX = `/^(${COMMAND_NAMES.map((n) => n.replace('.', '\\.')).join('|')})$/`;
const NOT_A_COMMAND_LITERAL =
  'A command name comes from src/domain/commands.ts (COMMAND.<area>.<name>), not a string literal.';
const COMMAND_LITERALS = [
  { selector: `Literal[value=${COMMAND_NAME_REGEX}]`, message: NOT_A_COMMAND_LITERAL },
  {
    selector: `TemplateLiteral[expressions.length=0] > TemplateElement[value.raw=${COMMAND_NAME_REGEX}]`,
    message: NOT_A_COMMAND_LITERAL,
  },
];
const NOT_NOW =
  'The domain takes the time as an argument (a `now` parameter), so that its rules are testable and the same at every desk and at the hub.';

/**
 * Reads behind named queries (issue #15): SQL lives in the store (src/store/queries/<area>.ts, as
 * typed functions); services, sync, the station core and the CLI call those and never touch the
 * connection. `.exec(` on a regular expression literal is allowed.
 */
const NO_RAW_SQL = 'SQL lives in the store: add a typed query to src/store/queries/<area>.ts and call it.';
const RAW_SQL_SELECTORS = [
  { selector: "MemberExpression[property.name='db']", message: NO_RAW_SQL },
  { selector: "VariableDeclarator > ObjectPattern > Property[key.name='db']", message: NO_RAW_SQL },
  { selector: "CallExpression[callee.property.name='prepare']", message: NO_RAW_SQL },
  { selector: "CallExpression[callee.property.name='exec']:not([callee.object.regex])", message: NO_RAW_SQL },
];
/**
 * Files that still touch the connection, to trim as each moves into src/store/queries. The first
 * group belonged to other work when the rule came in (imports, SIP2 accounts). The sync
 * exceptions have their one owner, src/store/queries/sync-exceptions.ts.
 */
const RAW_SQL_ALLOWED = [
  'src/services/import/**',
  'src/services/sip2-accounts.ts',
  // No SQL: it hands the connection to the idle checkpointer (src/store/checkpoint.ts), which
  // takes the better-sqlite3 handle itself.
  'src/station/services.ts',
  // The composition root: it hands the connection to the store's classes (rows, journal, queries).
  'src/services/context.ts',
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
        console: 'readonly',
        process: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        window: 'readonly',
        document: 'readonly',
        fetch: 'readonly',
        performance: 'readonly',
        AbortController: 'readonly',
        queueMicrotask: 'readonly',
        structuredClone: 'readonly',
        navigator: 'readonly',
      },
    },
    plugins: { circa: { rules: { 'no-restricted-dynamic-imports': noRestrictedDynamicImports } } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error'] }],
    },
  },
  {
    // Type-aware checks, with each file's own tsconfig.json (Node, renderer, browser tests). A
    // promise nobody awaits loses its rejection: await it, or write `void` and say why.
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: {
        // The UI benchmark is in tests/bench (with the other benchmarks) but checked as a browser test.
        projectService: {
          allowDefaultProject: ['tests/bench/ui-bench.ts'],
          defaultProject: 'tests/browser/tsconfig.json',
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: { '@typescript-eslint/no-floating-promises': ['error', { ignoreVoid: true }] },
  },
  ...layerRules.map(({ files, ignores, patterns }) => ({
    files,
    ...(ignores ? { ignores } : {}),
    rules: {
      'no-restricted-imports': ['error', { patterns }],
      'circa/no-restricted-dynamic-imports': ['error', { patterns }],
    },
  })),
  {
    files: ['src/domain/**'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-globals': ['error', ...DOMAIN_GLOBALS],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: NOT_NOW },
        {
          object: 'globalThis',
          property: 'process',
          message: 'The domain runs in Node and the browser alike: no Node globals.',
        },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: NOT_NOW },
        ...COMMAND_LITERALS,
      ],
    },
  },
  {
    // The list of command names itself.
    files: ['src/domain/commands.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: NOT_NOW },
      ],
    },
  },
  // One rule's options replace, not join, an earlier block's for the same file, so each folder's
  // no-restricted-syntax is written whole: command names from src/domain/commands.ts where entries
  // are written, applied and counted; SQL only through src/store/queries outside the store.
  {
    files: ['src/store/**', 'src/services/**', 'src/sync/**', 'src/hub/**'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-syntax': ['error', ...COMMAND_LITERALS] },
  },
  {
    files: ['src/services/**', 'src/sync/**'],
    ignores: ['**/*.test.ts', ...RAW_SQL_ALLOWED],
    rules: { 'no-restricted-syntax': ['error', ...RAW_SQL_SELECTORS, ...COMMAND_LITERALS] },
  },
  {
    files: ['src/station/**', 'src/cli/**'],
    ignores: ['**/*.test.ts', ...RAW_SQL_ALLOWED],
    rules: { 'no-restricted-syntax': ['error', ...RAW_SQL_SELECTORS] },
  },
  {
    files: ['renderer/**'],
    ignores: ['renderer/vite.config.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...['process', 'Buffer', 'require', '__dirname', '__filename', 'global'].map((name) => ({
          name,
          message: 'The renderer never touches Node: ask the station API.',
        })),
      ],
    },
  },
  {
    // Tests, benchmarks, scripts and entry points may print.
    files: ['tests/**', 'scripts/**', 'src/cli/**', '**/*.test.ts', '**/*.test.tsx'],
    rules: { 'no-console': 'off' },
  },
);
