import { loadConfig } from '../../src/config.js';
import type { Ledger } from '../../src/storage/ledger/ledger.js';
import { ledgerSettings, openLedger } from '../../src/storage/ledger/open-ledger.js';

/** The ledger the product's processes of this test file write (DATA_DIR or DATABASE_URL, from test/setup.ts), read from outside. */
export async function withLedger<T>(read: (ledger: Ledger) => Promise<T>): Promise<T> {
  const ledger = await openLedger(ledgerSettings(loadConfig(process.env, {}, { requireExchangeUrl: false })));
  try {
    return await read(ledger);
  } finally {
    await ledger.close();
  }
}
