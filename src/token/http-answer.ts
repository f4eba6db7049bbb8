// Moved to src/security/http-answer.ts (a secret-free view of a server's answer; the lower layers use
// it and may not import src/token). Kept as a re-export for branches in flight: remove once merged.
export { answerOf, noAnswer, safeHeaders } from '../security/http-answer';
