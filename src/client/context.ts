/**
 * @module
 * What every client command works with: the configuration, Temporal and the
 * signal ledger, each connected on first use (reports, cycles and signals
 * need only the ledger, `status` only Temporal), and closed once at the end.
 */
import type { Client } from '@temporalio/client';
import type { Config } from '../config.js';
import { connectClient } from '../temporal/client-connection.js';
import type { Ledger } from '../storage/ledger/ledger.js';
import { ledgerSettings, openLedger } from '../storage/ledger/open-ledger.js';

export interface ClientContext {
  config: Config;
  temporal: () => Promise<Client>;
  ledger: () => Promise<Ledger>;
  out: (text: string) => void;
  /** Show a live progress bar (stdout is a TTY and JSON was not asked for). */
  interactive: boolean;
}

export interface OwnedClientContext extends ClientContext {
  /** Closes whatever was connected. */
  close(): Promise<void>;
}

export function clientContext(
  config: Config,
  options: { out: (text: string) => void; interactive: boolean },
): OwnedClientContext {
  const closers: Array<() => Promise<unknown>> = [];
  let client: Promise<Client> | undefined;
  let ledger: Promise<Ledger> | undefined;
  return {
    config,
    ...options,
    temporal: () =>
      (client ??= connectClient(config).then((c) => {
        closers.push(() => c.connection.close());
        return c;
      })),
    ledger: () =>
      (ledger ??= openLedger(ledgerSettings(config)).then((opened) => {
        closers.push(() => opened.close());
        return opened;
      })),
    close: async () => {
      await Promise.allSettled(closers.map((close) => close()));
    },
  };
}
