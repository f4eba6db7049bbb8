/**
 * Lua scripts run with EVAL. Redis runs a script atomically, so the read and the delete in each
 * cannot interleave with another process's write.
 */

/**
 * Compare-and-delete of a token: `KEYS[1]` is deleted only if it holds a token whose `digest` is
 * `ARGV[1]`, the SHA-256 of the access token to delete (plain JSON and encrypted values both store
 * it). The token itself is never an argument: SLOWLOG, MONITOR and command tracing show arguments.
 * A process invalidating a token the API rejected thus never deletes the newer token another
 * process stored meanwhile. Returns 1 when deleted, else 0. (A value written by an older version
 * without `digest` is not deleted; the renewal's SET replaces it.)
 */
export const DELETE_TOKEN_IF_MATCHES = `
local value = redis.call('GET', KEYS[1])
if not value then return 0 end
local ok, token = pcall(cjson.decode, value)
if ok and type(token) == 'table' and type(token.digest) == 'string' and token.digest == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/**
 * Releases a lock only by its owner: `KEYS[1]` is deleted only if it still holds the owner's random
 * value `ARGV[1]`. A holder whose lock expired and was taken by another process cannot release
 * that process's lock. Returns 1 when deleted, else 0.
 */
export const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`;

/**
 * Reads `KEYS[1]` with what remains of its life, in one step: `{value, pttl}` (`value` false when
 * the key does not exist). The remaining life is counted by Redis's own clock, so a reader never
 * depends on the end time another host's clock wrote into the value.
 */
export const GET_WITH_PTTL = `
return {redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1])}
`;
