import { createExchange } from './src/exchange/ccxt-factory.ts';
const ex = createExchange({ kind: 'simulator', url: 'http://127.0.0.1:18080', enableRateLimit: false });
const markets = await ex.loadMarkets();
const syms = Object.values(markets).filter(m => m.active && m.swap && m.quote==='USDT').map(m=>m.symbol);
for (let r = 0; r < 4; r++) {
  const t0 = performance.now();
  const res = await Promise.allSettled(syms.flatMap(s => ['1h','15m','5m'].map(tf => ex.fetchOHLCV(s, tf, undefined, 99))));
  const cu = process.cpuUsage(); console.log("client cpu ms", ((cu.user+cu.system)/1000).toFixed(0), "1590 concurrent", (performance.now()-t0).toFixed(0), 'ms', res.filter(r=>r.status==='fulfilled').length);
  await fetch('http://127.0.0.1:18080/admin/reset-limits', {method:'POST'});
}
await ex.close();
