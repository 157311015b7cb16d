import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The layers of src/ (docs: ../shared/docs/architecture.md), enforced: each folder imports only what sits
// below it. Type-only imports are allowed where a layer passes another's values along without using them.
const noMain = { group: ['**/main.js'], message: 'Only `latch serve` starts the composition root.' };
const layer = (patterns) => ({
  'no-restricted-imports': [
    'error',
    { patterns: [noMain, ...patterns].map((p) => ({ ...p, allowTypeImports: p.allowTypeImports ?? true })) },
  ],
});
// The provisioning engine runs in the workers' wake loop, and uses nothing else of theirs.
const workersLoop = {
  group: ['**/jobs/**', '!**/jobs/wake-loop.js'],
  message: 'Provisioning uses the workers\' wake loop only.',
};
const folders = (names, message) => ({ group: names.map((n) => `**/${n}/**`), message });
const drivers = {
  group: ['kysely', 'pg', '@electric-sql/*'],
  message: 'Only src/store talks to the database; others pass its handles along (src/store/handles.ts).',
  // Types too: a Kysely type outside src/store is a query waiting to be written there.
  allowTypeImports: false,
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'web/dist/**', 'coverage/**', 'latch-data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Promises are awaited or handled on purpose, and every switch over a union covers all of it.
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
    },
  },
  {
    files: ['src/domain/**/*.ts'],
    ignores: ['src/domain/**/*.test.ts'],
    rules: layer([
      {
        ...folders(
          ['store', 'access', 'ops', 'http', 'jobs', 'cli', 'keys'],
          'src/domain holds pure rules: it imports nothing else of ours.',
        ),
        allowTypeImports: false,
      },
      { ...drivers, allowTypeImports: false },
      {
        group: ['fastify', 'node:fs', 'node:net', 'node:http', 'node:https', 'node:child_process'],
        message: 'src/domain does no I/O.',
      },
    ]),
  },
  {
    files: ['src/store/**/*.ts'],
    rules: layer([folders(['access', 'ops', 'http', 'jobs', 'cli'], 'src/store imports domain types only.')]),
  },
  {
    files: ['src/access/**/*.ts'],
    rules: layer([
      folders(['ops', 'http', 'jobs', 'cli'], 'src/access imports domain and store only.'),
      drivers,
    ]),
  },
  {
    files: ['src/ops/**/*.ts'],
    rules: layer([
      folders(['http', 'jobs', 'cli'], 'Operations are called by http, jobs and cli, never the other way.'),
      drivers,
    ]),
  },
  {
    // A feature uses another only through its public index.
    files: ['src/ops/*/**/*.ts'],
    ignores: ['src/ops/shared/**'],
    rules: layer([
      folders(['http', 'jobs', 'cli'], 'Operations are called by http, jobs and cli, never the other way.'),
      drivers,
      {
        regex: '^\\.\\./(?!shared/|\\.\\./)[a-z-]+/(?!index\\.js$).+',
        message: 'Another feature is used through its index.js only (its public commands and queries).',
        allowTypeImports: false,
      },
    ]),
  },
  {
    files: ['src/http/**/*.ts'],
    rules: layer([
      folders(['store', 'jobs', 'cli'], 'Routes call operations and their queries only.'),
      { group: ['**/access/**'], message: 'Routes call operations and their queries only.' },
      drivers,
    ]),
  },
  {
    // Connectors speak to connected systems (a PostgreSQL target through `pg`, LDAP, SCIM), never to Latch's own
    // store: only the PostgreSQL connector may import the `pg` driver, to reach the target cluster.
    files: ['src/provisioning/**/*.ts'],
    ignores: ['src/provisioning/connectors/postgres*.ts'],
    rules: layer([folders(['store', 'http', 'cli'], 'Provisioning calls operations only.'), workersLoop, drivers]),
  },
  {
    files: ['src/provisioning/connectors/postgres*.ts'],
    rules: layer([
      folders(['store', 'http', 'cli'], 'Provisioning calls operations only.'),
      workersLoop,
      { ...drivers, group: ['kysely', '@electric-sql/*'] },
    ]),
  },
  {
    files: ['src/jobs/**/*.ts'],
    rules: layer([folders(['store', 'http', 'cli'], 'The time engine calls operations only.'), drivers]),
  },
  {
    files: ['src/keys/**/*.ts', 'src/cli/**/*.ts'],
    ignores: ['src/cli/serve.ts'],
    rules: layer([]),
  },
  {
    // Every CLI command is registered at start-up; the client commands must not pay for loading the store.
    // Commands that open it import it inside their action.
    files: ['src/cli/main.ts', 'src/cli/commands/**/*.ts'],
    rules: layer([
      {
        group: ['**/store/connection.js', '**/store/migrate.js', '**/ops/**'],
        message: 'Load the store and operations inside the command that needs them: await import(...).',
      },
    ]),
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: {
      globals: {
        window: 'readonly',
        document: 'readonly',
        navigator: 'readonly',
        location: 'readonly',
        history: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
  },
);
