// One lint configuration for every project; each runs `eslint <its folder>` through Nx.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Which way imports may point. `no-restricted-imports` reads the import as written, so each
 * boundary is a pattern over the specifier (relative paths included). A file takes its options
 * from the last block that matches it, so a folder under two boundaries gets one block with both.
 * test/lint/boundaries.spec.ts breaks each one on purpose and expects this rule to fire.
 */
const boundary = {
  sharedOnly: {
    regex: String.raw`^@yishi/(server|client)(/|$)|^(\.\./)+(server|client)/`,
    message: 'shared/ is imported by server and client; it imports neither.',
  },
  clientNotServer: {
    regex: String.raw`^@yishi/server(/|$)|^(\.\./)+server/`,
    message: 'The client never imports the server: what both need lives in @yishi/shared.',
  },
  infraAtTheBottom: {
    regex: String.raw`(^|/)modules(/|$)`,
    message: 'server/src/infra sits beneath the modules and imports none of them.',
  },
  domainNotRealtime: {
    regex: String.raw`(^|/)realtime(/|$)`,
    message: 'Domain modules never import realtime/: the gateways call the modules, and modules announce changes through DomainEvents.',
  },
  membershipsNotAuth: {
    regex: String.raw`(^|/)auth(/|$)`,
    message: 'auth reads memberships, so memberships never imports auth (route markings are in infra/http).',
  },
};
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/.data/**',
      '**/test-results/**',
      '**/*.config.js',
      '**/.stryker-tmp/**',
      '**/reports/**',
      // Deliberate boundary breaks, linted only by test/lint/boundaries.spec.ts.
      'test/lint/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' },
      ],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['client/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  // Tests may say `any` where a payload is deliberately malformed or a library's type is beside the point.
  { files: ['**/*.spec.ts', '**/*.spec.tsx', 'test/**', 'server/src/testing/**'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['shared/**/*.{ts,tsx,js,mjs}'], rules: restrict(boundary.sharedOnly) },
  { files: ['client/**/*.{ts,tsx,js,mjs}'], rules: restrict(boundary.clientNotServer) },
  { files: ['server/src/infra/**/*.ts'], rules: restrict(boundary.infraAtTheBottom) },
  // Tests drive the whole server, so a domain module's spec may reach a gateway.
  {
    files: ['server/src/modules/**/*.ts'],
    ignores: ['server/src/modules/realtime/**', '**/*.spec.ts'],
    rules: restrict(boundary.domainNotRealtime),
  },
  {
    files: ['server/src/modules/memberships/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: restrict(boundary.domainNotRealtime, boundary.membershipsNotAuth),
  },
);
