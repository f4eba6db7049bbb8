/**
 * The layering of `src/`, enforced by `npm run lint` (so in CI): `depcruise src --config .dependency-cruiser.cjs`.
 *
 * The layers, lowest first (a layer imports only its own and lower ones):
 *   lower:      src/errors.ts, src/util, src/security, src/http (the one path to the server),
 *               src/store, src/policy (pure decisions), src/events/hooks.ts (the hooks' events and names)
 *   contracts:  src/contracts (the narrow shapes features plug into)
 *   core:       src/token (cache, grant, exchange), src/interceptors (request and response sides),
 *               src/options (validation, presets, hooks)
 *   root:       src/attach (the composition root), src/index.ts (the main entry)
 *   features:   src/features/* (DPoP, client assertions, mTLS, discovery, revocation, diagnostics),
 *               each behind its own subpath export, seen by the core only through src/contracts.
 *   subpaths:   src/redis, src/testing (their own entries, on top of the library)
 *
 * Every rule is an error: a new import that breaks the layering fails `npm run lint`.
 */

/** The core stages' internals: what a feature must reach through a contract instead. */
const CORE_INTERNALS = '^src/(token|interceptors|attach|options|redis|testing)/';
/** Everything above the lower layers. */
const UPPER = '^src/(token|interceptors|attach|options|contracts|features|redis|testing)/|^src/index\\.ts$';
const LOWER = '^src/(util|security|http|store|policy)/|^src/errors\\.ts$|^src/events/hooks\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A cycle makes the load order decide what is undefined at import time, and ties two modules so ' +
        'neither can move or load alone (a feature in a cycle with the core is always bundled).',
      from: { path: '^src/' },
      // Runtime cycles: a cycle through a type-only import loads nothing (the layer rules still see it).
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'features-only-from-their-users',
      severity: 'error',
      comment:
        'A feature is loaded (and bundled) only by its user, who imports it from its subpath and gives it to ' +
        'attachOAuth2 as a value: the core (the composition root included) sees it only through ' +
        'src/contracts; only its own files and the embedded test server may name a feature module.',
      from: { path: '^src/', pathNot: '^src/(features/|testing/)' },
      to: { path: '^src/features/' },
    },
    {
      name: 'features-reach-the-core-through-contracts',
      severity: 'error',
      comment:
        'A feature may use src/contracts, src/errors.ts, src/util, src/security (scrubbing), src/http (the one ' +
        'path to the server), src/policy, the token types of src/store/token-store.ts and the public option ' +
        "types (type-only, src/options/options.ts and src/options/tenant-types.ts); not the stages' code (token cache, " +
        "interceptors, options validation, attach): they are the core's to change, and a feature importing " +
        'them drags them into its subpath bundle.',
      from: { path: '^src/features/' },
      to: {
        path: `${CORE_INTERNALS}|^src/store/(?!token-store\\.ts$)`,
        pathNot: '^src/options/(options|tenant-types)\\.ts$',
      },
    },
    {
      name: 'features-reach-the-core-through-contracts-types',
      severity: 'error',
      comment: 'The public option types, but as types only: their files hold no code a feature may run.',
      from: { path: '^src/features/' },
      to: { path: '^src/options/(options|tenant-types)\\.ts$', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'features-independent',
      severity: 'error',
      comment:
        'Each feature loads alone from its subpath: one feature needing another goes through a contract ' +
        '(e.g. discovery gives client authentication the issuer through src/contracts).',
      from: { path: '^src/features/([^/]+)/' },
      to: { path: '^src/features/', pathNot: '^src/features/$1/' },
    },
    {
      name: 'contracts-are-shapes',
      severity: 'error',
      comment:
        'src/contracts holds the narrow shapes between the core and the features: it may name types from ' +
        'anywhere below the root, but import no code above the lower layers (else a feature importing a ' +
        'contract would load the core stages).',
      from: { path: '^src/contracts/' },
      to: {
        path: '^src/(token|interceptors|attach|options|features|redis|testing)/',
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'lower-layers-stay-lower',
      severity: 'error',
      comment:
        'src/util, src/security, src/http, src/store, src/policy and src/errors.ts are the ground every stage ' +
        'and feature stands on: importing a stage or a feature from them makes cycles and drags the core ' +
        'into every feature.',
      from: { path: LOWER },
      to: { path: UPPER },
    },
    {
      name: 'token-below-the-request-side',
      severity: 'error',
      comment:
        'The token stage (cache, grant, exchange) serves the interceptors and is wired by attach: it never ' +
        'imports them (the cycle interceptors -> token -> interceptors; a token cache usable without axios).',
      from: { path: '^src/token/' },
      to: { path: '^src/(interceptors|attach)/|^src/index\\.ts$' },
    },
    {
      name: 'no-dev-dependencies-in-src',
      severity: 'error',
      comment:
        'Zero runtime dependencies: library code imports Node built-ins, the peers (axios, ioredis) and ' +
        'its own files only. A devDependency imported from src/ would be missing for every user.',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['npm-peer', 'type-only'] },
    },
    {
      name: 'no-unlisted-dependencies',
      severity: 'error',
      comment: 'A package not in package.json resolves by accident (hoisting) and breaks for users.',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown', 'unknown', 'undetermined'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are dependencies too (a cycle of types still ties two modules), but marked, so
    // `contracts-are-shapes` can allow them.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^src/.*\\.d\\.ts$' },
  },
};
