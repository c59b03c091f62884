import { describe, expect, it } from 'vitest';
import { binanceConnector, stopConnectorSockets } from '../helpers/binance-connector.js';
import { admin, startTestSimulator } from '../helpers/simulator.js';
import { describeBinanceConnectorContract } from './binance-connector.contract.js';

describeBinanceConnectorContract('the simulator', async () => {
  const sim = await startTestSimulator({ latencyMs: 5 });
  // A second simulator for the 429/418 test, so that its tiny limit starves nothing else.
  const limited = await startTestSimulator({
    symbols: 5,
    weightLimit: 3,
    weightWindowMs: 10_000,
    banBaseMs: 5_000,
  });
  return {
    connector: binanceConnector({ restUrl: sim.url, wsUrl: sim.wsUrl }),
    expectedPerpetuals: 530,
    listsSettling: true,
    limited: { connector: binanceConnector({ restUrl: limited.url }), weightLimit: 3 },
    closeOneMinuteSoon: async () => {
      // The clock only moves forward: to 0.8 s before the close of the minute after the next two seconds.
      const close = (Math.floor((sim.clock.now() + 2_000) / 60_000) + 1) * 60_000 - 1;
      await admin(sim, '/admin/clock', { set: close - 800 });
      return close;
    },
    openStreamConnections: () => sim.streams.connectionCount,
    close: async () => {
      await sim.close();
      await limited.close();
    },
  };
});

describe('Binance’s connector against a simulator refusing WebSocket handshakes', () => {
  it('connect() rejects with the 503, the process lives on, and the sockets left reconnecting can be stopped', async () => {
    const sim = await startTestSimulator({ symbols: 5, faults: { wsOutage: true } });
    try {
      const connector = binanceConnector({ wsUrl: sim.wsUrl });
      await expect(connector.websocketStreams.connect()).rejects.toThrow(/503/);
      // Its other sockets keep trying, every reconnectDelay; without the guard the first refusal would kill this process.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(sim.stats.faults.wsRefused).toBeGreaterThan(3);
      stopConnectorSockets();
      sim.setFaults({ wsOutage: false });
      // Long enough for every reconnect the connector had scheduled or queued (one a second).
      await new Promise((resolve) => setTimeout(resolve, 3_500));
      expect(sim.stats.ws.opened).toBe(0);
      expect(sim.streams.connectionCount).toBe(0);
    } finally {
      await sim.close();
    }
  }, 20_000);
});
