// Moved to src/util/describe.ts (features and lower layers use it; they may not import src/options).
// Kept as a re-export for branches in flight: remove once they are merged.
export { describe } from '../util/describe';
