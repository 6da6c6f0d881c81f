/** What the Redis micro-benchmarks here share: Redis's own CPU, clean-up of their keys, the exit code. */

/** Redis's CPU so far (user + sys, µs) from INFO: meaningful only on an otherwise idle Redis. */
async function redisCpuInUs(redis) {
  const info = await redis.info('cpu');
  return (Number(/used_cpu_sys:([\d.]+)/.exec(info)[1]) + Number(/used_cpu_user:([\d.]+)/.exec(info)[1])) * 1e6;
}

/** Deletes every key under the bench's own prefix. */
async function deleteKeys(redis, prefix) {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** Runs the bench's main; a failure prints and exits 1. */
function run(main) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

module.exports = { redisCpuInUs, deleteKeys, run };
