import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { Config } from '../config.js';

/**
 * How the client, the worker and `npm start` connect to Temporal: address,
 * TLS (server CA, mTLS client pair, server name) and API key, from the
 * configuration (files already checked readable by loadConfig).
 */
export function temporalConnectionOptions(config: Config): {
  address: string;
  tls?: TLSConfig | boolean;
  apiKey?: string;
} {
  const files =
    config.TEMPORAL_TLS_CA || config.TEMPORAL_TLS_CERT || config.TEMPORAL_TLS_SERVER_NAME
      ? {
          serverRootCACertificate: config.TEMPORAL_TLS_CA ? readFileSync(config.TEMPORAL_TLS_CA) : undefined,
          clientCertPair:
            config.TEMPORAL_TLS_CERT && config.TEMPORAL_TLS_KEY
              ? { crt: readFileSync(config.TEMPORAL_TLS_CERT), key: readFileSync(config.TEMPORAL_TLS_KEY) }
              : undefined,
          serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME,
        }
      : undefined;
  const tls =
    config.TEMPORAL_TLS === 'off' ? false : (files ?? (config.TEMPORAL_TLS === 'on' ? true : undefined));
  return {
    address: config.TEMPORAL_ADDRESS,
    ...(tls === undefined ? {} : { tls }),
    ...(config.TEMPORAL_API_KEY ? { apiKey: config.TEMPORAL_API_KEY } : {}),
  };
}
