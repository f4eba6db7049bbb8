// Moved to src/http/request-options.ts (the one path to the server and the token stage use it; they
// may not import src/interceptors). Kept as a re-export for branches in flight: remove once merged.
import '../http/request-options';
export type { OAuth2RequestOptions } from '../http/request-options';
