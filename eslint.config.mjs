// @ts-check
/**
 * Flat ESLint config for the gatehouse monorepo.
 *
 *  - typescript-eslint `recommendedTypeChecked` on all TypeScript (type info via the project service,
 *    i.e. the root tsconfig.json which includes apps/, libs/ and test/).
 *  - Architecture boundaries (see ARCHITECTURE block below):
 *      * apps/<x> never imports apps/<y>; only apps/platform may import the other apps' `*.app.ts`;
 *      * libs/** never imports apps/**;
 *      * libraries are consumed only as `@gatehouse/<lib>` (no deep `@gatehouse/<lib>/src/...`,
 *        no relative `../../libs/...`, no relative hop from one lib into a sibling lib);
 *      * test/** may import apps (e2e suites start them for real).
 *  - import-x/no-cycle across the repo, resolving `@gatehouse/*` through tsconfig `paths`.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import js from '@eslint/js'; // ships with eslint 9 (dependency of `eslint`)
import { defineConfig } from 'eslint/config';
import importX from 'eslint-plugin-import-x';
import { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const ROOT = import.meta.dirname;
const TS_FILES = ['**/*.ts', '**/*.mts', '**/*.cts'];

/** Folder names directly under `dir` (so new apps/libs are covered without touching this file). */
const subdirs = (dir) =>
  readdirSync(path.join(ROOT, dir), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);

const APPS = subdirs('apps');
const PLATFORM = 'platform';

// ---------------------------------------------------------------------------------------------
// ARCHITECTURE, part 1: boundaries on *resolved* paths (import-x/no-restricted-paths).
// Works whatever the specifier looks like (relative, alias, require()), as long as it resolves.
// ---------------------------------------------------------------------------------------------
const boundaryZones = [
  ...APPS.filter((app) => app !== PLATFORM).map((app) => ({
    target: `./apps/${app}`,
    from: './apps',
    except: [`./${app}`],
    message: `apps/${app} must not import from another app (only apps/${PLATFORM} may compose apps).`,
  })),
  {
    target: `./apps/${PLATFORM}`,
    // glob `from` => `except` must be (absolute) globs too
    from: [`${ROOT}/apps/!(${PLATFORM})/**`],
    except: [`${ROOT}/apps/*/src/*.app.ts`],
    message: `apps/${PLATFORM} may import other apps only through their \`src/*.app.ts\` entry.`,
  },
  {
    target: './libs',
    from: './apps',
    message: 'libs must never import from apps.',
  },
];

// ---------------------------------------------------------------------------------------------
// ARCHITECTURE, part 2: how libs are addressed, checked on the *specifier* (no-restricted-imports).
// NB: a later config object replaces (not merges) a rule's options, so every block below carries
// the full pattern list for its files.
// ---------------------------------------------------------------------------------------------
const NO_DEEP_LIB_IMPORT = {
  regex: '^@gatehouse/[^/]+/',
  message: 'Import a library only through its index: `@gatehouse/<lib>`, never a deep path.',
};
const NO_RELATIVE_INTO_LIBS = {
  regex: '^\\.{1,2}/(?:.*/)?libs(?:/|$)',
  message: 'Import libraries as `@gatehouse/<lib>`, never by a relative path into libs/.',
};
/** From libs/<lib>/src/<depth dirs>/file.ts, exactly depth+2 `../` lands in libs/ => a sibling lib. */
const noRelativeIntoSiblingLib = (depth) => ({
  regex: `^(?:\\./)?(?:\\.\\./){${depth + 2}}(?!\\.\\.(?:/|$))`,
  message: 'Import another library as `@gatehouse/<lib>`, never by a relative path.',
});
const restrictImports = (...patterns) => ['error', { patterns }];
const MAX_LIB_DEPTH = 10;

