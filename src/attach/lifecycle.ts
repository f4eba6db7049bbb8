// Moved to src/util/lifecycle.ts (the token stage uses it; it may not import src/attach). Kept as a
// re-export for branches in flight: remove once they are merged.
export { Lifecycle } from '../util/lifecycle';
