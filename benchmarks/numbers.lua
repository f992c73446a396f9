-- wrk script: every request asks for a registration number drawn at random from a file, as
-- citizens do (each asks for their own number, rarely the one asked just before).
--   wrk ... -s benchmarks/numbers.lua http://host:port -- NUMBERS_FILE PATH_PREFIX
local numbers = {}
local prefix = "/az/track/?number="

function init(args)
  for line in io.lines(args[1]) do
    numbers[#numbers + 1] = line
  end
  prefix = args[2] or prefix
  -- each wrk thread has its own Lua state: seed each differently
  math.randomseed(os.time() * 1000 + (tonumber(tostring(numbers):match("0x(%x+)"), 16) or 0) % 1000)
end

function request()
  return wrk.format("GET", prefix .. numbers[math.random(#numbers)])
end
