import { readFileSync } from 'node:fs';
import { createExchange } from './src/exchange/ccxt-factory.ts';
const simCpu = () => { const f = readFileSync('/proc/8783/stat','utf8').split(' '); return (Number(f[13])+Number(f[14]))*10; };
const ex = createExchange({ kind: 'simulator', url: 'http://127.0.0.1:18080', enableRateLimit: false });
const markets = await ex.loadMarkets();
const syms = Object.values(markets).filter(m => m.active && m.swap && m.quote==='USDT').map(m=>m.symbol);
for (let r = 0; r < 4; r++) {
  const s0 = simCpu(); const c0 = process.cpuUsage();
  const t0 = performance.now();
  const res = await Promise.allSettled(syms.flatMap(s => ['1h','15m','5m'].map(tf => ex.fetchOHLCV(s, tf, undefined, 99))));
  const cu = process.cpuUsage(c0);
  console.log('wall', (performance.now()-t0).toFixed(0), 'client cpu', ((cu.user+cu.system)/1000).toFixed(0), 'sim cpu', simCpu()-s0, 'ok', res.filter(r=>r.status==='fulfilled').length);
  await fetch('http://127.0.0.1:18080/admin/reset-limits', {method:'POST'});
}
await ex.close();
