// A separate process drawing from a shared Redis weight budget; prints the times it was granted weight.
import { createRedisClient } from '../../src/storage/redis-connection.js';
import { RedisWeightBudget } from '../../src/exchange/redis-weight-budget.js';

const [name, limit, windowMs, count] = process.argv.slice(2);
const redis = createRedisClient(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
while (!redis.isReady) await new Promise((r) => setTimeout(r, 10));
const budget = new RedisWeightBudget(redis, {
  exchangeId: name!,
  limit: Number(limit),
  windowMs: Number(windowMs),
});
const grants = await Promise.all(
  Array.from({ length: Number(count) }, async () => {
    const spend = await budget.acquire(1);
    const at = Date.now();
    spend.settle();
    return at;
  }),
);
await new Promise((r) => setTimeout(r, 50));
console.log(JSON.stringify({ grants, fallbacks: budget.fallbacks }));
redis.destroy();