/** Minimal Node (CommonJS) globals for plain JS scripts, to avoid depending on the `globals` package. */
const NODE_GLOBALS = Object.fromEntries(
  [
    'require',
    'module',
    'exports',
    '__dirname',
    '__filename',
    'process',
    'console',
    'Buffer',
    'global',
    'globalThis',
    'setTimeout',
    'clearTimeout',
    'setInterval',
    'clearInterval',
    'setImmediate',
    'clearImmediate',
    'queueMicrotask',
    'structuredClone',
    'URL',
    'URLSearchParams',
    'AbortController',
    'AbortSignal',
    'TextEncoder',
    'TextDecoder',
    'fetch',
    'performance',
  ].map((name) => [name, 'readonly']),
);

export default defineConfig(
  // 4. Ignores
  {
    name: 'gatehouse/ignores',
    ignores: ['**/dist/**', '**/data/**', '**/node_modules/**', '**/coverage/**', 'bench/results/**', 'jest.config.js'],
  },

  // Base: ESLint + typescript-eslint recommended (syntactic, all files)
  js.configs.recommended,
  ...tseslint.configs.recommended,

  // 1. Type-checked rules for TypeScript sources
  {
    name: 'gatehouse/typescript',
    files: TS_FILES,
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: ROOT,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      // 5. Settings classes annotate `port: number = 3000` on purpose (design:type metadata).
      '@typescript-eslint/no-inferrable-types': 'off',
    },
  },

  // Jest specs: asymmetric matchers (`expect.any(String)`, `expect.anything()`) are typed `any`, and
  // `expect(obj.method)` passes unbound methods on purpose. `no-explicit-any` stays an error here too.
  {
    name: 'gatehouse/typescript/tests',
    files: ['test/**/*.ts', '**/*.spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },

  // 6. Unused vars (all files), `_` prefix allowed
  {
    name: 'gatehouse/unused-vars',
    rules: {
      'no-unused-vars': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },

  // 3. import-x: TypeScript-aware resolution + no-cycle
  {
    name: 'gatehouse/import-x',
    files: TS_FILES,
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'],
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.mts', '.cts'] },
      // unrs-resolver (bundled with import-x) reads tsconfig `paths`: @gatehouse/<lib> -> libs/<lib>/src
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.mts', '.cts', '.d.ts', '.js', '.mjs', '.cjs', '.json', '.node'],
          conditionNames: ['types', 'import', 'require', 'node', 'default'],
          mainFields: ['types', 'typings', 'module', 'main'],
          tsconfig: { configFile: path.join(ROOT, 'tsconfig.json') },
        }),
      ],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // 2. App/lib boundaries on resolved paths
      'import-x/no-restricted-paths': ['error', { basePath: ROOT, zones: boundaryZones }],
    },
  },

  // 2. Lib addressing on specifiers — default for every linted file
  {
    name: 'gatehouse/lib-addressing',
    rules: { 'no-restricted-imports': restrictImports(NO_DEEP_LIB_IMPORT) },
  },
  {
    name: 'gatehouse/lib-addressing/apps-and-tests',
    files: ['apps/**', 'test/**'],
    rules: { 'no-restricted-imports': restrictImports(NO_DEEP_LIB_IMPORT, NO_RELATIVE_INTO_LIBS) },
  },
  ...Array.from({ length: MAX_LIB_DEPTH + 1 }, (_, depth) => ({
    name: `gatehouse/lib-addressing/libs-depth-${depth}`,
    files: [`libs/*/src/${'*/'.repeat(depth)}*`],
    rules: {
      'no-restricted-imports': restrictImports(NO_DEEP_LIB_IMPORT, NO_RELATIVE_INTO_LIBS, noRelativeIntoSiblingLib(depth)),
    },
  })),

  // 4. Plain JS: scripts/**/*.js (Node, CommonJS) without type information
  {
    name: 'gatehouse/scripts-js',
    files: ['**/*.js', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { sourceType: 'commonjs', ecmaVersion: 2023, globals: NODE_GLOBALS },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    name: 'gatehouse/esm-js',
    files: ['**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { sourceType: 'module', ecmaVersion: 2023, globals: NODE_GLOBALS },
  },
);
