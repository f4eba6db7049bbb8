// Moved to src/http/transport.ts (the token stage and the one path to the server use it; they may not
// import src/interceptors). Kept as a re-export for branches in flight: remove once they are merged.
export type { RequestTransport } from '../http/transport';
