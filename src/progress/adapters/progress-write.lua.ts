/**
 * One atomic write of a job's live progress: `HSET job:progress:{id}` + `EXPIRE` + `PUBLISH`, only
 * when something changed. Concurrent writers can never move percent backwards within an attempt,
 * and an older attempt can never overwrite a newer one. `version` strictly increases per job.
 *
 * KEYS[1] hash key
 * ARGV[1] jobId  [2] attempt  [3] percent  [4] '1' if a message is given  [5] message
 * ARGV[6] now (epoch ms)  [7] ttl seconds  [8] channel  [9] updatedAt (ISO)
 * Returns {version, percent}; version 0 when nothing was written.
 */
export const PROGRESS_WRITE_LUA = `
local cur = redis.call('HMGET', KEYS[1], 'attempt', 'percent', 'message', 'version')
local attempt = tonumber(ARGV[2])
local percent = tonumber(ARGV[3])
local message = false
if ARGV[4] == '1' then message = ARGV[5] end
local curAttempt = tonumber(cur[1])
if curAttempt ~= nil then
  if curAttempt > attempt then return {0, 0} end
  if curAttempt == attempt then
    local curPercent = tonumber(cur[2]) or 0
    if percent < curPercent then percent = curPercent end
    if message == false then message = cur[3] end
    if percent == curPercent and message == cur[3] then return {0, percent} end
  end
end
local now = tonumber(ARGV[6])
local version = now
local curVersion = tonumber(cur[4])
if curVersion ~= nil and version <= curVersion then version = curVersion + 1 end
redis.call('HSET', KEYS[1], 'attempt', attempt, 'percent', percent, 'updatedAt', ARGV[9], 'version', version)
if message == false then
  redis.call('HDEL', KEYS[1], 'message')
else
  redis.call('HSET', KEYS[1], 'message', message)
end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[7]))
local encodedMessage = cjson.null
if message ~= false then encodedMessage = message end
redis.call('PUBLISH', ARGV[8], cjson.encode({k = 'p', jobId = ARGV[1], attempt = attempt, percent = percent, message = encodedMessage, updatedAt = now, v = version}))
return {version, percent}
`;
