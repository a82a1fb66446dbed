// The read model's Lua scripts: each write or read that must see the order whole runs as one script, atomically.

// Appends an event unless its id was recorded already, and only while the order exists: a late writer (a
// notification finishing after the order's deletion) must not leave keys behind. KEYS: record, events, event ids.
export const APPEND_EVENT = `
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
if redis.call('SADD', KEYS[3], ARGV[1]) == 0 then return 0 end
redis.call('RPUSH', KEYS[2], ARGV[2])
return 1`;

// Sets a hash field only while the order exists (a late seal must not resurrect a deleted order's state).
// KEYS: record, state. ARGV: field, value.
export const SET_IF_ORDER = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return 1`;

// Writes a new order whole, unless it exists already (a retried creation, or a replayed Idempotency-Key, must not
// reset statuses the order's workflow wrote since). KEYS: record, state, owner, then one key per sign code, then the
// events list and event-id set of each task. ARGV: record JSON, state JSON, merchant id, number of sign codes, one
// target JSON per sign code, then an event id and event JSON per task.
export const RECORD_ORDER = `
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
for field, value in pairs(cjson.decode(ARGV[2])) do redis.call('HSET', KEYS[2], field, value) end
redis.call('SET', KEYS[3], ARGV[3])
local codes = tonumber(ARGV[4])
for i = 1, codes do redis.call('SET', KEYS[3 + i], ARGV[4 + i]) end
local k, a = 4 + codes, 5 + codes
while k < #KEYS do
  redis.call('SADD', KEYS[k + 1], ARGV[a])
  redis.call('RPUSH', KEYS[k], ARGV[a + 1])
  k, a = k + 2, a + 2
end
return 1`;

// An order's record and live state read together, atomically (one script: cheaper for the gateway than MULTI/EXEC,
// which status reads showed costing about a tenth of the gateway's CPU). Answers {record or false, flat hash}.
export const READ_ORDER = `
local record = redis.call('GET', KEYS[1])
if not record then return { false, {} } end
return { record, redis.call('HGETALL', KEYS[2]) }`;

// Records a task's forward once, only while the order exists: the forward's details, the task's new sign code (a
// state field, over the one the order was created with), the new code's key, and the previous code's key turned into
// a "forwarded" marker (the forwarder's link opens nothing, and says why). A retry finds the forward recorded and
// changes nothing. KEYS: record, state, previous code, new code. ARGV: forward field, forward JSON, code field, new
// code, previous code's target JSON, new code's target JSON.
export const RECORD_FORWARD = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 0 then return 1 end
redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
redis.call('SET', KEYS[4], ARGV[6])
redis.call('SET', KEYS[3], ARGV[5])
return 1`;
