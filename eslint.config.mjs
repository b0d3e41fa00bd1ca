import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.vscode-test/**', 'media/dist/**', 'media/vendor/**', 'bench/data/**', 'test-output/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // The protocol groups each message's method and types in a namespace, as vscode-eslint's does.
    // It imports engine types only (erased): the client bundles it, and must hold no engine code.
    files: ['server/src/protocol.ts'],
    rules: {
      '@typescript-eslint/no-namespace': 'off',
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{ regex: '^\\./(?!engine(/|$))', message: 'The protocol imports the LSP protocol library and engine types, nothing else.' }, { regex: '^\\./engine(/|$)', allowTypeImports: true, message: 'The protocol may import engine types only (import type): the client bundles it.' }],
      }],
    },
  },
  {
    // The client is a view: it reaches the language server's work through the protocol's typed messages only.
    files: ['client/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { regex: '(^|/)server/src/(?!protocol$)', message: 'The client imports nothing from server/src but server/src/protocol: ask the language server through a request in protocol.ts.' },
        ],
      }],
    },
  },
  {
    // Outside the engine, code reaches it through its one public face, engine/index.ts, never its
    // rooms' modules (tests and benchmarks may: they check the parts one by one).
    files: ['server/src/**/*.ts', 'client/src/**/*.ts', 'media/src/**/*.ts'],
    ignores: ['server/src/engine/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '(^|/)engine/(?!index$).+', message: "Import the engine through its public face ('…/engine'); export what you need from engine/index.ts." }],
      }],
    },
  },
  {
    // The engine is pure: no editor API, no protocol library, no I/O of its own.
    files: ['server/src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['vscode', 'vscode-*', 'vscode-languageserver*', 'vscode-languageclient*'], message: 'The engine must not depend on VS Code or the LSP library.' },
          { group: ['fs', 'node:*', 'fs/*', 'path', 'child_process', 'net', 'http', 'https', 'os', 'worker_threads'], message: 'The engine does no I/O of its own: hosts hand it bytes.' },
        ],
      }],
    },
  },
);
