import { startSimulator } from './src/simulator/server.ts';
import { createExchange } from './src/exchange/ccxt-factory.ts';
const sim = await startSimulator({ latencyMs: 100 });
console.log(sim.url);
const ex = createExchange({ kind: 'simulator', url: sim.url, enableRateLimit: false });
const markets = await ex.loadMarkets();
const vals = Object.values(markets);
console.log('markets', vals.length, vals.filter(m => m.active && m.linear && m.swap && m.quote === 'USDT').length);
console.log(Object.keys(sim.stats.byPath));
const o = await ex.fetchOHLCV('BTC/USDT:USDT', '1h', undefined, 99);
console.log(o.length, o[0], o.at(-1));
console.log(await ex.fetchTime());
const t = await ex.fetchTickers();
console.log(Object.keys(t).length, t['BTC/USDT:USDT']);
const syms = vals.filter(m => m.active && m.swap && m.quote==='USDT').map(m=>m.symbol);
for (let r = 0; r < 2; r++) {
  const t0 = performance.now();
  const res = await Promise.allSettled(syms.flatMap(s => ['1h','15m','5m'].map(tf => ex.fetchOHLCV(s, tf, undefined, 99))));
  console.log('1590 concurrent', (performance.now()-t0).toFixed(0), 'ms', res.filter(r=>r.status==='fulfilled').length, res.find(r => r.status==='rejected'));
  await sim.limiter.reset();
}
console.log(sim.stats.snapshot());
await ex.close();
await sim.close();
